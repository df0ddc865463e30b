/**
 * @odoo-ce/ml — forecasting of monthly BIR amounts (Holt-Winters / ETS with AICc selection,
 * seasonal-naive baseline, rolling-origin backtest), expense classification (multinomial naive
 * Bayes), expense anomaly detection (robust z, isolation forest, duplicate payments), a model
 * registry in platinum.models.registry and serving from the production versions.
 *
 * Serving API (stable; used by the MCP server's `predict` tool):
 * - `forecastSeries(warehouse, {series, months, level?})` → `{series, model_version, method, notes, points: [{month, point, lower, upper}]}`
 * - `scoreTransaction(warehouse, {agency, vendor, category, amount, date, id?})` → `{score, reasons, notes, model_version}`
 * - `classifyExpense(warehouse, {vendor, description, amount})` → `{category, probability, model_version, unknown_tokens}`
 * - `predict(warehouse, modelName, input)` — the same three, by model name.
 * All throw `MlError` with `code` NO_MODEL when no production version is registered.
 */
export { MlError, type MlErrorCode } from './errors.js';
export { MODEL_NAMES, PROMOTION_METRICS, type AnomalyArtifact, type ClassifierArtifact, type ForecastArtifact, type ModelName } from './models.js';
export {
  classifyExpense,
  clearModelCache,
  DUPLICATE_CHECK_UNAVAILABLE,
  forecastSeries,
  listForecastSeries,
  MODEL_CACHE_TTL_MS,
  predict,
  productionModel,
  scoreTransaction,
  type CategoryPrediction,
  type ExpenseInput,
  type ForecastRequest,
  type ForecastResponse,
  type PredictInputs,
  type PredictOutputs,
  type ServingOptions,
  type TransactionInput,
  type TransactionScore,
} from './serving/serve.js';
export { predictionTable, scoreBatch, type BatchScoreResult } from './serving/score-batch.js';
export {
  ensureRegistry,
  isMissingTableError,
  listModelVersions,
  loadModelVersion,
  promoteIfBetter,
  recordEvaluation,
  registerModel,
  REGISTRY_TABLE,
  registryTable,
  versionsOfRun,
  type ModelStage,
  type ModelVersion,
  type PromotionDecision,
  type PromotionMetric,
  type RegisterInput,
} from './registry/registry.js';
export { evaluateRun, isHeldOut, promoteRun, trainClassifier, trainForecasts, trainRun, type ClassifierTraining, type ForecastTraining, type RunEvaluation, type RunVersions, type SeriesEvaluation, type TrainOptions } from './training/train.js';
export { mlTaskHandlers, type MlEntryPoint, type MlTaskContext, type MlTaskHandler, type MlTaskLogger } from './training/task-handlers.js';
export { readExpenses, readSeries, type ExpenseFeatureRow } from './training/read.js';
export { backtest, type BacktestOptions, type BacktestResult } from './forecast/backtest.js';
export { fitSeriesModel, fitValues, forecastModel, seasonalNaive, type FitOptions, type ForecastMethod, type ForecastPoint, type SeriesModel } from './forecast/forecaster.js';
export { fitSeriesModels, relatedSeries } from './forecast/series-set.js';
export { fitSeasonalRegression, regressionForecast, robustDecomposition, sharedSeason, sharedSeasonTest, MIN_SHARED_SERIES, SHARED_SEASON_ALPHA, type LogDecomposition, type RegressionArtifact, type SharedSeason } from './forecast/seasonal-regression.js';
export { etsPoint, etsSd, fitEts, type EtsFit, type EtsParams, type EtsSpec, type EtsState, type SeasonKind, type TrendKind } from './forecast/holt-winters.js';
export { amountBucket, expenseTokens, predictNaiveBayes, trainNaiveBayes, type ExpenseText, type NaiveBayesModel, type Prediction } from './classify/naive-bayes.js';
export { classificationMetrics, type ClassificationMetrics } from './classify/metrics.js';
export { DEFAULT_THRESHOLDS, detectAnomalies, scoreExpense, trainAnomalyModel, type AnomalyModel, type AnomalyScore, type AnomalyThresholds, type ExpenseRecord } from './anomaly/detector.js';
export { averagePathLength, isolationScore, trainIsolationForest, type IsolationForest, type IsolationForestOptions, type IsolationTree } from './anomaly/isolation-forest.js';
export { findDuplicatePayments, type DuplicateMatch, type PaymentRef } from './anomaly/duplicates.js';
export { groupStats, robustStats, robustZ, type RobustStats } from './anomaly/robust-z.js';
export { addMonths, monthIndex, prepareSeries, type MonthlyPoint, type PreparedSeries } from './series.js';
export { hashString, SeededRandom } from './random.js';
