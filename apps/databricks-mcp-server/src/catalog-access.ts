import {
  CatalogError,
  declaredSecurables,
  gateSql,
  GrantEvaluator,
  metadataResult,
  OpsGrantsStore,
  parseMetadataStatement,
  sameSecurable,
  securableInLayout,
  SqlGrantsStore,
  type Grant,
  type MetadataStatement,
  type Namespace,
  type Policy,
  type Securable,
} from '@odoo-ce/catalog';
import { LAYERS, layoutCatalogNames, type CatalogLayout, type Warehouse } from '@odoo-ce/warehouse';
import type { AccessControl, SecurableRef, StatementDecision } from './access.js';
import { McpToolError } from './errors.js';


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
  /**
   * Where 1- and 2-part names resolve: must be what the engine's session resolves them against.
   * Default: asked once from the session (`current_catalog()`/`current_database()`, `current_schema()`).
   */
  readonly namespace?: Namespace;
}

interface Loaded {
  readonly evaluator: GrantEvaluator;
  readonly grants: readonly Grant[];
}

/**
 * {@link AccessControl} over `@odoo-ce/catalog`: the policy's principals, grants from the chosen
 * source, the same `GrantEvaluator` everywhere, and `gateSql` for statements. Policy names use the
 * layer names (gold, silver…); they are mapped to the target's catalogs (dev_gold…) once here.
 */
export class CatalogAccess implements AccessControl {
  readonly #options: CatalogAccessOptions;
  readonly #catalogs: readonly string[];
  #cached: { loaded: Loaded; at: number } | undefined;
  #loading: Promise<Loaded> | undefined;
  #namespace: Promise<Namespace> | undefined;

  constructor(options: CatalogAccessOptions) {
    this.#options = options;
    this.#catalogs = [...new Set([...layoutCatalogNames(options.warehouse.layout), ...LAYERS])];
  }

  async checkStatement(principal: string, sql: string): Promise<StatementDecision> {
    const { evaluator, grants } = await this.#loaded();
    const namespace = await this.namespace();
    const gate = await gateSql(sql, principal, { evaluator, catalogs: this.#catalogs, namespace });
    if (!gate.allowed) return { allowed: false, reason: gate.reason, tables: [] };
    const { warehouse } = this.#options;
    // One canonical text, comments removed, judged by the gate and run by the engine: an engine
    // quoting with backticks gets the Databricks spelling (Spark string escapes), the others the text
    // as DuckDB's parser read it. The caller's original text never reaches an engine.
    const adapter = warehouse.adapter;
    const engineSql = adapter.identifierQuote === '`' ? gate.canonicalSql : gate.parsedSql;
    if ((gate.kind !== 'SHOW' && gate.kind !== 'DESCRIBE') || adapter.runsDatabricksMetadataStatements) return { allowed: true, tables: gate.tables, sql: engineSql };
    // An engine that cannot run Databricks' SHOW/DESCRIBE: answer from information_schema,
    // filtered to what the caller may see.
    const statement = parseMetadataStatement(gate.canonicalSql, namespace) as MetadataStatement;
    return {
      allowed: true,
      tables: gate.tables,
      sql: engineSql,
      answer: (run) =>
        metadataResult(warehouse, statement, {
          run,
          visible: (s) => evaluator.check(principal, 'browse', s).allowed,
          grants: async (securables) => grants.filter((g) => securables.some((s) => sameSecurable(s, g.securable))),
        }).catch((error: unknown) => {
          // "does not exist" / "not supported on the embedded engine": our own one-line messages.
          if (error instanceof CatalogError && error.code === 'STATEMENT_REFUSED') {
            const code = (error.data as { code?: string } | undefined)?.code;
            throw new McpToolError(code === 'NOT_FOUND' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', error.message, { cause: error });
          }
          throw error;
        }),
    };
  }

  /** The namespace 1- and 2-part names resolve against: the option, else the engine session's. */
  namespace(): Promise<Namespace> {
    if (this.#options.namespace) return Promise.resolve(this.#options.namespace);
    this.#namespace ??= this.#sessionNamespace().catch((error: unknown) => {
      this.#namespace = undefined;
      throw error;
    });
    return this.#namespace;
  }

  async #sessionNamespace(): Promise<Namespace> {
    const { warehouse } = this.#options;
    // current_catalog() is Spark's name; DuckDB knows it too (an alias of current_database()).
    const { rows } = await warehouse.query<{ c: string; s: string }>('SELECT current_catalog() AS c, current_schema() AS s');
    const row = rows[0];
    if (!row) throw new McpToolError('UNAVAILABLE', 'the warehouse session reported no current catalog and schema');
    return { catalog: String(row.c).toLowerCase(), schema: String(row.s).toLowerCase() };
  }

  async canSee(principal: string, ref: SecurableRef): Promise<boolean> {
    return this.#check((e) => e.check(principal, 'browse', toSecurable(ref)).allowed);
  }

  async canRead(principal: string, ref: Required<SecurableRef>): Promise<boolean> {
    return this.#check((e) => e.check(principal, 'read', toSecurable(ref)).allowed);
  }

  async canExecute(principal: string, functionName: string): Promise<boolean> {
    return this.#check((e) => e.check(principal, 'execute', { type: 'FUNCTION', name: functionName.toLowerCase() }).allowed);
  }

  async knows(principal: string): Promise<boolean> {
    return this.#check((e) => Boolean(e.principal(principal)));
  }

  async #check(fn: (e: GrantEvaluator) => boolean): Promise<boolean> {
    const { evaluator } = await this.#loaded();
    try {
      return fn(evaluator);
    } catch (error) {
      // An unknown principal sees nothing.
      if (error instanceof CatalogError) return false;
      throw error;
    }
  }

  async #loaded(): Promise<Loaded> {
    const ttl = this.#options.cacheMs ?? 5000;
    if (this.#cached && Date.now() - this.#cached.at < ttl) return this.#cached.loaded;
    this.#loading ??= this.#load()
      .then((loaded) => {
        this.#cached = { loaded, at: Date.now() };
        return loaded;
      })
      .finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  async #load(): Promise<Loaded> {
    const { warehouse, policy, source } = this.#options;
    const layout = warehouse.layout;
    let grants: readonly Grant[];
    if (source === 'ops') grants = await new OpsGrantsStore(warehouse).list();
    else if (source === 'policy') grants = policy.grants.map((g) => ({ ...g, securable: physicalSecurable(g.securable, layout) }));
    else grants = await new SqlGrantsStore(warehouse).list(declaredSecurables(policy.catalogs).map((s) => physicalSecurable(s, layout)));
    return { evaluator: new GrantEvaluator(policy.principals, grants), grants };
  }
}

function toSecurable(ref: SecurableRef): Securable {
  return ref.table !== undefined && ref.schema !== undefined
    ? { type: 'TABLE', name: `${ref.catalog}.${ref.schema}.${ref.table}`.toLowerCase() }
    : ref.schema !== undefined
      ? { type: 'SCHEMA', name: `${ref.catalog}.${ref.schema}`.toLowerCase() }
      : { type: 'CATALOG', name: ref.catalog.toLowerCase() };
}

/**
 * `gold.finance.t` (layer names, as in the policy) → `dev_gold.finance.t`, and `ops.ops` → the
 * layout's ops catalog and schema: the catalog lib's {@link securableInLayout}, lower-cased as
 * the evaluator compares names.
 */
export function physicalSecurable(securable: Securable, layout: CatalogLayout): Securable {
  const mapped = securableInLayout(securable, layout);
  return mapped.type === 'METASTORE' ? mapped : { type: mapped.type, name: mapped.name.toLowerCase() };
}
