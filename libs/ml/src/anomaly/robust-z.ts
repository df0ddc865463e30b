import { median } from 'simple-statistics';

/** Median and MAD of a group's log amounts. */
export interface RobustStats {
  readonly median: number;
  readonly mad: number;
  readonly n: number;
}

/** Median / median absolute deviation of `values` (non-empty). */
export function robustStats(values: readonly number[]): RobustStats {
  const m = median(values as number[]);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return { median: m, mad, n: values.length };
}

/**
 * Iglewicz–Hoaglin modified z-score 0.6745·(x − median)/MAD. A group whose MAD is 0 (most values
 * equal) scores a differing value with the smallest positive MAD floor, so it still stands out.
 */
export function robustZ(value: number, stats: RobustStats): number {
  const mad = stats.mad > 0 ? stats.mad : 1e-3;
  return (0.6745 * (value - stats.median)) / mad;
}

/** Robust stats per key of `log(amount)`. */
export function groupStats<T>(rows: readonly T[], key: (row: T) => string, value: (row: T) => number): Record<string, RobustStats> {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const k = key(row);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(value(row));
  }
  const out: Record<string, RobustStats> = {};
  for (const k of [...groups.keys()].sort()) out[k] = robustStats(groups.get(k) as number[]);
  return out;
}
