/**
 * @odoo-ce/feature-engineering — portable SQL builders for ML features (DuckDB and Databricks SQL)
 * and the feature tables they produce: gold.ml_features.bir_forecasting and
 * gold.ml_features.expense_prediction.
 */
export { FEATURE_TABLES, featureTableName, type FeatureTableRef } from './lib/tables.js';
export { calendarFeatures, entityAggregates, growthFeatures, lagFeatures, rollingFeatures, safeRatio, type RollingStat, type SeriesWindow } from './lib/builders.js';
export { birForecastingSql, EWT_DEFAULT_RATE, EWT_RATES, expensePredictionSql, featuresScript, INPUT_VAT_SHARE } from './lib/feature-sql.js';
export { buildFeatures, FEATURES_SQL_PATH, type FeatureBuildResult } from './lib/build.js';
