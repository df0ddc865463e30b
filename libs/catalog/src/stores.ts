import { compiledQuery, ensureOpsSchema, opsTable, opsTableExists, param, type ParameterValue, type QueryExecutor } from '@odoo-ce/warehouse';
import { applyChanges, changeToSql, diffGrants, securableSql } from './diff.js';
import { CatalogError } from './errors.js';
import { grantKey, parsePrivilege, parseSecurableType, sameSecurable, type Grant, type GrantChange, type Securable } from './model.js';

/**
 * Where grants live. `list(securables)` returns the grants placed directly on those securables
 * (all grants when omitted and the store can enumerate them); `apply` runs GRANT/REVOKE changes.
 * REVOKE of a privilege that is not granted succeeds (as on Databricks).
 */
export interface GrantsStore {
  list(securables?: readonly Securable[]): Promise<Grant[]>;
  apply(changes: readonly GrantChange[]): Promise<void>;
}

const onAny = (grants: readonly Grant[], securables: readonly Securable[] | undefined) =>
  securables ? grants.filter((g) => securables.some((s) => sameSecurable(s, g.securable))) : [...grants];

/** Grants in memory (tests, the local endpoint's default). */
export class MemoryGrantsStore implements GrantsStore {
  #grants: Grant[];
  constructor(initial: readonly Grant[] = []) {
    this.#grants = [...new Map(initial.map((g) => [grantKey(g), g])).values()];
  }
  async list(securables?: readonly Securable[]): Promise<Grant[]> {
    return onAny(this.#grants, securables);
  }
  async apply(changes: readonly GrantChange[]): Promise<void> {
    this.#grants = applyChanges(this.#grants, changes);
  }
}

/** The ops table holding grants for the embedded engine: one row per (principal, securable, privilege). */
export const GRANTS_TABLE = 'grants';

/**
 * Grants for the embedded engine, in `<ops>.grants` (principal, securable_type, securable_name,
 * privilege, granted_at), created by the first `apply` (`list` never creates it: none yet, no
 * grants). Local enforcement reads it and evaluates with the same {@link GrantEvaluator} as
 * everywhere else.
 */
export class OpsGrantsStore implements GrantsStore {
  #ready: Promise<void> | undefined;
  constructor(readonly executor: QueryExecutor) {}

  #table(): string {
    return opsTable(this.executor, GRANTS_TABLE);
  }

  async #ensure(): Promise<void> {
    this.#ready ??= (async () => {
      await ensureOpsSchema(this.executor);
      const s = this.executor.adapter.typeName('string');
      await this.executor.query(
        `CREATE TABLE IF NOT EXISTS ${this.#table()} (principal ${s}, securable_type ${s}, securable_name ${s}, privilege ${s}, granted_at ${this.executor.adapter.typeName('timestamp')})`,
      );
    })().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    await this.#ready;
  }

  async list(securables?: readonly Securable[]): Promise<Grant[]> {
    // Reading never creates the table: none yet means no grants (like the other ops-table readers).
    if (this.#ready) await this.#ready;
    else if (!(await opsTableExists(this.executor, GRANTS_TABLE))) return [];
    const { rows } = await this.executor.query<{ principal: string; securable_type: string; securable_name: string; privilege: string }>(
      `SELECT principal, securable_type, securable_name, privilege FROM ${this.#table()} ORDER BY securable_type, securable_name, principal, privilege`,
    );
    const grants: Grant[] = [];
    for (const r of rows) {
      const type = parseSecurableType(r.securable_type);
      const privilege = parsePrivilege(r.privilege);
      if (!type || !privilege) {
        throw new CatalogError('INVALID_ARGUMENT', `${this.#table()} holds an invalid row: ${r.securable_type} ${r.securable_name} ${r.privilege}`, { data: { row: r } });
      }
      grants.push({ principal: r.principal, securable: { type, name: r.securable_name }, privilege });
    }
    return onAny(grants, securables);
  }

  async apply(changes: readonly GrantChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.#ensure();
    const table = this.#table();
    const now = new Date();
    for (const change of changes) {
      for (const privilege of change.privileges) {
        const key: Record<string, ParameterValue> = {
          principal: change.principal,
          type: change.securable.type,
          name: change.securable.name,
          privilege,
        };
        const where = 'principal = :principal AND securable_type = :type AND securable_name = :name AND privilege = :privilege';
        await this.executor.query(compiledQuery(`DELETE FROM ${table} WHERE ${where}`, key));
        if (change.action === 'GRANT') {
          await this.executor.query(
            compiledQuery(`INSERT INTO ${table} (principal, securable_type, securable_name, privilege, granted_at) VALUES (:principal, :type, :name, :privilege, :at)`, {
              ...key,
              at: param.timestamp(now),
            }),
          );
        }
      }
    }
  }
}

/**
 * Grants on a Databricks SQL warehouse (or the local endpoint answering like one): `SHOW GRANTS ON
 * <securable>` to read, GRANT/REVOKE to change. It cannot enumerate every grant, so `list` needs
 * the securables. SHOW GRANTS also shows inherited grants; only those placed on the securable
 * itself are returned. Column names and spellings are read leniently (platform facts §3.3).
 */
export class SqlGrantsStore implements GrantsStore {
  constructor(readonly executor: QueryExecutor) {}

  async list(securables?: readonly Securable[]): Promise<Grant[]> {
    if (!securables) throw new CatalogError('INVALID_ARGUMENT', 'SqlGrantsStore.list needs the securables to SHOW GRANTS on');
    const grants: Grant[] = [];
    for (const s of securables) {
      const { rows } = await this.executor.query(`SHOW GRANTS ON ${securableSql(s)}`);
      for (const row of rows) {
        const get = (name: string) => {
          const k = Object.keys(row).find((c) => c.toLowerCase() === name.toLowerCase());
          return k === undefined ? undefined : (row as Record<string, unknown>)[k];
        };
        const privilege = parsePrivilege(String(get('ActionType') ?? ''));
        const type = parseSecurableType(String(get('ObjectType') ?? ''));
        const key = String(get('ObjectKey') ?? '').replace(/`/g, '').toLowerCase();
        const principal = get('Principal');
        if (!privilege || !type || typeof principal !== 'string') continue; // OWN and other rows that are not privileges
        if (type !== s.type || (s.type !== 'METASTORE' && key !== s.name)) continue; // inherited from an ancestor
        grants.push({ principal, securable: s, privilege });
      }
    }
    return grants;
  }

  async apply(changes: readonly GrantChange[]): Promise<void> {
    for (const change of changes) await this.executor.query(changeToSql(change));
  }
}

/**
 * Makes a store hold exactly `desired` on the given securables (all securables when omitted and
 * the store can enumerate): lists, diffs, applies, and returns the changes it made (`dryRun`: only
 * returns them). Grants on securables outside the list are left alone.
 */
export async function syncGrants(
  store: GrantsStore,
  desired: readonly Grant[],
  options: { readonly securables?: readonly Securable[]; readonly dryRun?: boolean } = {},
): Promise<GrantChange[]> {
  const actual = await store.list(options.securables);
  const scoped = options.securables ? desired.filter((g) => options.securables?.some((s) => sameSecurable(s, g.securable))) : desired;
  const changes = diffGrants(scoped, actual);
  if (!options.dryRun) await store.apply(changes);
  return changes;
}
