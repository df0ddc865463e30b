import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { errorMessage, waitForStopSignal } from '@odoo-ce/common';
import { loadTokens } from './auth.js';
import type { GrantsSource } from './catalog-access.js';
import { openServerContext, type OpenedContext } from './open.js';
import { parseRateLimit } from './rate-limit.js';
import { buildServer, SERVER_VERSION } from './server.js';
import { startHttpServer } from './transports/http.js';
import { serveStdio } from './transports/stdio.js';

interface CliOptions {
  readonly transport: 'stdio' | 'http';
  readonly host: string;
  readonly port: number;
  readonly target?: string;
  readonly principal: string;
  readonly dataDir?: string;
  readonly grants?: GrantsSource;
  readonly policyDir?: string;
  readonly bundleDir?: string;
  readonly maxRows?: number;
  readonly timeoutMs?: number;
  readonly rateLimit: string;
  readonly jobPrincipals?: string[];
  readonly allowedHosts?: string[];
  readonly insecureNoAuth?: boolean;
}

/** What main needs from the process; tests pass their own. */
export interface MainIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: (text: string) => void;
  readonly stdout: (text: string) => void;
  /** Resolves when the process should stop (default: SIGINT/SIGTERM). */
  readonly stopSignal?: Promise<void>;
  /** Told the HTTP server's URL once it listens (tests, the conformance runner). */
  readonly onListening?: (url: string) => void;
}

const positiveInt = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${flag} expects a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
};
const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export function buildProgram(stderr: (text: string) => void, stdout: (text: string) => void): Command {
  return new Command('databricks-mcp-server')
    .description('MCP server for AI agents: governed read-only SQL, catalog browsing, bundle jobs, forecasts and data-quality results on an odoo-ce target')
    .version(SERVER_VERSION)
    .configureOutput({ writeErr: stderr, writeOut: stdout })
    .exitOverride()
    .addOption(new Option('--transport <kind>', 'stdio (one client, principal from --principal) or http (Streamable HTTP, bearer tokens)').choices(['stdio', 'http']).default('stdio'))
    .option('--host <host>', 'HTTP: interface to bind; loopback keeps DNS-rebinding protection', '127.0.0.1')
    .option('--port <n>', 'HTTP: port (0 = any free port)', positiveInt('--port'), 8808)
    .option('-t, --target <target>', 'platform target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--principal <name>', 'stdio: the caller, a principal of databricks/catalog/principals.yml', 'odoo-ce-mcp')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .addOption(new Option('--grants <source>', 'where grants come from (default on DuckDB: the <ops>.grants table if it exists, else the policy files; on Databricks: unity-catalog)').choices(['ops', 'policy', 'unity-catalog']))
    .option('--policy-dir <dir>', 'the policy files (default: databricks/catalog)')
    .option('--bundle-dir <dir>', 'the bundle with the jobs (default: databricks/bundles)')
    .option('--max-rows <n>', 'rows per execute_sql page (default 100)', positiveInt('--max-rows'))
    .option('--timeout-ms <n>', 'default statement timeout in ms (default 30000)', positiveInt('--timeout-ms'))
    .option('--rate-limit <rate>', 'calls per principal, e.g. 120/min,burst=20', '120/min,burst=30')
    .option('--job-principals <names>', 'principals allowed to call run_job and get_run, comma-separated (default: nobody; jobs write tables)', list)
    .option('--allowed-hosts <names>', 'HTTP: Host header values accepted when binding a non-loopback interface', list)
    .option('--insecure-no-auth', 'HTTP on loopback only: no bearer token, every session is --principal (protocol tests only)')
    .addHelpText(
      'after',
      '\nEnvironment: MCP_TOKENS=\'{"<token>":"<principal>"}\' or MCP_TOKENS_FILE=<json file> (HTTP), plus the etl target settings ' +
        '(ETL_TARGET, ETL_DATA_DIR, DATABRICKS_HOST, DATABRICKS_HTTP_PATH, DATABRICKS_TOKEN, LOG_LEVEL). Logs and the audit trail go to stderr.\n',
    );
}

/**
 * Runs the server until the client disconnects (stdio) or a signal arrives (http). Returns the
 * exit code; configuration mistakes print one line `error: …` — never a stack trace.
 */
export async function main(argv: readonly string[], io: MainIo = defaultIo()): Promise<number> {
  const program = buildProgram(io.stderr, io.stdout);
  let opts: CliOptions;
  try {
    program.parse([...argv], { from: 'user' });
    opts = program.opts<CliOptions>();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  let ctx: OpenedContext | undefined;
  try {
    const rateLimit = parseRateLimit(opts.rateLimit);
    const tokens = opts.transport === 'http' && !opts.insecureNoAuth ? loadTokens(io.env) : undefined;
    ctx = await openServerContext({
      env: io.env,
      ...(opts.target !== undefined ? { target: opts.target } : {}),
      ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      ...(opts.grants !== undefined ? { grants: opts.grants } : {}),
      ...(opts.policyDir !== undefined ? { policyDir: opts.policyDir } : {}),
      ...(opts.bundleDir !== undefined ? { bundleDir: opts.bundleDir } : {}),
      limits: { ...(opts.maxRows ? { maxRows: opts.maxRows } : {}), ...(opts.timeoutMs ? { defaultTimeoutMs: opts.timeoutMs } : {}) },
      rateLimit,
    });
    const context = ctx;
    const principals = opts.transport === 'stdio' || opts.insecureNoAuth ? [opts.principal] : (tokens?.principals() ?? []);
    for (const p of principals) {
      if (!(await context.access.knows(p))) throw new Error(`principal ${JSON.stringify(p)} is not declared in the policy (databricks/catalog/principals.yml)`);
    }
    const build = (principal: string) => buildServer(context, principal, { ...(opts.jobPrincipals ? { jobPrincipals: opts.jobPrincipals } : {}) });
    context.logger.info({ event: 'mcp.started', transport: opts.transport, grants: context.grantsSource, principals: principals.length }, 'server started');
    if (opts.transport === 'stdio') {
      const server = build(opts.principal);
      await Promise.race([serveStdio(server), io.stopSignal ?? waitForStopSignal()]);
      // After a signal: close the transport too, so stdin is released and the process can exit.
      await server.close().catch(() => undefined);
      return 0;
    }
    const http = await startHttpServer({
      host: opts.host,
      port: opts.port,
      build,
      logger: context.logger,
      ...(tokens ? { tokens } : {}),
      ...(opts.insecureNoAuth ? { unauthenticatedPrincipal: opts.principal } : {}),
      ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
    });
    io.stderr(`${JSON.stringify({ url: http.url, transport: 'http' })}\n`);
    io.onListening?.(http.url);
    await (io.stopSignal ?? waitForStopSignal());
    await http.close();
    return 0;
  } catch (error) {
    io.stderr(`error: ${errorMessage(error)}\n`);
    if (io.env['DEBUG'] && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}

function defaultIo(): MainIo {
  return { env: process.env, stderr: (t) => void process.stderr.write(t), stdout: (t) => void process.stdout.write(t) };
}

