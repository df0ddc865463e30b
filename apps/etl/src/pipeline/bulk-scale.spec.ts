import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, runJob } from '@odoo-ce/bundle';
import { moveLinesBronzeSql, scoutBronzeSql, scoutGroundTruthSql } from '@odoo-ce/sample-data';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../main.js';
import { loadSuites, qualityGates } from '@odoo-ce/data-quality';

const ROWS = 100_000;
const SEED = 7;

interface Truth {
  delivered_rows: bigint;
  distinct_ids: bigint;
  expected_quarantine_rows: bigint;
  expected_silver_rows: bigint;
  [defect: string]: bigint;
}

describe('bulk SQL generation at 100k rows through the real pipeline', () => {
  let dir: string;
  let wh: Warehouse;
  let truth: Truth;
  const statuses: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulk-sql-'));
    wh = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: dir } });
    await wh.executeScript(moveLinesBronzeSql({ lines: 4_000, seed: SEED }));
    await wh.executeScript(scoutBronzeSql({ rows: ROWS, seed: SEED }));
    truth = (await wh.query<Truth>(scoutGroundTruthSql({ rows: ROWS, seed: SEED }))).rows[0] as Truth;
    const bundle = await loadBundle(join(REPO_ROOT, 'databricks', 'bundles'), { env: {} });
    const afterTask = qualityGates(wh, await loadSuites(join(REPO_ROOT, 'databricks', 'quality')));
    for (const [job, only] of [['bir_etl', ['bronze_to_silver', 'general_ledger']], ['scout_daily_sync', undefined]] as const) {
      const summary = await runJob(wh, bundle, job, { target: 'local', afterTask, ...(only ? { only: [...only] } : {}) });
      statuses.push(summary.status);
    }
  }, 300_000);

  afterAll(async () => {
    await wh?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs both jobs to success', () => {
    expect(statuses).toEqual(['succeeded', 'succeeded']);
  });

  it('delivers the rows the ground truth counts, with every defect kind injected', async () => {
    const [bronze] = (await wh.query<{ rows: bigint; ids: bigint }>('SELECT count(*) AS rows, count(DISTINCT _id) AS ids FROM bronze.scout.transactions')).rows;
    expect(bronze?.rows).toBe(truth.delivered_rows);
    expect(bronze?.ids).toBe(BigInt(ROWS));
    for (const defect of ['null_amount', 'negative_amount', 'absurd_amount', 'unknown_agency', 'missing_date', 'malformed_amount']) {
      expect(truth[defect]).toBeGreaterThan(0n);
    }
    expect(truth.delivered_rows).toBeGreaterThan(BigInt(ROWS)); // duplicates and superseded versions
  });

  it('quarantines exactly the ground truth, and bronze ids = silver + quarantine', async () => {
    const [counts] = (
      await wh.query<{ silver: bigint; quarantine: bigint; bronze_ids: bigint }>(
        `SELECT (SELECT count(*) FROM silver.scout.transactions) AS silver,
                (SELECT count(*) FROM silver.scout.transactions_quarantine) AS quarantine,
                (SELECT count(DISTINCT _id) FROM bronze.scout.transactions) AS bronze_ids`,
      )
    ).rows;
    expect(counts?.quarantine).toBe(truth.expected_quarantine_rows);
    expect(counts?.silver).toBe(truth.expected_silver_rows);
    expect((counts?.silver ?? 0n) + (counts?.quarantine ?? 0n)).toBe(counts?.bronze_ids);
  });

  it('produces balanced gold: every month of the trial balance nets to zero', async () => {
    const rows = (await wh.query<{ period: string; net: unknown }>('SELECT period, sum(debit) - sum(credit) AS net FROM gold.finance.trial_balance GROUP BY period')).rows;
    expect(rows.length).toBe(12);
    for (const row of rows) expect(Number(row.net)).toBe(0);
    const [agencies] = (await wh.query<{ n: bigint }>('SELECT sum(transactions) AS n FROM gold.scout.agency_summary')).rows;
    expect(BigInt(String(agencies?.n))).toBe(truth.expected_silver_rows);
  });
});
