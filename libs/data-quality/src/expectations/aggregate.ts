import { z } from 'zod';
import { AggregateCheck } from '../compiler/checks.js';
import { isNumeric } from '../compiler/column-types.js';
import { DataQualityError } from '../errors.js';
import { compareValues, toCount, toResultValue, valueKey } from '../model/values.js';
import {
  betweenSql,
  bindBound,
  columnName,
  commonKwargs,
  defineExpectation,
  integerBound,
  legacyKwargs,
  numberBound,
  requireOneBound,
  strictness,
  valueBound,
  valueSet,
  type BuildContext,
  type ResolvedColumn,
} from './definition.js';

/** `lo <= x <= hi` in TypeScript, with GX's open (null) bounds and strictness. */
export function withinBounds(x: number, lo: number | null | undefined, hi: number | null | undefined, strictMin = false, strictMax = false): boolean {
  const aboveMin = lo === null || lo === undefined ? true : strictMin ? x > lo : x >= lo;
  const belowMax = hi === null || hi === undefined ? true : strictMax ? x < hi : x <= hi;
  return aboveMin && belowMax;
}

function requireNumeric(ctx: BuildContext, col: ResolvedColumn, what: string): boolean {
  if (isNumeric(col.category)) return true;
  ctx.problem('TYPE_MISMATCH', `${what} needs a numeric column; column ${col.name} is ${col.type}`, 'kwargs.column');
  return false;
}

/**
 * A statistic tested in SQL against bound parameters (exact for decimals and bigints), so the
 * comparison uses the engine's types. NULL statistic (empty or all-null column) → failure.
 */
function statisticBetween(ctx: BuildContext, col: ResolvedColumn, statistic: string, k: { min_value?: unknown; max_value?: unknown; strict_min?: boolean | undefined; strict_max?: boolean | undefined }): AggregateCheck | undefined {
  const bounds = [k.min_value, k.max_value].filter((b) => b !== null && b !== undefined);
  if (!bounds.every((b) => ctx.fits(col, b))) {
    // GX compares in Python: an empty column fails (no statistic) before any type error can occur.
    return AggregateCheck.create({
      selects: [{ key: 'v', sql: statistic }],
      evaluate: (values) => {
        const v = values['v'];
        if (v === null || v === undefined) return { success: false, observed_value: null };
        throw new DataQualityError('INVALID_INPUT', `cannot compare ${col.name} (${col.type}) value ${JSON.stringify(toResultValue(v))} with min_value ${JSON.stringify(k.min_value ?? null)} / max_value ${JSON.stringify(k.max_value ?? null)}`);
      },
    });
  }
  const lo = bindBound(ctx, col, k.min_value, 'kwargs.min_value');
  const hi = bindBound(ctx, col, k.max_value, 'kwargs.max_value');
  if (lo === undefined || hi === undefined) return undefined;
  return AggregateCheck.create({
    selects: [
      { key: 'v', sql: statistic },
      { key: 'ok', sql: `CASE WHEN ${statistic} IS NULL THEN NULL ELSE (${betweenSql(statistic, lo, hi, k.strict_min, k.strict_max)}) END` },
    ],
    evaluate: (values) => {
      const v = values['v'];
      if (v === null || v === undefined) return { success: false, observed_value: null };
      return { success: values['ok'] === true, observed_value: toResultValue(v) };
    },
  });
}

const column = { column: columnName() };

export const AGGREGATE_EXPECTATIONS = [
  defineExpectation({
    type: 'expect_column_min_to_be_between',
    family: 'column_aggregate',
    description: 'The minimum of the non-null values lies between the bounds.',
    schema: z.strictObject({ ...column, min_value: valueBound('min_value'), max_value: valueBound('max_value'), ...strictness, ...legacyKwargs, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireOneBound(ctx, k)) return undefined;
      return statisticBetween(ctx, col, `min(${col.sql})`, k);
    },
  }),
  defineExpectation({
    type: 'expect_column_max_to_be_between',
    family: 'column_aggregate',
    description: 'The maximum of the non-null values lies between the bounds.',
    schema: z.strictObject({ ...column, min_value: valueBound('min_value'), max_value: valueBound('max_value'), ...strictness, ...legacyKwargs, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireOneBound(ctx, k)) return undefined;
      return statisticBetween(ctx, col, `max(${col.sql})`, k);
    },
  }),
  defineExpectation({
    type: 'expect_column_mean_to_be_between',
    family: 'column_aggregate',
    description: 'The mean of the non-null values lies between the bounds (both null: vacuously true).',
    schema: z.strictObject({ ...column, min_value: numberBound('min_value'), max_value: numberBound('max_value'), ...strictness, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      const value = col.category === 'boolean' ? `CASE WHEN ${col.sql} THEN 1.0 WHEN NOT ${col.sql} THEN 0.0 END` : col.sql;
      if (col.category !== 'boolean' && !requireNumeric(ctx, col, 'the mean')) return undefined;
      const lo = k.min_value ?? null;
      const hi = k.max_value ?? null;
      return AggregateCheck.create({
        selects: [{ key: 'v', sql: `avg(${value})` }],
        evaluate: (values) => {
          const v = values['v'];
          if (v === null || v === undefined) return { success: false, observed_value: null };
          return { success: withinBounds(Number(v), lo, hi, k.strict_min, k.strict_max), observed_value: toResultValue(v) };
        },
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_sum_to_be_between',
    family: 'column_aggregate',
    description: 'The sum of the non-null values lies between the bounds.',
    schema: z.strictObject({ ...column, min_value: numberBound('min_value'), max_value: numberBound('max_value'), ...strictness, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireOneBound(ctx, k) || !requireNumeric(ctx, col, 'the sum')) return undefined;
      return statisticBetween(ctx, col, `sum(${col.sql})`, k);
    },
  }),
  defineExpectation({
    type: 'expect_column_proportion_of_unique_values_to_be_between',
    family: 'column_aggregate',
    description: 'distinct non-null values / non-null values lies between the bounds (0 for an empty column, as GX).',
    schema: z.strictObject({ ...column, min_value: numberBound('min_value'), max_value: numberBound('max_value'), ...strictness, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      return AggregateCheck.create({
        selects: [
          { key: 'distinct', sql: `count(DISTINCT ${col.sql})` },
          { key: 'nonnull', sql: `count(${col.sql})` },
        ],
        evaluate: (values) => {
          const nonnull = toCount(values['nonnull']);
          const proportion = nonnull > 0 ? toCount(values['distinct']) / nonnull : 0;
          return { success: withinBounds(proportion, k.min_value, k.max_value, k.strict_min, k.strict_max), observed_value: proportion };
        },
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_distinct_values_to_be_in_set',
    family: 'column_aggregate',
    description: 'Every distinct non-null value is in value_set (null value_set: anything goes). Reports value counts.',
    schema: z.strictObject({ ...column, value_set: valueSet.nullable(), parse_strings_as_datetimes: z.literal(false).optional(), ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      if (k.value_set) for (const [i, v] of k.value_set.entries()) if (v !== null && !ctx.accepts(col, v, `kwargs.value_set[${i}]`)) return undefined;
      const numeric = isNumeric(col.category);
      const q = (name: string) => ctx.adapter.quoteIdentifier(name);
      const allowed = k.value_set === null ? null : new Set(k.value_set.map((v) => valueKey(v, numeric)));
      return AggregateCheck.create({
        selects: [
          ctx.sql.distinctValueCounts(col.sql) === null
            ? { key: 'counts', sql: `SELECT ${col.sql} AS ${q('key')}, count(*) AS ${q('value')} FROM ${ctx.relation} WHERE ${col.sql} IS NOT NULL GROUP BY ${col.sql}`, separate: true }
            : { key: 'counts', sql: ctx.sql.distinctValueCounts(col.sql) as string },
        ],
        evaluate: (values) => {
          const entries = ((values['counts'] as { key: unknown; value: unknown }[] | null) ?? []).filter((e) => e.key !== null);
          entries.sort((a, b) => compareValues(a.key, b.key));
          const observed = entries.map((e) => toResultValue(e.key));
          const success = allowed === null || entries.every((e) => allowed.has(valueKey(e.key, numeric)));
          return {
            success,
            observed_value: observed,
            details: { value_counts: entries.map((e) => ({ value: toResultValue(e.key), count: toCount(e.value) })) },
          };
        },
      });
    },
  }),
  defineExpectation({
    type: 'expect_table_row_count_to_be_between',
    family: 'table',
    description: 'The number of rows lies between the bounds (both null: vacuously true).',
    schema: z.strictObject({ min_value: integerBound('min_value and max_value'), max_value: integerBound('min_value and max_value'), ...strictness, ...commonKwargs }),
    build(k) {
      return AggregateCheck.create({
        selects: [{ key: 'n', sql: 'count(*)' }],
        evaluate: (values) => {
          const n = toCount(values['n']);
          return { success: withinBounds(n, k.min_value, k.max_value, k.strict_min, k.strict_max), observed_value: n };
        },
      });
    },
  }),
  defineExpectation({
    type: 'expect_table_row_count_to_equal',
    family: 'table',
    description: 'The number of rows equals value.',
    schema: z.strictObject({ value: z.number({ error: 'value is not a valid integer' }).int({ error: 'value is not a valid integer' }), ...commonKwargs }),
    build(k) {
      return AggregateCheck.create({
        selects: [{ key: 'n', sql: 'count(*)' }],
        evaluate: (values) => {
          const n = toCount(values['n']);
          return { success: n === k.value, observed_value: n };
        },
      });
    },
  }),
];
