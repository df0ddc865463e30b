import type { StatementInterceptor } from '@odoo-ce/warehouse/endpoint';
import { parseGrantStatement } from './grant-sql.js';
import { ancestors, PRIVILEGES, type Grant } from './model.js';
import type { GrantsStore } from './stores.js';

/** Databricks' SHOW GRANTS columns. */
export const SHOW_GRANTS_COLUMNS = ['Principal', 'ActionType', 'ObjectType', 'ObjectKey'] as const;

const DEPTH: Readonly<Record<string, number>> = { METASTORE: 0, CATALOG: 1, SCHEMA: 2 };

/** SHOW GRANTS rows, as Databricks lists them: grants on the object and those it inherits, outermost first. */
export function showGrantsRows(grants: readonly Grant[], principal?: string): string[][] {
  const sortKey = (g: Grant) => [String(DEPTH[g.securable.type] ?? 3), g.securable.name, g.principal, String(PRIVILEGES.indexOf(g.privilege)).padStart(3, '0')].join('\u0000');
  return grants
    .filter((g) => principal === undefined || g.principal.toLowerCase() === principal.toLowerCase())
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
    .map((g) => [g.principal, g.privilege, g.securable.type, g.securable.name]);
}

/**
 * Answers GRANT / REVOKE / SHOW GRANTS from a grants store, for the local Databricks SQL endpoint:
 * `startLocalEndpoint({ …, intercept: grantsStatementHandler(store) })`. Other statements are
 * not its business (`undefined`: the endpoint runs them). A malformed grant statement throws, and
 * the client sees the message as the statement's error.
 */
export function grantsStatementHandler(store: GrantsStore): StatementInterceptor {
  return async (sql, session) => {
    const statement = parseGrantStatement(sql, session);
    if (!statement) return undefined;
    if (statement.kind === 'SHOW GRANTS') {
      const grants = await store.list([statement.securable, ...ancestors(statement.securable)]);
      return { columns: SHOW_GRANTS_COLUMNS, rows: showGrantsRows(grants, statement.principal) };
    }
    await store.apply([statement.change]);
    return { columns: [], rows: [] };
  };
}
