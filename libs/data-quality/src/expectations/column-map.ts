import { z } from 'zod';
import { RowCheck, SchemaCheck } from '../compiler/checks.js';
import { baseTypeName, KNOWN_SQL_TYPE_NAMES, matchesSqlTypeName } from '../compiler/column-types.js';
import {
  betweenSql,
  bindBound,
  columnName,
  commonKwargs,
  defineExpectation,
  integerBound,
  legacyKwargs,
  mostlyKwarg,
  requireOneBound,
  strictness,
  valueBound,
  valueSet,
  type BuildContext,
  type ResolvedColumn,
} from './definition.js';
import { compileStrftime, MONTH_PREFIXES, StrftimeFormatError } from './strftime.js';

/**
 * A column-map check: nulls are not evaluated (counted as missing), `passes` decides the rest.
 * `nullFree`: `passes` cannot be NULL for a non-null value (comparisons with bound, non-null values).
 */
export function columnMapCheck(column: ResolvedColumn, passes: string, extra: Partial<Pick<RowCheck, 'windows' | 'joins' | 'nullFree'>> = {}): RowCheck {
  return RowCheck.create({
    considered: `${column.sql} IS NOT NULL`,
    consideredCount: `count(${column.sql})`,
    passes,
    values: [{ key: 'v0', label: column.name, sql: column.sql }],
    shape: 'scalar',
    ...extra,
  });
}

/** `column IN (…)` over the non-null members of a value set; FALSE for an empty set. */
export function inSetSql(ctx: BuildContext, column: ResolvedColumn, values: readonly unknown[], path: string): string | undefined {
  const markers: string[] = [];
  let ok = true;
  values.forEach((value, i) => {
    if (value === null) return; // SQL IN semantics: a NULL member matches nothing
    const marker = ctx.comparable(column, value, `${path}[${i}]`);
    if (marker === undefined) ok = false;
    else markers.push(marker);
  });
  if (!ok) return undefined;
  return markers.length === 0 ? 'FALSE' : `${column.sql} IN (${markers.join(', ')})`;
}

function requireString(ctx: BuildContext, column: ResolvedColumn, message: string): boolean {
  if (column.category === 'string') return true;
  ctx.problem('TYPE_MISMATCH', `${message}; column ${column.name} is ${column.type}`, 'kwargs.column');
  return false;
}

const column = { column: columnName() };

export const COLUMN_MAP_EXPECTATIONS = [
  defineExpectation({
    type: 'expect_column_values_to_not_be_null',
    family: 'column_map',
    description: 'Every value of the column is non-null (NULL is the unexpected value; denominator = all rows).',
    schema: z.strictObject({ ...column, ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      return RowCheck.create({
        considered: null,
        passes: `${col.sql} IS NOT NULL`,
        values: [{ key: 'v0', label: col.name, sql: col.sql }],
        shape: 'scalar',
        reportsMissing: false,
        valuesAreNull: true,
        nullFree: true,
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_null',
    family: 'column_map',
    description: 'Every value of the column is NULL (denominator = all rows).',
    schema: z.strictObject({ ...column, ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      return RowCheck.create({
        considered: null,
        passes: `${col.sql} IS NULL`,
        values: [{ key: 'v0', label: col.name, sql: col.sql }],
        shape: 'scalar',
        reportsMissing: false,
        nullFree: true,
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_between',
    family: 'column_map',
    description: 'Non-null values lie between min_value and max_value (inclusive unless strict_min/strict_max).',
    schema: z.strictObject({ ...column, min_value: valueBound('min_value'), max_value: valueBound('max_value'), ...strictness, ...legacyKwargs, ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireOneBound(ctx, k)) return undefined;
      const lo = bindBound(ctx, col, k.min_value, 'kwargs.min_value');
      const hi = bindBound(ctx, col, k.max_value, 'kwargs.max_value');
      if (lo === undefined || hi === undefined) return undefined;
      return columnMapCheck(col, betweenSql(col.sql, lo, hi, k.strict_min, k.strict_max), { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_in_set',
    family: 'column_map',
    description: 'Non-null values are members of value_set (an empty set admits nothing).',
    schema: z.strictObject({ ...column, value_set: valueSet, parse_strings_as_datetimes: z.literal(false).optional(), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      const sql = inSetSql(ctx, col, k.value_set, 'kwargs.value_set');
      return sql === undefined ? undefined : columnMapCheck(col, sql, { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_not_be_in_set',
    family: 'column_map',
    description: 'No non-null value is a member of value_set (an empty set forbids nothing).',
    schema: z.strictObject({ ...column, value_set: valueSet, parse_strings_as_datetimes: z.literal(false).optional(), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      const sql = inSetSql(ctx, col, k.value_set, 'kwargs.value_set');
      return sql === undefined ? undefined : columnMapCheck(col, sql === 'FALSE' ? 'TRUE' : `NOT (${sql})`, { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_unique',
    family: 'column_map',
    description: 'Each non-null value occurs once; every occurrence of a repeated value is unexpected.',
    schema: z.strictObject({ ...column, ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      const alias = ctx.alias('dup');
      return columnMapCheck(col, `${ctx.adapter.quoteIdentifier(alias)} = 1`, {
        windows: [{ alias, sql: `count(*) OVER (PARTITION BY ${col.sql})` }],
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_match_regex',
    family: 'column_map',
    description: 'Non-null values match the regular expression (search semantics: anywhere unless anchored).',
    schema: z.strictObject({ ...column, regex: z.string({ error: 'regex must be a string' }), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireString(ctx, col, 'regular expressions apply to text columns')) return undefined;
      return columnMapCheck(col, ctx.adapter.regexpMatches(col.sql, ctx.param(k.regex)), { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_not_match_regex',
    family: 'column_map',
    description: 'Non-null values do not match the regular expression (search semantics).',
    schema: z.strictObject({ ...column, regex: z.string({ error: 'regex must be a string' }), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireString(ctx, col, 'regular expressions apply to text columns')) return undefined;
      return columnMapCheck(col, `NOT ${ctx.adapter.regexpMatches(col.sql, ctx.param(k.regex))}`, { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_value_lengths_to_be_between',
    family: 'column_map',
    description: 'The string length of non-null values lies between min_value and max_value (inclusive).',
    schema: z.strictObject({ ...column, min_value: integerBound('min_value and max_value'), max_value: integerBound('min_value and max_value'), ...strictness, ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col || !requireOneBound(ctx, k)) return undefined;
      if (!requireString(ctx, col, 'value lengths apply to text columns')) return undefined;
      const lo = k.min_value === null || k.min_value === undefined ? null : ctx.param(k.min_value);
      const hi = k.max_value === null || k.max_value === undefined ? null : ctx.param(k.max_value);
      return columnMapCheck(col, betweenSql(ctx.adapter.stringLength(col.sql), lo, hi, k.strict_min, k.strict_max), { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_of_type',
    family: 'schema',
    description: "The column's SQL type is (a subclass of) the SQLAlchemy type named by type_ (INTEGER, TEXT, DOUBLE_PRECISION…).",
    schema: z.strictObject({ ...column, type_: z.string({ error: 'type_ must be a type name such as INTEGER or TEXT' }), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      if (!KNOWN_SQL_TYPE_NAMES.has(k.type_)) {
        ctx.problem('INVALID_KWARGS', `type_ "${k.type_}" is not a known SQL type name (e.g. ${['INTEGER', 'BIGINT', 'TEXT', 'VARCHAR', 'DOUBLE_PRECISION', 'BOOLEAN', 'DATE', 'TIMESTAMP'].join(', ')})`, 'kwargs.type_');
        return undefined;
      }
      return SchemaCheck.create({ verdict: { success: matchesSqlTypeName(col.type, k.type_), observed_value: baseTypeName(col.type) } });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_increasing',
    family: 'column_map',
    description: "Each non-null value is >= the previous non-null value in the table's order_by (strictly: >).",
    schema: z.strictObject({ ...column, strictly: z.boolean().optional(), parse_strings_as_datetimes: z.literal(false).optional(), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      if (ctx.orderBy.length === 0) {
        ctx.problem('NOT_SUPPORTED', `tables have no row order in SQL: give the suite table an order_by to check ${col.name} is increasing`, 'order_by');
        return undefined;
      }
      const alias = ctx.alias('prev');
      const prev = ctx.adapter.quoteIdentifier(alias);
      // Partitioning by "is null" makes lag() skip nulls: the previous non-null value, portably.
      const order = ctx.orderBy.map((c) => c.sql).join(', ');
      return columnMapCheck(col, `(${prev} IS NULL OR ${col.sql} ${k.strictly ? '>' : '>='} ${prev})`, {
        windows: [{ alias, sql: `lag(${col.sql}) OVER (PARTITION BY ${col.sql} IS NULL ORDER BY ${order})` }],
      });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_match_strftime_format',
    family: 'column_map',
    description: "Non-null values parse with Python's strptime and the given format (the date must exist).",
    schema: z.strictObject({ ...column, strftime_format: z.string({ error: 'strftime_format must be a string' }), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      if (!requireString(ctx, col, 'Values passed to expect_column_values_to_match_strftime_format must be of type string')) return undefined;
      let pattern;
      try {
        pattern = compileStrftime(k.strftime_format);
      } catch (error) {
        if (!(error instanceof StrftimeFormatError)) throw error;
        ctx.problem('INVALID_KWARGS', `Unable to use provided strftime_format: ${error.message}`, 'kwargs.strftime_format');
        return undefined;
      }
      const re = ctx.param(pattern.regex);
      const matches = ctx.adapter.regexpMatches(col.sql, re);
      const g = pattern.groups;
      const day = g.d;
      const month = g.m ?? g.b;
      if (day === undefined || month === undefined) return columnMapCheck(col, matches);
      const part = (n: number) => `regexp_extract(${col.sql}, ${re}, ${n})`;
      const int = (sql: string) => `TRY_CAST(trim(${sql}) AS INTEGER)`;
      const monthSql =
        g.m !== undefined
          ? int(part(g.m))
          : `CASE lower(substr(${part(month)}, 1, 3)) ${MONTH_PREFIXES.map((p, i) => `WHEN '${p}' THEN ${i + 1}`).join(' ')} END`;
      const yearSql = g.Y !== undefined ? int(part(g.Y)) : g.y !== undefined ? `(CASE WHEN ${int(part(g.y))} <= 68 THEN 2000 ELSE 1900 END + ${int(part(g.y))})` : '1900';
      const leap = `((${yearSql}) % 4 = 0 AND ((${yearSql}) % 100 <> 0 OR (${yearSql}) % 400 = 0))`;
      const daysInMonth = `CASE ${monthSql} WHEN 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END`;
      return columnMapCheck(col, `CASE WHEN ${matches} THEN ${int(part(day))} <= ${daysInMonth} ELSE FALSE END`);
    },
  }),
];
