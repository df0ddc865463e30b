import { compiledQuery, type CompiledQuery, type ParameterValue } from '../core/types.js';

/** A result the caller computed itself: string columns (NULL allowed), sent like any query result. */
export interface InterceptResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/**
 * An optional hook of the local endpoint: sees every statement (as the client sent it, before any
 * translation) with the session's current catalog and schema, and either answers it — a result,
 * or `{columns: []}` for a statement without a result set — or returns `undefined` to let DuckDB
 * run it. A rejection becomes the statement's error. Used by `@odoo-ce/catalog` to answer GRANT,
 * REVOKE and SHOW GRANTS from a grants store; the endpoint itself knows nothing about grants.
 */
export type StatementInterceptor = (sql: string, session: { readonly catalog: string; readonly schema: string }) => Promise<InterceptResult | undefined>;

/**
 * The query that produces an intercepted result on DuckDB, so it travels through the same
 * encoding and paging as every other result: `SELECT * FROM (VALUES …) AS t(cols)`, values bound
 * as parameters; `null` when there is no result set.
 */
export function interceptedQuery(result: InterceptResult): CompiledQuery | null {
  if (result.columns.length === 0) return null;
  const names = result.columns.map((c) => `"${c.replace(/"/g, '""')}"`);
  if (result.rows.length === 0) {
    return compiledQuery(`SELECT ${names.map((n) => `CAST(NULL AS VARCHAR) AS ${n}`).join(', ')} WHERE false`);
  }
  const params: Record<string, ParameterValue> = {};
  const tuples = result.rows.map((row, r) => {
    if (row.length !== result.columns.length) throw new TypeError(`intercepted row ${r} has ${row.length} values for ${result.columns.length} columns`);
    return `(${row
      .map((value, c) => {
        params[`_i${r}_${c}`] = value;
        return `CAST(:_i${r}_${c} AS VARCHAR)`;
      })
      .join(', ')})`;
  });
  return compiledQuery(`SELECT * FROM (VALUES ${tuples.join(', ')}) AS t(${names.join(', ')})`, params);
}
