/**
 * A value that can travel as a query parameter or come back in a row.
 *
 * Canonical JS mapping of result values (both engines; see docs/warehouse-types.md):
 * BOOLEAN → boolean; TINYINT/SMALLINT/INTEGER/FLOAT/DOUBLE → number; BIGINT → bigint;
 * DECIMAL(p,s) → string with exactly `s` fraction digits; VARCHAR → string;
 * DATE → 'YYYY-MM-DD'; TIMESTAMP → Date (UTC, millisecond precision); BINARY → Uint8Array;
 * ARRAY/STRUCT/MAP → plain JSON values; NULL → null.
 */
export type SqlValue = null | boolean | number | bigint | string | Date | Uint8Array;

/** The SQL types a parameter can be bound as, in Databricks spelling. */
export type ParameterType = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'STRING' | 'DATE' | 'TIMESTAMP';

/** A parameter with an explicit SQL type, for values whose JS type is ambiguous (DATE vs STRING, DECIMAL). */
export interface TypedParameter {
  readonly type: ParameterType;
  /** The value as Databricks sends it on the wire: decimal strings, 'YYYY-MM-DD', ISO timestamps. */
  readonly value: string | null;
}

export type ParameterValue = SqlValue | TypedParameter;

/**
 * SQL plus named parameters. Markers are written `:name` (Databricks syntax) and each dialect's
 * driver binds them natively; values are never spliced into the SQL text.
 *
 * @example
 * const q = compiledQuery('select * from bronze.scout.transactions where agency = :agency', { agency: 'RIM' });
 */
export interface CompiledQuery {
  readonly sql: string;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
}

/** Builds a frozen {@link CompiledQuery}. */
export function compiledQuery(sql: string, parameters: Record<string, ParameterValue> = {}): CompiledQuery {
  return Object.freeze({ sql, parameters: Object.freeze({ ...parameters }) });
}

/** Typed parameter helpers: `param.date('2025-01-31')`, `param.decimal('12.50')`. */
export const param = Object.freeze({
  date: (value: string | null): TypedParameter => Object.freeze({ type: 'DATE', value }),
  timestamp: (value: Date | string | null): TypedParameter =>
    Object.freeze({ type: 'TIMESTAMP', value: value instanceof Date ? value.toISOString() : value }),
  decimal: (value: string | null): TypedParameter => Object.freeze({ type: 'DECIMAL', value }),
  string: (value: string | null): TypedParameter => Object.freeze({ type: 'STRING', value }),
  bigint: (value: bigint | string | null): TypedParameter =>
    Object.freeze({ type: 'BIGINT', value: value === null ? null : String(value) }),
});

export function isTypedParameter(value: unknown): value is TypedParameter {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Uint8Array) && 'type' in value;
}

/** One result column: its name and the engine's type name (e.g. `DECIMAL(18,2)`, `BIGINT`). */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

export type Row = Record<string, SqlValue | unknown>;

export interface QueryResult<R = Row> {
  readonly columns: readonly ColumnInfo[];
  readonly rows: R[];
  /** For DML: rows inserted/updated/deleted, when the engine reports it. */
  readonly numAffectedRows?: bigint;
}

/** Options every I/O call takes. */
export interface ExecuteOptions {
  /** Aborting cancels the query on the engine, not only the wait for it. */
  readonly signal?: AbortSignal;
  /** Cancel the query after this many milliseconds (WarehouseError QUERY_TIMEOUT). */
  readonly timeoutMs?: number;
}

export interface StreamOptions extends ExecuteOptions {
  /** Rows per yielded batch (default 10,000). Memory stays bounded by about one batch. */
  readonly chunkSize?: number;
}
