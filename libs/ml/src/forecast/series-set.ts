import { prepareSeries, type MonthlyPoint } from '../series.js';
import { fitSeriesModel, type FitOptions, type SeriesModel } from './forecaster.js';
import { sharedSeason } from './seasonal-regression.js';

/**
 * For each series, the values of every series over exactly the same months (itself included): the
 * group whose seasonal indexes it may share. Series are grouped by first month and length after
 * missing months are filled; a series alone in its months gets a group of one (no shared profile).
 */
export function relatedSeries(series: ReadonlyMap<string, readonly MonthlyPoint[]>): Map<string, readonly (readonly number[])[]> {
  const prepared = [...series.keys()].sort().map((name) => ({ name, ...prepareSeries(name, series.get(name) as MonthlyPoint[]) }));
  const groups = new Map<string, number[][]>();
  for (const p of prepared) {
    const key = `${p.start}/${p.values.length}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(p.values);
  }
  return new Map(prepared.map((p) => [p.name, groups.get(`${p.start}/${p.values.length}`) as number[][]]));
}

/**
 * Fits every series ({@link fitSeriesModel}), sharing seasonal indexes within each group of related
 * series (see `sharedSeason`): the way the ml_training job fits, and the way its backtest refits
 * (`backtest(values, { related })`).
 */
export function fitSeriesModels(series: ReadonlyMap<string, readonly MonthlyPoint[]>, options: Omit<FitOptions, 'sharedSeason'> = {}): Record<string, SeriesModel> {
  const period = options.period ?? 12;
  const related = relatedSeries(series);
  const models: Record<string, SeriesModel> = {};
  // One profile per group (the members of a group share the same array).
  const profiles = new Map<readonly (readonly number[])[], ReturnType<typeof sharedSeason>>();
  for (const name of [...series.keys()].sort()) {
    const group = related.get(name) ?? [];
    if (!profiles.has(group)) profiles.set(group, sharedSeason(group, period));
    const shared = profiles.get(group);
    models[name] = fitSeriesModel(name, series.get(name) as MonthlyPoint[], { ...options, ...(shared ? { sharedSeason: shared } : {}) });
  }
  return models;
}
