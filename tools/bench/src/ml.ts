/**
 * `npm run bench -- ml` — speed of the ML models, each against a baseline measured in the same run:
 * - forecasting: fit + 12-month forecast of 8 agencies × 36 months the way the train step fits
 *   (`fitSeriesModels`: seasonal indexes shared by the series over the same months, F test, robust
 *   log-scale level and trend; Holt-Winters for a series fitted alone) vs the seasonal-naive model on
 *   the same series; also the rolling-origin backtest (the evaluate step, shared indexes refitted per origin);
 * - classification of 1,000,000 expenses (tokens + naive Bayes) vs a majority-class pass over the
 *   same rows, in rows/s; and anomaly scoring (robust z + isolation forest) of the same rows.
 * A script, not a test: it reports numbers and ratios and never asserts on time.
 */
import { cpus } from 'node:os';
import { backtest, detectAnomalies, expenseTokens, fitSeriesModels, forecastModel, relatedSeries, predictNaiveBayes, seasonalNaive, trainAnomalyModel, trainNaiveBayes, type ExpenseRecord, type MonthlyPoint, type SeriesModel } from '@odoo-ce/ml';
import { generateDataset, Random, SCOUT_AGENCIES, SCOUT_CATEGORIES } from '@odoo-ce/sample-data';
import { median } from './stats.js';

export interface MlBenchmarkOptions {
  /** Expenses to classify and score (default 1,000,000). */
  readonly rows?: number;
  /** Repetitions of the forecasting measurement (median; default 5). */
  readonly repetitions?: number;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`);
const fmtRate = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s`;

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** 8 agencies × 36 months of monthly spend from the sample data's seasonal history. */
function agencySeries(): Map<string, MonthlyPoint[]> {
  const data = generateDataset({ seed: 7, scale: 15_000, scoutHistory: { months: 36 } });
  const sums = new Map<string, Map<string, number>>();
  for (const row of data.scout.transactions) {
    const month = (row.transaction_date as string).slice(0, 7);
    let perMonth = sums.get(row.agency);
    if (!perMonth) sums.set(row.agency, (perMonth = new Map()));
    perMonth.set(month, (perMonth.get(month) ?? 0) + Number(row.amount));
  }
  return new Map([...sums.entries()].map(([agency, m]) => [`spend:${agency}`, [...m.entries()].sort().map(([month, value]) => ({ month, value }))]));
}

type BenchExpense = ExpenseRecord & { readonly description: string };

/** `n` expenses drawn like the Scout generator draws them (seeded). */
function expenses(n: number): BenchExpense[] {
  const random = new Random(11);
  const categories = Object.keys(SCOUT_CATEGORIES);
  const out: BenchExpense[] = [];
  for (let i = 0; i < n; i++) {
    const category = random.pick(categories);
    const spec = SCOUT_CATEGORIES[category] as (typeof SCOUT_CATEGORIES)[string];
    out.push({
      id: `b${i}`, agency: random.pick(SCOUT_AGENCIES), vendor: random.pick(spec.vendors), category, description: random.pick(spec.descriptions),
      amount: (random.amountCentavos(spec.median, 0.5) / 100).toFixed(2), date: `2025-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
    });
  }
  return out;
}

export async function runMlBenchmark(options: MlBenchmarkOptions = {}): Promise<string> {
  const rows = options.rows ?? 1_000_000;
  const reps = options.repetitions ?? 5;
  const series = agencySeries();
  const hw: number[] = [];
  const naive: number[] = [];
  let methods = '';
  for (let r = 0; r < reps; r++) {
    // Interleaved, so a noisy neighbour slows both alike.
    naive.push(timed(() => {
      for (const [name, points] of series) {
        const y = points.map((p) => p.value as number);
        const model: SeriesModel = { series: name, method: 'seasonal_naive', lastMonth: (points[points.length - 1] as MonthlyPoint).month, observations: y.length, notes: [], naive: seasonalNaive(y, 12), nonNegative: true };
        forecastModel(model, 12);
      }
    }).ms);
    const fitted = timed(() => Object.values(fitSeriesModels(series)).map((model) => {
      forecastModel(model, 12);
      return model;
    }));
    hw.push(fitted.ms);
    methods = [...new Set(fitted.value.map((m) => `${m.method}${m.regression ? ` (indexes shared by ${m.regression.sharedBy} series)` : m.ets ? ` (${m.ets.spec.trend} trend, ${m.ets.spec.season} season)` : ''}`))].join('; ');
  }
  const related = relatedSeries(series);
  const evaluation = timed(() => [...series.entries()].map(([name, points]) => backtest(points.map((p) => p.value as number), { horizon: 3, related: related.get(name) ?? [] })));
  const relMae = evaluation.value.reduce((s, b) => s + (b?.relativeMae ?? 0), 0) / evaluation.value.length;

  const data = expenses(rows);
  const trainRows = data.slice(0, Math.min(100_000, rows));
  const model = timed(() => trainNaiveBayes(trainRows.map((e) => ({ tokens: expenseTokens({ vendor: e.vendor, description: e.description, amount: Number(e.amount) }), label: e.category }))));
  const counts = new Map<string, number>();
  for (const e of trainRows) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  const baseline = timed(() => {
    let correct = 0;
    for (const e of data) if (e.category === majority) correct++;
    return correct / data.length;
  });
  const classify = timed(() => {
    let correct = 0;
    for (const e of data) {
      const p = predictNaiveBayes(model.value, expenseTokens({ vendor: e.vendor, description: e.description, amount: Number(e.amount) }));
      if (p.category === e.category) correct++;
    }
    return correct / data.length;
  });
  const anomalyModel = timed(() => trainAnomalyModel(trainRows, { seed: 42 }));
  const scoreRows = data.slice(0, Math.min(rows, 200_000));
  const anomalies = timed(() => detectAnomalies(anomalyModel.value, scoreRows).filter((s) => s.reasons.length > 0).length);

  const hwMs = median(hw);
  const naiveMs = median(naive);
  const lines = [
    '## ML: forecasting, classification and anomaly scoring',
    '',
    `\`tools/bench/src/ml.ts\` — in-process (no warehouse I/O), Node ${process.version}, ${cpus().length} cores shared. Series: 8 agencies × 36 months of spend from the sample data's seasonal history (seed 7); ` +
      `expenses: ${rows.toLocaleString('en-US')} drawn like the Scout generator (seed 11). Forecast timings are the median of ${reps} interleaved runs; every ratio is against the baseline measured in the same run.`,
    '',
    '| step | time | baseline (same run) | ratio |',
    '|---|---:|---:|---:|',
    `| fit + 12-month forecast, 8 series × 36 months (shared seasonal indexes, F test, robust log-scale line) | ${fmtMs(hwMs)} | seasonal naive (same fit + forecast path): ${fmtMs(naiveMs)} | ${(hwMs / Math.max(naiveMs, 1e-3)).toFixed(0)}× |`,
    `| rolling-origin backtest of the 8 series (12 origins × refit, horizon 3) | ${fmtMs(evaluation.ms)} | fit + forecast once: ${fmtMs(hwMs)} | ${(evaluation.ms / hwMs).toFixed(1)}× |`,
    `| train naive Bayes on ${trainRows.length.toLocaleString('en-US')} expenses | ${fmtMs(model.ms)} | — | — |`,
    `| classify ${rows.toLocaleString('en-US')} expenses (tokens + naive Bayes) | ${fmtMs(classify.ms)} = ${fmtRate(rows, classify.ms)} | majority-class pass: ${fmtMs(baseline.ms)} = ${fmtRate(rows, baseline.ms)} | ${(classify.ms / baseline.ms).toFixed(0)}× |`,
    `| train the anomaly model (robust stats + 100-tree isolation forest) on ${trainRows.length.toLocaleString('en-US')} expenses | ${fmtMs(anomalyModel.ms)} | — | — |`,
    `| score ${scoreRows.length.toLocaleString('en-US')} expenses for anomalies (z, forest, duplicates) | ${fmtMs(anomalies.ms)} = ${fmtRate(scoreRows.length, anomalies.ms)} | classify the same rows: ${fmtRate(rows, classify.ms)} | ${((anomalies.ms / scoreRows.length) / (classify.ms / rows)).toFixed(1)}× per row |`,
    '',
    `Methods: ${methods}. Backtest mean relative MAE vs seasonal naive on these spend series: ${relMae.toFixed(3)}. ` +
      `Classifier accuracy on the ${rows.toLocaleString('en-US')} rows: ${(classify.value * 100).toFixed(1)} % (majority class: ${(baseline.value * 100).toFixed(1)} %; vendors belong to one category in the sample data, so this measures speed, not difficulty). ` +
      `Anomalies flagged among the ${scoreRows.length.toLocaleString('en-US')} clean synthetic rows: ${anomalies.value}.`,
  ];
  return `${lines.join('\n')}\n`;
}
