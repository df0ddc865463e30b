/**
 * Pipeline benchmark: N Scout transactions + N/10 GL lines generated in bronze by the bulk SQL of
 * `@odoo-ce/sample-data`, then
 *
 *  (x) the platform — the bundle's jobs `bir_etl` (its ledger part: `bronze_to_silver`,
 *      `general_ledger`) and `scout_daily_sync` through `runJob` with the data-quality gates
 *      (the silver split into `silver.scout.transactions` + quarantine), as `etl run` does;
 *  (floor) one minimal hand-written DuckDB script producing the same gold tables
 *      (`gold.scout.agency_summary`, `gold.scout.category_monthly`, `gold.finance.trial_balance`)
 *      and the same silver/quarantine split, into `sandbox.floor`;
 *
 * on the same data files in the same run, each side in its own child process (separate peak RSS).
 * The parent checks both sides' gold tables are identical and the quarantine equals the ground truth.
 * Goals: (x) ≤ 1.5× the floor in wall time, peak RSS < 2 GB. A script: it reports, never asserts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadBundle, runJob } from '@odoo-ce/bundle';
import { loadSuites, qualityGates } from '@odoo-ce/data-quality';
import { moveLinesBronzeSql, scoutBronzeSql, scoutGroundTruthSql } from '@odoo-ce/sample-data';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { formatLoad, median } from './stats.js';

/** Options of {@link runPipelineBenchmark}; the defaults are the documented run. */
export interface PipelineBenchmarkOptions {
  /** Distinct Scout transactions (default 10,000,000); GL lines are a tenth of it. */
  readonly rows?: number;
  /** Runs of each side, interleaved (default 1). */
  readonly repetitions?: number;
  readonly seed?: number;
  /** DuckDB `memory_limit` of the extra bounded platform run (default `1GB`). */
  readonly memoryLimit?: string;
}

type Side = 'platform' | 'floor';

/** What a child process reports: the work's wall time (after start-up) and its peak RSS. */
interface ChildReport {
  readonly side: Side;
  /** Seconds of the pipeline work itself, measured in the child. */
  readonly work: number;
  /** Seconds from spawn to exit, measured by the parent (adds Node/tsx start-up and module loading). */
  process: number;
  /** Peak resident set size of the child, bytes. */
  readonly maxRss: number;
  readonly detail?: string;
}

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TIN = '^[0-9]{3}-[0-9]{3}-[0-9]{3}(-([0-9]{3}|[0-9]{5}))?$';
const AGENCIES = "'RIM', 'CKVC', 'BOM', 'JPAL', 'JLI', 'JAP', 'LAS', 'RMQB'";

/** The floor: a minimal hand-written DuckDB script, same outputs as the platform's jobs. */
export const FLOOR_SQL = `
CREATE SCHEMA IF NOT EXISTS sandbox.floor;
CREATE OR REPLACE TABLE sandbox.floor.candidates AS
SELECT *,
  amount IS NOT NULL AND amount BETWEEN 0.01 AND 5000000
  AND transaction_date IS NOT NULL AND transaction_date BETWEEN DATE '2015-01-01' AND DATE '2099-12-31'
  AND agency IN (${AGENCIES})
  AND (vendor_tin IS NULL OR regexp_matches(vendor_tin, '${TIN}')) AS ok
FROM (
  SELECT
    _id AS id,
    upper(trim(json_extract_string(raw, '$.agency'))) AS agency,
    trim(json_extract_string(raw, '$.vendor')) AS vendor,
    json_extract_string(raw, '$.vendor_tin') AS vendor_tin,
    json_extract_string(raw, '$.category') AS category,
    TRY_CAST(json_extract_string(raw, '$.amount') AS DECIMAL(18, 2)) AS amount,
    json_extract_string(raw, '$.amount') AS amount_raw,
    TRY_CAST(json_extract_string(raw, '$.transaction_date') AS DATE) AS transaction_date
  FROM (SELECT _id, arg_max(_raw, _version) AS raw FROM bronze.scout.transactions GROUP BY _id)
);
CREATE OR REPLACE TABLE sandbox.floor.transactions AS SELECT * EXCLUDE (ok) FROM sandbox.floor.candidates WHERE ok;
CREATE OR REPLACE TABLE sandbox.floor.transactions_quarantine AS SELECT * EXCLUDE (ok) FROM sandbox.floor.candidates WHERE NOT ok;
DROP TABLE sandbox.floor.candidates;
CREATE OR REPLACE TABLE sandbox.floor.agency_summary AS
SELECT agency, strftime(transaction_date, '%Y-%m') AS period, count(*) AS transactions, count(DISTINCT vendor) AS vendors,
       sum(amount) AS total_php, CAST(round(avg(amount), 2) AS DECIMAL(18, 2)) AS average_php
FROM sandbox.floor.transactions GROUP BY ALL;
CREATE OR REPLACE TABLE sandbox.floor.category_monthly AS
SELECT strftime(transaction_date, '%Y-%m') AS period, agency, category, count(*) AS transactions, sum(amount) AS total_php,
       CAST(round(avg(amount), 2) AS DECIMAL(18, 2)) AS average_php, max(amount) AS largest_php
FROM sandbox.floor.transactions GROUP BY ALL;
CREATE OR REPLACE TABLE sandbox.floor.trial_balance AS
WITH lines AS (
  SELECT TRY_CAST(json_extract_string(raw, '$.date') AS DATE) AS date, json_extract_string(raw, '$.parent_state') AS state,
         TRY_CAST(json_extract_string(raw, '$.account_id[0]') AS BIGINT) AS account_id,
         CAST(json_extract_string(raw, '$.debit') AS DECIMAL(18, 2)) AS debit, CAST(json_extract_string(raw, '$.credit') AS DECIMAL(18, 2)) AS credit,
         CAST(json_extract_string(raw, '$.balance') AS DECIMAL(18, 2)) AS balance
  FROM (SELECT _id, arg_max(_raw, _version) AS raw FROM bronze.odoo.account_move_line GROUP BY _id)
),
accounts AS (
  SELECT CAST(_id AS BIGINT) AS id, json_extract_string(raw, '$.code') AS code, json_extract_string(raw, '$.name') AS name,
         json_extract_string(raw, '$.account_type') AS account_type
  FROM (SELECT _id, arg_max(_raw, _version) AS raw FROM bronze.odoo.account_account GROUP BY _id)
)
SELECT strftime(l.date, '%Y-%m') AS period, a.code AS account_code, a.name AS account_name, a.account_type, count(*) AS lines,
       sum(l.debit) AS debit, sum(l.credit) AS credit, sum(l.balance) AS balance
FROM lines AS l JOIN accounts AS a ON a.id = l.account_id
WHERE l.state = 'posted'
GROUP BY ALL;
`;

async function open(dataDir: string, memoryLimit?: string): Promise<Warehouse> {
  return openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir, ...(memoryLimit ? { memoryLimit } : {}) } });
}


/** One side's work in this (child) process; returns a JSON line for the parent. */
async function childMain(side: Side, dataDir: string, memoryLimit?: string): Promise<void> {
  const started = performance.now();
  const warehouse = await open(dataDir, memoryLimit);
  let detail = '';
  try {
    if (side === 'floor') {
      await warehouse.executeScript(FLOOR_SQL);
    } else {
      // The same bundle runner and quality gates `etl run` uses.
      const bundle = await loadBundle(join(REPO, 'databricks', 'bundles'), { env: {} });
      const afterTask = qualityGates(warehouse, await loadSuites(join(REPO, 'databricks', 'quality')));
      const statuses: string[] = [];
      for (const [job, only] of [['bir_etl', ['bronze_to_silver', 'general_ledger']], ['scout_daily_sync', undefined]] as const) {
        const summary = await runJob(warehouse, bundle, job, { target: 'bench', afterTask, ...(only ? { only: [...only] } : {}) });
        statuses.push(`${job}: ${summary.status} (${summary.tasks.filter((t) => t.startedAt && t.endedAt).map((t) => `${t.taskKey} ${(((t.endedAt as Date).getTime() - (t.startedAt as Date).getTime()) / 1000).toFixed(1)} s`).join(', ')})`);
      }
      detail = statuses.join('; ');
    }
  } finally {
    await warehouse.close();
  }
  const work = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ side, work, maxRss: process.resourceUsage().maxRSS * 1024, detail })}\n`);
}

function runChild(side: Side, dataDir: string, memoryLimit?: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@odoo-ce/source', fileURLToPath(import.meta.url), '--child', side, dataDir, ...(memoryLimit ? [memoryLimit] : [])], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      // The report is the last line with "maxRss" (the runner may log warnings on stdout before it).
      const line = out.trim().split('\n').filter((l) => l.includes('"maxRss"')).pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`${side} child exited with ${code}: ${out.slice(-2000)}`));
      const report = JSON.parse(line) as ChildReport;
      report.process = (performance.now() - started) / 1000;
      resolve(report);
    });
  });
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

const s = (x: number) => `${x.toFixed(1)} s`;
const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GB`;

/**
 * Runs the benchmark and returns a markdown section for docs/benchmarks.md.
 *
 * @example
 * process.stdout.write(await runPipelineBenchmark({ rows: 1_000_000 }));
 */
export async function runPipelineBenchmark(options: PipelineBenchmarkOptions = {}): Promise<string> {
  const rows = options.rows ?? 10_000_000;
  const glLines = Math.max(4, Math.floor(rows / 10 / 4) * 4);
  const reps = options.repetitions ?? 1;
  const seed = options.seed ?? 42;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-pipeline-'));
  const loadBefore = loadavg();
  try {
    let warehouse = await open(dataDir);
    const genStart = performance.now();
    await warehouse.executeScript(scoutBronzeSql({ rows, seed }));
    await warehouse.executeScript(moveLinesBronzeSql({ lines: glLines, seed }));
    const generation = (performance.now() - genStart) / 1000;
    const truth = (await warehouse.query<Record<string, bigint>>(scoutGroundTruthSql({ rows, seed }))).rows[0] as Record<string, bigint>;
    const threads = String(((await warehouse.query<{ t: unknown }>(`SELECT current_setting('threads') AS t`)).rows[0] as { t: unknown }).t);
    const version = String(((await warehouse.query<{ v: unknown }>('SELECT version() AS v')).rows[0] as { v: unknown }).v);
    await warehouse.close();
    const bronzeBytes = dirBytes(dataDir);

    const results: Record<Side, ChildReport[]> = { platform: [], floor: [] };
    for (let r = 0; r < reps; r++) {
      const order: Side[] = r % 2 === 0 ? ['floor', 'platform'] : ['platform', 'floor'];
      for (const side of order) {
        process.stderr.write(`  ${side} run ${r + 1}/${reps}…\n`);
        results[side].push(await runChild(side, dataDir));
      }
    }

    const memoryLimit = options.memoryLimit ?? '1GB';
    process.stderr.write(`  platform with memory_limit ${memoryLimit}…\n`);
    const bounded = await runChild('platform', dataDir, memoryLimit);

    warehouse = await open(dataDir);
    const one = async (sql: string): Promise<bigint> => BigInt(String(Object.values((await warehouse.query(sql)).rows[0] ?? {})[0]));
    const diff = async (a: string, b: string): Promise<bigint> =>
      (await one(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT SELECT * FROM ${b})`)) + (await one(`SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT SELECT * FROM ${a})`));
    const checks = {
      // The quarantine keeps every run's rows (the platform ran more than once here): count ids.
      quarantine: await one('SELECT count(DISTINCT id) FROM silver.scout.transactions_quarantine'),
      floorQuarantine: await one('SELECT count(*) FROM sandbox.floor.transactions_quarantine'),
      silver: await one('SELECT count(*) FROM silver.scout.transactions'),
      bronzeIds: await one('SELECT count(DISTINCT _id) FROM bronze.scout.transactions'),
      bronzeRows: await one('SELECT count(*) FROM bronze.scout.transactions'),
      agency: await diff('gold.scout.agency_summary', 'sandbox.floor.agency_summary'),
      category: await diff('gold.scout.category_monthly', 'sandbox.floor.category_monthly'),
      trial: await diff('gold.finance.trial_balance', 'sandbox.floor.trial_balance'),
    };
    await warehouse.close();

    const x = { work: median(results.platform.map((c) => c.work)), process: median(results.platform.map((c) => c.process)), rss: Math.max(...results.platform.map((c) => c.maxRss)) };
    const f = { work: median(results.floor.map((c) => c.work)), process: median(results.floor.map((c) => c.process)), rss: Math.max(...results.floor.map((c) => c.maxRss)) };
    const ratio = x.work / f.work;
    const expected = truth['expected_quarantine_rows'] ?? -1n;
    const same = checks.agency === 0n && checks.category === 0n && checks.trial === 0n;
    const loadAfter = loadavg();
    const size = rows === 10_000_000 ? 'the full size' : `**reduced size** (default 10,000,000; \`--rows ${rows}\`)`;
    return [
      '## Pipeline',
      '',
      `\`tools/bench/src/pipeline.ts\` (\`npm run bench -- pipeline [--rows N] [--reps N]\`), run on ${new Date().toISOString().slice(0, 10)} at ${size}: ` +
        `${rows.toLocaleString('en-US')} Scout transactions (${checks.bronzeRows.toLocaleString('en-US')} bronze rows with duplicates and superseded versions) + ` +
        `${glLines.toLocaleString('en-US')} GL lines, generated in bronze by \`scoutBronzeSql\` / \`moveLinesBronzeSql\` (\`@odoo-ce/sample-data\`) in ${s(generation)}; ` +
        `bronze files ${gb(bronzeBytes)}.`,
      '',
      `- **Machine:** ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${gb(totalmem())} RAM, Node ${process.version}, ${version} (${threads} threads); ` +
        `load average ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after — shared machine, absolute times are noisy.`,
      `- **Method:** each side runs in its own child process on the same DuckDB files (one per catalog, on disk), ${reps} run(s) each, interleaved; ` +
        'the median is reported. "work" is measured inside the child from opening the warehouse to closing it; "process" adds Node + tsx start-up ' +
        'and module loading, measured by the parent. Peak RSS is the child\'s `process.resourceUsage().maxRSS`.',
      '- **(x) platform:** `runJob` on the real bundle (`databricks/bundles`) — `bir_etl` with `only: [bronze_to_silver, general_ledger]` ' +
        '(every silver.finance table, incl. tags, moves and the empty payroll/partner tables), then `scout_daily_sync` (candidates → the silver quality gate ' +
        '`split()` with all `databricks/quality/silver.yml` expectations, reasons and `dq_results` → vendor analysis, category and agency gold), ops run records included.',
      '- **(floor):** one hand-written DuckDB script (`FLOOR_SQL`): latest version by `arg_max`, the same drop rules as one boolean, ' +
        'silver + quarantine, `agency_summary`, `category_monthly`, `trial_balance` (into `sandbox.floor`).',
      '',
      '| side | work | process | ratio to floor (work) | ratio to floor (process) | peak RSS |',
      '|---|---:|---:|---:|---:|---:|',
      `| (floor) hand-written script | ${s(f.work)} | ${s(f.process)} | 1.00× | 1.00× | ${gb(f.rss)} |`,
      `| (x) platform jobs + quality gate | ${s(x.work)} | ${s(x.process)} | ${ratio.toFixed(2)}× | ${(x.process / f.process).toFixed(2)}× | ${gb(x.rss)} |`,
      `| (x′) the same, DuckDB \`memory_limit\` ${memoryLimit} (last, 1 run) | ${s(bounded.work)} | ${s(bounded.process)} | ${(bounded.work / f.work).toFixed(2)}× | ${(bounded.process / f.process).toFixed(2)}× | ${gb(bounded.maxRss)} |`,
      '',
      `Platform tasks (last run): ${results.platform.at(-1)?.detail ?? ''}.`,
      '',
      `Checks: quarantine ${checks.quarantine.toLocaleString('en-US')} rows, ground truth \`expected_quarantine_rows\` ${expected.toLocaleString('en-US')} ` +
        `(${checks.quarantine === expected ? 'equal' : '**differs**'}; floor ${checks.floorQuarantine.toLocaleString('en-US')}); ` +
        `bronze distinct ids ${checks.bronzeIds.toLocaleString('en-US')} = silver ${checks.silver.toLocaleString('en-US')} + quarantine ` +
        `(${checks.silver + checks.quarantine === checks.bronzeIds ? 'holds' : '**broken**'}); gold tables of both sides ${same ? 'identical' : `**differ** (rows not in both: agency ${checks.agency}, category ${checks.category}, trial balance ${checks.trial})`}.`,
      '',
      `Goals: (x) ≤ 1.5× the floor — **${ratio <= 1.5 ? 'met' : 'not met'}** (${ratio.toFixed(2)}× in work time); ` +
        `peak RSS < 2 GB — **${x.rss < 2 * 1024 ** 3 ? 'met' : 'not met'}** with DuckDB's default memory limit (${gb(x.rss)}; DuckDB caches up to 80% of RAM, ` +
        `the floor too: ${gb(f.rss)}), **${bounded.maxRss < 2 * 1024 ** 3 ? 'met' : 'not met'}** with \`memory_limit\` ${memoryLimit} (${gb(bounded.maxRss)}, ${(bounded.work / f.work).toFixed(2)}× the unbounded floor). ` +
        'The platform reads the limit from the warehouse config (`memoryLimit`).',
    ].join('\n') + '\n';
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const entry = process.argv[1];
if (process.argv[2] === '--child' && entry && import.meta.url === pathToFileURL(entry).href) {
  await childMain(process.argv[3] as Side, process.argv[4] as string, process.argv[5]);
}
