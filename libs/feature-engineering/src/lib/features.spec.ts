/**
 * The feature SQL on both dialects (DuckDB in-process, and the real @databricks/sql driver → the
 * local Databricks SQL endpoint), over small hand-built silver/gold tables with hand-checked values.
 */
import { Warehouse, type DialectName } from '@odoo-ce/warehouse';
import { databricksDialect } from '@odoo-ce/warehouse/databricks';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { startLocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures } from './build.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const TOKEN = 'fe-spec-token';

const HARNESSES: Record<DialectName, () => Promise<{ warehouse: Warehouse; close(): Promise<void> }>> = {
  async duckdb() {
    const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    return { warehouse, close: () => warehouse.close() };
  },
  async databricks() {
    const endpoint = await startLocalEndpoint({ port: 0, token: TOKEN, dataDir: ':memory:', catalogs: CATALOGS, threads: 1 });
    const warehouse = new Warehouse(databricksDialect({ host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, auth: { kind: 'pat', token: TOKEN }, caCertPem: endpoint.certPem }));
    return { warehouse, close: async () => { await warehouse.close(); await endpoint.close(); } };
  },
};

/**
 * RIM: Jan 1,000 professional fees (EWT 10 %) + 1,000 supplies (1 %) from two vendors; no expenses in
 * Feb; Mar 3,000 meals (2 %); Apr 1,500 meals. LAS: Jan only, one vendor.
 */
const SETUP = [
  'CREATE SCHEMA IF NOT EXISTS silver.scout',
  'CREATE SCHEMA IF NOT EXISTS silver.finance',
  'CREATE SCHEMA IF NOT EXISTS gold.finance',
  `CREATE OR REPLACE TABLE silver.scout.transactions AS SELECT * FROM (VALUES
    ('t1', 'RIM', 'Cruz CPA Firm', 'professional_fees', 'audit fee', CAST(1000.00 AS DECIMAL(18, 2)), CAST('2025-01-10' AS DATE)),
    ('t2', 'RIM', 'Office Warehouse', 'supplies', 'office supplies', CAST(1000.00 AS DECIMAL(18, 2)), CAST('2025-01-20' AS DATE)),
    ('t3', 'RIM', 'Jollibee Foods Corp', 'meals', 'team lunch', CAST(3000.00 AS DECIMAL(18, 2)), CAST('2025-03-05' AS DATE)),
    ('t4', 'RIM', 'Jollibee Foods Corp', 'meals', NULL, CAST(1500.00 AS DECIMAL(18, 2)), CAST('2025-04-09' AS DATE)),
    ('t5', 'LAS', 'Globe Telecom', 'utilities', 'monthly internet', CAST(500.00 AS DECIMAL(18, 2)), CAST('2025-01-15' AS DATE))
  ) AS t(id, agency, vendor, category, description, amount, transaction_date)`,
  `CREATE OR REPLACE TABLE silver.finance.move_lines AS SELECT * FROM (VALUES
    (1, CAST('2025-01-31' AS DATE), 'posted', CAST(-120.00 AS DECIMAL(18, 2))),
    (2, CAST('2025-01-31' AS DATE), 'posted', CAST(30.00 AS DECIMAL(18, 2))),
    (3, CAST('2025-02-28' AS DATE), 'draft', CAST(-999.00 AS DECIMAL(18, 2)))
  ) AS t(id, date, parent_state, balance)`,
  `CREATE OR REPLACE TABLE silver.finance.move_line_tags AS SELECT * FROM (VALUES (1, '31B'), (2, '44B'), (3, '31B')) AS t(line_id, tag_name)`,
  `CREATE OR REPLACE TABLE gold.finance.bir_monthly AS SELECT * FROM (VALUES
    ('2025-01', CAST(100.00 AS DECIMAL(18, 2))), ('2025-03', CAST(130.00 AS DECIMAL(18, 2)))
  ) AS t(period, item25_total_taxes_withheld)`,
];

describe.each(Object.keys(HARNESSES) as DialectName[])('feature tables on %s', (dialect) => {
  let harness: Awaited<ReturnType<(typeof HARNESSES)[DialectName]>>;
  let counts: Awaited<ReturnType<typeof buildFeatures>>;
  beforeAll(async () => {
    harness = await HARNESSES[dialect]();
    for (const sql of SETUP) await harness.warehouse.query(sql);
    counts = await buildFeatures(harness.warehouse);
  }, 60_000);
  afterAll(async () => harness?.close());

  const rows = async <R>(sql: string) => (await harness.warehouse.query<R>(sql)).rows;
  const num = (v: unknown) => (v === null ? null : Number(v));

  it('builds one row per series and month on the month spine, and one row per expense', async () => {
    // The month spine is the calendar Jan–Apr although no source has Feb: RIM spans Jan–Apr
    // (4 months × 2 measures), 1601c Jan–Mar (Feb NULL), LAS and VAT Jan only.
    expect(counts.expensePredictionRows).toBe(5);
    const series = await rows<{ series: string; n: bigint | number }>('SELECT series, count(*) AS n FROM gold.ml_features.bir_forecasting GROUP BY series ORDER BY series');
    expect(series.map((r) => [r.series, Number(r.n)])).toEqual([
      ['1601c:withheld', 3],
      ['ewt:LAS', 1],
      ['ewt:RIM', 4],
      ['input_vat:LAS', 1],
      ['input_vat:RIM', 4],
      ['vat:payable', 1],
    ]);
    expect(counts.birForecastingRows).toBe(14);
  });

  it('computes EWT by category rate, lags, prior-month rolling windows and growth (hand-checked)', async () => {
    const ewt = await rows<Record<string, unknown>>(
      "SELECT month, value, value_observed, value_lag_1, value_lag_2, value_lag_3, value_roll3_sum, value_roll3_mean, value_roll3_std, value_mom_growth, quarter, is_quarter_end, effective_withholding_rate, vendor_concentration FROM gold.ml_features.bir_forecasting WHERE series = 'ewt:RIM' ORDER BY month",
    );
    // Jan: 1000 × 10 % + 1000 × 1 % = 110; Feb: no source has Feb, still on the spine as a true
    // zero (Scout); Mar: 3000 × 2 % = 60; Apr: 1500 × 2 % = 30.
    expect(ewt.map((r) => [r['month'], num(r['value']), num(r['value_observed'])])).toEqual([['2025-01', 110, 1], ['2025-02', 0, 0], ['2025-03', 60, 1], ['2025-04', 30, 1]]);
    const apr = ewt[3] as Record<string, unknown>;
    // Row lags land on the calendar month: Apr's lag 2 is Feb (0), lag 3 is Jan (110).
    expect([num(apr['value_lag_1']), num(apr['value_lag_2']), num(apr['value_lag_3'])]).toEqual([60, 0, 110]);
    expect(num(apr['value_roll3_sum'])).toBe(170);
    expect(num(apr['value_roll3_mean'])).toBeCloseTo(170 / 3, 9);
    const m = 170 / 3;
    expect(num(apr['value_roll3_std'])).toBeCloseTo(Math.sqrt(((110 - m) ** 2 + (0 - m) ** 2 + (60 - m) ** 2) / 2), 9);
    expect(num(apr['value_mom_growth'])).toBeCloseTo(30 / 60 - 1, 12);
    expect(num((ewt[0] as Record<string, unknown>)['value_roll3_std'])).toBeNull();
    expect(num((ewt[2] as Record<string, unknown>)['quarter'])).toBe(1);
    expect(num((ewt[2] as Record<string, unknown>)['is_quarter_end'])).toBe(1);
    // Jan effective withholding rate 110 / 2000; vendor concentration (HHI) 0.5² + 0.5².
    expect(num((ewt[0] as Record<string, unknown>)['effective_withholding_rate'])).toBeCloseTo(0.055, 12);
    expect(num((ewt[0] as Record<string, unknown>)['vendor_concentration'])).toBeCloseTo(0.5, 12);
  });

  it('keeps company gaps NULL (value_observed 0) and computes VAT payable from posted lines', async () => {
    const withheld = await rows<{ month: string; value: unknown; value_observed: unknown }>("SELECT month, value, value_observed FROM gold.ml_features.bir_forecasting WHERE series = '1601c:withheld' ORDER BY month");
    expect(withheld.map((r) => [r.month, num(r.value), num(r.value_observed)])).toEqual([['2025-01', 100, 1], ['2025-02', null, 0], ['2025-03', 130, 1]]);
    const vat = await rows<{ month: string; value: unknown }>("SELECT month, value FROM gold.ml_features.bir_forecasting WHERE series = 'vat:payable'");
    // Output VAT 120 (credit) − input VAT 30; the draft line is ignored.
    expect(vat.map((r) => [r.month, num(r.value)])).toEqual([['2025-01', 90]]);
  });

  it('computes per-expense features: log amount, bucket, vendor aggregates, days since previous, category share', async () => {
    const t4 = (await rows<Record<string, unknown>>("SELECT * FROM gold.ml_features.expense_prediction WHERE id = 't4'"))[0] as Record<string, unknown>;
    expect(t4['description']).toBe('');
    expect(num(t4['log_amount'])).toBeCloseTo(Math.log(1500), 12);
    expect(num(t4['amount_bucket'])).toBe(3);
    expect(num(t4['vendor_amount_count'])).toBe(2);
    expect(num(t4['vendor_amount_mean'])).toBe(2250);
    expect(num(t4['days_since_vendor_previous'])).toBe(35);
    expect(num(t4['category_share'])).toBe(1);
    expect(num(t4['effective_withholding_rate'])).toBeCloseTo(0.02, 12);
    expect(num(t4['vat_ratio'])).toBeCloseTo(12 / 112, 12);
    const t1 = (await rows<Record<string, unknown>>("SELECT * FROM gold.ml_features.expense_prediction WHERE id = 't1'"))[0] as Record<string, unknown>;
    expect(num(t1['category_share'])).toBe(0.5);
    expect(num(t1['days_since_vendor_previous'])).toBeNull();
  });
});
