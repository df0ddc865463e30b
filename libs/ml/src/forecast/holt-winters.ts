import { nelderMead, squash, unsquash } from './nelder-mead.js';

export type TrendKind = 'none' | 'additive' | 'damped';
export type SeasonKind = 'none' | 'additive' | 'multiplicative';

/** Which exponential-smoothing model: ETS(·, trend, season) in Hyndman's taxonomy. */
export interface EtsSpec {
  readonly trend: TrendKind;
  readonly season: SeasonKind;
  /** Season length (12 for monthly data). */
  readonly period: number;
}

/** Classical smoothing parameters, each in (0, 1); `phi` (damping) in [0.8, 0.98], 1 without damping. */
export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

/** The state after the last observation: enough to forecast without the data. */
export interface EtsState {
  readonly level: number;
  readonly trend: number;
  /** Seasonal indexes for the next `period` months, in order (`season[0]` is the month after the data). */
  readonly season: readonly number[];
}

export interface EtsFit {
  readonly spec: EtsSpec;
  readonly params: EtsParams;
  readonly state: EtsState;
  readonly n: number;
  readonly sse: number;
  /** Free parameters counted by AICc: smoothing parameters and initial states. */
  readonly k: number;
  readonly aicc: number;
  /** One-step error scale: absolute (additive season) or relative to the forecast (multiplicative). */
  readonly sigma: number;
}

const EPS = 1e-4;

/**
 * Start values from all complete seasons of the data, not only the first: the trend from the first
 * and last seasons' means, the level at time −1 on that line; the seasonal indexes are the mean detrended
 * deviation (additive) or ratio (multiplicative) per month of year, normalised to sum 0 / mean 1.
 * Averaging k seasons divides the noise in the indexes by √k — with one season the noise of that
 * single year would be copied into every forecast. These states count as fitted parameters in AICc.
 */
function initialState(y: readonly number[], spec: EtsSpec): { level: number; trend: number; season: number[] } | undefined {
  const m = spec.period;
  if (spec.season === 'none') {
    return { level: y[0] as number, trend: spec.trend === 'none' ? 0 : (y[1] as number) - (y[0] as number), season: [] };
  }
  const cycles = Math.floor(y.length / m);
  const used = y.slice(0, cycles * m);
  const n = used.length;
  // Trend from the means of the first and last complete seasons (exact for a linear trend plus a
  // repeating pattern, unlike a least-squares line, which the pattern's phase would tilt).
  const cycleMean = (c: number) => used.slice(c * m, (c + 1) * m).reduce((a, b) => a + b, 0) / m;
  const slope = spec.trend === 'none' || cycles < 2 ? 0 : (cycleMean(cycles - 1) - cycleMean(0)) / ((cycles - 1) * m);
  const intercept = spec.trend === 'none' ? used.reduce((a, b) => a + b, 0) / n : cycleMean(0) - (slope * (m - 1)) / 2;
  const season = new Array<number>(m).fill(0);
  for (let t = 0; t < n; t++) {
    const line = intercept + slope * t;
    if (spec.season === 'multiplicative' && !(line > 0)) return undefined;
    season[t % m] = (season[t % m] as number) + (spec.season === 'additive' ? (used[t] as number) - line : (used[t] as number) / line);
  }
  for (let i = 0; i < m; i++) season[i] = (season[i] as number) / cycles;
  const centre = season.reduce((a, b) => a + b, 0) / m;
  for (let i = 0; i < m; i++) season[i] = spec.season === 'additive' ? (season[i] as number) - centre : (season[i] as number) / centre;
  return { level: intercept - slope, trend: slope, season };
}

/** Runs the recursions; returns the SSE of one-step errors (Infinity when the model breaks down). */
function run(y: readonly number[], spec: EtsSpec, p: EtsParams): { sse: number; relSse: number; state: EtsState } {
  const init = initialState(y, spec);
  if (!init) return { sse: Infinity, relSse: Infinity, state: { level: 0, trend: 0, season: [] } };
  let { level, trend } = init;
  const s = init.season;
  const m = spec.period;
  let sse = 0;
  let relSse = 0;
  for (let t = 0; t < y.length; t++) {
    const yt = y[t] as number;
    const base = level + p.phi * trend;
    const seasonal = spec.season === 'none' ? 0 : (s[t % m] as number);
    const forecast = spec.season === 'multiplicative' ? base * seasonal : base + seasonal;
    const error = yt - forecast;
    sse += error * error;
    if (spec.season === 'multiplicative') {
      if (!(forecast > 0)) return { sse: Infinity, relSse: Infinity, state: { level, trend, season: [] } };
      relSse += (error / forecast) ** 2;
    }
    const previousLevel = level;
    if (spec.season === 'multiplicative') level = (p.alpha * yt) / seasonal + (1 - p.alpha) * base;
    else level = p.alpha * (yt - seasonal) + (1 - p.alpha) * base;
    if (spec.trend !== 'none') trend = p.beta * (level - previousLevel) + (1 - p.beta) * p.phi * trend;
    if (spec.season === 'additive') s[t % m] = p.gamma * (yt - level) + (1 - p.gamma) * seasonal;
    if (spec.season === 'multiplicative') {
      if (!(level > 0)) return { sse: Infinity, relSse: Infinity, state: { level, trend, season: [] } };
      s[t % m] = (p.gamma * yt) / level + (1 - p.gamma) * seasonal;
    }
  }
  const n = y.length;
  const season = spec.season === 'none' ? [] : Array.from({ length: m }, (_, i) => s[(n + i) % m] as number);
  return { sse, relSse, state: { level, trend, season } };
}

/** How many values a spec needs: two full seasons for seasonal models, three points otherwise. */
export function minimumLength(spec: EtsSpec): number {
  return spec.season === 'none' ? 3 : 2 * spec.period;
}

/**
 * Fits one ETS spec by minimising the one-step SSE over the smoothing parameters (a small start
 * grid, then Nelder–Mead). Returns undefined when the spec cannot be fitted (too short, or a
 * multiplicative model on non-positive data).
 */
export function fitEts(y: readonly number[], spec: EtsSpec): EtsFit | undefined {
  if (y.length < minimumLength(spec)) return undefined;
  if (spec.season === 'multiplicative' && y.some((v) => !(v > 0))) return undefined;
  const hasTrend = spec.trend !== 'none';
  const hasSeason = spec.season !== 'none';
  const damped = spec.trend === 'damped';
  const decode = (x: readonly number[]): EtsParams => {
    let i = 0;
    const alpha = squash(x[i++] as number, EPS, 1 - EPS);
    const beta = hasTrend ? squash(x[i++] as number, EPS, 1 - EPS) : 0;
    const gamma = hasSeason ? squash(x[i++] as number, EPS, 1 - EPS) : 0;
    const phi = damped ? squash(x[i] as number, 0.8, 0.98) : 1;
    return { alpha, beta, gamma, phi };
  };
  const objective = (x: number[]) => run(y, spec, decode(x)).sse;
  let start: number[] = [];
  let startValue = Infinity;
  for (const alpha of [0.1, 0.3, 0.6, 0.9]) {
    for (const beta of hasTrend ? [0.05, 0.3] : [0]) {
      for (const gamma of hasSeason ? [0.05, 0.3] : [0]) {
        const x = [unsquash(alpha, EPS, 1 - EPS)];
        if (hasTrend) x.push(unsquash(beta, EPS, 1 - EPS));
        if (hasSeason) x.push(unsquash(gamma, EPS, 1 - EPS));
        if (damped) x.push(unsquash(0.9, 0.8, 0.98));
        const value = objective(x);
        if (value < startValue) [start, startValue] = [x, value];
      }
    }
  }
  if (!Number.isFinite(startValue)) return undefined;
  const best = nelderMead(objective, start, { maxIterations: 300 });
  const params = decode(best.x);
  const { sse, relSse, state } = run(y, spec, params);
  if (!Number.isFinite(sse)) return undefined;
  const n = y.length;
  const k = 1 + (hasTrend ? 1 : 0) + (hasSeason ? 1 : 0) + (damped ? 1 : 0) + 1 + (hasTrend ? 1 : 0) + (hasSeason ? spec.period - 1 : 0);
  // Likelihood of Gaussian one-step errors; a perfect fit (sse = 0) is floored to keep AICc finite.
  const logLik = n * Math.log(Math.max(sse, 1e-12) / n);
  const aicc = n - k - 1 > 0 ? logLik + 2 * k + (2 * k * (k + 1)) / (n - k - 1) : logLik + 2 * k;
  // Degrees of freedom left after the k fitted values: in-sample errors understate out-of-sample ones.
  const sigma = Math.sqrt((spec.season === 'multiplicative' ? relSse : sse) / Math.max(1, n - k));
  return { spec, params, state, n, sse, k, aicc, sigma };
}

/** Cumulative damped trend multiplier φ + φ² + … + φ^h (h without damping, 0 without trend). */
function trendMultiplier(spec: EtsSpec, phi: number, h: number): number {
  if (spec.trend === 'none') return 0;
  if (spec.trend === 'additive') return h;
  let total = 0;
  let power = 1;
  for (let i = 1; i <= h; i++) {
    power *= phi;
    total += power;
  }
  return total;
}

/** Point forecast `h` ≥ 1 steps after the data. */
export function etsPoint(fit: Pick<EtsFit, 'spec' | 'params' | 'state'>, h: number): number {
  const { spec, params, state } = fit;
  const base = state.level + trendMultiplier(spec, params.phi, h) * state.trend;
  if (spec.season === 'none') return base;
  const seasonal = state.season[(h - 1) % spec.period] as number;
  return spec.season === 'multiplicative' ? base * seasonal : base + seasonal;
}

/**
 * Standard deviation of the `h`-step error: σ²·(1 + Σ_{j<h} c_j²) with
 * c_j = α + αβ·φ_j + γ(1−α)·[j mod m = 0] (Hyndman et al. 2008, class 1, written for the classical
 * parameters). For multiplicative seasonality σ is relative and is scaled by the point forecast —
 * an approximation, stated in docs/ml.md.
 */
export function etsSd(fit: Pick<EtsFit, 'spec' | 'params' | 'sigma'>, h: number, point: number): number {
  const { spec, params } = fit;
  let sum = 1;
  for (let j = 1; j < h; j++) {
    const seasonalHit = spec.season !== 'none' && j % spec.period === 0 ? params.gamma * (1 - params.alpha) : 0;
    const c = params.alpha + params.alpha * params.beta * trendMultiplier(spec, params.phi, j) + seasonalHit;
    sum += c * c;
  }
  const scale = spec.season === 'multiplicative' ? Math.abs(point) : 1;
  return fit.sigma * scale * Math.sqrt(sum);
}
