import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { errorMessage, type Logger } from '@odoo-ce/common';
import { compiledQuery, openWarehouse, type QueryResult, type Warehouse } from '@odoo-ce/warehouse';
import { CliExit, type CliContext } from '../context.js';
import { formatTable, rowsToJson } from '../format.js';
import { DEMO_JOBS, runDemoPipeline, type DemoResult, type PipelineProgress } from '../pipeline/demo-pipeline.js';
import { TaskListProgress } from '../progress.js';
import { writeReport } from '../report/index.js';
import { parsePositiveInt } from './query.js';

const SILVER_TABLES = ['finance.partners', 'finance.moves', 'finance.move_lines', 'finance.payslips', 'finance.payslip_lines', 'scout.transactions', 'scout.transactions_quarantine'];
const GOLD_TABLES = ['finance.bir_monthly', 'finance.bir_quarterly', 'finance.month_end_close', 'finance.trial_balance', 'finance.ap_aging', 'finance.executive_dashboard', 'scout.agency_summary', 'scout.vendor_analysis', 'scout.category_monthly'];

/**
 * `etl demo` — the whole platform on the local target: generate → ingest → every job with its
 * quality gates → a summary; then the gold 1601-C figures are read back through the real
 * Databricks SQL driver (via the local endpoint) and compared with the embedded engine's.
 */
export function registerDemoCommand(program: Command, ctx: CliContext, repoRoot: string): void {
  program
    .command('demo')
    .description('run the whole pipeline on the local target: sample data → bronze → silver → gold, with data-quality gates; prints a summary')
    .option('--data-dir <dir>', 'DuckDB data directory (default: .data/demo)')
    .option('--scale <n>', 'distinct Scout transactions to generate (default 20000)', parsePositiveInt('--scale'), 20_000)
    .option('--seed <n>', 'seed of the sample-data generator (default 42)', parsePositiveInt('--seed'), 42)
    .option('--skip-endpoint-check', 'do not read the results back through the Databricks driver')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { dataDir?: string; scale: number; seed: number; skipEndpointCheck?: boolean; json?: boolean }) => {
      const dataDir = opts.dataDir ?? join(ctx.cwd, '.data', 'demo');
      const config = ctx.loadConfig({ target: 'local', dataDir });
      // On a terminal a task list shows progress and only warnings are logged (above the list).
      const tty = ctx.progressStream && !opts.json ? new TaskListProgress(DEMO_STEPS, { stream: ctx.progressStream }) : undefined;
      const log = ctx.logger(tty ? { ...config, log: { ...config.log, level: 'warn' } } : config, { job: 'demo' });
      const progress = tty ?? logProgress(log);
      const started = performance.now();
      const warehouse = await openWarehouse(config.target);
      let result: DemoResult;
      let summary: DemoSummary;
      let step: 'report' | 'endpoint' | undefined; // the pipeline reports its own steps
      try {
        result = await runDemoPipeline({
          warehouse,
          repoRoot,
          exportDir: join(dataDir, 'exports', `seed-${opts.seed}-scale-${opts.scale}`),
          seed: opts.seed,
          scale: opts.scale,
          logger: log,
          progress,
        });
        progress.start((step = 'report'));
        summary = await summarize(warehouse, result, dataDir);
        summary.report = await writeReport(warehouse, {
          out: join(dataDir, 'report.html'),
          runInfo: {
            target: 'local',
            warehouse: `DuckDB · ${dataDir}`,
            label: `demo · seed ${opts.seed} · ${opts.scale} Scout transactions`,
            runIds: result.runs.map((r) => r.runId),
            stepDurationsMs: result.durationsMs,
          },
          onProblems: (problems) => log.warn({ event: 'report.problems', problems }),
        });
        progress.finish('report', summary.report);
        const failed = result.runs.find((r) => r.status !== 'succeeded');
        if (!failed && !opts.skipEndpointCheck) {
          progress.start((step = 'endpoint'));
          summary.endpoint_check = await compareThroughEndpoint(dataDir, config.target.layout);
          progress.finish('endpoint', `${summary.endpoint_check.rows} rows, ${summary.endpoint_check.identical ? 'identical' : 'DIFFERENT'}`);
        }
      } catch (error) {
        if (step) progress.fail(step, error);
        throw error;
      } finally {
        await warehouse.close();
        await tty?.close();
      }
      const failed = result.runs.find((r) => r.status !== 'succeeded');
      summary.duration_ms = Math.round(performance.now() - started);
      ctx.print(opts.json ? rowsToJson([summary]).slice(1, -1) : render(summary));
      if (failed) throw new CliExit(`job ${failed.job} ${failed.status}: ${failed.error ?? ''}`);
      if (!summary.quarantine_matches_ground_truth) throw new CliExit('quarantined rows differ from the ground truth (see above)');
      if (summary.endpoint_check && !summary.endpoint_check.identical) throw new CliExit('the Databricks driver read different gold rows than DuckDB (see above)');
    });
}

/** The task list of `etl demo`: the pipeline's steps, then the report and the driver check. */
const DEMO_STEPS = [
  { key: 'generate', title: 'Generate sample data (Odoo, payroll, Scout)' },
  { key: 'ingest', title: 'Ingest the exports into bronze' },
  ...DEMO_JOBS.map((job) => ({ key: `job ${job}`, title: `Run job ${job}` })),
  { key: 'report', title: 'Summarize and write the HTML report' },
  { key: 'endpoint', title: 'Read gold back through the Databricks SQL driver' },
];

/** Progress as structured log lines (no terminal): one per step start and end. */
function logProgress(log: Logger): PipelineProgress {
  return {
    start: (step) => log.info({ event: 'demo.step', step, phase: 'started' }),
    finish: (step, detail) => log.info({ event: 'demo.step', step, phase: 'finished', ...(detail ? { detail } : {}) }),
    fail: (step, error) => log.error({ event: 'demo.step', step, phase: 'failed', error: errorMessage(error) }),
    event: () => undefined, // the runner logs its own events
  };
}

interface DemoSummary {
  data_dir: string;
  seed: number;
  scale: number;
  rows: Record<string, number>;
  jobs: { job: string; status: string; tasks: number; duration_ms: number }[];
  quality: { table: string; source_rows: number; silver_rows: number; quarantined_rows: number; invariant_holds: boolean; top_reasons: { reason: string; rows: number }[] }[];
  expected_quarantine_rows: number;
  quarantine_matches_ground_truth: boolean;
  bir_1601c_latest: Record<string, unknown> | null;
  bir_2550q_latest: Record<string, unknown> | null;
  step_durations_ms: Readonly<Record<string, number>>;
  endpoint_check?: { identical: boolean; rows: number; via: string };
  report?: string;
  duration_ms?: number;
}

async function count(warehouse: Warehouse, layer: 'bronze' | 'silver' | 'gold', name: string): Promise<number | undefined> {
  const [schema, table] = name.split('.') as [string, string];
  try {
    const { rows } = await warehouse.query<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${warehouse.adapter.quoteQualified([warehouse.layout.catalogs[layer], schema, table])}`);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return undefined;
  }
}

async function summarize(warehouse: Warehouse, result: DemoResult, dataDir: string): Promise<DemoSummary> {
  const rows: Record<string, number> = {};
  for (const table of [...new Set(result.ingested.map((r) => r.table))]) {
    const n = await count(warehouse, 'bronze', table.split('.').slice(1).join('.'));
    if (n !== undefined) rows[table] = n;
  }
  for (const [layer, tables] of [['silver', SILVER_TABLES], ['gold', GOLD_TABLES]] as const) {
    for (const table of tables) {
      const n = await count(warehouse, layer, table);
      if (n !== undefined) rows[`${layer}.${table}`] = n;
    }
  }
  const quality: DemoSummary['quality'] = [];
  for (const gate of result.gates) {
    if (gate.kind !== 'split') continue;
    const r = gate.result;
    const [layer, schema, table] = gate.quarantine.split('.') as ['silver', string, string];
    const quarantine = warehouse.adapter.quoteQualified([warehouse.layout.catalogs[layer], schema, table]);
    const reasons = (
      // The quarantine keeps every run's rows (`_dq_run_id`): report this run's.
      await warehouse.query<{ reason: unknown; n: bigint | number }>(
        compiledQuery(
          `SELECT CAST(_dq_failed AS ${warehouse.adapter.typeName('string')}) AS reason, count(*) AS n FROM ${quarantine} WHERE _dq_run_id = :run GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5`,
          { run: r.runId },
        ),
      )
    ).rows;
    quality.push({
      table: gate.table,
      source_rows: r.sourceRows,
      silver_rows: r.targetRows,
      quarantined_rows: r.quarantinedRows,
      invariant_holds: r.invariantHolds,
      top_reasons: reasons.map((x) => ({ reason: String(x.reason), rows: Number(x.n) })),
    });
  }
  const latest = async (table: string) => {
    const q = await warehouse.query<Record<string, unknown>>(`SELECT * FROM ${warehouse.adapter.quoteQualified([warehouse.layout.catalogs.gold, 'finance', table])} ORDER BY period DESC LIMIT 1`).catch(() => undefined);
    return q?.rows[0] ?? null;
  };
  const quarantined = quality.find((q) => q.table === 'silver.scout.transactions_candidates')?.quarantined_rows ?? -1;
  return {
    data_dir: dataDir,
    seed: result.manifest.seed,
    scale: result.manifest.scale,
    rows,
    jobs: result.runs.map((r) => ({ job: r.job, status: r.status, tasks: r.tasks.length, duration_ms: r.endedAt.getTime() - r.startedAt.getTime() })),
    quality,
    expected_quarantine_rows: result.manifest.scout.expected_quarantine_rows,
    quarantine_matches_ground_truth: quarantined === result.manifest.scout.expected_quarantine_rows,
    bir_1601c_latest: await latest('bir_monthly'),
    bir_2550q_latest: await latest('bir_quarterly'),
    step_durations_ms: result.durationsMs,
  };
}

/** Reads gold.finance.bir_monthly through the local endpoint with the real @databricks/sql driver. */
async function compareThroughEndpoint(dataDir: string, layout: Warehouse['layout']): Promise<{ identical: boolean; rows: number; via: string }> {
  const sql = 'SELECT * FROM {{catalog.gold}}.finance.bir_monthly ORDER BY period';
  const local = await openWarehouse({ layout, warehouse: { engine: 'duckdb', dataDir } });
  let viaDuckDb: QueryResult;
  try {
    viaDuckDb = await local.query(local.render(sql));
  } finally {
    await local.close();
  }
  const { startLocalEndpoint } = await import('@odoo-ce/warehouse/endpoint');
  const token = randomBytes(18).toString('base64url');
  const endpoint = await startLocalEndpoint({ port: 0, token, dataDir });
  let remote: Warehouse | undefined;
  try {
    remote = await openWarehouse({
      layout,
      warehouse: { engine: 'databricks', host: `${endpoint.host}:${endpoint.port}`, httpPath: endpoint.httpPath, auth: { kind: 'pat', token }, caCertFile: endpoint.certFile },
    });
    const viaDatabricks = await remote.query(remote.render(sql));
    return { identical: isDeepStrictEqual(viaDuckDb.rows, viaDatabricks.rows), rows: viaDatabricks.rows.length, via: `https://${endpoint.host}:${endpoint.port}${endpoint.httpPath}` };
  } finally {
    await remote?.close();
    await endpoint.close();
  }
}

const php = (v: unknown) => (v === null || v === undefined ? '—' : `₱${Number(v).toLocaleString('en-PH', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

function render(s: DemoSummary): string {
  const lines: string[] = [];
  lines.push(`odoo-ce data platform — demo (seed ${s.seed}, ${s.scale.toLocaleString('en-US')} Scout transactions)`, '');
  lines.push('Rows per layer:');
  lines.push(formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }], Object.entries(s.rows).map(([table, rows]) => ({ table, rows })), 70), '');
  lines.push('Jobs:');
  lines.push(formatTable([{ name: 'job', type: 'VARCHAR' }, { name: 'status', type: 'VARCHAR' }, { name: 'tasks', type: 'INT' }, { name: 'duration_ms', type: 'INT' }], s.jobs), '');
  lines.push('Data quality (bronze = silver + quarantine):');
  for (const q of s.quality) {
    lines.push(`  ${q.table}: ${q.source_rows} rows → ${q.silver_rows} passed, ${q.quarantined_rows} quarantined; invariant ${q.invariant_holds ? 'holds' : 'BROKEN'}`);
    for (const r of q.top_reasons) lines.push(`    ${String(r.rows).padStart(6)} × ${r.reason}`);
  }
  lines.push(`  ground truth: ${s.expected_quarantine_rows} defective transactions injected → ${s.quarantine_matches_ground_truth ? 'all quarantined, none else' : 'MISMATCH'}`, '');
  const m = s.bir_1601c_latest;
  if (m) {
    lines.push(`BIR 1601-C ${String(m['period'])} (due ${String(m['due_date'])}): compensation ${php(m['item14_total_compensation'])}, taxable ${php(m['item22_total_taxable'])}, ` +
      `tax required ${php(m['tax_required'])}, withheld ${php(m['item25_total_taxes_withheld'])}, variance ${php(m['variance'])}`);
  }
  const q = s.bir_2550q_latest;
  if (q) {
    lines.push(`BIR 2550Q ${String(q['period'])} (due ${String(q['due_date'])}): vatable sales ${php(q['line31_vatable_sales'])}, output VAT ${php(q['line31_output_vat'])}, ` +
      `allowable input ${php(q['line60_allowable_input_tax'])}, net VAT payable ${php(q['line61_net_vat_payable'])}`);
  }
  if (s.endpoint_check) lines.push('', `Databricks SQL driver via ${s.endpoint_check.via}: ${s.endpoint_check.rows} gold rows, ${s.endpoint_check.identical ? 'identical to DuckDB' : 'DIFFERENT from DuckDB'}`);
  lines.push('', `Data: ${s.data_dir} (one .duckdb file per catalog). Try: npx etl query --data-dir ${s.data_dir} "select * from gold.finance.bir_monthly"`);
  if (s.duration_ms !== undefined) lines.push(`Done in ${(s.duration_ms / 1000).toFixed(1)} s.`);
  if (s.report) lines.push('', `Report: ${s.report} (open it in a browser; it works offline)`);
  return lines.join('\n');
}
