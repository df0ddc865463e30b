import { describe, expect, it } from 'vitest';
import type { MlError } from '../errors.js';
import { backtest, type BacktestResult } from './backtest.js';
import { fitSeriesModel, forecastModel, seasonalNaive, type ForecastPoint } from './forecaster.js';
import { etsPoint, etsSd, fitEts } from './holt-winters.js';

const months = (start: number, values: readonly (number | null)[]) =>
  values.map((value, i) => ({ month: `${2020 + Math.floor((start + i) / 12)}-${String(((start + i) % 12) + 1).padStart(2, '0')}`, value }));

/** A multiplicative seasonal series with a linear trend and a fixed, deterministic wiggle. */
function seasonalSeries(n: number): number[] {
  const season = [0.8, 0.85, 1.0, 1.1, 1.05, 0.95, 0.9, 0.95, 1.0, 1.05, 1.1, 1.45];
  return Array.from({ length: n }, (_, t) => (1000 + 10 * t) * (season[t % 12] as number) * (1 + 0.04 * Math.sin(t * 2.3)));
}

describe('Holt-Winters recursions (hand-checked)', () => {
  it('forecasts a pure additive pattern exactly', () => {
    // y = 100 + 2t + s(t), s alternating over a period of 4: perfectly additive, trend 2/step.
    const s = [5, -5, 10, -10];
    const y = Array.from({ length: 16 }, (_, t) => 100 + 2 * t + (s[t % 4] as number));
    const fit = fitEts(y, { trend: 'additive', season: 'additive', period: 4 });
    if (!fit) throw new Error('additive-trend additive-season model should fit');
    // Next value: t = 16 → 100 + 32 + s[0] = 137; t = 17 → 134 - 5 + 2 = 129 (100 + 34 − 5).
    expect(etsPoint(fit, 1)).toBeCloseTo(137, 1);
    expect(etsPoint(fit, 2)).toBeCloseTo(129, 1);
  });

  it('widens the interval with the horizon: sd_h² = σ²(1 + Σ c_j²)', () => {
    const fit = { spec: { trend: 'none', season: 'none', period: 12 }, params: { alpha: 0.5, beta: 0, gamma: 0, phi: 1 }, sigma: 2 } as const;
    // Simple exponential smoothing: c_j = α = 0.5 → sd_3 = 2·√(1 + 0.25 + 0.25) = 2·√1.5.
    expect(etsSd(fit, 1, 0)).toBeCloseTo(2, 10);
    expect(etsSd(fit, 3, 0)).toBeCloseTo(2 * Math.sqrt(1.5), 10);
  });

  it('refuses a multiplicative model on data that is not positive', () => {
    const y = Array.from({ length: 24 }, (_, t) => (t % 12) - 3);
    expect(fitEts(y, { trend: 'none', season: 'multiplicative', period: 12 })).toBeUndefined();
  });
});

describe('fitSeriesModel: selection and fallbacks', () => {
  it('picks a seasonal Holt-Winters model by AICc on a seasonal series and forecasts with intervals', () => {
    const model = fitSeriesModel('s', months(0, seasonalSeries(48)));
    expect(model.method).toBe('holt_winters');
    expect(model.ets?.spec.season).not.toBe('none');
    const f = forecastModel(model, 12);
    expect(f.map((p) => p.month)).toEqual(months(48, new Array(12).fill(0)).map((p) => p.month));
    for (const p of f) expect(p.lower <= p.point && p.point <= p.upper).toBe(true);
    // December is the peak of the season in the data; the forecast keeps it.
    const december = f.find((p) => p.month.endsWith('-12')) as ForecastPoint;
    expect(Math.max(...f.map((p) => p.point))).toBe(december.point);
  });

  it('falls back to seasonal naive below two seasons, with the reason', () => {
    const model = fitSeriesModel('short', months(0, seasonalSeries(18)));
    expect(model.method).toBe('seasonal_naive');
    expect(model.notes.join(' ')).toMatch(/18 months of history: Holt-Winters needs 24/);
    const values = seasonalSeries(18);
    expect(forecastModel(model, 1)[0]?.point).toBeCloseTo(values[6] as number, 10);
  });

  it('falls back to exponential smoothing below one season, and refuses fewer than 3 months', () => {
    expect(fitSeriesModel('tiny', months(0, [10, 12, 11, 13])).method).toBe('exponential_smoothing');
    expect(() => fitSeriesModel('two', months(0, [1, 2]))).toThrowError(/has 2 month\(s\) of history; at least 3/);
    try {
      fitSeriesModel('two', months(0, [1, 2]));
    } catch (error) {
      expect((error as MlError).code).toBe('SERIES_TOO_SHORT');
    }
  });

  it('forecasts a constant series as the constant with a zero-width interval, no NaN', () => {
    const model = fitSeriesModel('flat', months(0, new Array(30).fill(500)));
    expect(model.method).toBe('constant');
    expect(forecastModel(model, 3)).toEqual([
      { month: '2022-07', point: 500, lower: 500, upper: 500 },
      { month: '2022-08', point: 500, lower: 500, upper: 500 },
      { month: '2022-09', point: 500, lower: 500, upper: 500 },
    ]);
  });

  it('fills missing months by interpolation and says which', () => {
    const points = months(0, [10, 20, null, 40, 50, 60]).filter((p) => p.month !== '2020-04');
    const model = fitSeriesModel('gaps', points);
    expect(model.notes[0]).toBe('2 missing month(s) filled by linear interpolation: 2020-03, 2020-04');
    expect(model.observations).toBe(6);
  });

  it('rejects bad input naming the field, value and expectation', () => {
    expect(() => fitSeriesModel('x', [{ month: '2020-13', value: 1 }])).toThrowError('x[0].month: got "2020-13", expected a month as YYYY-MM');
    expect(() => fitSeriesModel('x', [{ month: '2020-01', value: Number.NaN }])).toThrowError('x[2020-01].value: got NaN, expected a finite number');
    const model = fitSeriesModel('ok', months(0, [1, 2, 3, 4]));
    expect(() => forecastModel(model, 0)).toThrowError('months: got 0, expected a whole number from 1 to 120');
  });

  it('keeps lower ≤ point ≤ upper, all ≥ 0, when a non-negative series declines towards zero', () => {
    // 36 months falling from ~1000 to ~55: the trend extrapolates below zero within a year.
    const season = [1, 0.9, 1.1, 1, 0.95, 1.05, 1, 0.9, 1.1, 1, 0.95, 1.05];
    const declining = Array.from({ length: 36 }, (_, t) => Math.max(0, (1000 - 27 * t) * (season[t % 12] as number)));
    const model = fitSeriesModel('declining', months(0, declining));
    const f = forecastModel(model, 12);
    for (const p of f) expect([p.lower <= p.point, p.point <= p.upper, p.lower >= 0, p.point >= 0]).toEqual([true, true, true, true]);
    // The clip is exercised: some step would otherwise be negative.
    expect(f.some((p) => p.point === 0)).toBe(true);
  });

  it('clips lower bounds at 0 for non-negative histories', () => {
    const model = fitSeriesModel('tax', months(0, [0, 5, 0, 6, 0, 4, 0, 7]));
    for (const p of forecastModel(model, 6)) expect(p.lower).toBeGreaterThanOrEqual(0);
  });
});

describe('seasonal naive and the rolling-origin backtest', () => {
  it('seasonal naive repeats the last season; σ from seasonal differences', () => {
    const y = [1, 2, 3, 4, 3, 4, 5, 6];
    const n = seasonalNaive(y, 4);
    expect(n.lastSeason).toEqual([3, 4, 5, 6]);
    expect(n.sigma).toBeCloseTo(2, 10);
  });

  it('scores seasonal naive itself at relative MAE 1 on a pure seasonal random walk-free series', () => {
    // A pure repeating season: seasonal naive is perfect, so the model cannot beat it (both 0 error).
    const y = Array.from({ length: 40 }, (_, t) => [5, 9, 7, 12][t % 4] as number);
    const result = backtest(y, { period: 4, horizon: 2 });
    expect(result?.naiveMae).toBe(0);
  });

  it('beats seasonal naive on a trended seasonal series (trend makes last year stale)', () => {
    const result = backtest(seasonalSeries(48), { horizon: 3 }) as BacktestResult;
    expect(result.origins).toBe(24);
    expect(result.relativeMae).toBeLessThan(1);
    expect(result.mase).toBeLessThan(1);
  });

  it('is undefined when the series is too short for one origin', () => {
    expect(backtest(seasonalSeries(24))).toBeUndefined();
  });
});
