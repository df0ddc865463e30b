import { param, type QueryExecutor, type ParameterValue } from '@odoo-ce/warehouse';
import { detectAnomalies } from '../anomaly/detector.js';
import { invalidInput } from '../errors.js';
import { forecastModel, type SeriesModel } from '../forecast/forecaster.js';
import { MODEL_NAMES, type AnomalyArtifact, type ForecastArtifact } from '../models.js';
import { loadModelVersion } from '../registry/registry.js';
import { readExpenses } from '../training/read.js';

/** Where batch predictions go: the platinum catalog, schema `predictions`. */
export function predictionTable(executor: QueryExecutor, table: 'bir_monthly_forecast' | 'expense_anomalies'): string {
  return executor.adapter.quoteQualified([executor.layout.catalogs.platinum, 'predictions', table]);
}

export interface BatchScoreResult {
  readonly forecastRows: number;
  readonly forecastVersion: number;
  readonly anomalyRows: number;
  readonly anomalyVersion: number;
  readonly scoredTransactions: number;
}

const CHUNK = 200;

async function insertRows(executor: QueryExecutor, table: string, columns: readonly string[], rows: readonly (readonly ParameterValue[])[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const parameters: Record<string, ParameterValue> = {};
    const tuples = chunk.map((row, i) => `(${row.map((value, j) => {
      const name = `p${i}_${j}`;
      parameters[name] = value;
      return `:${name}`;
    }).join(', ')})`);
    await executor.query({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, parameters });
  }
}

/**
 * The job's **score** step with the production versions: `months` of forecasts for every series
 * → platinum.predictions.bir_monthly_forecast (series, month, point, lower, upper, model_version,
 * method, scored_at), and every expense of the feature table scored → the flagged ones in
 * platinum.predictions.expense_anomalies (transaction_id, score, reasons, model_version, scored_at).
 * Each table is replaced as a whole (idempotent). No NaN can be written: forecasts are checked
 * finite and scores are numbers in [0, 1].
 */
export async function scoreBatch(executor: QueryExecutor, options: { months?: number } = {}): Promise<BatchScoreResult> {
  const months = options.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 120) throw invalidInput('months', months, 'a whole number from 1 to 120');
  const a = executor.adapter;
  const s = a.typeName('string');
  const d = a.typeName('double');
  const scoredAt = param.timestamp(new Date());
  await executor.query(a.createSchemaSql(executor.layout.catalogs.platinum, 'predictions'));

  const forecast = await loadModelVersion<ForecastArtifact>(executor, MODEL_NAMES.forecast);
  const forecastRows: ParameterValue[][] = [];
  for (const name of Object.keys(forecast.artifact.series).sort()) {
    const model = forecast.artifact.series[name] as SeriesModel;
    for (const p of forecastModel(model, months)) forecastRows.push([name, p.month, p.point, p.lower, p.upper, forecast.version, model.method, scoredAt]);
  }
  const forecastTable = predictionTable(executor, 'bir_monthly_forecast');
  await executor.query(`CREATE OR REPLACE TABLE ${forecastTable} (series ${s}, month ${s}, point ${d}, lower ${d}, upper ${d}, model_version ${a.typeName('int')}, method ${s}, scored_at ${a.typeName('timestamp')})`);
  await insertRows(executor, forecastTable, ['series', 'month', 'point', 'lower', 'upper', 'model_version', 'method', 'scored_at'], forecastRows);

  const anomaly = await loadModelVersion<AnomalyArtifact>(executor, MODEL_NAMES.anomaly);
  const expenses = await readExpenses(executor);
  const scores = detectAnomalies(anomaly.artifact, expenses.map((e) => ({ id: e.id, agency: e.agency, vendor: e.vendor, category: e.category, amount: e.amount, date: e.date })));
  const flagged = scores.filter((x) => x.reasons.length > 0);
  const anomalyTable = predictionTable(executor, 'expense_anomalies');
  await executor.query(`CREATE OR REPLACE TABLE ${anomalyTable} (transaction_id ${s}, score ${d}, reasons ${s}, model_version ${a.typeName('int')}, scored_at ${a.typeName('timestamp')})`);
  await insertRows(executor, anomalyTable, ['transaction_id', 'score', 'reasons', 'model_version', 'scored_at'], flagged.map((x) => [x.id, x.score, x.reasons.join('; '), anomaly.version, scoredAt]));

  return { forecastRows: forecastRows.length, forecastVersion: forecast.version, anomalyRows: flagged.length, anomalyVersion: anomaly.version, scoredTransactions: scores.length };
}
