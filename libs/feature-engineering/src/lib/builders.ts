/**
 * Portable SQL builders for time-series and entity features. Each returns select-list fragments
 * (`expr AS name`) that run unchanged on DuckDB and Databricks SQL: only window functions, CASE,
 * `nullif`, `stddev_samp`, `substr` and casts that both engines spell the same way. Column names are
 * code, not user input, but are still checked so a typo fails loudly instead of producing odd SQL.
 */

const IDENT = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

function ident(name: string, what: string): string {
  if (!IDENT.test(name)) throw new RangeError(`${what}: "${name}" is not a plain lower-case column name`);
  return name;
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what}: expected a whole number ≥ 1, got ${n}`);
  return n;
}

/** The window a series feature is computed over: per `partitionBy`, in `orderBy` order. */
export interface SeriesWindow {
  readonly partitionBy: readonly string[];
  readonly orderBy: string;
}

function over(w: SeriesWindow, frame?: string): string {
  const partition = w.partitionBy.map((c) => ident(c, 'partitionBy')).join(', ');
  return `OVER (${partition ? `PARTITION BY ${partition} ` : ''}ORDER BY ${ident(w.orderBy, 'orderBy')}${frame ? ` ${frame}` : ''})`;
}

/**
 * Calendar features of a `YYYY-MM` month column: year, month of year, quarter, quarter-end and
 * year-end flags (BIR quarterly returns and 13th-month pay land there).
 */
export function calendarFeatures(monthColumn: string, prefix = ''): string[] {
  const m = ident(monthColumn, 'monthColumn');
  const moy = `CAST(substr(${m}, 6, 2) AS INT)`;
  return [
    `CAST(substr(${m}, 1, 4) AS INT) AS ${prefix}year`,
    `${moy} AS ${prefix}month_of_year`,
    `CAST(floor((${moy} - 1) / 3) AS INT) + 1 AS ${prefix}quarter`,
    `CASE WHEN ${moy} IN (3, 6, 9, 12) THEN 1 ELSE 0 END AS ${prefix}is_quarter_end`,
    `CASE WHEN ${moy} = 12 THEN 1 ELSE 0 END AS ${prefix}is_year_end`,
  ];
}

/** `lag(value, k)` for each k: `<value>_lag_<k>`. */
export function lagFeatures(value: string, w: SeriesWindow, lags: readonly number[]): string[] {
  const v = ident(value, 'value');
  return lags.map((k) => `lag(${v}, ${positive(k, 'lag')}) ${over(w)} AS ${v}_lag_${k}`);
}

export type RollingStat = 'sum' | 'mean' | 'std';

/**
 * Rolling statistics over the `n` rows **before** the current one (the current value is what a
 * model predicts, so it must not leak into its own features): `<value>_roll<n>_<stat>`. The sample
 * standard deviation is NULL for fewer than two rows.
 */
export function rollingFeatures(value: string, w: SeriesWindow, windows: readonly number[], stats: readonly RollingStat[] = ['sum', 'mean', 'std']): string[] {
  const v = ident(value, 'value');
  const fn: Record<RollingStat, string> = { sum: 'sum', mean: 'avg', std: 'stddev_samp' };
  return windows.flatMap((n) => stats.map((s) => `${fn[s]}(${v}) ${over(w, `ROWS BETWEEN ${positive(n, 'window')} PRECEDING AND 1 PRECEDING`)} AS ${v}_roll${n}_${s}`));
}

/**
 * Month-over-month and year-over-year growth (`value / lag − 1`), NULL when the earlier value is
 * missing or zero (no division by zero, no Infinity).
 */
export function growthFeatures(value: string, w: SeriesWindow, period = 12): string[] {
  const v = ident(value, 'value');
  const growth = (k: number, name: string) => `CAST(${v} AS DOUBLE) / nullif(CAST(lag(${v}, ${k}) ${over(w)} AS DOUBLE), 0) - 1 AS ${v}_${name}`;
  return [growth(1, 'mom_growth'), growth(positive(period, 'period'), 'yoy_growth')];
}

/**
 * Per-entity aggregates over all rows of the entity (mean, sd, count: `<as>_mean`, `<as>_std`,
 * `<as>_count`) and, with `shareOf`, the row's share of the total of its group (`<as>_share`, e.g. an
 * agency's share of all agencies' spend that month). `as` defaults to `<value>_entity`.
 */
export function entityAggregates(value: string, entity: readonly string[], options: { shareOf?: readonly string[]; as?: string } = {}): string[] {
  const v = ident(value, 'value');
  const as = ident(options.as ?? `${v.replace('.', '_')}_entity`, 'as');
  const part = entity.map((c) => ident(c, 'entity')).join(', ');
  const out = [
    `avg(${v}) OVER (PARTITION BY ${part}) AS ${as}_mean`,
    `stddev_samp(${v}) OVER (PARTITION BY ${part}) AS ${as}_std`,
    `count(${v}) OVER (PARTITION BY ${part}) AS ${as}_count`,
  ];
  if (options.shareOf?.length) {
    out.push(`CAST(${v} AS DOUBLE) / nullif(CAST(sum(${v}) OVER (PARTITION BY ${options.shareOf.map((c) => ident(c, 'shareOf')).join(', ')}) AS DOUBLE), 0) AS ${as}_share`);
  }
  return out;
}

/** `numerator / denominator` as DOUBLE, NULL when the denominator is 0 or NULL. */
export function safeRatio(numerator: string, denominator: string, alias: string): string {
  return `CAST(${numerator} AS DOUBLE) / nullif(CAST(${denominator} AS DOUBLE), 0) AS ${ident(alias, 'alias')}`;
}
