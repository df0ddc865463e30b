import type { QueryExecutor } from '@odoo-ce/warehouse';
import { detectAnomalies, trainAnomalyModel } from '../anomaly/detector.js';
import { MlError } from '../errors.js';
import { classificationMetrics, type ClassificationMetrics } from '../classify/metrics.js';
import { expenseTokens, predictNaiveBayes, trainNaiveBayes } from '../classify/naive-bayes.js';
import { backtest, type BacktestResult } from '../forecast/backtest.js';
import type { SeriesModel } from '../forecast/forecaster.js';
import { fitSeriesModels, relatedSeries } from '../forecast/series-set.js';
import { MODEL_NAMES, PROMOTION_METRICS, type AnomalyArtifact, type ClassifierArtifact, type ForecastArtifact, type ModelName } from '../models.js';
import { hashString } from '../random.js';
import { prepareSeries, type MonthlyPoint } from '../series.js';
import { loadModelVersion, promoteIfBetter, recordEvaluation, registerModel, versionsOfRun, type PromotionDecision } from '../registry/registry.js';
import { readExpenses, readSeries, type ExpenseFeatureRow } from './read.js';

export interface TrainOptions {
  /** Run id of the job that trains (stored with the version). */
  readonly runId: string;
  /** Seed of everything random (isolation-forest subsamples, split). Default 42. */
  readonly seed?: number;
  /** Forecast horizon of the backtest (default 3 months). */
  readonly horizon?: number;
}

export interface SeriesEvaluation {
  readonly method: SeriesModel['method'];
  readonly observations: number;
  readonly notes: readonly string[];
  readonly backtest?: BacktestResult;
}

export interface ForecastTraining {
  readonly artifact: ForecastArtifact;
  readonly metrics: { readonly series: number; readonly backtested: number; readonly mean_relative_mae: number; readonly mean_mase: number; readonly mean_coverage: number; readonly per_series: Readonly<Record<string, SeriesEvaluation>> };
}

/**
 * Fits one forecasting model per series and evaluates each with a rolling-origin backtest against
 * seasonal naive. Pure (no I/O): the job's train task calls it on the feature table's series.
 */
export function trainForecasts(series: ReadonlyMap<string, readonly MonthlyPoint[]>, options: { horizon?: number; period?: number } = {}): ForecastTraining {
  const period = options.period ?? 12;
  const models: Record<string, SeriesModel> = {};
  const perSeries: Record<string, SeriesEvaluation> = {};
  const backtests: BacktestResult[] = [];
  const fitted = fitSeriesModels(series, { period });
  const related = relatedSeries(series);
  for (const name of [...series.keys()].sort()) {
    const points = series.get(name) as MonthlyPoint[];
    const model = fitted[name] as SeriesModel;
    models[name] = model;
    const bt = model.method === 'constant' ? undefined : backtest(prepareSeries(name, points).values, { period, horizon: options.horizon ?? 3, related: related.get(name) ?? [] });
    if (bt) backtests.push(bt);
    perSeries[name] = { method: model.method, observations: model.observations, notes: model.notes, ...(bt ? { backtest: bt } : {}) };
  }
  const mean = (f: (b: BacktestResult) => number) => (backtests.length ? backtests.reduce((s, b) => s + f(b), 0) / backtests.length : 1);
  return {
    artifact: { kind: 'series_forecast', period, series: models },
    metrics: {
      series: Object.keys(models).length,
      backtested: backtests.length,
      // Without any backtestable series the metric is 1 (= seasonal naive), so it never promotes over a real one.
      mean_relative_mae: mean((b) => b.relativeMae),
      mean_mase: mean((b) => b.mase),
      mean_coverage: mean((b) => b.coverage),
      per_series: perSeries,
    },
  };
}

/** Held-out split: a row is in the test set when hash(id, seed) mod 100 < testPercent. Stable under re-ordering. */
export function isHeldOut(id: string, seed: number, testPercent = 20): boolean {
  return hashString(id, seed) % 100 < testPercent;
}

export interface ClassifierTraining {
  readonly artifact: ReturnType<typeof trainNaiveBayes>;
  readonly metrics: ClassificationMetrics & { readonly train_examples: number; readonly majority_baseline_accuracy: number };
}

/**
 * Multinomial naive Bayes on vendor/description tokens and the amount bucket; trained on 80 % of
 * rows and measured on the held-out 20 % (accuracy, macro-F1, confusion matrix, and the accuracy
 * of always answering the most frequent category, for scale).
 */
export function trainClassifier(rows: readonly ExpenseFeatureRow[], seed = 42): ClassifierTraining {
  const examples = rows.map((r) => ({ id: r.id, tokens: expenseTokens({ vendor: r.vendor, description: r.description, amount: Number(r.amount) }), label: r.category }));
  const train = examples.filter((e) => !isHeldOut(e.id, seed));
  const test = examples.filter((e) => isHeldOut(e.id, seed));
  const model = trainNaiveBayes(train);
  const predicted = test.map((e) => predictNaiveBayes(model, e.tokens).category);
  const metrics = classificationMetrics(test.map((e) => e.label), predicted);
  const counts = new Map<string, number>();
  for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  const majorityAccuracy = test.length ? test.filter((e) => e.label === majority).length / test.length : 0;
  return { artifact: model, metrics: { ...metrics, train_examples: train.length, majority_baseline_accuracy: majorityAccuracy } };
}

const dayNumber = (date: string) => Math.round(Date.parse(date) / 86_400_000);

export interface RunVersions {
  readonly forecast: number;
  readonly classifier: number;
  readonly anomaly: number;
}

/**
 * The job's **train** step: reads both feature tables, fits the three models (forecast models on
 * all months; the classifier on the 80 % training split, so its held-out metrics describe exactly
 * the stored artifact; the anomaly model on every expense) and registers each as a new version
 * (stage `none`, tagged with the run id). Seeded: the same data gives the same artifacts.
 */
export async function trainRun(executor: QueryExecutor, options: TrainOptions): Promise<RunVersions> {
  const seed = options.seed ?? 42;
  const series = await readSeries(executor);
  const models = fitSeriesModels(series);
  const forecastArtifact: ForecastArtifact = { kind: 'series_forecast', period: 12, series: models };
  const methods: Record<string, number> = {};
  for (const m of Object.values(models)) methods[m.method] = (methods[m.method] ?? 0) + 1;
  const forecast = await registerModel(executor, {
    name: MODEL_NAMES.forecast,
    params: { period: 12, shared_season: 'log-scale seasonal indexes shared by series over the same months (F test p >= 0.01), robust level and trend', alone: 'ETS trend {none, additive, damped} x season {none, additive, multiplicative}, pooled' },
    metrics: { series: Object.keys(models).length, methods },
    trainingRunId: options.runId,
    artifact: forecastArtifact,
    promotionMetric: PROMOTION_METRICS.bir_monthly_forecast.name,
  });

  const expenses = await readExpenses(executor);
  const train = expenses.filter((e) => !isHeldOut(e.id, seed));
  const classifierModel = trainNaiveBayes(train.map((r) => ({ tokens: tokensOf(r), label: r.category })));
  const classifier = await registerModel(executor, {
    name: MODEL_NAMES.classifier,
    params: { seed, alpha: classifierModel.alpha, test_percent: 20, features: 'vendor words, whole vendor, description words, amount order of magnitude' },
    metrics: { train_examples: train.length, classes: classifierModel.classes.length },
    trainingRunId: options.runId,
    artifact: classifierModel,
    promotionMetric: PROMOTION_METRICS.expense_classifier.name,
  });

  const anomalyModel = trainAnomalyModel(expenses.map(toExpenseRecord), { seed });
  const anomaly = await registerModel(executor, {
    name: MODEL_NAMES.anomaly,
    params: { seed, trees: anomalyModel.forest.trees.length, sample_size: anomalyModel.forest.sampleSize, thresholds: anomalyModel.thresholds },
    metrics: { trained_rows: anomalyModel.trainedRows, window_end: anomalyModel.windowEnd },
    trainingRunId: options.runId,
    artifact: anomalyModel,
    promotionMetric: PROMOTION_METRICS.expense_anomaly.name,
  });
  return { forecast, classifier, anomaly };
}

const tokensOf = (r: ExpenseFeatureRow) => expenseTokens({ vendor: r.vendor, description: r.description, amount: Number(r.amount) });
const toExpenseRecord = (e: ExpenseFeatureRow) => ({ id: e.id, agency: e.agency, vendor: e.vendor, category: e.category, amount: e.amount, date: e.date });

function runVersion(versions: Map<string, number>, name: string, runId: string): number {
  const v = versions.get(name);
  if (v === undefined) throw new MlError('NO_MODEL', `training run ${runId} registered no version of "${name}" (run the train step first)`, { data: { name, runId } });
  return v;
}

export interface RunEvaluation {
  readonly forecast: ForecastTraining['metrics'];
  readonly classifier: ClassificationMetrics & { readonly majority_baseline_accuracy: number };
  readonly anomaly: { readonly flagged_rows: number; readonly flag_rate: number; readonly window_end: string };
}

/**
 * The job's **evaluate** step, for the versions this run registered: rolling-origin backtest of
 * every series against seasonal naive (the model selection is refitted at each origin on past data
 * only), held-out accuracy / macro-F1 / confusion matrix of the classifier artifact, and the flag
 * rate of the anomaly model. Writes the metrics and the promotion value; the versions become `staging`.
 */
export async function evaluateRun(executor: QueryExecutor, options: TrainOptions): Promise<RunEvaluation> {
  const seed = options.seed ?? 42;
  const versions = await versionsOfRun(executor, options.runId);
  const series = await readSeries(executor);
  const forecast = trainForecasts(series, { ...(options.horizon ? { horizon: options.horizon } : {}) }).metrics;
  await recordEvaluation(executor, MODEL_NAMES.forecast, runVersion(versions, MODEL_NAMES.forecast, options.runId), { evaluation: forecast }, forecast.mean_relative_mae);

  const expenses = await readExpenses(executor);
  const classifierVersion = runVersion(versions, MODEL_NAMES.classifier, options.runId);
  const model = (await loadModelVersion<ClassifierArtifact>(executor, MODEL_NAMES.classifier, classifierVersion)).artifact;
  const test = expenses.filter((e) => isHeldOut(e.id, seed));
  const metrics = classificationMetrics(test.map((e) => e.category), test.map((e) => predictNaiveBayes(model, tokensOf(e)).category));
  const priors = model.logPriors.map((p, i) => [model.classes[i] as string, p] as const).sort((a, b) => b[1] - a[1]);
  const majority = priors[0]?.[0];
  const classifier = { ...metrics, majority_baseline_accuracy: test.length ? test.filter((e) => e.category === majority).length / test.length : 0 };
  await recordEvaluation(executor, MODEL_NAMES.classifier, classifierVersion, { evaluation: classifier }, classifier.macroF1);

  const anomalyVersion = runVersion(versions, MODEL_NAMES.anomaly, options.runId);
  const anomalyModel = (await loadModelVersion<AnomalyArtifact>(executor, MODEL_NAMES.anomaly, anomalyVersion)).artifact;
  const flagged = detectAnomalies(anomalyModel, expenses.map(toExpenseRecord)).filter((s) => s.reasons.length > 0).length;
  const anomaly = { flagged_rows: flagged, flag_rate: flagged / expenses.length, window_end: anomalyModel.windowEnd };
  await recordEvaluation(executor, MODEL_NAMES.anomaly, anomalyVersion, { evaluation: anomaly }, dayNumber(anomalyModel.windowEnd));
  return { forecast, classifier, anomaly };
}

/** The job's **promote** step: each version of this run is promoted when it beats production. */
export async function promoteRun(executor: QueryExecutor, runId: string): Promise<PromotionDecision[]> {
  const versions = await versionsOfRun(executor, runId);
  const decisions: PromotionDecision[] = [];
  for (const name of Object.values(MODEL_NAMES)) {
    const version = versions.get(name);
    if (version !== undefined) decisions.push(await promoteIfBetter(executor, name, version, PROMOTION_METRICS[name as ModelName]));
  }
  return decisions;
}
