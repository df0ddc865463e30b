import { createLogger, errorMessage, type Logger } from '@odoo-ce/common';
import { FEATURE_TABLES, featureTableName } from '@odoo-ce/feature-engineering';
import type { QueryExecutor } from '@odoo-ce/warehouse';
import { scoreExpense, type ExpenseRecord } from '../anomaly/detector.js';
import { expenseTokens, predictNaiveBayes } from '../classify/naive-bayes.js';
import { invalidInput, MlError } from '../errors.js';
import { forecastModel, type ForecastMethod, type ForecastPoint } from '../forecast/forecaster.js';
import { MODEL_NAMES, type AnomalyArtifact, type ClassifierArtifact, type ForecastArtifact, type ModelName } from '../models.js';
import { loadModelVersion } from '../registry/registry.js';

/** How long a loaded production model is reused before the registry is asked again. */
export const MODEL_CACHE_TTL_MS = 60_000;

interface CacheEntry {
  readonly version: number;
  readonly artifact: unknown;
  readonly loadedAt: number;
  readonly generation: number;
}

const cache = new WeakMap<object, Map<string, CacheEntry>>();
/**
 * A WeakMap (so a closed warehouse's models can be collected) cannot be cleared wholesale: clearing
 * everything bumps the generation instead, and entries of an older generation are misses.
 */
let generation = 0;

/**
 * Forgets the cached models of `executor`, or of every warehouse when called without one (e.g.
 * right after a promotion in the same process).
 */
export function clearModelCache(executor?: QueryExecutor): void {
  if (executor) cache.delete(executor);
  else generation++;
}

/**
 * The production version of `name` (artifact parsed), cached per warehouse for
 * {@link MODEL_CACHE_TTL_MS}. NO_MODEL (typed MlError) when nothing is in production.
 */
export async function productionModel<A>(executor: QueryExecutor, name: ModelName): Promise<{ version: number; artifact: A }> {
  let perWarehouse = cache.get(executor);
  if (!perWarehouse) cache.set(executor, (perWarehouse = new Map()));
  const hit = perWarehouse.get(name);
  if (hit && hit.generation === generation && Date.now() - hit.loadedAt < MODEL_CACHE_TTL_MS) return { version: hit.version, artifact: hit.artifact as A };
  const loaded = await loadModelVersion<A>(executor, name);
  perWarehouse.set(name, { version: loaded.version, artifact: loaded.artifact, loadedAt: Date.now(), generation });
  return { version: loaded.version, artifact: loaded.artifact };
}

export interface ForecastRequest {
  /** A series name of gold.ml_features.bir_forecasting, e.g. `ewt:RIM`. */
  readonly series: string;
  /** Months after the last month of data (1–120). */
  readonly months: number;
  /** Prediction-interval level (default 0.95). */
  readonly level?: number;
}

export interface ForecastResponse {
  readonly series: string;
  readonly model_version: number;
  readonly method: ForecastMethod;
  /** Fallbacks and data repairs, in words (e.g. short history → seasonal naive). */
  readonly notes: readonly string[];
  readonly points: readonly ForecastPoint[];
}

/**
 * Forecast of one series from the production `bir_monthly_forecast` model.
 * Errors (typed MlError): NO_MODEL, UNKNOWN_SERIES (lists known series), INVALID_INPUT.
 *
 * @example
 * const f = await forecastSeries(warehouse, { series: 'ewt:RIM', months: 6 });
 * // → { series, model_version: 3, method: 'holt_winters', notes: [], points: [{ month: '2026-01', point, lower, upper }, …] }
 */
export async function forecastSeries(executor: QueryExecutor, request: ForecastRequest): Promise<ForecastResponse> {
  if (typeof request.series !== 'string' || request.series.length === 0) throw invalidInput('series', request.series, 'a series name such as "ewt:RIM"');
  const { version, artifact } = await productionModel<ForecastArtifact>(executor, MODEL_NAMES.forecast);
  const model = artifact.series[request.series];
  if (!model) {
    const known = Object.keys(artifact.series).sort();
    throw new MlError('UNKNOWN_SERIES', `series "${request.series}" is not in ${MODEL_NAMES.forecast} v${version}; known: ${known.slice(0, 40).join(', ')}${known.length > 40 ? ', …' : ''}`, {
      data: { series: request.series, known },
    });
  }
  return { series: request.series, model_version: version, method: model.method, notes: model.notes, points: forecastModel(model, request.months, request.level) };
}

/** The series the production forecast model knows. NO_MODEL when none. */
export async function listForecastSeries(executor: QueryExecutor): Promise<{ model_version: number; series: string[] }> {
  const { version, artifact } = await productionModel<ForecastArtifact>(executor, MODEL_NAMES.forecast);
  return { model_version: version, series: Object.keys(artifact.series).sort() };
}

/** A transaction to score; `id` is optional (an id excludes the row itself from the duplicate search). */
export interface TransactionInput {
  readonly id?: string;
  readonly agency: string;
  readonly vendor: string;
  readonly category: string;
  /** Pesos, > 0: a number or exact decimal text. */
  readonly amount: number | string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

export interface TransactionScore {
  readonly score: number;
  readonly reasons: readonly string[];
  readonly notes: readonly string[];
  readonly model_version: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface ServingOptions {
  /** Where failures that do not stop the answer go (default: a pino logger on stderr). */
  readonly logger?: Logger;
}

/** The note returned when the duplicate search fails: the cause is logged, never handed to callers (AI agents). */
export const DUPLICATE_CHECK_UNAVAILABLE = 'duplicate-payment check unavailable';

let defaultLogger: Logger | undefined;
const servingLogger = (options: ServingOptions) => options.logger ?? (defaultLogger ??= createLogger({ base: { lib: 'ml' } }));

/**
 * Anomaly score of one expense with the production `expense_anomaly` model: robust z within its
 * vendor and agency×category, the isolation forest, and a duplicate-payment search among the
 * expenses of gold.ml_features.expense_prediction (same vendor and amount within the model's
 * window of days). `reasons` is empty when nothing is unusual.
 */
export async function scoreTransaction(executor: QueryExecutor, tx: TransactionInput, options: ServingOptions = {}): Promise<TransactionScore> {
  for (const field of ['agency', 'vendor', 'category'] as const) {
    if (typeof tx[field] !== 'string' || tx[field].trim() === '') throw invalidInput(field, tx[field], 'a non-empty string');
  }
  if (typeof tx.date !== 'string' || !DATE.test(tx.date) || Number.isNaN(Date.parse(tx.date))) throw invalidInput('date', tx.date, 'a date as YYYY-MM-DD');
  const amount = Number(tx.amount);
  if (!(Number.isFinite(amount) && amount > 0)) throw invalidInput('amount', tx.amount, 'a positive amount in pesos');
  const { version, artifact } = await productionModel<AnomalyArtifact>(executor, MODEL_NAMES.anomaly);
  const record: ExpenseRecord = { id: tx.id ?? '(input)', agency: tx.agency, vendor: tx.vendor, category: tx.category, amount, date: tx.date };
  const notes: string[] = [];
  const duplicate = await findEarlierPayment(executor, record, amount.toFixed(2), artifact.thresholds.duplicateDays).catch((error: unknown) => {
    servingLogger(options).warn({ event: 'ml.duplicate_check.failed', error: errorMessage(error) }, DUPLICATE_CHECK_UNAVAILABLE);
    notes.push(DUPLICATE_CHECK_UNAVAILABLE);
    return undefined;
  });
  const scored = scoreExpense(artifact, record, duplicate);
  return { score: scored.score, reasons: scored.reasons, notes: [...scored.notes, ...notes], model_version: version };
}

async function findEarlierPayment(executor: QueryExecutor, r: ExpenseRecord, amount: string, days: number): Promise<{ duplicateOf: string; daysApart: number } | undefined> {
  const a = executor.adapter;
  const table = featureTableName(executor, FEATURE_TABLES.expensePrediction);
  const gap = a.daysBetween('transaction_date', 'CAST(:date AS DATE)');
  const { rows } = await executor.query<{ id: string; gap: number | bigint }>({
    sql: `SELECT id, ${gap} AS gap FROM ${table} WHERE upper(trim(vendor)) = upper(trim(:vendor)) AND amount = CAST(:amount AS DECIMAL(18, 2)) ` +
      `AND id <> :id AND ${gap} BETWEEN :lo AND :hi ORDER BY transaction_date, id LIMIT 1`,
    parameters: { vendor: r.vendor, amount, id: r.id, date: r.date, lo: -days, hi: days },
  });
  const row = rows[0];
  return row ? { duplicateOf: row.id, daysApart: Math.abs(Number(row.gap)) } : undefined;
}

export interface ExpenseInput {
  readonly vendor: string;
  readonly description: string;
  readonly amount: number | string;
}

export interface CategoryPrediction {
  readonly category: string;
  readonly probability: number;
  readonly model_version: number;
  readonly unknown_tokens: readonly string[];
  readonly note?: string;
}

/** Expense category from vendor, description and amount with the production `expense_classifier`. */
export async function classifyExpense(executor: QueryExecutor, input: ExpenseInput): Promise<CategoryPrediction> {
  if (typeof input.vendor !== 'string') throw invalidInput('vendor', input.vendor, 'a string');
  if (typeof input.description !== 'string') throw invalidInput('description', input.description, 'a string');
  const amount = Number(input.amount);
  if (!(Number.isFinite(amount) && amount > 0)) throw invalidInput('amount', input.amount, 'a positive amount in pesos');
  const { version, artifact } = await productionModel<ClassifierArtifact>(executor, MODEL_NAMES.classifier);
  const p = predictNaiveBayes(artifact, expenseTokens({ vendor: input.vendor, description: input.description, amount }));
  return { category: p.category, probability: p.probability, model_version: version, unknown_tokens: p.unknownTokens, ...(p.note ? { note: p.note } : {}) };
}

/** Inputs per model for the generic {@link predict}. */
export interface PredictInputs {
  readonly bir_monthly_forecast: ForecastRequest;
  readonly expense_anomaly: TransactionInput;
  readonly expense_classifier: ExpenseInput;
}

export interface PredictOutputs {
  readonly bir_monthly_forecast: ForecastResponse;
  readonly expense_anomaly: TransactionScore;
  readonly expense_classifier: CategoryPrediction;
}

/** `predict(model, input)` with the production version of the named model (cached). */
export async function predict<N extends ModelName>(executor: QueryExecutor, model: N, input: PredictInputs[N], options: ServingOptions = {}): Promise<PredictOutputs[N]> {
  switch (model) {
    case 'bir_monthly_forecast':
      return (await forecastSeries(executor, input as ForecastRequest)) as PredictOutputs[N];
    case 'expense_anomaly':
      return (await scoreTransaction(executor, input as TransactionInput, options)) as PredictOutputs[N];
    case 'expense_classifier':
      return (await classifyExpense(executor, input as ExpenseInput)) as PredictOutputs[N];
    default:
      throw invalidInput('model', model, `one of ${Object.values(MODEL_NAMES).join(', ')}`);
  }
}
