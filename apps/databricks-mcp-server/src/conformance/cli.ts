/**
 * `nx run databricks-mcp-server:conformance [-- --json-out <file>] [--suite active|all] [--keep]` —
 * runs `@modelcontextprotocol/conformance` (0.1.12, server suite) against this server over HTTP.
 *
 * The suite cannot send a bearer token, so the server runs in-process with `--insecure-no-auth`
 * semantics (loopback only, one fixed principal) on a seeded temp target. Scenarios that exercise
 * capabilities we do not declare (prompts, resources, completion, sampling, elicitation…) or the
 * "everything" server's fixture tools are listed in `conformance-baseline.yml`; the suite itself
 * fails on a new failure and on a stale baseline entry. Writes `{"passed": n, "failed": n}` (checks)
 * to `--json-out` for CI's summary.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../open.js';
import { buildServer } from '../server.js';
import { openFixture } from '../testing/fixture.js';
import { startHttpServer } from '../transports/http.js';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
const BASELINE = join(PROJECT, 'conformance-baseline.yml');
const CONFORMANCE = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

interface Args {
  readonly jsonOut?: string;
  readonly suite: string;
  readonly keep: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let jsonOut: string | undefined;
  let suite = 'active';
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json-out') jsonOut = argv[++i];
    else if (arg === '--suite') suite = argv[++i] ?? 'active';
    else if (arg === '--keep') keep = true;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; expected --json-out <file>, --suite active|all, --keep`);
  }
  if (jsonOut === '') throw new Error('--json-out expects a file path');
  return { ...(jsonOut ? { jsonOut } : {}), suite, keep };
}

/** Counts check outcomes in every `checks.json` the suite wrote. */
function countChecks(dir: string): { passed: number; failed: number; scenarios: Record<string, { passed: number; failed: number }> } {
  const scenarios: Record<string, { passed: number; failed: number }> = {};
  let passed = 0;
  let failed = 0;
  for (const entry of readdirSync(dir)) {
    const file = join(dir, entry, 'checks.json');
    if (!existsSync(file)) continue;
    const checks = JSON.parse(readFileSync(file, 'utf8')) as { status?: string }[];
    const name = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    const s = (scenarios[name] ??= { passed: 0, failed: 0 });
    for (const c of checks) {
      if (c.status === 'SUCCESS') {
        s.passed++;
        passed++;
      } else if (c.status === 'FAILURE') {
        s.failed++;
        failed++;
      }
    }
  }
  return { passed, failed, scenarios };
}

/** Scenario names listed under `server:` in the baseline file. */
function baselineScenarios(): Set<string> {
  const names = readFileSync(BASELINE, 'utf8')
    .split('\n')
    .map((line) => /^\s+-\s+([a-z0-9-]+)\s*$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return new Set(names);
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const fx = await openFixture();
  const out = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
  const http = await startHttpServer({ port: 0, unauthenticatedPrincipal: 'odoo-ce-mcp', build: (p) => buildServer(fx.ctx, p), logger: fx.ctx.logger });
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [CONFORMANCE, 'server', '--url', http.url, '--suite', args.suite, '--expected-failures', BASELINE, '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c ?? 1));
    });
    const counts = countChecks(out);
    const expected = baselineScenarios();
    const failing = Object.entries(counts.scenarios).filter(([, c]) => c.failed > 0).map(([name]) => name);
    const unexpected = failing.filter((name) => !expected.has(name));
    const stale = [...expected].filter((name) => counts.scenarios[name] && counts.scenarios[name].failed === 0);
    // Passed = checks that passed; failed = checks of scenarios failing outside the baseline, plus
    // stale baseline entries (a scenario the baseline says fails but that passes now).
    const failed = unexpected.reduce((n, name) => n + (counts.scenarios[name]?.failed ?? 0), 0) + stale.length + (code !== 0 && unexpected.length + stale.length === 0 ? 1 : 0);
    process.stdout.write(
      `conformance: ${counts.passed} checks passed; ${counts.failed - failed} expected failures (baseline); ${failed} unexpected` +
        `${unexpected.length ? ` (new failures: ${unexpected.join(', ')})` : ''}${stale.length ? ` (stale baseline entries: ${stale.join(', ')})` : ''}\n`,
    );
    if (args.jsonOut) writeFileSync(args.jsonOut, `${JSON.stringify({ passed: counts.passed, failed })}\n`);
    return code === 0 && failed === 0 ? 0 : 1;
  } finally {
    await http.close();
    await fx.close();
    if (!args.keep) rmSync(out, { recursive: true, force: true });
    else process.stdout.write(`results kept in ${out}\n`);
  }
}

process.exitCode = await run(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  return 2;
});
