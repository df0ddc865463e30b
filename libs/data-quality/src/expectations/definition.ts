import type { DialectAdapter, ParameterValue } from '@odoo-ce/warehouse';
import { z } from 'zod';
import type { Problem } from '../errors.js';
import type { CheckNode } from '../compiler/checks.js';
import type { TableColumn } from '../compiler/column-types.js';
import { ResultFormatSchema } from '../model/result-format.js';

/**
 * GX's expectation families (they decide null rules and result fields), plus `row_condition` for
 * named SQL conditions.
 */
export type Family = 'column_map' | 'column_pair' | 'multicolumn' | 'row_condition' | 'column_aggregate' | 'table' | 'schema';

/** Map families report `unexpected_*` lists and take `mostly`. */
export const ROW_FAMILIES: ReadonlySet<Family> = new Set(['column_map', 'column_pair', 'multicolumn', 'row_condition']);

/** A table column resolved for SQL: its quoted name is `sql`. */
export interface ResolvedColumn extends TableColumn {
  readonly sql: string;
}

/** Dialect-specific SQL a builder may need (implemented by the check compilers). */
export interface BuilderSql {
  /**
   * An aggregate yielding the list of `{key: value, value: count}` for the non-null values of
   * `column`, or null when the engine has none (a grouped query then runs after the scan).
   */
  distinctValueCounts(column: string): string | null;
}

/** What an expectation builder can ask while compiling one expectation. */
export interface BuildContext {
  readonly adapter: DialectAdapter;
  readonly sql: BuilderSql;
  /** The quoted table under validation (for subqueries). */
  readonly relation: string;
  /** Display name of the table, for messages. */
  readonly tableName: string;
  /** The table's declared row order (`order_by`), resolved; empty when none. */
  readonly orderBy: readonly ResolvedColumn[];
  /** Resolves a column by name (case-insensitive); records UNKNOWN_COLUMN and returns undefined when missing. */
  column(name: string, path: string): ResolvedColumn | undefined;
  /** All columns of the table. */
  columns(): readonly ResolvedColumn[];
  /** Registers a named parameter and returns its marker (`:dq_p3`). */
  param(value: ParameterValue): string;
  /**
   * Binds `value` for comparison with `column`, checking that the two have compatible types
   * (numbers for numeric columns, strings for text, dates/times for temporal columns).
   * Records TYPE_MISMATCH and returns undefined otherwise.
   */
  comparable(column: ResolvedColumn, value: unknown, path: string): string | undefined;
  /** True when `value` can be compared with `column` (records nothing). */
  fits(column: ResolvedColumn, value: unknown): boolean;
  /** Like {@link comparable} but binds nothing: true when `value` fits the column (records TYPE_MISMATCH otherwise). */
  accepts(column: ResolvedColumn, value: unknown, path: string): boolean;
  /** A fresh helper-column alias. */
  alias(prefix: string): string;
  /** Resolves a logical table name (`silver.shared.x`) through the target's layout, quoted. */
  table(logical: string, path: string): string | undefined;
  problem(code: Problem['code'], message: string, path?: string): void;
}

/**
 * One expectation type: its GX name, family, kwargs schema (zod, strict) and builder.
 *
 * @example
 * const def = expectationDefinition('expect_column_values_to_not_be_null');
 * def?.family; // 'column_map'
 */
export interface ExpectationDefinition<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly family: Family;
  readonly description: string;
  readonly schema: S;
  /** Compiles validated kwargs; returns undefined after recording problems. */
  build(kwargs: z.output<S>, ctx: BuildContext): CheckNode | undefined;
}

/** Declares an expectation type (keeps the kwargs type inferred from the schema). */
export function defineExpectation<S extends z.ZodType>(definition: ExpectationDefinition<S>): ExpectationDefinition<S> {
  return Object.freeze(definition);
}

// ---- shared kwargs schemas -------------------------------------------------------------------

/** kwargs every expectation accepts (GX's common kwargs). */
export const commonKwargs = {
  result_format: ResultFormatSchema.optional(),
  catch_exceptions: z.boolean({ error: 'catch_exceptions must be true or false' }).optional(),
  include_config: z.boolean().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
};

/**
 * GX 0.x kwargs GX 1.x still tolerates; accepted and ignored: cross-type comparisons are checked
 * at compile time here, and datetime parsing of strings is refused (`false` only).
 */
export const legacyKwargs = {
  allow_cross_type_comparisons: z.boolean().optional(),
  parse_strings_as_datetimes: z.literal(false, { error: 'parse_strings_as_datetimes is not supported: store dates in DATE/TIMESTAMP columns' }).optional(),
  output_strftime_format: z.string().optional(),
};

/** `mostly`: the fraction of considered rows that must pass. */
export const mostlyKwarg = {
  mostly: z
    .number({ error: 'mostly must be a number between 0 and 1' })
    .min(0, { error: 'mostly must be a number between 0 and 1' })
    .max(1, { error: 'mostly must be a number between 0 and 1' })
    .optional(),
};

export const columnName = (what = 'column') => z.string({ error: `${what} must be a column name (a string)` }).min(1, { error: `${what} must not be empty` });

/** A bound of a `…_to_be_between` expectation on values: a number, a date/time (string or suite parameter) or null. */
export const valueBound = (name: string) =>
  z
    .union([z.number(), z.string(), z.date(), z.boolean(), z.null()], { error: `${name} must be a number, a string, a date/time or null` })
    .optional();

/** A numeric bound (aggregates like mean, sum). */
export const numberBound = (name: string) => z.union([z.number(), z.null()], { error: `${name} must be a number or null` }).optional();

/** An integer bound (lengths, row counts). */
export const integerBound = (name: string) =>
  z.union([z.number().int(), z.null()], { error: `${name} must be integers (a whole number or null)` }).optional();

export const strictness = {
  strict_min: z.boolean({ error: 'strict_min must be true or false' }).optional(),
  strict_max: z.boolean({ error: 'strict_max must be true or false' }).optional(),
};

/** A `value_set`: a list of scalars (a NULL inside matches nothing). */
export const valueSet = z.array(z.union([z.number(), z.string(), z.boolean(), z.date(), z.null()]), {
  error: 'value_set must be a list of values (numbers, strings, booleans or dates)',
});

/** `lo <op> x AND x <op> hi` for the given bounds; `undefined` bounds are open. */
export function betweenSql(x: string, lo: string | null, hi: string | null, strictMin = false, strictMax = false): string {
  const parts: string[] = [];
  if (lo !== null) parts.push(`${x} ${strictMin ? '>' : '>='} ${lo}`);
  if (hi !== null) parts.push(`${x} ${strictMax ? '<' : '<='} ${hi}`);
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}

/** Binds an optional bound; returns null for an open bound and undefined after a problem. */
export function bindBound(ctx: BuildContext, column: ResolvedColumn, value: unknown, path: string): string | null | undefined {
  if (value === null || value === undefined) return null;
  return ctx.comparable(column, value, path);
}

/** Both bounds missing is a configuration error for most `…_between` expectations. */
export function requireOneBound(ctx: BuildContext, kwargs: { min_value?: unknown; max_value?: unknown }): boolean {
  if ((kwargs.min_value ?? null) === null && (kwargs.max_value ?? null) === null) {
    ctx.problem('INVALID_KWARGS', 'min_value and max_value cannot both be None (null): give at least one bound', 'kwargs');
    return false;
  }
  return true;
}
