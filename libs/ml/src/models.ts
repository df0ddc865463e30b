import type { AnomalyModel } from './anomaly/detector.js';
import type { NaiveBayesModel } from './classify/naive-bayes.js';
import type { SeriesModel } from './forecast/forecaster.js';
import type { PromotionMetric } from './registry/registry.js';

/** The registered model names. */
export const MODEL_NAMES = Object.freeze({
  forecast: 'bir_monthly_forecast',
  classifier: 'expense_classifier',
  anomaly: 'expense_anomaly',
} as const);

export type ModelName = (typeof MODEL_NAMES)[keyof typeof MODEL_NAMES];

/** Artifact of `bir_monthly_forecast`: one fitted model per series. */
export interface ForecastArtifact {
  readonly kind: 'series_forecast';
  readonly period: number;
  readonly series: Readonly<Record<string, SeriesModel>>;
}

export type ClassifierArtifact = NaiveBayesModel;
export type AnomalyArtifact = AnomalyModel;

/**
 * What "better" means when promoting each model:
 * - forecast: mean rolling-origin MAE relative to seasonal naive over the series (lower wins);
 * - classifier: macro-F1 on the held-out split (higher wins);
 * - anomaly: production has no labels, so a version wins when it was trained on more recent data
 *   (latest transaction day, higher wins) — retraining on the same data does not promote.
 */
export const PROMOTION_METRICS: Readonly<Record<ModelName, PromotionMetric>> = Object.freeze({
  bir_monthly_forecast: { name: 'mean_relative_mae', higherIsBetter: false },
  expense_classifier: { name: 'macro_f1', higherIsBetter: true },
  expense_anomaly: { name: 'window_end_day', higherIsBetter: true },
});
