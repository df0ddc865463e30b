import { invalidInput } from '../errors.js';
import { addMonths } from '../series.js';
import { fitValues, forecastModel, type ForecastMethod, type ForecastPoint } from './forecaster.js';
import { sharedSeason, type SharedSeason } from './seasonal-regression.js';

export interface BacktestOptions {
  readonly period?: number;
  /** Months forecast from each origin (default 3). */
  readonly horizon?: number;
  /** Smallest training window (default two seasons). */
  readonly minTrain?: number;
  readonly level?: number;
  /** Passed to the model fit (see FitOptions.pool). */
  readonly pool?: boolean;
  /**
   * Series over the same months as `y` (`y` itself may be among them; see `relatedSeries`): at each
   * origin the shared seasonal indexes are estimated from their first t months only, as the job's fit
   * would have been on that date.
   */
  readonly related?: readonly (readonly number[])[];
  /** Called with each origin t (training on months 0..t−1) and its forecasts, e.g. to inspect one origin. */
  readonly onOrigin?: (origin: number, forecast: readonly ForecastPoint[]) => void;
}

export interface BacktestResult {
  readonly origins: number;
  readonly forecasts: number;
  /** Mean absolute error of the model over every (origin, step). */
  readonly mae: number;
  /** The same for the seasonal naive forecast from the same origins. */
  readonly naiveMae: number;
  /** mae / naiveMae: < 1 means the model beats seasonal naive out of sample. */
  readonly relativeMae: number;
  /**
   * Hyndman's MASE: the errors scaled by the in-sample one-step seasonal-naive MAE of each
   * training window, averaged. < 1 beats the in-sample seasonal naive.
   */
  readonly mase: number;
  /** Share of actual values inside the prediction interval. */
  readonly coverage: number;
  readonly methods: Readonly<Partial<Record<ForecastMethod, number>>>;
}

/**
 * The shared profile of `related` on their first t months. Every member of a group is backtested
 * against the same `related` array (see `relatedSeries`), so the profile of each origin is computed
 * once per group rather than once per member; weakly keyed, so it goes with the array.
 */
const profileCache = new WeakMap<readonly (readonly number[])[], Map<string, SharedSeason | undefined>>();
function sharedSeasonAt(related: readonly (readonly number[])[], t: number, period: number): SharedSeason | undefined {
  let byOrigin = profileCache.get(related);
  if (!byOrigin) profileCache.set(related, (byOrigin = new Map()));
  const key = `${t}/${period}`;
  if (!byOrigin.has(key)) byOrigin.set(key, sharedSeason(related.map((r) => r.slice(0, t)), period));
  return byOrigin.get(key);
}

/**
 * Rolling-origin evaluation: for every origin t from `minTrain` to n − 1, fit on y[0..t) only
 * (selection included), forecast up to `horizon` months, compare with the actual values and with
 * the seasonal naive forecast from the same origin. Undefined when the series is too short for
 * one origin.
 */
export function backtest(y: readonly number[], options: BacktestOptions = {}): BacktestResult | undefined {
  const period = options.period ?? 12;
  const horizon = options.horizon ?? 3;
  const minTrain = options.minTrain ?? 2 * period;
  if (y.length <= minTrain) return undefined;
  options.related?.forEach((r, i) => {
    if (r.length !== y.length) throw invalidInput(`related[${i}].length`, r.length, `${y.length}, the months of the backtested series (related series cover the same months)`);
  });
  let absError = 0;
  let naiveAbsError = 0;
  let scaledError = 0;
  let inside = 0;
  let count = 0;
  let origins = 0;
  const methods: Partial<Record<ForecastMethod, number>> = {};
  for (let t = minTrain; t < y.length; t++) {
    const train = y.slice(0, t);
    const shared = options.related ? sharedSeasonAt(options.related, t, period) : undefined;
    const model = fitValues('backtest', train, addMonths('2000-01', t - 1), period, [], options.pool, shared);
    methods[model.method] = (methods[model.method] ?? 0) + 1;
    const steps = Math.min(horizon, y.length - t);
    const forecast = forecastModel(model, steps, options.level ?? 0.95);
    options.onOrigin?.(t, forecast);
    let scale = 0;
    for (let i = period; i < t; i++) scale += Math.abs((train[i] as number) - (train[i - period] as number));
    scale /= t - period;
    origins++;
    for (let h = 1; h <= steps; h++) {
      const actual = y[t + h - 1] as number;
      const f = forecast[h - 1] as ForecastPoint;
      const naive = train[t - period + ((h - 1) % period)] as number;
      absError += Math.abs(actual - f.point);
      naiveAbsError += Math.abs(actual - naive);
      scaledError += scale > 0 ? Math.abs(actual - f.point) / scale : 0;
      if (actual >= f.lower && actual <= f.upper) inside++;
      count++;
    }
  }
  const mae = absError / count;
  const naiveMae = naiveAbsError / count;
  return {
    origins,
    forecasts: count,
    mae,
    naiveMae,
    relativeMae: naiveMae > 0 ? mae / naiveMae : mae === 0 ? 0 : Number.MAX_VALUE,
    mase: scaledError / count,
    coverage: inside / count,
    methods,
  };
}
