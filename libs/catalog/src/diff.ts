import { CatalogError } from './errors.js';
import { grantKey, privilegeToApi, PRIVILEGES, type Grant, type GrantChange, type Privilege, type Securable } from './model.js';

const PLAIN = /^[a-z_][a-z0-9_]*$/;

/** A name part in Databricks SQL: bare when plain, else in backticks (a backtick doubled). */
export function quoteIdentifierPart(part: string): string {
  return PLAIN.test(part) ? part : `\`${part.replace(/`/g, '``')}\``;
}

/** A principal in Databricks SQL: always in backticks (ids hold `-` and `@`). */
export function quotePrincipal(principal: string): string {
  return `\`${principal.replace(/`/g, '``')}\``;
}

/** `SCHEMA gold.finance`, `METASTORE` — the securable as GRANT/REVOKE/SHOW GRANTS spell it. */
export function securableSql(securable: Securable): string {
  if (securable.type === 'METASTORE') return 'METASTORE';
  return `${securable.type} ${securable.name.split('.').map(quoteIdentifierPart).join('.')}`;
}

/** ``GRANT USE SCHEMA, SELECT ON SCHEMA gold.finance TO `finance_analysts` `` */
export function changeToSql(change: GrantChange): string {
  const verb = change.action === 'GRANT' ? 'TO' : 'FROM';
  return `${change.action} ${change.privileges.join(', ')} ON ${securableSql(change.securable)} ${verb} ${quotePrincipal(change.principal)}`;
}

const ORDER = new Map(PRIVILEGES.map((p, i) => [p, i]));
const byOrder = (a: Privilege, b: Privilege) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0);

/**
 * The changes that turn `actual` into `desired`: one REVOKE per (securable, principal) for the
 * grants to drop, then one GRANT per (securable, principal) for the grants to add — never a
 * statement for a grant already in place. Deterministic order (securable, principal).
 * Render each with {@link changeToSql}.
 */
export function diffGrants(desired: readonly Grant[], actual: readonly Grant[]): GrantChange[] {
  const want = new Map(desired.map((g) => [grantKey(g), g]));
  const have = new Map(actual.map((g) => [grantKey(g), g]));
  const revoke = [...have].filter(([k]) => !want.has(k)).map(([, g]) => g);
  const grant = [...want].filter(([k]) => !have.has(k)).map(([, g]) => g);
  return [...group('REVOKE', revoke), ...group('GRANT', grant)];
}

function group(action: GrantChange['action'], grants: readonly Grant[]): GrantChange[] {
  const by = new Map<string, { principal: string; securable: Securable; privileges: Privilege[] }>();
  for (const g of grants) {
    const k = `${g.securable.type}\u0000${g.securable.name}\u0000${g.principal}`;
    const entry = by.get(k) ?? { principal: g.principal, securable: g.securable, privileges: [] };
    entry.privileges.push(g.privilege);
    by.set(k, entry);
  }
  // `GRANT ALL PRIVILEGES` cannot list other privileges (`{ ALL PRIVILEGES | privilege [, …] }`): its own statement.
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, e]) => {
      const rest = e.privileges.filter((p) => p !== 'ALL PRIVILEGES').sort(byOrder);
      const all: Privilege[] = e.privileges.includes('ALL PRIVILEGES') ? ['ALL PRIVILEGES'] : [];
      return [all, rest].filter((list) => list.length > 0).map((privileges) => ({ action, principal: e.principal, securable: e.securable, privileges }));
    });
}

/** Applies changes to a list of grants (what a store does), for tests and in-memory stores. */
export function applyChanges(grants: readonly Grant[], changes: readonly GrantChange[]): Grant[] {
  const out = new Map(grants.map((g) => [grantKey(g), g]));
  for (const c of changes) {
    for (const privilege of c.privileges) {
      const g: Grant = { principal: c.principal, securable: c.securable, privilege };
      if (c.action === 'GRANT') out.set(grantKey(g), g);
      else out.delete(grantKey(g));
    }
  }
  return [...out.values()];
}

/** Terraform JSON (`*.tf.json`) holding one authoritative `databricks_grants` resource per securable. */
export interface TerraformGrantsJson {
  readonly resource: { readonly databricks_grants: Record<string, Record<string, unknown>> };
}

/**
 * One `databricks_grants` resource per securable with a `grant` block per principal
 * (privileges in REST spelling, e.g. `USE_CATALOG`). `databricks_grants` is authoritative: it
 * removes grants not listed, so pass the full desired set. METASTORE grants need the metastore id.
 */
export function toTerraformGrants(grants: readonly Grant[], options: { readonly metastoreId?: string } = {}): TerraformGrantsJson {
  const bySecurable = new Map<string, { securable: Securable; byPrincipal: Map<string, Privilege[]> }>();
  for (const g of grants) {
    const k = `${g.securable.type} ${g.securable.name}`;
    const entry = bySecurable.get(k) ?? { securable: g.securable, byPrincipal: new Map() };
    entry.byPrincipal.set(g.principal, [...(entry.byPrincipal.get(g.principal) ?? []), g.privilege]);
    bySecurable.set(k, entry);
  }
  const resources: Record<string, Record<string, unknown>> = {};
  for (const k of [...bySecurable.keys()].sort()) {
    const { securable, byPrincipal } = bySecurable.get(k) as { securable: Securable; byPrincipal: Map<string, Privilege[]> };
    let target: string;
    if (securable.type === 'METASTORE') {
      if (!options.metastoreId) {
        throw new CatalogError('INVALID_ARGUMENT', 'METASTORE grants need options.metastoreId for the databricks_grants resource', { data: { securable } });
      }
      target = options.metastoreId;
    } else {
      target = securable.name;
    }
    const resourceName = `${securable.type.toLowerCase()}_${securable.name.replace(/[^a-z0-9_]/gi, '_')}`.replace(/_+$/, '');
    resources[resourceName] = {
      [securable.type.toLowerCase()]: target,
      grant: [...byPrincipal.keys()].sort().map((principal) => ({
        principal,
        privileges: [...new Set(byPrincipal.get(principal))].sort(byOrder).map(privilegeToApi),
      })),
    };
  }
  return { resource: { databricks_grants: resources } };
}
