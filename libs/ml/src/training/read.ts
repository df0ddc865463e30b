import { FEATURE_TABLES, featureTableName } from '@odoo-ce/feature-engineering';
import type { QueryExecutor } from '@odoo-ce/warehouse';
import { MlError } from '../errors.js';
import type { MonthlyPoint } from '../series.js';

/** A feature row of gold.ml_features.expense_prediction, as the models need it. */
export interface ExpenseFeatureRow {
  readonly id: string;
  readonly agency: string;
  readonly vendor: string;
  readonly category: string;
  readonly description: string;
  readonly amount: string;
  readonly date: string;
}

async function readTable<R>(executor: QueryExecutor, table: string, sql: string): Promise<R[]> {
  try {
    return (await executor.query<R>(sql)).rows;
  } catch (error) {
    throw new MlError('NO_FEATURES', `cannot read the feature table ${table} (run the features task of the ml_training job first): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Every series of gold.ml_features.bir_forecasting as `{series → points}` (sorted by month). */
export async function readSeries(executor: QueryExecutor): Promise<Map<string, MonthlyPoint[]>> {
  const table = featureTableName(executor, FEATURE_TABLES.birForecasting);
  const rows = await readTable<{ series: string; month: string; value: number | string | null }>(executor, table, `SELECT series, month, value FROM ${table} ORDER BY series, month`);
  if (rows.length === 0) throw new MlError('NO_FEATURES', `the feature table ${table} is empty`);
  const out = new Map<string, MonthlyPoint[]>();
  for (const r of rows) {
    let list = out.get(r.series);
    if (!list) out.set(r.series, (list = []));
    list.push({ month: r.month, value: r.value === null ? null : Number(r.value) });
  }
  return out;
}

/** Every row of gold.ml_features.expense_prediction, ordered by id (so training is order-stable). */
export async function readExpenses(executor: QueryExecutor): Promise<ExpenseFeatureRow[]> {
  const table = featureTableName(executor, FEATURE_TABLES.expensePrediction);
  const rows = await readTable<{ id: string; agency: string; vendor: string; category: string; description: string | null; amount: string; transaction_date: string }>(
    executor, table,
    `SELECT id, agency, vendor, category, description, CAST(amount AS ${executor.adapter.typeName('string')}) AS amount, CAST(transaction_date AS ${executor.adapter.typeName('string')}) AS transaction_date FROM ${table} ORDER BY id`,
  );
  if (rows.length === 0) throw new MlError('NO_FEATURES', `the feature table ${table} is empty`);
  return rows.map((r) => ({ id: r.id, agency: r.agency, vendor: r.vendor, category: r.category, description: r.description ?? '', amount: r.amount, date: r.transaction_date }));
}
