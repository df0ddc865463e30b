/**
 * Registry, job steps, batch scoring and serving on both dialects (DuckDB, and the real
 * @databricks/sql driver → the local endpoint), over small hand-built feature tables.
 */
import { Warehouse, type DialectName } from '@odoo-ce/warehouse';
import { databricksDialect } from '@odoo-ce/warehouse/databricks';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { startLocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearModelCache, forecastSeries, predict, scoreTransaction } from '../serving/serve.js';
import { scoreBatch } from '../serving/score-batch.js';
import { evaluateRun, promoteRun, trainRun } from '../training/train.js';
import { listModelVersions, loadModelVersion, promoteIfBetter, recordEvaluation, registerModel } from './registry.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const TOKEN = 'ml-spec-token';

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

/** 30 months of a seasonal series (a) and 5 of a short one (b); 40 meals expenses of one vendor + a spike. */
function setupSql(): string[] {
  const months: string[] = [];
  for (let i = 0; i < 30; i++) {
    const month = `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    months.push(`('a', '${month}', ${(100 + i + (i % 12 === 11 ? 50 : 0) + (i % 3)).toFixed(1)})`);
  }
  for (let i = 0; i < 5; i++) months.push(`('b', '2025-0${i + 1}', ${10 + i}.0)`);
  const expenses: string[] = [];
  for (let i = 0; i < 40; i++) expenses.push(`('e${String(i).padStart(2, '0')}', 'RIM', 'Jollibee', 'meals', 'team lunch', CAST(${800 + ((i * 37) % 90)}.00 AS DECIMAL(18, 2)), CAST('2025-01-${String((i % 28) + 1).padStart(2, '0')}' AS DATE))`);
  for (let i = 0; i < 20; i++) expenses.push(`('g${String(i).padStart(2, '0')}', 'RIM', 'Grab', 'transport', 'taxi fare', CAST(${400 + ((i * 13) % 50)}.00 AS DECIMAL(18, 2)), CAST('2025-01-${String((i % 28) + 1).padStart(2, '0')}' AS DATE))`);
  expenses.push(`('zz-spike', 'RIM', 'Jollibee', 'meals', 'team lunch', CAST(25000.00 AS DECIMAL(18, 2)), CAST('2025-01-15' AS DATE))`);
  return [
    'CREATE SCHEMA IF NOT EXISTS gold.ml_features',
    `CREATE OR REPLACE TABLE gold.ml_features.bir_forecasting AS SELECT * FROM (VALUES ${months.join(', ')}) AS t(series, month, value)`,
    `CREATE OR REPLACE TABLE gold.ml_features.expense_prediction AS SELECT * FROM (VALUES ${expenses.join(', ')}) AS t(id, agency, vendor, category, description, amount, transaction_date)`,
  ];
}

describe.each(Object.keys(HARNESSES) as DialectName[])('registry and serving on %s', (dialect) => {
  let harness: Awaited<ReturnType<(typeof HARNESSES)[DialectName]>>;
  beforeAll(async () => {
    harness = await HARNESSES[dialect]();
    for (const sql of setupSql()) await harness.warehouse.query(sql);
  }, 60_000);
  afterAll(async () => harness?.close());

  it('answers NO_MODEL before anything is registered', async () => {
    await expect(forecastSeries(harness.warehouse, { series: 'a', months: 1 })).rejects.toMatchObject({ code: 'NO_MODEL' });
  });

  it('trains, evaluates, promotes and scores; serves from production', async () => {
    const w = harness.warehouse;
    const versions = await trainRun(w, { runId: 'run-1', seed: 3 });
    expect(versions).toEqual({ forecast: 1, classifier: 1, anomaly: 1 });
    const evaluation = await evaluateRun(w, { runId: 'run-1', seed: 3 });
    expect(evaluation.forecast.backtested).toBe(1);
    expect((await listModelVersions(w, 'bir_monthly_forecast'))[0]?.stage).toBe('staging');
    const decisions = await promoteRun(w, 'run-1');
    expect(decisions.map((d) => [d.name, d.promoted])).toEqual([['bir_monthly_forecast', true], ['expense_classifier', true], ['expense_anomaly', true]]);
    const batch = await scoreBatch(w, { months: 4 });
    expect(batch).toMatchObject({ forecastRows: 8, anomalyRows: 1, scoredTransactions: 61 });
    const flagged = (await w.query<{ transaction_id: string; reasons: string }>('SELECT transaction_id, reasons FROM platinum.predictions.expense_anomalies')).rows;
    expect(flagged.map((r) => r.transaction_id)).toEqual(['zz-spike']);
    const short = await forecastSeries(w, { series: 'b', months: 2 });
    expect(short).toMatchObject({ series: 'b', model_version: 1, method: 'exponential_smoothing' });
    expect(short.notes[0]).toMatch(/5 months of history: shorter than one season/);
    const again = await scoreTransaction(w, { agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: '800.00', date: '2025-01-03' });
    expect(again.reasons).toEqual(['possible duplicate of e00 (same vendor and amount, 2 day(s) apart)']);
    expect(await predict(w, 'expense_classifier', { vendor: 'Grab', description: 'taxi', amount: 420 })).toMatchObject({ category: 'transport', model_version: 1 });
  }, 60_000);

  it('promotes only a strictly better version; keeps the others in staging with the reason', async () => {
    const w = harness.warehouse;
    const register = async (value: number) => {
      const version = await registerModel(w, { name: 'toy', params: {}, metrics: {}, trainingRunId: `r${value}`, artifact: { value }, promotionMetric: 'mae' });
      return version;
    };
    const v1 = await register(5);
    expect((await promoteIfBetter(w, 'toy', v1, { name: 'mae', higherIsBetter: false })).reason).toBe('version 1 has not been evaluated (no mae); run the evaluate step first');
    await recordEvaluation(w, 'toy', v1, { mae: 5 }, 5);
    expect(await promoteIfBetter(w, 'toy', v1, { name: 'mae', higherIsBetter: false })).toMatchObject({ promoted: true, reason: 'no production version yet; mae 5' });
    const v2 = await register(6);
    await recordEvaluation(w, 'toy', v2, {}, 6);
    expect(await promoteIfBetter(w, 'toy', v2, { name: 'mae', higherIsBetter: false })).toMatchObject({ promoted: false, reason: 'mae 6 does not beat production v1 (5); v2 stays in staging' });
    const v3 = await register(4);
    await recordEvaluation(w, 'toy', v3, {}, 4);
    expect(await promoteIfBetter(w, 'toy', v3, { name: 'mae', higherIsBetter: false })).toMatchObject({ promoted: true, previous: 1 });
    expect((await listModelVersions(w, 'toy')).map((v) => [v.version, v.stage])).toEqual([[3, 'production'], [2, 'staging'], [1, 'none']]);
    expect((await loadModelVersion<{ value: number }>(w, 'toy')).artifact).toEqual({ value: 4 });
    clearModelCache(w);
  });
});
