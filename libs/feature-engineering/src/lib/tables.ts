import type { Layer } from '@odoo-ce/common';
import type { QueryExecutor } from '@odoo-ce/warehouse';

/** Where a feature table lives: a layer (mapped to the target's catalog), a schema and a table. */
export interface FeatureTableRef {
  readonly layer: Layer;
  readonly schema: string;
  readonly table: string;
}

/** The two feature tables the ML lib reads. */
export const FEATURE_TABLES = Object.freeze({
  /** One row per series and month: the value to forecast plus calendar, lag, rolling and growth features. */
  birForecasting: Object.freeze({ layer: 'gold', schema: 'ml_features', table: 'bir_forecasting' } as const),
  /** One row per validated Scout expense: text, amount, calendar and per-entity/financial features. */
  expensePrediction: Object.freeze({ layer: 'gold', schema: 'ml_features', table: 'expense_prediction' } as const),
});

/** The quoted three-part name of a feature table on this executor's target. */
export function featureTableName(executor: Pick<QueryExecutor, 'adapter' | 'layout'>, ref: FeatureTableRef): string {
  return executor.adapter.quoteQualified([executor.layout.catalogs[ref.layer], ref.schema, ref.table]);
}
