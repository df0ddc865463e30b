import { readFileSync } from 'node:fs';
import { runJob, type Bundle } from '@odoo-ce/bundle';
import { DQ_RESULTS_TABLE, loadSuites, qualityGates } from '@odoo-ce/data-quality';
import { opsTable, type Warehouse } from '@odoo-ce/warehouse';

export interface SmokeResult {
  readonly target: string;
  readonly job: string;
  readonly runId: string;
  readonly jobStatus: string;
  readonly goldTables: readonly { readonly table: string; readonly rows: number }[];
  readonly dq: { readonly runId: string | null; readonly expectations: number; readonly failed: readonly string[] };
  readonly ok: boolean;
  /** Why not ok, one line each. */
  readonly problems: readonly string[];
}

const GOLD_TABLE = /CREATE\s+OR\s+REPLACE\s+TABLE\s+\{\{\s*catalog\.gold\s*\}\}\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)/gi;

/** The gold tables a job's SQL tasks (re)create: `CREATE OR REPLACE TABLE {{catalog.gold}}.<schema>.<table>`. */
export function goldTablesOf(bundle: Bundle, job: string): string[] {
  const tables = new Set<string>();
  for (const task of bundle.jobs[job]?.tasks ?? []) {
    const file = task.sql?.file?.localPath;
    if (!file) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(GOLD_TABLE)) tables.add(`${m[1]}.${m[2]}`.toLowerCase());
  }
  return [...tables].sort();
}

/**
 * The post-deploy smoke test: runs one small job of the bundle on the target's warehouse (its SQL
 * tasks in dependency order, with the data-quality gates), then checks that every gold table the
 * job writes has rows and that the most recent data-quality run has no failed `fail` expectation.
 * Read-only apart from what the job itself writes (jobs are idempotent).
 */
export async function smoke(warehouse: Warehouse, bundle: Bundle, job: string, qualityDir: string, target: string): Promise<SmokeResult> {
  const problems: string[] = [];
  const suites = await loadSuites(qualityDir);
  const summary = await runJob(warehouse, bundle, job, { target, afterTask: qualityGates(warehouse, suites) });
  if (summary.status !== 'succeeded') {
    problems.push(`job ${job} ${summary.status}: ${summary.error ?? summary.tasks.filter((t) => t.status === 'failed').map((t) => t.taskKey).join(', ')}`);
  }
  const goldTables: { table: string; rows: number }[] = [];
  for (const table of goldTablesOf(bundle, job)) {
    const [schema, name] = table.split('.') as [string, string];
    const quoted = warehouse.adapter.quoteQualified([warehouse.layout.catalogs.gold, schema, name]);
    try {
      const { rows } = await warehouse.query(`SELECT count(*) AS n FROM ${quoted}`);
      const n = Number(rows[0]?.['n'] ?? 0);
      goldTables.push({ table: `${warehouse.layout.catalogs.gold}.${table}`, rows: n });
      if (n === 0) problems.push(`gold table ${warehouse.layout.catalogs.gold}.${table} is empty`);
    } catch (error) {
      problems.push(`gold table ${warehouse.layout.catalogs.gold}.${table} cannot be read: ${(error as Error).message}`);
    }
  }
  if (goldTables.length === 0 && problems.length === 0) problems.push(`job ${job} writes no gold table; pick a job that does (--job)`);
  const dq = await lastDqRun(warehouse);
  if (dq.runId === null) problems.push(`no data-quality results in ${opsTable(warehouse, DQ_RESULTS_TABLE)}`);
  else if (dq.failed.length > 0) problems.push(`the last data-quality run ${dq.runId} failed: ${dq.failed.join(', ')}`);
  return { target, job, runId: summary.runId, jobStatus: summary.status, goldTables, dq, ok: problems.length === 0, problems };
}

/** The most recent run in `<ops>.dq_results` and its failed `fail` expectations. */
async function lastDqRun(warehouse: Warehouse): Promise<SmokeResult['dq']> {
  const table = opsTable(warehouse, DQ_RESULTS_TABLE);
  const { catalog, schema } = warehouse.layout.ops;
  const exists = await warehouse.query({
    sql: 'SELECT count(*) AS n FROM system.information_schema.tables WHERE table_catalog = :c AND table_schema = :s AND table_name = :t',
    parameters: { c: catalog, s: schema, t: DQ_RESULTS_TABLE },
  });
  if (Number(exists.rows[0]?.['n'] ?? 0) === 0) return { runId: null, expectations: 0, failed: [] };
  const latestRows = await warehouse.query(`SELECT run_id FROM ${table} ORDER BY run_time DESC LIMIT 1`);
  const latest = latestRows.rows[0] ? String(latestRows.rows[0]['run_id']) : null;
  const { rows } = await warehouse.query({ sql: `SELECT table_name, expectation_name, action, success FROM ${table} WHERE run_id = :run_id`, parameters: { run_id: latest } });
  const failed = rows.filter((r) => r['action'] === 'fail' && r['success'] === false).map((r) => `${String(r['table_name'])}.${String(r['expectation_name'])}`);
  return { runId: latest, expectations: rows.length, failed };
}
