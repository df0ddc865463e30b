import type { RunJobOptions, RunLogger } from '@odoo-ce/bundle';
import { clearModelCache, evaluateRun, MlError, promoteRun, scoreBatch, trainRun } from '@odoo-ce/ml';

type Handlers = NonNullable<RunJobOptions['taskHandlers']>;

function wholeNumber(params: Readonly<Record<string, string>>, name: string, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new MlError('INVALID_INPUT', `job parameter ${name}: got ${JSON.stringify(raw)}, expected a whole number ≥ 0`);
  return value;
}

/**
 * The local implementations of the ml_training job's python_wheel_task entry points
 * (databricks/bundles/resources/ml_jobs.yml): train → evaluate → promote → score, all keyed by the
 * job run id, so a rerun or resume of a step works on the versions its own run registered.
 */
export function mlTaskHandlers(logger?: RunLogger): Handlers {
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
