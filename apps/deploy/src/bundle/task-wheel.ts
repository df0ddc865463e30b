import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Bundle } from '@odoo-ce/bundle';
import { LAYERS, type CatalogLayout } from '@odoo-ce/warehouse';
import { DeployError } from '../errors.js';
import type { BundleSourceMap } from './source-map.js';

/**
 * The TypeScript steps of the jobs (ML model steps, data-quality gates) run on Databricks job
 * compute from the `odoo_ce_tasks` wheel (apps/databricks-tasks): Python entry points that start
 * Node with the same code the local runner calls. This file turns the source bundle into what that
 * wheel needs: gate tasks, named parameters, and the wheel itself next to the rendered bundle.
 */
export const TASKS_PACKAGE = 'odoo_ce_tasks';
/** The job environment (serverless) whose dependencies install the wheel. */
export const TASKS_ENVIRONMENT = 'odoo_ce_tasks';
/** Suffix of the task render adds after each gated task. */
export const GATE_TASK_SUFFIX = '_quality_gate';

/** Named parameters render sets that no job parameter may shadow (the layout's may: render passes the same values). */
const RESERVED_PARAMETERS: readonly string[] = ['target', 'run_id', 'warehouse_id', 'table', 'task', 'job_parameters', 'job'];

/** Job parameters an entry point reads (passed as `{{job.parameters.<name>}}` when the job declares them). */
export const ENTRY_POINT_JOB_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  train: ['seed', 'forecast_months'],
  evaluate: ['seed', 'forecast_months'],
  promote: ['seed', 'forecast_months'],
  score: ['seed', 'forecast_months'],
  quality_gate: [],
};

export interface WheelTask {
  task_key: string;
  description?: string;
  depends_on?: { task_key: string }[];
  environment_key?: string;
  sql_task?: { parameters?: Record<string, string> };
  python_wheel_task?: { package_name: string; entry_point: string; named_parameters?: Record<string, string> };
}

export interface JobConfig {
  tasks?: WheelTask[];
  parameters?: { name: string; default?: string }[];
  environments?: { environment_key: string; spec?: { dependencies?: string[] } }[];
}

/**
 * Rewrites the resolved jobs in place for Databricks:
 * - a `sql_task` with parameter `quality_gate: <table>` is followed by a `<task>_quality_gate`
 *   wheel task (entry point `quality_gate`), and the tasks that depended on it depend on the gate,
 *   so nothing downstream runs on data the gate refused — what the local runner does in `afterTask`;
 * - every `odoo_ce_tasks` wheel task gets the named parameters the entry point needs: target, job
 *   run id, warehouse id, the target's catalog layout, and the job parameters it reads — plus
 *   `job_parameters`, the names of all the job's parameters, which Databricks pushes down to the
 *   task too (the wheel refuses other unknown names as typos);
 * - the wheel an environment names by local path (`…/odoo_ce_tasks-*.whl`) is copied to
 *   `artifacts/` and referenced from there.
 * Returns the written artifact paths (relative to `outDir`).
 */
export function applyTaskWheel(bundle: Bundle, jobs: Record<string, JobConfig>, layout: CatalogLayout, map: BundleSourceMap, outDir: string): string[] {
  const problems = taskWheelProblems(jobs);
  if (problems.length > 0) throw new DeployError('BUNDLE_INVALID', problems.map((p) => p.message).join('; '));
  const artifacts = new Set<string>();
  for (const [jobKey, job] of Object.entries(jobs)) {
    const tasks = job.tasks ?? [];
    addGateTasks(tasks);
    const wheelTasks = tasks.filter((t) => t.python_wheel_task?.package_name === TASKS_PACKAGE);
    if (wheelTasks.length === 0) continue;
    const jobParameters = new Set((job.parameters ?? []).map((p) => p.name));
    for (const task of wheelTasks) {
      const wheel = task.python_wheel_task as NonNullable<WheelTask['python_wheel_task']>;
      const reads = ENTRY_POINT_JOB_PARAMETERS[wheel.entry_point] ?? [];
      task.environment_key = TASKS_ENVIRONMENT;
      wheel.named_parameters = {
        ...baseParameters(bundle, layout),
        ...Object.fromEntries(reads.filter((p) => jobParameters.has(p)).map((p) => [p, `{{job.parameters.${p}}}`])),
        // Databricks also pushes every job parameter down as `--name=value`: the wheel accepts these names.
        ...(jobParameters.size > 0 ? { job_parameters: [...jobParameters].sort().join(',') } : {}),
        ...(wheel.named_parameters ?? {}),
      };
    }
    (job.environments ?? []).forEach((env, e) => {
      env.spec?.dependencies?.forEach((dependency, d) => {
        if (!isLocalPath(dependency)) return;
        const where = map.locate(['resources', 'jobs', jobKey, 'environments', String(e), 'spec', 'dependencies', String(d)], { resources: { jobs } });
        const wheel = resolveWheel(resolve(where ? dirname(join(bundle.root, where.file)) : bundle.root, dependency), `job ${jobKey} environment ${env.environment_key}`);
        const rel = join('artifacts', basename(wheel));
        mkdirSync(join(outDir, 'artifacts'), { recursive: true });
        copyFileSync(wheel, join(outDir, rel));
        artifacts.add(rel);
        (env.spec?.dependencies as string[])[d] = `./${rel}`;
      });
    });
  }
  return [...artifacts];
}

/**
 * What would stop the TypeScript steps of a job from running on Databricks, found before anything is
 * rendered (`bundle validate` reports these with file:line, render refuses): a wheel task whose entry
 * point the wheel lacks, a job that needs the wheel (wheel tasks or a `quality_gate`) without an
 * `odoo_ce_tasks` environment installing it, a task key that the gate task of another would take.
 */
export function taskWheelProblems(jobs: Readonly<Record<string, JobConfig>>): { readonly job: string; readonly task?: string; readonly message: string }[] {
  const problems: { job: string; task?: string; message: string }[] = [];
  for (const [jobKey, job] of Object.entries(jobs)) {
    const tasks = job.tasks ?? [];
    const gated = tasks.filter((t) => t.sql_task?.parameters?.['quality_gate'] !== undefined);
    const wheelTasks = tasks.filter((t) => t.python_wheel_task?.package_name === TASKS_PACKAGE);
    for (const task of wheelTasks) {
      const entryPoint = task.python_wheel_task?.entry_point ?? '';
      if (!ENTRY_POINT_JOB_PARAMETERS[entryPoint]) {
        problems.push({ job: jobKey, task: task.task_key, message: `job ${jobKey} task ${task.task_key}: entry point "${entryPoint}" is not one of the ${TASKS_PACKAGE} wheel's (${Object.keys(ENTRY_POINT_JOB_PARAMETERS).join(', ')})` });
      }
    }
    // A job parameter is pushed down to the wheel tasks and wins over their named parameter of the same name.
    const reserved = (job.parameters ?? []).map((p) => p.name).filter((n) => RESERVED_PARAMETERS.includes(n));
    if (reserved.length > 0 && (wheelTasks.length > 0 || gated.length > 0)) {
      problems.push({ job: jobKey, message: `job ${jobKey}: job parameter${reserved.length > 1 ? 's' : ''} ${reserved.join(', ')} would override what render passes the ${TASKS_PACKAGE} wheel tasks (Databricks pushes job parameters down); rename ${reserved.length > 1 ? 'them' : 'it'} (reserved: ${RESERVED_PARAMETERS.join(', ')})` });
    }
    for (const task of gated) {
      const gateKey = `${task.task_key}${GATE_TASK_SUFFIX}`;
      if (tasks.some((t) => t.task_key === gateKey)) problems.push({ job: jobKey, task: gateKey, message: `job ${jobKey}: task key ${gateKey} is taken; render names the quality gate of ${task.task_key} so` });
    }
    if (wheelTasks.length === 0 && gated.length === 0) continue;
    const needs = [...gated.map((t) => `${t.task_key} (quality_gate)`), ...wheelTasks.map((t) => t.task_key)].join(', ');
    const environment = (job.environments ?? []).find((e) => e.environment_key === TASKS_ENVIRONMENT);
    if (!environment) {
      problems.push({ job: jobKey, message: `job ${jobKey}: ${needs} run from the ${TASKS_PACKAGE} wheel on Databricks; declare environments: [{environment_key: ${TASKS_ENVIRONMENT}, spec: {environment_version: "2", dependencies: [<path of the wheel>]}}]` });
    } else if (!(environment.spec?.dependencies ?? []).some((d) => basename(d).startsWith(`${TASKS_PACKAGE}-`) && d.endsWith('.whl'))) {
      problems.push({ job: jobKey, message: `job ${jobKey}: environment ${TASKS_ENVIRONMENT} does not install the ${TASKS_PACKAGE} wheel (dependencies: ${JSON.stringify(environment.spec?.dependencies ?? [])}); expected a path to ${TASKS_PACKAGE}-*.whl` });
    }
  }
  return problems;
}

/** Inserts `<task>_quality_gate` after every gated sql_task and points its dependents at the gate. */
function addGateTasks(tasks: WheelTask[]): void {
  for (const task of [...tasks]) {
    const table = task.sql_task?.parameters?.['quality_gate'];
    if (table === undefined) continue;
    const gateKey = `${task.task_key}${GATE_TASK_SUFFIX}`;
    const parameters = { ...task.sql_task?.parameters };
    delete parameters['quality_gate'];
    if (task.sql_task) {
      if (Object.keys(parameters).length > 0) task.sql_task.parameters = parameters;
      else delete task.sql_task.parameters;
    }
    for (const other of tasks) {
      for (const dependency of other.depends_on ?? []) if (dependency.task_key === task.task_key) dependency.task_key = gateKey;
    }
    tasks.splice(tasks.indexOf(task) + 1, 0, {
      task_key: gateKey,
      description: `Data-quality gate on ${table} (databricks/quality): rows failing a drop expectation → quarantine, results → dq_results; a failing fail expectation fails the run.`,
      depends_on: [{ task_key: task.task_key }],
      environment_key: TASKS_ENVIRONMENT,
      python_wheel_task: { package_name: TASKS_PACKAGE, entry_point: 'quality_gate', named_parameters: { table, task: task.task_key } },
    });
  }
}

/** What every entry point is told: where it runs and which catalogs the target maps to. */
function baseParameters(bundle: Bundle, layout: CatalogLayout): Record<string, string> {
  return {
    target: bundle.target,
    run_id: '{{job.run_id}}',
    // Interpolated by the Databricks CLI like the sql_tasks' warehouse_id (a lookup variable).
    warehouse_id: '${var.warehouse_id}',
    ...Object.fromEntries(LAYERS.map((l) => [`${l}_catalog`, layout.catalogs[l]])),
    ops_catalog: layout.ops.catalog,
    ops_schema: layout.ops.schema,
  };
}

/**
 * A wheel on this machine (`dist/x.whl`, `../x-*.whl`, `/abs/x.whl`) that render ships — not a PyPI
 * requirement, a URL (`https://`, `dbfs:/`), a `name @ url` reference or a workspace path
 * (`/Volumes/…`, `/Workspace/…`, `/dbfs/…`), which the workspace resolves itself.
 */
function isLocalPath(dependency: string): boolean {
  return dependency.endsWith('.whl') && !dependency.includes('@') && !/^[a-z][a-z0-9+.-]*:/i.test(dependency) && !/^\/(Volumes|Workspace|dbfs)\//.test(dependency);
}

/** A local wheel path, `*` allowed in the file name; exactly one file must match. */
function resolveWheel(pattern: string, what: string): string {
  const dir = dirname(pattern);
  const name = basename(pattern);
  const re = new RegExp(`^${name.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const matches = existsSync(dir) ? readdirSync(dir).filter((f) => re.test(f)).sort() : [];
  if (matches.length === 0) {
    throw new DeployError('WHEEL_MISSING', `${what}: no wheel matches ${pattern}; build it first: npx nx run databricks-tasks:wheel`);
  }
  if (matches.length > 1) throw new DeployError('BUNDLE_INVALID', `${what}: ${matches.length} wheels match ${pattern} (${matches.join(', ')}); expected one`);
  return join(dir, matches[0] as string);
}
