import { findParameterMarkers, splitStatements } from '@odoo-ce/warehouse';
import { z } from 'zod';
import { RowCheck } from '../compiler/checks.js';
import { isNumeric, type ColumnCategory } from '../compiler/column-types.js';
import { columnName, commonKwargs, defineExpectation, mostlyKwarg, type BuildContext, type ResolvedColumn } from './definition.js';

const PAIR_IGNORE = ['both_values_are_missing', 'either_value_is_missing', 'neither'] as const;
const MULTI_IGNORE = ['all_values_are_missing', 'any_value_is_missing', 'never'] as const;

/** Rows left after `ignore_row_if` (SQL, never NULL); null = every row. */
export function consideredRows(columns: readonly ResolvedColumn[], ignore: (typeof PAIR_IGNORE)[number] | (typeof MULTI_IGNORE)[number]): string | null {
  const isNull = columns.map((c) => `${c.sql} IS NULL`);
  switch (ignore) {
    case 'both_values_are_missing':
    case 'all_values_are_missing':
      return `NOT (${isNull.join(' AND ')})`;
    case 'either_value_is_missing':
    case 'any_value_is_missing':
      return columns.map((c) => `${c.sql} IS NOT NULL`).join(' AND ');
    default:
      return null;
  }
}

function comparableKind(category: ColumnCategory): string {
  if (isNumeric(category)) return 'number';
  if (category === 'date' || category === 'timestamp') return 'datetime';
  return category;
}

function resolveList(ctx: BuildContext, names: readonly string[], path: string): ResolvedColumn[] | undefined {
  const cols = names.map((n, i) => ctx.column(n, `${path}[${i}]`));
  return cols.every((c): c is ResolvedColumn => c !== undefined) ? cols : undefined;
}

/** Validates a user-written SQL condition: one expression, no statements, no unbound parameters. */
export function checkCondition(ctx: BuildContext, condition: string, path: string): boolean {
  const statements = splitStatements(condition);
  // A `;`, or a trailing `--` comment (it would swallow the SQL we wrap around the condition),
  // changes what splitStatements returns.
  if (statements.length !== 1 || statements[0]?.sql !== condition.trim()) {
    ctx.problem('INVALID_KWARGS', 'a condition must be one SQL boolean expression: no ;, no trailing -- comment', path);
    return false;
  }
  const markers = findParameterMarkers(condition);
  if (markers.length > 0) {
    ctx.problem('INVALID_KWARGS', `a condition cannot use parameter markers (found :${markers[0]?.name}); write literal values`, path);
    return false;
  }
  return true;
}

export const MULTI_COLUMN_EXPECTATIONS = [
  defineExpectation({
    type: 'expect_column_pair_values_a_to_be_greater_than_b',
    family: 'column_pair',
    description: 'column_A > column_B on every row left by ignore_row_if (or_equal: >=).',
    schema: z.strictObject({
      column_A: columnName('column_A'),
      column_B: columnName('column_B'),
      or_equal: z.boolean({ error: 'or_equal must be true or false' }).optional(),
      ignore_row_if: z.enum(PAIR_IGNORE, { error: `ignore_row_if must be one of ${PAIR_IGNORE.join(', ')}` }).optional(),
      parse_strings_as_datetimes: z.literal(false).optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      const a = ctx.column(k.column_A, 'kwargs.column_A');
      const b = ctx.column(k.column_B, 'kwargs.column_B');
      if (!a || !b) return undefined;
      if (comparableKind(a.category) !== comparableKind(b.category)) {
        ctx.problem('TYPE_MISMATCH', `cannot compare ${a.name} (${a.type}) with ${b.name} (${b.type})`, 'kwargs');
        return undefined;
      }
      return RowCheck.create({
        considered: consideredRows([a, b], k.ignore_row_if ?? 'both_values_are_missing'),
        passes: `${a.sql} ${k.or_equal ? '>=' : '>'} ${b.sql}`,
        values: [
          { key: 'v0', label: a.name, sql: a.sql },
          { key: 'v1', label: b.name, sql: b.sql },
        ],
        shape: 'pair',
      });
    },
  }),
  defineExpectation({
    type: 'expect_compound_columns_to_be_unique',
    family: 'multicolumn',
    description: 'The tuple of column_list values is unique among the rows left by ignore_row_if.',
    schema: z.strictObject({
      column_list: z.array(columnName('each column_list entry'), { error: 'column_list must be a list of column names' }).min(1, { error: 'column_list must name at least one column' }),
      ignore_row_if: z.enum(MULTI_IGNORE, { error: `ignore_row_if must be one of ${MULTI_IGNORE.join(', ')}` }).optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      const cols = resolveList(ctx, k.column_list, 'kwargs.column_list');
      if (!cols) return undefined;
      const considered = consideredRows(cols, k.ignore_row_if ?? 'all_values_are_missing');
      const alias = ctx.alias('dup');
      const partition = [...cols.map((c) => c.sql), ...(considered ? [`(${considered})`] : [])].join(', ');
      return RowCheck.create({
        considered,
        passes: `${ctx.adapter.quoteIdentifier(alias)} = 1`,
        values: cols.map((c, i) => ({ key: `v${i}`, label: c.name, sql: c.sql })),
        shape: 'object',
        windows: [{ alias, sql: `count(*) OVER (PARTITION BY ${partition})` }],
      });
    },
  }),
  defineExpectation({
    type: 'expect_multicolumn_sum_to_equal',
    family: 'multicolumn',
    description: "The row-wise sum of column_list equals sum_total (engine arithmetic, no tolerance; a NULL sum is unexpected).",
    schema: z.strictObject({
      column_list: z.array(columnName('each column_list entry'), { error: 'column_list must be a list of column names' }).min(1, { error: 'column_list must name at least one column' }),
      sum_total: z.number({ error: 'sum_total must be a number' }),
      ignore_row_if: z.enum(MULTI_IGNORE, { error: `ignore_row_if must be one of ${MULTI_IGNORE.join(', ')}` }).optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      const cols = resolveList(ctx, k.column_list, 'kwargs.column_list');
      if (!cols) return undefined;
      const bad = cols.find((c) => !isNumeric(c.category));
      if (bad) {
        ctx.problem('TYPE_MISMATCH', `column ${bad.name} is ${bad.type}; a sum needs numeric columns`, 'kwargs.column_list');
        return undefined;
      }
      return RowCheck.create({
        considered: consideredRows(cols, k.ignore_row_if ?? 'all_values_are_missing'),
        passes: `(${cols.map((c) => c.sql).join(' + ')}) = ${ctx.param(k.sum_total)}`,
        values: cols.map((c, i) => ({ key: `v${i}`, label: c.name, sql: c.sql })),
        shape: 'object',
      });
    },
  }),
  defineExpectation({
    type: 'expect_sql_condition',
    family: 'row_condition',
    description:
      'A named domain rule: every row satisfies the SQL boolean `condition`. A NULL result is handled by on_null: fail (default, the row is unexpected), pass, or ignore (the row is not considered).',
    schema: z.strictObject({
      condition: z.string({ error: 'condition must be a SQL boolean expression (a string)' }).min(1, { error: 'condition must not be empty' }),
      on_null: z.enum(['fail', 'pass', 'ignore'], { error: 'on_null must be one of fail, pass, ignore' }).optional(),
      columns: z.array(columnName('each columns entry'), { error: 'columns must be a list of column names' }).optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      if (!checkCondition(ctx, k.condition, 'kwargs.condition')) return undefined;
      const cols = k.columns ? resolveList(ctx, k.columns, 'kwargs.columns') : [...ctx.columns()];
      if (!cols) return undefined;
      const cond = `(${k.condition})`;
      const onNull = k.on_null ?? 'fail';
      return RowCheck.create({
        considered: onNull === 'ignore' ? `${cond} IS NOT NULL` : null,
        passes: onNull === 'pass' ? `coalesce(${cond}, TRUE)` : cond,
        values: cols.map((c, i) => ({ key: `v${i}`, label: c.name, sql: c.sql })),
        shape: 'object',
        reportsMissing: onNull === 'ignore',
        preflight: [cond],
      });
    },
  }),
];
