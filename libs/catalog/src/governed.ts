import { compiledQuery, type ExecuteOptions, type QueryResult, type Row, type Warehouse } from '@odoo-ce/warehouse';
import { CatalogError } from './errors.js';
import { GrantEvaluator } from './evaluator.js';
import { gateSql, type GateAllowed, type GateOptions } from './gate.js';
import { parseMetadataStatement, type MetadataStatement } from './grant-sql.js';
import { SHOW_GRANTS_COLUMNS, showGrantsRows } from './grants-handler.js';
import { ancestors, type Grant, type Principal, type Securable } from './model.js';
import { OpsGrantsStore } from './stores.js';

export interface GovernedQueryOptions extends Omit<GateOptions, 'evaluator'> {
  /** The principals (from the policy); the grants come from the warehouse's `<ops>.grants`. */
  readonly principals: readonly Principal[];
  readonly timeoutMs?: number;
}

const DEFAULT_NAMESPACE = { catalog: 'main', schema: 'default' };

/**
 * Local enforcement on the embedded engine: evaluates the caller's grants from `<ops>.grants`
 * (the same evaluator as for Databricks), gates the statement, and runs exactly the text that was
 * parsed. DESCRIBE TABLE runs as is; SHOW CATALOGS / SCHEMAS / TABLES read DuckDB's
 * information_schema and list only what the caller holds some privilege on, with Databricks'
 * column names; SHOW GRANTS reads the ops table. A refusal throws
 * `CatalogError('STATEMENT_REFUSED')` with the gate's code in `data.code`.
 */
export async function governedQuery<R = Row>(
  warehouse: Warehouse,
  principal: string,
  sql: string,
  options: GovernedQueryOptions,
): Promise<QueryResult<R> & { readonly gate: GateAllowed }> {
  const store = new OpsGrantsStore(warehouse);
  const evaluator = new GrantEvaluator(options.principals, await store.list());
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const gate = await gateSql(sql, principal, {
    evaluator,
    namespace,
    ...(options.catalogs ? { catalogs: options.catalogs } : {}),
    ...(options.parser ? { parser: options.parser } : {}),
  });
  if (!gate.allowed) throw new CatalogError('STATEMENT_REFUSED', gate.reason, { data: { code: gate.code, principal } });
  const run: ExecuteOptions = { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };
  if (gate.kind === 'SHOW' || gate.kind === 'DESCRIBE') {
    const statement = parseMetadataStatement(gate.canonicalSql, namespace) as MetadataStatement;
    const result = await metadataResult(warehouse, statement, { run, visible: (s) => evaluator.privilegesOn(principal, s).size > 0, grants: (s) => store.list(s) });
    return { ...(result as QueryResult<R>), gate };
  }
  const result = await warehouse.query<R>(gate.parsedSql, run);
  return { ...result, gate };
}

/** What {@link metadataResult} needs besides the statement. */
export interface MetadataSources {
  /** Passed to every query (timeout, cancel signal). */
  readonly run: ExecuteOptions;
  /** Whether the caller may see a securable: what is not visible is left out, as if absent. */
  readonly visible: (s: Securable) => boolean;
  /** Grants on the given securables, for SHOW GRANTS. */
  readonly grants: (securables: readonly Securable[]) => Promise<readonly Grant[]>;
}

/**
 * The embedded engine's answers to the Databricks metadata statements it cannot run as written
 * (`SHOW CATALOGS` would be read by DuckDB as a table name): DESCRIBE TABLE runs DuckDB's DESCRIBE,
 * DESCRIBE SCHEMA/CATALOG and SHOW CATALOGS/SCHEMAS/TABLES read information_schema and answer in
 * Databricks' column names, SHOW GRANTS reads `sources.grants`. Call it only for a statement the
 * gate allowed (`parseMetadataStatement` of `gate.canonicalSql`).
 */
export async function metadataResult(warehouse: Warehouse, statement: MetadataStatement, sources: MetadataSources): Promise<QueryResult> {
  const { run, visible } = sources;
  const strings = (names: readonly string[]) => names.map((name) => ({ name, type: 'VARCHAR' }));
  switch (statement.kind) {
    case 'DESCRIBE': {
      const { type, name } = statement.securable;
      if (type === 'TABLE') return warehouse.query(`DESCRIBE ${warehouse.adapter.quoteQualified(name.split('.'))}`, run);
      const [catalog, schema] = name.split('.') as [string, string | undefined];
      const { rows } = await warehouse.query<{ n: number }>(
        schema === undefined
          ? compiledQuery('SELECT count(*)::INTEGER AS n FROM information_schema.schemata WHERE catalog_name = :c', { c: catalog })
          : compiledQuery('SELECT count(*)::INTEGER AS n FROM information_schema.schemata WHERE catalog_name = :c AND schema_name = :s', { c: catalog, s: schema }),
        run,
      );
      if (type === 'FUNCTION' || !rows[0]?.n || !visible(statement.securable)) {
        const what = type === 'FUNCTION' ? 'DESCRIBE FUNCTION is not supported on the embedded engine' : `${type} ${name} does not exist`;
        throw new CatalogError('STATEMENT_REFUSED', what, { data: { code: type === 'FUNCTION' ? 'NOT_SUPPORTED' : 'NOT_FOUND' } });
      }
      if (schema === undefined) return { columns: strings(['info_name', 'info_value']), rows: [{ info_name: 'Catalog Name', info_value: catalog }] };
      return {
        columns: strings(['database_description_item', 'database_description_value']),
        rows: [
          { database_description_item: 'Catalog Name', database_description_value: catalog },
          { database_description_item: 'Namespace Name', database_description_value: schema },
        ],
      };
    }
    case 'SHOW GRANTS': {
      const grants = await sources.grants([statement.securable, ...ancestors(statement.securable)]);
      const rows = showGrantsRows(grants, statement.principal).map((r) => Object.fromEntries(SHOW_GRANTS_COLUMNS.map((c, i) => [c, r[i]])));
      return { columns: strings(SHOW_GRANTS_COLUMNS), rows };
    }
    case 'SHOW': {
      if (statement.what === 'CATALOGS') {
        const { rows } = await warehouse.query<{ c: string }>("SELECT DISTINCT catalog_name AS c FROM information_schema.schemata WHERE catalog_name NOT IN ('system', 'temp') ORDER BY 1", run);
        return { columns: strings(['catalog']), rows: rows.filter((r) => visible({ type: 'CATALOG', name: r.c })).map((r) => ({ catalog: r.c })) };
      }
      if (statement.what === 'SCHEMAS') {
        const { rows } = await warehouse.query<{ s: string }>(
          compiledQuery('SELECT schema_name AS s FROM information_schema.schemata WHERE catalog_name = :c ORDER BY 1', { c: statement.catalog }),
          run,
        );
        return { columns: strings(['databaseName']), rows: rows.filter((r) => visible({ type: 'SCHEMA', name: `${statement.catalog}.${r.s}` })).map((r) => ({ databaseName: r.s })) };
      }
      const [catalog, schema] = statement.schema.split('.') as [string, string];
      const { rows } = await warehouse.query<{ t: string }>(
        compiledQuery('SELECT table_name AS t FROM information_schema.tables WHERE table_catalog = :c AND table_schema = :s ORDER BY 1', { c: catalog, s: schema }),
        run,
      );
      return {
        columns: [...strings(['database', 'tableName']), { name: 'isTemporary', type: 'BOOLEAN' }],
        rows: rows.filter((r) => visible({ type: 'TABLE', name: `${statement.schema}.${r.t}` })).map((r) => ({ database: schema, tableName: r.t, isTemporary: false })),
      };
    }
  }
}
