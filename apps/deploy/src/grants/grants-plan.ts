import { changeToSql, declaredSecurables, diffGrants, grantsInLayout, OpsGrantsStore, securableInLayout, SqlGrantsStore, toTerraformGrants, type Grant, type GrantChange, type GrantsStore, type Policy, type Securable } from '@odoo-ce/catalog';
import type { CatalogLayout, Warehouse } from '@odoo-ce/warehouse';

/**
 * Where the target's grants live: `<ops>.grants` on the embedded engine (what local enforcement
 * reads), `SHOW GRANTS` / `GRANT` / `REVOKE` on Databricks SQL.
 */
export function grantsStoreFor(warehouse: Warehouse, engine: 'duckdb' | 'databricks'): GrantsStore {
  return engine === 'duckdb' ? new OpsGrantsStore(warehouse) : new SqlGrantsStore(warehouse);
}

export interface GrantsPlan {
  readonly changes: readonly GrantChange[];
  /** Securables whose grants were compared. */
  readonly securables: readonly Securable[];
  /**
   * Securables the policy names that do not exist yet on the target (a table the pipeline has not
   * created on a fresh workspace): their grants wait, and are neither drift nor applied.
   */
  readonly missing: readonly Securable[];
  readonly desired: number;
  readonly actual: number;
}

export interface PlanGrantsOptions {
  /** Principals left out on both sides (e.g. the deploying service principal's own MANAGE). */
  readonly ignore?: readonly string[];
  /**
   * Ask the store one securable at a time and treat "does not exist" errors as a missing object
   * (Databricks: SHOW GRANTS on a table the pipeline has not created yet fails).
   */
  readonly perSecurable?: boolean;
}

/** Databricks' error classes (and DuckDB's wording, behind the local endpoint) for an object that does not exist. */
const NOT_FOUND = /TABLE_OR_VIEW_NOT_FOUND|ROUTINE_NOT_FOUND|SCHEMA_NOT_FOUND|CATALOG_NOT_FOUND|NO_SUCH_CATALOG|VOLUME_NOT_FOUND|RESOURCE_DOES_NOT_EXIST|does not exist/i;

/**
 * Desired (the policy) against actual (the store) on every securable the policy declares or
 * grants on → the minimal REVOKEs then GRANTs.
 */
export async function planGrants(store: GrantsStore, policy: Policy, layout: CatalogLayout, options: PlanGrantsOptions = {}): Promise<GrantsPlan> {
  // The policy's grants with catalog names for the target (`gold` → `dev_gold`).
  const desired = grantsInLayout(policy.grants, layout);
  const seen = new Set<string>();
  const securables: Securable[] = [];
  for (const s of [...declaredSecurables(policy.catalogs).map((d) => securableInLayout(d, layout)), ...desired.map((g) => g.securable)]) {
    const key = securableKey(s);
    if (!seen.has(key)) {
      seen.add(key);
      securables.push(s);
    }
  }
  const missing: Securable[] = [];
  let actual: Grant[];
  if (options.perSecurable) {
    actual = [];
    for (const s of securables) {
      try {
        actual.push(...(await store.list([s])));
      } catch (error) {
        if (!NOT_FOUND.test((error as Error).message)) throw error;
        missing.push(s);
      }
    }
  } else {
    actual = await store.list(securables);
  }
  const absent = new Set(missing.map(securableKey));
  const skip = new Set((options.ignore ?? []).map((p) => p.toLowerCase()));
  const keep = (g: Grant) => !skip.has(g.principal.toLowerCase()) && !absent.has(securableKey(g.securable));
  const kept = actual.filter(keep);
  const wanted = desired.filter(keep);
  return { changes: diffGrants(wanted, kept), securables: securables.filter((s) => !absent.has(securableKey(s))), missing, desired: wanted.length, actual: kept.length };
}

function securableKey(s: Securable): string {
  return `${s.type} ${s.name.toLowerCase()}`;
}

/** `terraform plan`-style text: `-` revokes, `+` grants, one SQL statement each, then a summary. */
export function formatGrantsPlan(plan: GrantsPlan, target: string): string {
  const waiting = plan.missing.map((s) => `  ~ ${s.type} ${s.name} does not exist yet; its grants wait (run grants apply again once it is created)`);
  if (plan.changes.length === 0) return [...waiting, `No changes. Grants on target ${target} match the policy (${plan.desired} privileges on ${plan.securables.length} securables).`].join('\n');
  const lines = [...waiting, ...plan.changes.map((c) => `  ${c.action === 'GRANT' ? '+' : '-'} ${changeToSql(c)}`)];
  const count = (a: GrantChange['action']) => plan.changes.filter((c) => c.action === a).reduce((n, c) => n + c.privileges.length, 0);
  lines.push(`Plan: ${count('GRANT')} to grant, ${count('REVOKE')} to revoke (target ${target}).`);
  return lines.join('\n');
}

/**
 * The securable types Terraform manages: the ones its own state creates (catalogs and schemas, by
 * modules/unity_catalog) and the metastore. Tables, views, volumes and functions are created by the
 * pipeline (or not at all), so a `databricks_grants` on them would fail the first `terraform apply`;
 * their grants stay with `deploy grants apply`, which skips objects that do not exist yet.
 */
export const TERRAFORM_SECURABLE_TYPES: readonly Securable['type'][] = ['METASTORE', 'CATALOG', 'SCHEMA'];

export interface TerraformGrantsOptions {
  /** Terraform addresses every resource depends on (the module that creates the securables). */
  readonly dependsOn?: readonly string[];
  /** The metastore id expression (e.g. `${var.metastore_id}`) for the METASTORE grant. */
  readonly metastoreId?: string;
  /**
   * Whether this environment owns the METASTORE grant. The environments share one metastore and
   * `databricks_grants` is authoritative, so exactly one state may manage it; the others leave it out.
   */
  readonly includeMetastore?: boolean;
}

/**
 * Terraform JSON for the target: one authoritative `databricks_grants` per metastore, catalog and
 * schema securable (privileges in REST spelling), each depending on the Unity Catalog module that
 * creates the securables.
 */
export function terraformGrants(policy: Policy, layout: CatalogLayout, options: TerraformGrantsOptions = {}): Record<string, unknown> {
  const grants = grantsInLayout(policy.grants, layout).filter(
    (g) => TERRAFORM_SECURABLE_TYPES.includes(g.securable.type) && (g.securable.type !== 'METASTORE' || options.includeMetastore === true),
  );
  const json = toTerraformGrants(grants, options.metastoreId ? { metastoreId: options.metastoreId } : {});
  const resources = Object.fromEntries(
    Object.entries(json.resource.databricks_grants).map(([name, body]) => [name, options.dependsOn?.length ? { ...body, depends_on: [...options.dependsOn] } : body]),
  );
  return {
    '//': 'Generated by `npx deploy grants terraform` from databricks/catalog/*.yml — do not edit; change the policy and regenerate. Metastore, catalog and schema grants only: object grants (tables, views, functions) are applied by `npx deploy grants apply` once the objects exist.',
    resource: { databricks_grants: resources },
  };
}
