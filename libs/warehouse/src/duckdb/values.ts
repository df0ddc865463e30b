import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  blobValue,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { findParameterMarkers, rewriteParameterMarkers } from '../core/sql-scan.js';
import { isTypedParameter, type CompiledQuery, type ParameterType, type ParameterValue } from '../core/types.js';

/**
 * DuckDB value → the platform's canonical JS value (see core/types.ts). Differs from the SDK's
 * own JS converter where it would lose information or disagree with Databricks:
 * DECIMAL → exact string (not a double), DATE → 'YYYY-MM-DD' (not a local-midnight Date).
 */
export const canonicalValue: DuckDBValueConverter<unknown> = (value: DuckDBValue, type: DuckDBType, converter) => {
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.DATE:
      // Row conversion hands SQL NULL to the converter too: keep it null, not 'null'.
      return value === null ? null : String(value);
    default:
      return JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>);
  }
};

const CAST: Record<ParameterType, (value: string) => string> = {
  BOOLEAN: () => 'BOOLEAN',
  INTEGER: () => 'INTEGER',
  BIGINT: () => 'BIGINT',
  DOUBLE: () => 'DOUBLE',
  DECIMAL: (value) => `DECIMAL(38, ${Math.min(37, value.split('.')[1]?.length ?? 0)})`,
  STRING: () => 'VARCHAR',
  DATE: () => 'DATE',
  TIMESTAMP: () => 'TIMESTAMP',
};

/** A parameter prepared for DuckDB: the bound JS value and, when needed, the SQL type to CAST the marker to. */
export interface BoundParameter {
  readonly value: DuckDBValue;
  readonly cast?: string;
}

/**
 * Binds like the Databricks driver types JS values, so both engines see the same SQL types:
 * integers within int32 → INTEGER, other integers → BIGINT, other numbers → DOUBLE,
 * Date → TIMESTAMP (UTC), typed parameters → CAST(string AS type).
 */
export function bindParameter(value: ParameterValue): BoundParameter {
  if (value === null) return { value: null };
  if (isTypedParameter(value)) {
    if (value.value === null) return { value: null, cast: CAST[value.type]('') };
    return { value: value.value, cast: CAST[value.type](value.value) };
  }
  if (typeof value === 'number') {
    // Like DBSQLParameter: integers beyond 2^53 are not exact, so they travel as DOUBLE (not an overflowing BIGINT).
    if (Number.isSafeInteger(value)) return { value: BigInt(value), cast: value >= -(2 ** 31) && value < 2 ** 31 ? 'INTEGER' : 'BIGINT' };
    return { value: String(value), cast: 'DOUBLE' };
  }
  if (typeof value === 'bigint') return { value, cast: 'BIGINT' };
  if (value instanceof Date) return { value: value.toISOString().replace('T', ' ').replace('Z', ''), cast: 'TIMESTAMP' };
  if (typeof value === 'boolean') return { value, cast: 'BOOLEAN' };
  if (value instanceof Uint8Array) return { value: blobValue(value) };
  return { value, cast: 'VARCHAR' };
}

/**
 * The DuckDB SQL and values for a compiled query: bound named parameters become `$name`
 * (cast to their type), exactly as the DuckDB driver binds them. Parameters the statement does
 * not mention are ignored, as Databricks does.
 */
export function duckDbStatement(query: CompiledQuery): { sql: string; values: Record<string, DuckDBValue> | undefined } {
  const mentioned = new Set(findParameterMarkers(query.sql).map((m) => m.name));
  const names = new Set(Object.keys(query.parameters).filter((n) => mentioned.has(n)));
  if (names.size === 0) return { sql: query.sql, values: undefined };
  const values: Record<string, DuckDBValue> = {};
  const casts = new Map<string, string | undefined>();
  for (const name of names) {
    const bound = bindParameter(query.parameters[name] ?? null);
    values[name] = bound.value;
    casts.set(name, bound.cast);
  }
  const sql = rewriteParameterMarkers(query.sql, names, (n) => (casts.get(n) ? `CAST($${n} AS ${casts.get(n)})` : `$${n}`));
  return { sql, values };
}
