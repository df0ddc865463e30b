import { median } from 'simple-statistics';
import { fSurvival } from './f-distribution.js';

/**
 * Seasonal regression on the log scale with seasonal indexes shared by related series ("group
 * seasonal indexes", Dalhart 1974; Withycombe 1989; Bunn & Vassilopoulos 1999):
 * log y_t = level + slope·t + s_{t mod m} + e_t.
 *
 * Why: with two or three seasons of monthly data every per-series model estimates each of the 12
 * seasonal indexes from 2–3 noisy values (and an injected spike moves one of them by half its size).
 * Series of the same kind over the same months (the agencies' EWT and input VAT) share the calendar
 * — December peak, February trough — so the median of their own indexes is a far less noisy estimate
 * of that shape. Each series keeps its own level and trend, fitted robustly (Tukey bisquare IRLS), so
 * a one-off spike does not move the forecast either. Multiplicative seasonality and noise become
 * additive on the log scale; the back-transformed point is the median forecast (what MAE rewards).
 */

/** A least-squares line through `d` with weights `w`; `tMean`/`sxx` are the weighted mean and spread of t. */
function weightedLine(d: readonly number[], w: readonly number[]): { intercept: number; slope: number; tMean: number; sxx: number } {
  let sw = 0;
  let st = 0;
  let sd = 0;
  for (let t = 0; t < d.length; t++) {
    sw += w[t] as number;
    st += (w[t] as number) * t;
    sd += (w[t] as number) * (d[t] as number);
  }
  const tMean = st / sw;
  const dMean = sd / sw;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < d.length; t++) {
    sxy += (w[t] as number) * (t - tMean) * ((d[t] as number) - dMean);
    sxx += (w[t] as number) * (t - tMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: dMean - slope * tMean, slope, tMean, sxx };
}

/** Tukey's bisquare constant: 95 % efficiency for Gaussian errors. */
const BISQUARE = 4.685;
/** Ordinary least-squares passes (season and line alternate), then reweighted passes. */
const LS_PASSES = 5;
const ROBUST_PASSES = 20;

export interface LogDecomposition {
  readonly intercept: number;
  readonly slope: number;
  /** Seasonal log indexes by position: `season[t % m]` applies to `x[t]`; they sum to 0. */
  readonly season: readonly number[];
  /** Bisquare weights in [0, 1]; 0 = treated as an outlier. */
  readonly weights: readonly number[];
  readonly residuals: readonly number[];
  readonly tMean: number;
  readonly sxx: number;
}

/**
 * Robust fit of x_t = intercept + slope·t + season[t mod m] + e_t (x already on the log scale).
 * With `season` given only the line is fitted. Least squares first (season and line alternate until
 * they agree), then Tukey-bisquare reweighting with the scale 1.4826·MAD of the residuals.
 * With `weights` given, weighted least squares with those weights only (no reweighting).
 * Deterministic (fixed number of passes).
 */
export function robustDecomposition(x: readonly number[], period: number, season?: readonly number[], weights?: readonly number[]): LogDecomposition {
  const n = x.length;
  let s = season ? [...season] : new Array<number>(period).fill(0);
  let w = weights ? [...weights] : new Array<number>(n).fill(1);
  let line = weightedLine(x, w);
  for (let pass = 0; pass < LS_PASSES + ROBUST_PASSES; pass++) {
    line = weightedLine(x.map((v, t) => v - (s[t % period] as number)), w);
    if (!season) {
      const sum = new Array<number>(period).fill(0);
      const weight = new Array<number>(period).fill(0);
      for (let t = 0; t < n; t++) {
        sum[t % period] = (sum[t % period] as number) + (w[t] as number) * ((x[t] as number) - line.intercept - line.slope * t);
        weight[t % period] = (weight[t % period] as number) + (w[t] as number);
      }
      // A position whose every value is an outlier keeps its previous index.
      s = s.map((old, i) => ((weight[i] as number) > 0 ? (sum[i] as number) / (weight[i] as number) : old));
      const centre = s.reduce((a, b) => a + b, 0) / period;
      s = s.map((v) => v - centre);
    }
    if (!weights && pass >= LS_PASSES - 1) {
      const residuals = x.map((v, t) => v - line.intercept - line.slope * t - (s[t % period] as number));
      const scale = 1.4826 * median(residuals.map(Math.abs));
      if (!(scale > 0)) break;
      w = residuals.map((r) => {
        const u = Math.abs(r) / (BISQUARE * scale);
        return u < 1 ? (1 - u * u) ** 2 : 0;
      });
    }
  }
  line = weightedLine(x.map((v, t) => v - (s[t % period] as number)), w);
  const residuals = x.map((v, t) => v - line.intercept - line.slope * t - (s[t % period] as number));
  return { intercept: line.intercept, slope: line.slope, season: s, weights: w, residuals, tMean: line.tMean, sxx: line.sxx };
}

/** Fewest related series whose median seasonal profile is used (with 2 the median is just their mean). */
export const MIN_SHARED_SERIES = 3;

/** Seasonal log indexes estimated from several series over the same months. */
export interface SharedSeason {
  /** `indexes[t % period]` applies to month t of each member (t = 0 is their common first month). */
  readonly indexes: readonly number[];
  /** How many series it was estimated from. */
  readonly members: number;
}

/**
 * The shared seasonal profile of series over the same months: each positive member with at least
 * two seasons gets its own robust log-scale indexes, the profile is their median per position.
 * Undefined with fewer than {@link MIN_SHARED_SERIES} such members (then each series keeps its own
 * Holt-Winters model).
 */
export function sharedSeason(members: readonly (readonly number[])[], period: number): SharedSeason | undefined {
  const own = members
    .filter((y) => y.length >= 2 * period && y.every((v) => v > 0))
    .map((y) => robustDecomposition(y.map(Math.log), period).season);
  if (own.length < MIN_SHARED_SERIES) return undefined;
  const indexes = Array.from({ length: period }, (_, i) => median(own.map((s) => s[i] as number)));
  const centre = indexes.reduce((a, b) => a + b, 0) / period;
  return { indexes: indexes.map((v) => v - centre), members: own.length };
}

/** Below this p-value a series' own seasonal pattern is taken to differ from the shared one. */
export const SHARED_SEASON_ALPHA = 0.01;

/**
 * F test of the shared seasonal indexes against the series' own (nested models on the log scale:
 * line + shared indexes vs line + m − 1 own indexes, F(m − 1, n − m − 1)). A small p-value says the
 * series has a seasonal pattern of its own, and sharing would impose the wrong one. Months that the
 * shared fit treats as outliers are left out of both residual sums: a single spike would otherwise
 * look like a seasonal pattern of its own (the own fit absorbs half of it into that month's index).
 * Its size and power on simulated series are in docs/ml.md (Forecasting).
 */
export function sharedSeasonTest(y: readonly number[], shared: SharedSeason): { f: number; pValue: number; df1: number; df2: number } {
  const period = shared.indexes.length;
  const x = y.map(Math.log);
  // Months the robust shared fit rejects outright (bisquare weight 0: the injected spikes) are left
  // out; both models are then fitted by least squares on the rest, as in the textbook F test.
  const kept = robustDecomposition(x, period, shared.indexes).weights.map((w) => (w === 0 ? 0 : 1));
  const own = robustDecomposition(x, period, undefined, kept);
  const restricted = robustDecomposition(x, period, shared.indexes, kept);
  let rssOwn = 0;
  let rssShared = 0;
  let weight = 0;
  for (let t = 0; t < x.length; t++) {
    const w = kept[t] as number;
    rssOwn += w * (own.residuals[t] as number) ** 2;
    rssShared += w * (restricted.residuals[t] as number) ** 2;
    weight += w;
  }
  const df1 = period - 1;
  const df2 = weight - (period + 1);
  if (!(df2 > 0) || !(rssOwn > 0)) return { f: 0, pValue: 1, df1, df2 };
  const f = Math.max(0, (rssShared - rssOwn) / df1) / (rssOwn / df2);
  return { f, pValue: fSurvival(f, df1, df2), df1, df2 };
}

/** The fitted regression as stored in the artifact: enough to forecast without the data. */
export interface RegressionArtifact {
  /** Log-scale trend line at the last month of the data. */
  readonly level: number;
  /** Log-scale growth per month. */
  readonly slope: number;
  /** Seasonal log indexes for the next `period` months, in order (`season[0]` is the month after the data). */
  readonly season: readonly number[];
  /** Residual standard deviation on the log scale (every residual, outliers included: they recur). */
  readonly sigma: number;
  /** Weighted observations, and the spread of t around its weighted mean, for the line's own uncertainty. */
  readonly weight: number;
  readonly sxx: number;
  /** Last month's distance from the weighted mean of t. */
  readonly lastOffset: number;
  /** Series the seasonal indexes were shared with. */
  readonly sharedBy: number;
}

/** Fits one positive series against a shared profile; also returns the months treated as outliers (by index). */
export function fitSeasonalRegression(y: readonly number[], shared: SharedSeason): { artifact: RegressionArtifact; outliers: number[] } {
  const period = shared.indexes.length;
  const n = y.length;
  const fit = robustDecomposition(y.map(Math.log), period, shared.indexes);
  const sse = fit.residuals.reduce((a, r) => a + r * r, 0);
  const weight = fit.weights.reduce((a, b) => a + b, 0);
  return {
    artifact: {
      level: fit.intercept + fit.slope * (n - 1),
      slope: fit.slope,
      season: Array.from({ length: period }, (_, i) => shared.indexes[(n + i) % period] as number),
      // Two fitted values (level, slope); the shared indexes are not fitted to this series alone.
      sigma: Math.sqrt(sse / Math.max(1, n - 2)),
      weight,
      sxx: fit.sxx,
      lastOffset: n - 1 - fit.tMean,
      sharedBy: shared.members,
    },
    outliers: fit.weights.flatMap((w, t) => (w === 0 ? [t] : [])),
  };
}

/** Log-scale point forecast and its standard deviation `h` ≥ 1 months after the data. */
export function regressionForecast(r: RegressionArtifact, h: number): { logPoint: number; sd: number } {
  const logPoint = r.level + r.slope * h + (r.season[(h - 1) % r.season.length] as number);
  const lineVariance = (r.weight > 0 ? 1 / r.weight : 0) + (r.sxx > 0 ? (r.lastOffset + h) ** 2 / r.sxx : 0);
  return { logPoint, sd: r.sigma * Math.sqrt(1 + lineVariance) };
}
