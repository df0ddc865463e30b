import type { ResultValue } from '../model/results.js';

/**
 * The check IR: what an expectation compiles to, before a dialect compiler turns a table's
 * checks into one scan. Nodes are frozen objects with a `kind` discriminant; each has a companion
 * factory of the same name (`RowCheck.create`, `RowCheck.is`).
 */
export type CheckNode = RowCheck | AggregateCheck | SchemaCheck;

/** One reported value of an unexpected row: a struct field `key` holding `sql`, shown as `label`. */
export interface ValueField {
  readonly key: string;
  readonly label: string;
  readonly sql: string;
}

/** A helper column computed over the whole table before the checks: a window function. */
export interface WindowHelper {
  readonly alias: string;
  /** e.g. `count(*) OVER (PARTITION BY "x")` */
  readonly sql: string;
}

/** A LEFT JOIN of reference data (at most one match per row), exposing `columns` as helper columns. */
export interface JoinHelper {
  readonly alias: string;
  /** Quoted table name of the reference table. */
  readonly table: string;
  /** Join condition; refer to the source row as `_dq_t` and to the reference row as `alias`. */
  readonly on: string;
  readonly columns: readonly { readonly alias: string; readonly sql: string }[];
}

/**
 * A row-level check, shaped as "select the failing rows": a row is *unexpected* when it is
 * considered and `passes` is not TRUE. A NULL `passes` is unexpected, never silently passed; rows
 * that are not considered (GX: nulls of column-map expectations, `ignore_row_if`) are counted as
 * missing.
 */
export interface RowCheck {
  readonly kind: 'row';
  /** SQL boolean, never NULL: the row takes part. `null` = every row. */
  readonly considered: string | null;
  /** A cheaper aggregate counting considered rows (e.g. `count("x")`), when there is one. */
  readonly consideredCount?: string;
  /** SQL boolean: the row meets the expectation. */
  readonly passes: string;
  /** Values reported for an unexpected row. */
  readonly values: readonly ValueField[];
  /** How a row's values are reported: the value, `[a, b]`, or `{col: value}`. */
  readonly shape: 'scalar' | 'pair' | 'object';
  readonly windows: readonly WindowHelper[];
  readonly joins: readonly JoinHelper[];
  /** GX column-map style missing/percent fields; false for the two null expectations (denominator = all rows). */
  readonly reportsMissing: boolean;
  /** SQL expressions to bind-check on the table before scanning (user-written conditions). */
  readonly preflight: readonly string[];
  /** Every unexpected row's value is NULL (`not_be_null`): samples need no aggregate. */
  readonly valuesAreNull: boolean;
  /** `passes` is never NULL for a considered row (no `coalesce` needed). */
  readonly nullFree: boolean;
}

/** Statistics an aggregate check reads from the scan, evaluated in TypeScript afterwards. */
export interface AggregateSelect {
  readonly key: string;
  /** An aggregate expression in the scan — or, with `separate`, a whole query whose rows are the value. */
  readonly sql: string;
  /** Runs as its own query after the scan (engines without the aggregate); its rows become the value. */
  readonly separate?: boolean;
}

/** The outcome of an aggregate or schema check. */
export interface Verdict {
  readonly success: boolean;
  readonly observed_value: ResultValue;
  readonly details?: Record<string, ResultValue>;
}

/** A table- or column-level statistic (min, mean, row count, distinct values…) and its test. */
export interface AggregateCheck {
  readonly kind: 'aggregate';
  readonly selects: readonly AggregateSelect[];
  /** Turns the selected values (by key) into a verdict. */
  readonly evaluate: (values: Readonly<Record<string, unknown>>) => Verdict;
}

/** A check decided from the table's schema alone (column types); needs no scan. */
export interface SchemaCheck {
  readonly kind: 'schema';
  readonly verdict: Verdict;
}

type Fields<T> = Omit<T, 'kind'>;

function freezeDeep<T extends object>(node: T): T {
  for (const value of Object.values(node)) if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) freezeDeep(value as object);
  return Object.freeze(node);
}

export const RowCheck = Object.freeze({
  is: (node: CheckNode | null | undefined): node is RowCheck => node?.kind === 'row',
  create: (
    fields: Partial<Pick<RowCheck, 'windows' | 'joins' | 'preflight' | 'reportsMissing' | 'valuesAreNull' | 'nullFree'>> &
      Omit<Fields<RowCheck>, 'windows' | 'joins' | 'preflight' | 'reportsMissing' | 'valuesAreNull' | 'nullFree'>,
  ): RowCheck => freezeDeep({ kind: 'row' as const, windows: [], joins: [], preflight: [], reportsMissing: true, valuesAreNull: false, nullFree: false, ...fields }),
});

export const AggregateCheck = Object.freeze({
  is: (node: CheckNode | null | undefined): node is AggregateCheck => node?.kind === 'aggregate',
  create: (fields: Fields<AggregateCheck>): AggregateCheck => freezeDeep({ kind: 'aggregate' as const, ...fields }),
});

export const SchemaCheck = Object.freeze({
  is: (node: CheckNode | null | undefined): node is SchemaCheck => node?.kind === 'schema',
  create: (fields: Fields<SchemaCheck>): SchemaCheck => freezeDeep({ kind: 'schema' as const, ...fields }),
});
