import { CatalogError, declaredSecurables, gateSql, GrantEvaluator, OpsGrantsStore, SqlGrantsStore, type Grant, type Policy, type Securable } from '@odoo-ce/catalog';
import { LAYERS, layoutCatalogNames, type CatalogLayout, type Warehouse } from '@odoo-ce/warehouse';
import type { AccessControl, SecurableRef, StatementDecision } from './access.js';

/** Where the grants come from. */
export type GrantsSource =
  /** `<ops>.grants` in the warehouse: local enforcement on the embedded engine. */
  | 'ops'
  /** The policy files (databricks/catalog/grants.yml): the desired state, as written. */
  | 'policy'
  /** SHOW GRANTS on every declared securable of a Databricks SQL warehouse (Unity Catalog itself). */
  | 'unity-catalog';

export interface CatalogAccessOptions {
  readonly warehouse: Warehouse;
  readonly policy: Policy;
  readonly source: GrantsSource;
  /** How long grants are reused before being read again (default 5 s; a revoke takes effect after at most this). */
  readonly cacheMs?: number;
}

/**
 * {@link AccessControl} over `@odoo-ce/catalog`: the policy's principals, grants from the chosen
 * source, the same `GrantEvaluator` everywhere, and `gateSql` for statements. Policy names use the
 * layer names (gold, silver…); they are mapped to the target's catalogs (dev_gold…) once here.
 */
export class CatalogAccess implements AccessControl {
  readonly #options: CatalogAccessOptions;
  readonly #catalogs: readonly string[];
  #cached: { evaluator: GrantEvaluator; at: number } | undefined;
  #loading: Promise<GrantEvaluator> | undefined;

  constructor(options: CatalogAccessOptions) {
    this.#options = options;
    this.#catalogs = [...new Set([...layoutCatalogNames(options.warehouse.layout), ...LAYERS])];
  }

  async checkStatement(principal: string, sql: string): Promise<StatementDecision> {
    const evaluator = await this.#evaluator();
    const gate = await gateSql(sql, principal, { evaluator, catalogs: this.#catalogs });
    if (!gate.allowed) return { allowed: false, reason: gate.reason, tables: [] };
    // DuckDB runs exactly the text the gate parsed; Databricks gets the original spelling (the
    // lexical changes are backticks and Spark string escapes, which Databricks needs as written).
    const runSql = this.#options.warehouse.adapter.dialect === 'duckdb' ? gate.parsedSql : sql;
    return { allowed: true, tables: gate.tables, sql: runSql };
  }

  async canSee(principal: string, ref: SecurableRef): Promise<boolean> {
    const securable: Securable =
      ref.table !== undefined && ref.schema !== undefined
        ? { type: 'TABLE', name: `${ref.catalog}.${ref.schema}.${ref.table}`.toLowerCase() }
        : ref.schema !== undefined
          ? { type: 'SCHEMA', name: `${ref.catalog}.${ref.schema}`.toLowerCase() }
          : { type: 'CATALOG', name: ref.catalog.toLowerCase() };
    return this.#check((e) => e.check(principal, 'browse', securable).allowed);
  }

  async canExecute(principal: string, functionName: string): Promise<boolean> {
    return this.#check((e) => e.check(principal, 'execute', { type: 'FUNCTION', name: functionName.toLowerCase() }).allowed);
  }

  async knows(principal: string): Promise<boolean> {
    return this.#check((e) => Boolean(e.principal(principal)));
  }

  async #check(fn: (e: GrantEvaluator) => boolean): Promise<boolean> {
    const evaluator = await this.#evaluator();
    try {
      return fn(evaluator);
    } catch (error) {
      // An unknown principal sees nothing.
      if (error instanceof CatalogError) return false;
      throw error;
    }
  }

  async #evaluator(): Promise<GrantEvaluator> {
    const ttl = this.#options.cacheMs ?? 5000;
    if (this.#cached && Date.now() - this.#cached.at < ttl) return this.#cached.evaluator;
    this.#loading ??= this.#load()
      .then((evaluator) => {
        this.#cached = { evaluator, at: Date.now() };
        return evaluator;
      })
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(): Promise<GrantEvaluator> {
    const { warehouse, policy, source } = this.#options;
    const layout = warehouse.layout;
    let grants: readonly Grant[];
    if (source === 'ops') grants = await new OpsGrantsStore(warehouse).list();
    else if (source === 'policy') grants = policy.grants.map((g) => ({ ...g, securable: physicalSecurable(g.securable, layout) }));
    else grants = await new SqlGrantsStore(warehouse).list(declaredSecurables(policy.catalogs).map((s) => physicalSecurable(s, layout)));
    return new GrantEvaluator(policy.principals, grants);
  }
}

/** `gold.finance.t` (layer names, as in the policy) → `dev_gold.finance.t` on a prefixed target. */
export function physicalSecurable(securable: Securable, layout: CatalogLayout): Securable {
  if (securable.type === 'METASTORE') return securable;
  const [first, ...rest] = securable.name.split('.');
  const catalog = (LAYERS as readonly string[]).includes(first as string) ? layout.catalogs[first as (typeof LAYERS)[number]] : first === 'ops' ? layout.ops.catalog : (first as string);
  return { type: securable.type, name: [catalog, ...rest].join('.').toLowerCase() };
}
