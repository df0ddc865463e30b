import type { ExecuteOptions, QueryResult } from '@odoo-ce/warehouse';

/** A Unity Catalog securable the tools ask about (names as the warehouse spells them). */
export interface SecurableRef {
  readonly catalog: string;
  readonly schema?: string;
  readonly table?: string;
}

/** The gate's verdict on one statement for one principal. */
export type StatementDecision =
  | {
      readonly allowed: true;
      readonly tables: readonly string[];
      /** The text to run: exactly what the gate parsed (in the engine's spelling), comments removed. */
      readonly sql: string;
      /**
       * Set when the engine cannot run the statement as written (SHOW/DESCRIBE on DuckDB): the
       * answer, computed without running `sql`.
       */
      readonly answer?: (run: ExecuteOptions) => Promise<QueryResult>;
    }
  | { readonly allowed: false; readonly reason: string; readonly tables: readonly string[] };

/**
 * What the server asks the governance layer (`@odoo-ce/catalog`): may this principal run this
 * statement, see this securable, call this function. An interface so the tools do not depend on
 * where grants are stored.
 */
export interface AccessControl {
  checkStatement(principal: string, sql: string): Promise<StatementDecision>;
  /** Unity Catalog's BROWSE semantics: usage on the containers and any privilege on the object. */
  canSee(principal: string, securable: SecurableRef): Promise<boolean>;
  /** SELECT on a table (with USE CATALOG and USE SCHEMA): what returning its rows needs. */
  canRead(principal: string, table: Required<SecurableRef>): Promise<boolean>;
  /** EXECUTE on a Unity Catalog function (`catalog.schema.function`). */
  canExecute(principal: string, functionName: string): Promise<boolean>;
  /** Whether the principal is known to the policy at all. */
  knows(principal: string): Promise<boolean>;
}
