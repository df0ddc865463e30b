import type { DialectAdapter, ParameterValue } from '@odoo-ce/warehouse';

/** One bronze row to land: `_id`, `_version` and `_raw` (JSON text). */
export interface PageRow {
  readonly id: string;
  readonly version: string;
  readonly raw: string;
}

/** Rows per statement where rows are spliced as literals (engines without the list path). */
export const LITERAL_CHUNK = 1000;

/**
 * A page of rows as derived tables `v(_id, _version, _raw)` for `INSERT … SELECT … FROM <source>`,
 * one per statement, with the parameters each needs.
 *
 * Why not one parameter per value: binding thousands of parameters costs several times more than
 * the INSERT itself (measured in tools/bench odoo-sync: ~5× the CPU of the list path on DuckDB).
 * Where the adapter has `rowsFromLines` (DuckDB), each column is ONE newline-joined parameter,
 * split and zipped in SQL; other engines get adapter-escaped literals in `VALUES` chunks.
 * Newline-joining is exact here: ids are integers, versions Odoo datetimes, and `_raw` is
 * `JSON.stringify` output, which escapes every control character. A row that breaks this throws.
 */
export function pageRowSources(adapter: DialectAdapter, rows: readonly PageRow[]): { sql: string; params: Record<string, ParameterValue> }[] {
  for (const r of rows) {
    if (/[\n\0]/.test(r.id) || /[\n\0]/.test(r.version) || /[\n\0]/.test(r.raw)) throw new Error(`row ${JSON.stringify(r.id)}: a value contains a newline or NUL`);
  }
  const joined = (pick: (r: PageRow) => string) => rows.map(pick).join('\n');
  const fromLines = adapter.rowsFromLines([
    { name: '_id', param: 'rows_id' },
    { name: '_version', param: 'rows_version' },
    { name: '_raw', param: 'rows_raw' },
  ]);
  if (fromLines !== undefined) {
    return [{ sql: `${fromLines} AS v`, params: { rows_id: joined((r) => r.id), rows_version: joined((r) => r.version), rows_raw: joined((r) => r.raw) } }];
  }
  const sources: { sql: string; params: Record<string, ParameterValue> }[] = [];
  for (let start = 0; start < rows.length; start += LITERAL_CHUNK) {
    const values = rows.slice(start, start + LITERAL_CHUNK).map((r) => `(${adapter.literalString(r.id)}, ${adapter.literalString(r.version)}, ${adapter.literalString(r.raw)})`);
    sources.push({ sql: `(VALUES ${values.join(', ')}) AS v(_id, _version, _raw)`, params: {} });
  }
  return sources;
}
