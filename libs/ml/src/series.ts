import { invalidInput, MlError } from './errors.js';

/** One observation of a monthly series; `month` is `YYYY-MM`. */
export interface MonthlyPoint {
  readonly month: string;
  readonly value: number | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0 for `YYYY-MM`; throws INVALID_INPUT otherwise. */
export function monthIndex(month: string, field = 'month'): number {
  const m = MONTH.exec(month);
  if (!m) throw invalidInput(field, month, 'a month as YYYY-MM');
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthFromIndex(index: number): string {
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function addMonths(month: string, n: number): string {
  return monthFromIndex(monthIndex(month) + n);
}

/** A regular monthly series ready for a model, plus what had to be done to make it regular. */
export interface PreparedSeries {
  readonly start: string;
  readonly values: number[];
  /** Months that were absent or null and were filled by linear interpolation. */
  readonly filled: string[];
}

/**
 * Sorts the points, checks them, and fills missing months (absent or null) by linear interpolation
 * between their neighbours, reporting which months were filled. Duplicated months, non-finite values
 * and leading/trailing gaps are rejected with the reason.
 */
export function prepareSeries(name: string, points: readonly MonthlyPoint[]): PreparedSeries {
  const known = new Map<number, number>();
  for (const [i, p] of points.entries()) {
    const idx = monthIndex(p.month, `${name}[${i}].month`);
    if (known.has(idx)) throw invalidInput(`${name}[${i}].month`, p.month, 'each month at most once');
    if (p.value === null) continue;
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) throw invalidInput(`${name}[${p.month}].value`, p.value, 'a finite number');
    known.set(idx, p.value);
  }
  if (known.size === 0) throw new MlError('SERIES_TOO_SHORT', `series "${name}" has no values`, { data: { series: name } });
  const indexes = [...known.keys()].sort((a, b) => a - b);
  const first = indexes[0] as number;
  const last = indexes[indexes.length - 1] as number;
  const values: number[] = [];
  const filled: string[] = [];
  for (let idx = first; idx <= last; idx++) {
    const v = known.get(idx);
    if (v !== undefined) {
      values.push(v);
      continue;
    }
    let next = idx + 1;
    while (!known.has(next)) next++;
    const prev = values[values.length - 1] as number;
    const nextValue = known.get(next) as number;
    values.push(prev + ((nextValue - prev) * 1) / (next - idx + 1));
    filled.push(monthFromIndex(idx));
  }
  return { start: monthFromIndex(first), values, filled };
}
