/**
 * The ML quality bars of issue #6 on the sample data (36 months of Scout history for 8 agencies with
 * injected amount spikes and duplicate payments, plus one year of Odoo), end to end on DuckDB:
 * `etl run ml_training` (features → train → evaluate → promote → score), then the registry, the
 * predictions tables and the serving API. Numbers are measured, not hard-coded. The bars: forecast
 * Hyndman MASE < 1 (the "MASE < 1": rolling-origin errors scaled by the in-sample one-step
 * seasonal-naive MAE of each training window) and mean MAE relative to the seasonal-naive forecast
 * from the same origins < 1; anomaly precision and recall ≥ 0.8. Seed 7 is the seed the anomaly
 * thresholds were set on; seed 5 was never used for tuning the anomaly thresholds and is the harder
 * seed for the forecasts (docs/ml.md has both seeds and four more).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, runJob } from '@odoo-ce/bundle';
import type { GroundTruth } from '@odoo-ce/sample-data';
import { forecastSeries, listModelVersions, loadModelVersion, MlError, mlTaskHandlers, scoreTransaction, type ForecastArtifact, type RunEvaluation } from '@odoo-ce/ml';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContext } from '../context.js';
import { main, REPO_ROOT } from '../main.js';
import { prepareMlData } from './ml-data.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];

async function etl(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, defaultContext({ env: { LOG_LEVEL: 'warn' }, cwd: tmpdir(), print: (t) => void out.push(t) }), (t) => void err.push(t));
  return { code, stdout: out.join('\n'), stderr: err.join('') };
}

/** Precision and recall of platinum.predictions.expense_anomalies against the injected spikes and duplicates. */
async function anomalyPrecisionRecall(warehouse: Warehouse, manifest: GroundTruth) {
  const truth = manifest.scout_history;
  const injected = new Set([...(truth?.amount_spikes ?? []), ...(truth?.duplicate_payments ?? []).map((d) => d.id)]);
  const flagged = (await warehouse.query<{ transaction_id: string }>('SELECT transaction_id FROM platinum.predictions.expense_anomalies')).rows;
  const hits = flagged.filter((f) => injected.has(f.transaction_id)).length;
  return { precision: flagged.length ? hits / flagged.length : 0, recall: injected.size ? hits / injected.size : 0, injected: injected.size, flagged: flagged.length };
}

/**
 * Every row of platinum.predictions.bir_monthly_forecast must be finite with lower ≤ point ≤ upper,
 * and ≥ 0 for the tax series (all of them are non-negative amounts except vat:payable).
 */
async function forecastRowViolations(warehouse: Warehouse) {
  const rows = (await warehouse.query<{ series: string; month: string; point: number; lower: number; upper: number }>('SELECT series, month, point, lower, upper FROM platinum.predictions.bir_monthly_forecast')).rows;
  const violations = rows.filter((r) => ![r.point, r.lower, r.upper].every(Number.isFinite) || !(r.lower <= r.point && r.point <= r.upper) || (!r.series.startsWith('vat:') && r.lower < 0));
  return { rows: rows.length, violations };
}

describe('ml_training on the sample data (DuckDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-quality-'));
  const dataDir = join(dir, 'data');
  const warehouse = new Warehouse(duckDbDialect({ dataDir, catalogs: CATALOGS }));
  let manifest: GroundTruth;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    ({ manifest } = await prepareMlData({ warehouse, repoRoot: REPO_ROOT, exportDir: join(dir, 'exports'), seed: 7, scale: 15_000 }));
    run = await etl(['run', 'ml_training', '--target', 'local', '--data-dir', dataDir, '--json']);
  }, 180_000);
  afterAll(async () => warehouse.close());

  const evaluation = async (name: string) => (await listModelVersions(warehouse, name)).find((v) => v.version === 1)?.metrics['evaluation'];

  it('runs features → train → evaluate → promote → score through `etl run`', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { status: string; tasks: { taskKey: string; status: string }[] };
    expect(summary.tasks.map((t) => [t.taskKey, t.status])).toEqual(['features', 'train', 'evaluate', 'promote', 'score', 'forecast_function'].map((k) => [k, 'succeeded']));
  });

  it('publishes the forecasts through gold.ml_features.get_bir_forecast(horizon_months): the first N months of every series, as scored', async () => {
    const viaFunction = (await warehouse.query<{ series: string; month: string; horizon: number; point: number }>('SELECT series, month, horizon, point FROM gold.ml_features.get_bir_forecast(3) ORDER BY series, month')).rows;
    const scored = (await warehouse.query<{ series: string; month: string; point: number }>('SELECT series, month, point FROM platinum.predictions.bir_monthly_forecast ORDER BY series, month')).rows;
    const bySeries = new Map<string, typeof scored>();
    for (const r of scored) bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), r]);
    const firstThree = [...bySeries.values()].flatMap((rows) => rows.slice(0, 3).map((r, i) => ({ ...r, horizon: i + 1 })));
    expect(viaFunction.length).toBe(18 * 3);
    expect(viaFunction).toEqual(firstThree);
  });

  it('forecasts: Hyndman MASE < 1 and mean MAE relative to seasonal naive from the same origins < 1', async () => {
    const forecast = (await evaluation('bir_monthly_forecast')) as RunEvaluation['forecast'];
    // 16 agency series (ewt, input_vat × 8 agencies) have 36 months; the Odoo series have 12 (fallback, no backtest).
    expect(forecast.backtested).toBe(16);
    expect(forecast.mean_mase).toBeGreaterThan(0);
    expect(forecast.mean_mase).toBeLessThan(1);
    expect(forecast.mean_relative_mae).toBeLessThan(1);
    expect(forecast.per_series['1601c:withheld']?.method).toBe('seasonal_naive');
    expect(forecast.per_series['1601c:withheld']?.notes.join(' ')).toMatch(/12 months of history: Holt-Winters needs 24/);
    // The 16 agency series cover the same months, so they share seasonal indexes — unless the F test
    // finds a series' own pattern different (p < 0.01), which its notes then say.
    const agencySeries = Object.values(forecast.per_series).filter((s) => s.observations === 36);
    const shared = agencySeries.filter((s) => s.method === 'seasonal_regression');
    expect(shared.length).toBeGreaterThan(agencySeries.length / 2);
    for (const s of shared) expect(s.notes.join(' ')).toMatch(/seasonal indexes shared by 16 related series/);
    for (const s of agencySeries.filter((a) => a.method !== 'seasonal_regression')) {
      expect([s.method, s.notes.join(' ')]).toEqual(['holt_winters', expect.stringMatching(/own seasonal pattern differs from the one shared by 16 related series \(F test p = .* < 0\.01\)/)]);
    }
  });

  it('finds the injected anomalies with precision and recall ≥ 0.8', async () => {
    const truth = manifest.scout_history;
    const { precision, recall, injected } = await anomalyPrecisionRecall(warehouse, manifest);
    expect(injected).toBeGreaterThan(50);
    expect(precision).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    const flagged = (await warehouse.query<{ transaction_id: string; score: number; reasons: string }>('SELECT transaction_id, score, reasons FROM platinum.predictions.expense_anomalies')).rows;
    const duplicate = truth?.duplicate_payments[0];
    expect(flagged.find((f) => f.transaction_id === duplicate?.id)?.reasons).toContain(`possible duplicate of ${duplicate?.original_id}`);
    for (const f of flagged) expect(f.score >= 0 && f.score <= 1 && f.reasons.length > 0).toBe(true);
  });

  it('reports classifier metrics on the held-out split (accuracy, macro-F1, confusion matrix)', async () => {
    const c = (await evaluation('expense_classifier')) as RunEvaluation['classifier'];
    expect(c.examples).toBeGreaterThan(2_000);
    expect(c.confusion.labels).toEqual(['meals', 'professional_fees', 'software', 'supplies', 'transport', 'travel', 'utilities']);
    expect(c.accuracy).toBeGreaterThan(c.majority_baseline_accuracy);
    expect(c.macroF1).toBeGreaterThan(0.9);
  });

  it('writes finite forecasts for every series and month (no NaN, lower ≤ point ≤ upper)', async () => {
    expect(await forecastRowViolations(warehouse)).toEqual({ rows: 18 * 12, violations: [] });
  });

  it('serves forecasts and transaction scores from the production versions', async () => {
    const f = await forecastSeries(warehouse, { series: 'ewt:RIM', months: 3 });
    expect(f).toMatchObject({ series: 'ewt:RIM', model_version: 1, method: 'seasonal_regression' });
    expect(f.points.map((p) => p.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    await expect(forecastSeries(warehouse, { series: 'ewt:NOPE', months: 3 })).rejects.toMatchObject({ code: 'UNKNOWN_SERIES' });
    const normal = await scoreTransaction(warehouse, { agency: 'RIM', vendor: 'Jollibee Foods Corp', category: 'meals', amount: '850.00', date: '2025-06-10' });
    expect(normal.reasons).toEqual([]);
    const spike = await scoreTransaction(warehouse, { agency: 'RIM', vendor: 'Jollibee Foods Corp', category: 'meals', amount: '42000.00', date: '2025-06-10' });
    expect(spike.reasons.join(' ')).toMatch(/the median for vendor "Jollibee Foods Corp"/);
    expect(spike.score).toBeGreaterThan(normal.score);
    const cli = await etl(['predict', 'forecast', '--series', 'input_vat:BOM', '--months', '2', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(cli.stdout)).toMatchObject({ series: 'input_vat:BOM', model_version: 1, points: [{ month: '2026-01' }, { month: '2026-02' }] });
    const models = await etl(['predict', 'models', '--json', '--data-dir', dataDir]);
    expect((JSON.parse(models.stdout) as { name: string; version: number; stage: string }[]).map((m) => [m.name, m.version, m.stage])).toEqual([
      ['bir_monthly_forecast', 1, 'production'], ['expense_anomaly', 1, 'production'], ['expense_classifier', 1, 'production'],
    ]);
    const bad = await etl(['predict', 'forecast', '--series', 'ewt:RIM', '--months', '0', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: option '--months <n>' argument '0' is invalid\. --months must be a positive whole number, got "0"\n/);
  });

  it('trains the same artifacts again from the same data (seeded), and does not promote an equal version', async () => {
    const bundle = await loadBundle(join(REPO_ROOT, 'databricks', 'bundles'), { env: {} });
    const again = await runJob(warehouse, bundle, 'ml_training', { target: 'local', taskHandlers: mlTaskHandlers() });
    expect(again.status).toBe('succeeded');
    for (const name of ['bir_monthly_forecast', 'expense_classifier', 'expense_anomaly']) {
      const [first, second] = [await loadModelVersion(warehouse, name, 1), await loadModelVersion(warehouse, name, 2)];
      expect(JSON.stringify(second.artifact)).toBe(JSON.stringify(first.artifact));
      expect([first.stage, second.stage]).toEqual(['production', 'staging']);
    }
    const forecast = (await loadModelVersion<ForecastArtifact>(warehouse, 'bir_monthly_forecast')).artifact;
    expect(Object.keys(forecast.series)).toHaveLength(18);
  }, 120_000);

  it('answers NO_MODEL on a warehouse without a registry', async () => {
    const empty = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    try {
      const error = await forecastSeries(empty, { series: 'ewt:RIM', months: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlError);
      expect(error).toMatchObject({ code: 'NO_MODEL' });
    } finally {
      await empty.close();
    }
  });
});

describe('ml_training on a second seed the thresholds were not set on (seed 5)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-quality-5-'));
  const dataDir = join(dir, 'data');
  const warehouse = new Warehouse(duckDbDialect({ dataDir, catalogs: CATALOGS }));
  let manifest: GroundTruth;

  beforeAll(async () => {
    ({ manifest } = await prepareMlData({ warehouse, repoRoot: REPO_ROOT, exportDir: join(dir, 'exports'), seed: 5, scale: 15_000 }));
    const run = await etl(['run', 'ml_training', '--target', 'local', '--data-dir', dataDir, '--json']);
    if (run.code !== 0) throw new Error(`ml_training failed on seed 5: ${run.stderr}`);
  }, 180_000);
  afterAll(async () => warehouse.close());

  it('finds the injected anomalies with precision and recall ≥ 0.8', async () => {
    const measured = await anomalyPrecisionRecall(warehouse, manifest);
    expect(measured.injected).toBeGreaterThan(50);
    expect(measured.precision).toBeGreaterThanOrEqual(0.8);
    expect(measured.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('keeps every forecast row finite with lower ≤ point ≤ upper', async () => {
    expect(await forecastRowViolations(warehouse)).toEqual({ rows: 18 * 12, violations: [] });
  });

  it('forecasts: Hyndman MASE < 1 and mean MAE relative to seasonal naive from the same origins < 1', async () => {
    const forecast = (await listModelVersions(warehouse, 'bir_monthly_forecast')).find((v) => v.version === 1)?.metrics['evaluation'] as RunEvaluation['forecast'];
    expect(forecast.backtested).toBe(16);
    expect(forecast.mean_mase).toBeGreaterThan(0);
    expect(forecast.mean_mase).toBeLessThan(1);
    expect(forecast.mean_relative_mae).toBeLessThan(1);
  });
});
