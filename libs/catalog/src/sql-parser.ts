import { compiledQuery, Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';

/** What DuckDB's `json_serialize_sql` says about a statement. */
export type ParseOutcome =
  | { readonly ok: true; readonly statements: readonly unknown[] }
  | { readonly ok: false; readonly errorType: string; readonly message: string };

/**
 * DuckDB's parser, through `json_serialize_sql` on a private in-memory DuckDB (no catalogs, no
 * files): the SQL is passed as a bound parameter and only parsed, never executed. It serialises
 * SELECT-shaped statements only; everything else comes back as an error ("Only SELECT
 * statements can be serialized to json!").
 */
export class SqlParser {
  readonly #warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', threads: 1 }));

  async parse(sql: string): Promise<ParseOutcome> {
    const { rows } = await this.#warehouse.query<{ j: string }>(compiledQuery('SELECT json_serialize_sql(:sql) AS j', { sql }));
    const json = JSON.parse((rows[0] as { j: string }).j) as { error: boolean; error_type?: string; error_message?: string; statements?: unknown[] };
    if (json.error) return { ok: false, errorType: json.error_type ?? 'error', message: json.error_message ?? 'cannot parse' };
    return { ok: true, statements: json.statements ?? [] };
  }

  async close(): Promise<void> {
    await this.#warehouse.close();
  }
}

let shared: SqlParser | undefined;

/** One parser per process, created on first use (it holds an idle in-memory DuckDB). */
export function sharedSqlParser(): SqlParser {
  shared ??= new SqlParser();
  return shared;
}
