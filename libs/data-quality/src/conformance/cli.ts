/**
 * `nx run data-quality:conformance` — runs GX's own test definitions (../shared/conformance/gx)
 * against this engine on each dialect, prints pass/fail per expectation type and the totals, and
 * exits 1 below 97% of applicable cases. The last line is exactly `N passed, N failed`.
 *
 *   --cases <dir>          case folder (default: <workspace root>/../shared/conformance/gx)
 *   --dialects <list>      comma-separated: duckdb, databricks (default: both; databricks runs through
 *                          the local Databricks SQL endpoint when @odoo-ce/warehouse/endpoint is available)
 *   --json                 print {"total","applicable","passed","failed":[{"type","title","reason"}]}
 *   --json-out <file>      also write {"passed","failed"} counts to <file> (for CI)
 */
import { existsSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEFAULT_LAYOUT, layoutCatalogNames, openWarehouse, type DialectName } from '@odoo-ce/warehouse';
import { loadConformanceCases } from './cases.js';
import { ENGINE_IDENTITIES, runConformance, summarize, type ConformanceEngine, type EngineReport } from './run-conformance.js';

/** The pass threshold: a share of applicable cases. */
export const PASS_THRESHOLD = 0.97;

function workspaceRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** DuckDB in memory, one thread (the machine is shared). */
export function duckDbEngine(): ConformanceEngine {
  return {
    name: 'duckdb',
    identities: ENGINE_IDENTITIES.duckdb,
    async open() {
      const warehouse = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: ':memory:', threads: 1 } });
      return { warehouse, close: () => warehouse.close() };
    },
  };
}

/** The Databricks dialect through the real `@databricks/sql` client and the local endpoint (backed by DuckDB files in a temp dir). */
export function databricksEndpointEngine(): ConformanceEngine {
  return {
    name: 'databricks',
    identities: ENGINE_IDENTITIES.databricks,
    async open() {
      const dataDir = mkdtempSync(join(tmpdir(), 'dq-conformance-'));
      const token = randomBytes(18).toString('base64url');
      const endpointModule = '@odoo-ce/warehouse/endpoint';
      const { startLocalEndpoint } = (await import(endpointModule)) as {
        startLocalEndpoint(o: { port: number; token: string; dataDir: string; catalogs: readonly string[]; threads?: number }): Promise<{ host: string; port: number; httpPath: string; certFile: string; close(): Promise<void> }>;
      };
      const endpoint = await startLocalEndpoint({ port: 0, token, dataDir, catalogs: layoutCatalogNames(DEFAULT_LAYOUT), threads: 1 });
      try {
        const warehouse = await openWarehouse({
          layout: DEFAULT_LAYOUT,
          warehouse: { engine: 'databricks', host: `${endpoint.host}:${endpoint.port}`, httpPath: endpoint.httpPath, auth: { kind: 'pat', token }, caCertFile: endpoint.certFile },
        });
        return {
          warehouse,
          async close() {
            await warehouse.close();
            await endpoint.close();
            rmSync(dataDir, { recursive: true, force: true });
          },
        };
      } catch (error) {
        await endpoint.close();
        throw error;
      }
    },
  };
}

const ENGINES: Record<DialectName, () => ConformanceEngine> = { duckdb: duckDbEngine, databricks: databricksEndpointEngine };

/** True when the Databricks driver and the local Databricks SQL endpoint exist in this checkout. */
export function endpointAvailable(root: string): boolean {
  return ['endpoint', 'databricks'].every((dir) => existsSync(join(root, 'libs', 'warehouse', 'src', dir, 'index.ts')));
}

function parseArgs(argv: readonly string[]): { cases?: string; dialects?: string[]; json: boolean; jsonOut?: string } {
  const out: { cases?: string; dialects?: string[]; json: boolean; jsonOut?: string } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') out.json = true;
    else if (arg === '--cases') out.cases = argv[++i];
    else if (arg === '--dialects') out.dialects = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--json-out') out.jsonOut = argv[++i];
    else throw new Error(`unknown option ${arg}; expected --cases <dir>, --dialects duckdb,databricks, --json, --json-out <file>`);
  }
  return out;
}

function formatReport(report: EngineReport): string {
  const lines = [`== ${report.engine}: ${report.passed}/${report.applicable} applicable cases passed (${report.total} total, ${report.total - report.applicable} not applicable)`];
  for (const [type, t] of Object.entries(report.byType)) {
    lines.push(`  ${t.failed === 0 ? 'PASS' : 'FAIL'} ${type.padEnd(58)} ${String(t.passed).padStart(3)} passed ${String(t.failed).padStart(3)} failed ${String(t.skipped).padStart(3)} skipped`);
  }
  for (const f of report.failed) lines.push(`  - ${f.type} / ${f.title}: ${f.reason}`);
  return lines.join('\n');
}

/** Runs the conformance CLI; returns the exit code. */
export async function main(argv: readonly string[], print: (text: string) => void = (t) => void process.stdout.write(`${t}\n`)): Promise<number> {
  const args = parseArgs(argv);
  const root = workspaceRoot(import.meta.dirname);
  const casesDir = resolve(args.cases ?? join(root, '..', 'shared', 'conformance', 'gx'));
  const files = await loadConformanceCases(casesDir);
  const requested = (args.dialects ?? ['duckdb', 'databricks']) as DialectName[];
  const reports: EngineReport[] = [];
  const notes: string[] = [];
  for (const dialect of requested) {
    const factory = ENGINES[dialect];
    if (!factory) throw new Error(`unknown dialect "${dialect}"; expected duckdb or databricks`);
    if (dialect === 'databricks' && !endpointAvailable(root)) {
      if (args.dialects) throw new Error('--dialects databricks needs @odoo-ce/warehouse/databricks and @odoo-ce/warehouse/endpoint, which this checkout does not have yet');
      notes.push('databricks: skipped — @odoo-ce/warehouse/databricks or @odoo-ce/warehouse/endpoint is not available in this checkout');
      continue;
    }
    reports.push(await runConformance(files, factory()));
  }
  const summary = summarize(reports);
  const ok = summary.applicable > 0 && reports.every((r) => r.passed >= PASS_THRESHOLD * r.applicable);
  // For CI: the counts in the `{passed, failed}` shape .ci/run adds to its closing line.
  if (args.jsonOut) writeFileSync(args.jsonOut, JSON.stringify({ passed: summary.passed, failed: summary.failed.length }));
  if (args.json) {
    print(
      JSON.stringify({
        total: summary.total,
        applicable: summary.applicable,
        passed: summary.passed,
        failed: summary.failed.map((f) => ({ type: f.type, title: f.title, reason: f.reason, dialect: f.engine })),
        dialects: Object.fromEntries(reports.map((r) => [r.engine, { total: r.total, applicable: r.applicable, passed: r.passed, failed: r.failed.length }])),
        ...(notes.length ? { notes } : {}),
      }),
    );
  } else {
    for (const r of reports) print(formatReport(r));
    for (const n of notes) print(n);
    print(`${summary.passed} passed, ${summary.failed.length} failed`);
  }
  return ok ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
