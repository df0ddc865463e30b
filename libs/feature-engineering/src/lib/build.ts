import type { ExecuteOptions, QueryExecutor } from '@odoo-ce/warehouse';
import { featuresScript } from './feature-sql.js';
import { FEATURE_TABLES, featureTableName } from './tables.js';

/** Where the generated script lives in the repository (the ml_training job's `features` sql_task). */
export const FEATURES_SQL_PATH = 'databricks/sql/ml/features.sql';

export interface FeatureBuildResult {
  readonly birForecastingRows: number;
  readonly expensePredictionRows: number;
}

/** Builds both feature tables on any warehouse and returns their row counts. */
export async function buildFeatures(executor: QueryExecutor, options: ExecuteOptions = {}): Promise<FeatureBuildResult> {
  await executor.executeScript(featuresScript(), { ...options, file: FEATURES_SQL_PATH });
  const count = async (table: string) => Number((await executor.query<{ n: number | bigint }>(`SELECT count(*) AS n FROM ${table}`, options)).rows[0]?.n ?? 0);
  return {
    birForecastingRows: await count(featureTableName(executor, FEATURE_TABLES.birForecasting)),
    expensePredictionRows: await count(featureTableName(executor, FEATURE_TABLES.expensePrediction)),
  };
}
