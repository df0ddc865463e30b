import type { QueryExecutor } from '@odoo-ce/warehouse';
import { MlError } from '../errors.js';
import { clearModelCache } from '../serving/serve.js';
import { scoreBatch } from '../serving/score-batch.js';
import { evaluateRun, promoteRun, trainRun } from './train.js';

/**
 * What a job runner hands a task handler. Structurally a subset of @odoo-ce/bundle's
 * `TaskHookContext & { warehouse }` (this lib may not depend on bundle), so the handlers below plug
 * into `runJob(…, { taskHandlers })` of `etl run` and of the MCP server's `run_job` alike.
 */
export interface MlTaskContext {
  readonly warehouse: QueryExecutor;
  readonly runId: string;
  readonly params: Readonly<Record<string, string>>;
}

export type MlTaskHandler = (context: MlTaskContext) => Promise<{ readonly rowsAffected: number }>;

/** The part of a pino / bundle `RunLogger` the handlers use. */
export interface MlTaskLogger {
  info(obj: object, msg?: string): void;
}

/** The entry points of the ml_training job's python_wheel_tasks (databricks/bundles/resources/ml_jobs.yml). */
export type MlEntryPoint = 'train' | 'evaluate' | 'promote' | 'score';

function wholeNumber(params: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new MlError('INVALID_INPUT', `job parameter ${name}: got ${JSON.stringify(raw)}, expected a whole number ≥ 0`);
  return value;
}

/**
 * The local implementations of the ml_training job's entry points: train → evaluate → promote →
 * score, all keyed by the job run id, so a rerun or resume of a step works on the versions its own
 * run registered. Job parameters: `seed` (default 42), `forecast_months` (default 12).
 *
 * @example
 * await runJob(warehouse, bundle, 'ml_training', { target: 'local', taskHandlers: mlTaskHandlers(logger) });
 */
export function mlTaskHandlers(logger?: MlTaskLogger): Readonly<Record<MlEntryPoint, MlTaskHandler>> {
  return {
    train: async ({ warehouse, runId, params }) => {
      const versions = await trainRun(warehouse, { runId, seed: wholeNumber(params, 'seed', 42) });
      logger?.info({ event: 'ml.trained', run_id: runId, versions }, 'registered new model versions');
      return { rowsAffected: 3 };
    },
    evaluate: async ({ warehouse, runId, params }) => {
      const evaluation = await evaluateRun(warehouse, { runId, seed: wholeNumber(params, 'seed', 42) });
      logger?.info({
        event: 'ml.evaluated', run_id: runId,
        forecast_relative_mae: evaluation.forecast.mean_relative_mae, forecast_mase: evaluation.forecast.mean_mase,
        classifier_accuracy: evaluation.classifier.accuracy, classifier_macro_f1: evaluation.classifier.macroF1,
        anomaly_flag_rate: evaluation.anomaly.flag_rate,
      }, 'evaluated the new versions');
      return { rowsAffected: 3 };
    },
    promote: async ({ warehouse, runId }) => {
      const decisions = await promoteRun(warehouse, runId);
      clearModelCache(warehouse);
      for (const d of decisions) logger?.info({ event: 'ml.promotion', run_id: runId, model: d.name, version: d.version, promoted: d.promoted, reason: d.reason });
      return { rowsAffected: decisions.filter((d) => d.promoted).length };
    },
    score: async ({ warehouse, params }) => {
      const result = await scoreBatch(warehouse, { months: wholeNumber(params, 'forecast_months', 12) });
      return { rowsAffected: result.forecastRows + result.anomalyRows };
    },
  };
}
