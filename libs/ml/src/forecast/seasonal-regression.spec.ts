import { probit } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random.js';
import { backtest } from './backtest.js';
import { fSurvival, regularizedBeta } from './f-distribution.js';
import { fitSeriesModel, forecastModel, type SeriesModel } from './forecaster.js';
import { fitSeriesModels, relatedSeries } from './series-set.js';
import { regressionForecast, robustDecomposition, sharedSeason, sharedSeasonTest, type RegressionArtifact } from './seasonal-regression.js';

const DECEMBER_PEAK = [0.64, 0.56, 0.9, 1.1, 1.0, 0.9, 0.81, 0.9, 1.0, 1.1, 1.32, 2.1];
const MID_YEAR_PEAK = [1.0, 1.1, 1.2, 1.3, 1.5, 1.6, 1.3, 1.0, 0.8, 0.7, 0.7, 0.8];

/** size × season × 1 %/month growth × log-normal noise (seeded): the shape of the agency series. */
function series(random: SeededRandom, season: readonly number[], size: number, n: number, noise: number): number[] {
  return Array.from({ length: n }, (_, t) => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
    return size * (season[t % 12] as number) * 1.01 ** t * Math.exp(noise * gaussian);
  });
}

const monthly = (values: readonly number[], start = '2023') =>
  values.map((value, i) => ({ month: `${Number(start) + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, value }));

describe('robust log-scale decomposition (hand-checked)', () => {
  it('recovers an exact line plus season', () => {
    // x_t = 1 + 0.02·t + s[t mod 4], s sums to 0.
    const s = [0.3, -0.1, -0.4, 0.2];
    const x = Array.from({ length: 12 }, (_, t) => 1 + 0.02 * t + (s[t % 4] as number));
    const fit = robustDecomposition(x, 4);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.slope).toBeCloseTo(0.02, 10);
    fit.season.forEach((v, i) => expect(v).toBeCloseTo(s[i] as number, 10));
  });

  it('gives a one-off spike weight 0 and keeps the line and season of the rest', () => {
    const s = [0.3, -0.1, -0.4, 0.2];
    // A small fixed wiggle so the residual scale is not 0, and a spike of +1.5 (×4.5 on the original scale) at t = 5.
    const x = Array.from({ length: 16 }, (_, t) => 1 + 0.02 * t + (s[t % 4] as number) + 0.01 * Math.sin(2.7 * t) + (t === 5 ? 1.5 : 0));
    const fit = robustDecomposition(x, 4);
    expect(fit.weights[5]).toBe(0);
    expect(fit.weights.filter((w) => w === 0)).toHaveLength(1);
    expect(fit.slope).toBeCloseTo(0.02, 2);
    expect(fit.season[1]).toBeCloseTo(-0.1, 1);
    // Least squares alone would move season[1] by 1.5 / 4 cycles ≈ 0.37.
    const leastSquares = robustDecomposition(x, 4, undefined, new Array(16).fill(1));
    expect((leastSquares.season[1] as number) - (fit.season[1] as number)).toBeGreaterThan(0.25);
  });
});

describe('shared seasonal indexes', () => {
  it('is the median of the members\' own log indexes, centred', () => {
    const flat = (k: number) => Array.from({ length: 24 }, (_, t) => 100 * Math.exp(k * (t % 12 === 11 ? 1 : 0)));
    // December log index of each member: k·11/12 (centred); the median of k ∈ {0.1, 0.2, 0.9} is 0.2.
    const shared = sharedSeason([flat(0.1), flat(0.9), flat(0.2)], 12);
    expect(shared?.members).toBe(3);
    expect(shared?.indexes[11]).toBeCloseTo((0.2 * 11) / 12, 10);
    expect(shared?.indexes[0]).toBeCloseTo(-0.2 / 12, 10);
  });

  it('needs three positive members with two seasons', () => {
    const ok = Array.from({ length: 24 }, (_, t) => 100 + (t % 12));
    expect(sharedSeason([ok, ok], 12)).toBeUndefined();
    expect(sharedSeason([ok, ok, ok.map((v, t) => (t === 3 ? 0 : v))], 12)).toBeUndefined();
    expect(sharedSeason([ok, ok, ok.slice(0, 23)], 12)).toBeUndefined();
    expect(sharedSeason([ok, ok, ok], 12)?.members).toBe(3);
  });
});

describe('F distribution', () => {
  it('matches hand-computed values', () => {
    // I_½(2, 3) = Σ_{j=2..4} C(4, j)/2⁴ = 11/16.
    expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 12);
    // F(d, d) is symmetric around 1 in the sense P(F > 1) = ½.
    expect(fSurvival(1, 5, 5)).toBeCloseTo(0.5, 12);
    // Table value: the upper 1 % point of F(11, 11) is 4.46.
    expect(fSurvival(4.46, 11, 11)).toBeCloseTo(0.01, 4);
    expect(fSurvival(0, 3, 4)).toBe(1);
  });
});

describe('the sharing test and fitSeriesModels', () => {
  const random = new SeededRandom(3);
  const group = Array.from({ length: 6 }, (_, i) => series(random, DECEMBER_PEAK, 1000 * (i + 1), 30, 0.1));
  const different = series(random, MID_YEAR_PEAK, 2000, 30, 0.1);

  it('keeps a series that shares the season and rejects one with a pattern of its own', () => {
    const same = sharedSeasonTest(group[0] as number[], sharedSeason(group, 12) as NonNullable<ReturnType<typeof sharedSeason>>);
    expect(same.pValue).toBeGreaterThan(0.01);
    const own = sharedSeasonTest(different, sharedSeason([...group, different], 12) as NonNullable<ReturnType<typeof sharedSeason>>);
    expect(own.pValue).toBeLessThan(0.01);
    expect([own.df1, own.df2]).toEqual([11, 30 - 13]);
  });

  it('shares within series over the same months only, and says what it did', () => {
    const input = new Map([
      ...group.map((y, i) => [`ewt:A${i}`, monthly(y)] as const),
      ['ewt:OWN', monthly(different)],
      // Same values, other months: a group of one, fitted alone.
      ['vat:later', monthly(group[0] as number[], '2024')],
    ]);
    expect(relatedSeries(input).get('ewt:A0')).toHaveLength(7);
    expect(relatedSeries(input).get('vat:later')).toHaveLength(1);
    const models = fitSeriesModels(input);
    expect(models['ewt:A0']?.method).toBe('seasonal_regression');
    expect(models['ewt:A0']?.notes).toEqual(['seasonal indexes shared by 7 related series over the same months; level and trend fitted robustly on the log scale']);
    expect(models['ewt:OWN']?.method).toBe('holt_winters');
    expect(models['ewt:OWN']?.notes.join(' ')).toMatch(/^own seasonal pattern differs from the one shared by 7 related series \(F test p = .* < 0\.01\), so it is fitted alone$/);
    expect(models['vat:later']?.method).toBe('holt_winters');
    // Same data, same artifact.
    expect(JSON.stringify(fitSeriesModels(input))).toBe(JSON.stringify(models));
  });

  it('lists the months it down-weighted as outliers', () => {
    const spiked = (group[1] as number[]).map((v, t) => (t === 16 ? v * 6 : v));
    const model = fitSeriesModel('spiked', monthly(spiked), { sharedSeason: sharedSeason([...group, spiked], 12) as NonNullable<ReturnType<typeof sharedSeason>> });
    expect(model.method).toBe('seasonal_regression');
    expect(model.notes[0]).toMatch(/; 1 month\(s\) down-weighted as outliers: 2024-05$/);
  });
});

describe('seasonal regression forecasts', () => {
  const artifact: RegressionArtifact = { level: Math.log(1000), slope: 0.01, season: [0.1, -0.2, 0, 0], sigma: 0.1, weight: 24, sxx: 1150, lastOffset: 11.5, sharedBy: 16 };
  const model: SeriesModel = { series: 'hand', method: 'seasonal_regression', lastMonth: '2025-12', observations: 24, notes: [], regression: artifact, nonNegative: true };

  it('back-transforms the log-scale line and season (the median forecast) with an interval around it', () => {
    const [m1, m2] = forecastModel(model, 2);
    expect(m1?.month).toBe('2026-01');
    expect(m1?.point).toBeCloseTo(1000 * Math.exp(0.01 + 0.1), 8);
    expect(m2?.point).toBeCloseTo(1000 * Math.exp(0.02 - 0.2), 8);
    // sd_h = σ·√(1 + 1/24 + (11.5 + h)²/1150); interval exp(log point ± z·sd), z the 97.5 % normal quantile.
    const z = probit(0.975);
    const sd1 = 0.1 * Math.sqrt(1 + 1 / 24 + 12.5 ** 2 / 1150);
    expect(regressionForecast(artifact, 1).sd).toBeCloseTo(sd1, 12);
    expect(m1?.lower).toBeCloseTo(1000 * Math.exp(0.11 - z * sd1), 6);
    expect(m1?.upper).toBeCloseTo(1000 * Math.exp(0.11 + z * sd1), 6);
    expect(regressionForecast(artifact, 12).sd).toBeGreaterThan(sd1);
  });

  it('never returns a non-finite forecast', () => {
    const broken: SeriesModel = { ...model, regression: { ...artifact, level: 800 } };
    expect(() => forecastModel(broken, 1)).toThrowError(/produced a non-finite forecast at step 1/);
  });
});

describe('backtest with related series', () => {
  it('refits the shared indexes at every origin and beats fitting each series alone', () => {
    const random = new SeededRandom(11);
    const group = Array.from({ length: 8 }, (_, i) => series(random, DECEMBER_PEAK, 500 * (i + 1), 36, 0.15));
    const y = group[2] as number[];
    const shared = backtest(y, { related: group }) ?? expect.fail('36 months give 12 origins');
    const alone = backtest(y) ?? expect.fail('36 months give 12 origins');
    expect(shared.methods).toEqual({ seasonal_regression: 12 });
    expect(shared.relativeMae).toBeLessThan(alone.relativeMae);
    expect(shared.mase).toBeLessThan(1);
  });

  it('never looks ahead: the forecasts from origin t do not change when the related series change from month t on', () => {
    const random = new SeededRandom(11);
    const group = Array.from({ length: 8 }, (_, i) => series(random, DECEMBER_PEAK, 500 * (i + 1), 36, 0.15));
    const y = group[2] as number[];
    const perOrigin = (related: number[][]) => {
      const out = new Map<number, string>();
      backtest(y, { related, onOrigin: (t, f) => out.set(t, JSON.stringify(f)) });
      return out;
    };
    const base = perOrigin(group);
    // Every other series five times larger from month 30 on (0-based): origins 24..30 train on months before it.
    const changed = perOrigin(group.map((r, i) => (i === 2 ? r : r.map((v, t) => (t >= 30 ? v * 5 : v)))));
    expect([...base.keys()]).toEqual(Array.from({ length: 12 }, (_, i) => 24 + i));
    for (const t of [24, 25, 26, 27, 28, 29, 30]) expect(changed.get(t), `origin ${t}`).toBe(base.get(t));
    // From origin 31 the change is in the training window, and is seen.
    expect([31, 32, 33, 34, 35].some((t) => changed.get(t) !== base.get(t))).toBe(true);
  });

  it('rejects related series over other months, naming the field', () => {
    const y = Array.from({ length: 30 }, (_, t) => 100 + t);
    expect(() => backtest(y, { related: [y, y.slice(1)] })).toThrowError('related[1].length: got 29, expected 30, the months of the backtested series (related series cover the same months)');
  });
});
