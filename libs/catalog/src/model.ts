/**
 * The Unity Catalog model: securable types, privileges in SQL spelling (REST/Terraform spell them
 * with underscores), which privilege may be granted on which securable, and which take effect on the
 * object itself. Source: ../shared/databricks/platform-facts.md §3.1–3.2.
 */

export const SECURABLE_TYPES = ['METASTORE', 'CATALOG', 'SCHEMA', 'TABLE', 'FUNCTION', 'VOLUME'] as const;
/** A securable type. Views are `TABLE` (as in `SHOW GRANTS ON TABLE`); `VIEW` is accepted as input. */
export type SecurableType = (typeof SECURABLE_TYPES)[number];

export const PRIVILEGES = [
  'ALL PRIVILEGES',
  'APPLY TAG',
  'BROWSE',
  'CREATE CATALOG',
  'CREATE CONNECTION',
  'CREATE EXTERNAL LOCATION',
  'CREATE FUNCTION',
  'CREATE MATERIALIZED VIEW',
  'CREATE MODEL',
  'CREATE SCHEMA',
  'CREATE SHARE',
  'CREATE STORAGE CREDENTIAL',
  'CREATE TABLE',
  'CREATE VOLUME',
  'EXECUTE',
  'EXTERNAL USE SCHEMA',
  'MANAGE',
  'MODIFY',
  'READ VOLUME',
  'REFRESH',
  'SELECT',
  'USE CATALOG',
  'USE SCHEMA',
  'WRITE VOLUME',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

const CHILD_OF_SCHEMA: readonly Privilege[] = ['EXECUTE', 'MODIFY', 'REFRESH', 'SELECT', 'READ VOLUME', 'WRITE VOLUME'];

/**
 * What may be granted ON each securable type (a `GRANT SELECT ON FUNCTION …` is an error).
 * Privileges of children may be granted on a container and are inherited downward.
 */
export const GRANTABLE: Readonly<Record<SecurableType, readonly Privilege[]>> = {
  METASTORE: ['CREATE CATALOG', 'CREATE CONNECTION', 'CREATE EXTERNAL LOCATION', 'CREATE SHARE', 'CREATE STORAGE CREDENTIAL'],
  CATALOG: [
    'ALL PRIVILEGES', 'APPLY TAG', 'BROWSE', 'CREATE SCHEMA', 'USE CATALOG', 'MANAGE',
    'CREATE FUNCTION', 'CREATE TABLE', 'CREATE MATERIALIZED VIEW', 'CREATE MODEL', 'CREATE VOLUME', 'EXTERNAL USE SCHEMA', 'USE SCHEMA',
    ...CHILD_OF_SCHEMA,
  ],
  SCHEMA: [
    'ALL PRIVILEGES', 'APPLY TAG', 'CREATE FUNCTION', 'CREATE TABLE', 'CREATE MATERIALIZED VIEW', 'CREATE MODEL', 'CREATE VOLUME', 'MANAGE',
    'USE SCHEMA', 'EXTERNAL USE SCHEMA',
    ...CHILD_OF_SCHEMA,
  ],
  TABLE: ['ALL PRIVILEGES', 'APPLY TAG', 'MANAGE', 'SELECT', 'MODIFY', 'REFRESH'],
  FUNCTION: ['ALL PRIVILEGES', 'EXECUTE', 'MANAGE'],
  VOLUME: ['ALL PRIVILEGES', 'APPLY TAG', 'MANAGE', 'READ VOLUME', 'WRITE VOLUME'],
};

/**
 * The privileges that mean something on an object of each type, whether granted on it or on an
 * ancestor. `BROWSE` granted on a catalog reaches every object in it.
 */
export const EFFECTIVE_ON: Readonly<Record<SecurableType, readonly Privilege[]>> = {
  METASTORE: GRANTABLE.METASTORE,
  CATALOG: ['APPLY TAG', 'BROWSE', 'CREATE SCHEMA', 'USE CATALOG', 'MANAGE'],
  SCHEMA: ['APPLY TAG', 'BROWSE', 'CREATE FUNCTION', 'CREATE TABLE', 'CREATE MATERIALIZED VIEW', 'CREATE MODEL', 'CREATE VOLUME', 'MANAGE', 'USE SCHEMA', 'EXTERNAL USE SCHEMA'],
  TABLE: ['APPLY TAG', 'BROWSE', 'MANAGE', 'SELECT', 'MODIFY', 'REFRESH'],
  FUNCTION: ['BROWSE', 'EXECUTE', 'MANAGE'],
  VOLUME: ['APPLY TAG', 'BROWSE', 'MANAGE', 'READ VOLUME', 'WRITE VOLUME'],
};

/** `ALL PRIVILEGES` expands, at check time, to everything effective on the object except these. */
export const NOT_IN_ALL_PRIVILEGES: readonly Privilege[] = ['MANAGE', 'EXTERNAL USE SCHEMA'];

/** A securable: its type and full name (`gold`, `gold.finance`, `gold.finance.bir_monthly`; `''` for the metastore). */
export interface Securable {
  readonly type: SecurableType;
  readonly name: string;
}

/** Number of name parts each type has (0 for the metastore). */
export const NAME_PARTS: Readonly<Record<SecurableType, number>> = { METASTORE: 0, CATALOG: 1, SCHEMA: 2, TABLE: 3, FUNCTION: 3, VOLUME: 3 };

export type PrincipalKind = 'service_principal' | 'group' | 'user';

/**
 * A principal. `id` is how Databricks SQL, SHOW GRANTS and Terraform name it: the application id
 * (UUID) of a service principal, the display name of an account group, the e-mail of a user.
 */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Display name (service principal, group) or e-mail (user): what people type. */
  readonly name: string;
  /** The identity in grants: application id for service principals, else `name`. */
  readonly id: string;
  /** Direct members of a group (principal names); empty for others. */
  readonly members: readonly string[];
  readonly description?: string;
}

/** One privilege granted to one principal (by `id`) on one securable. */
export interface Grant {
  readonly principal: string;
  readonly securable: Securable;
  readonly privilege: Privilege;
}

/** A GRANT or REVOKE of some privileges on one securable to/from one principal. */
export interface GrantChange {
  readonly action: 'GRANT' | 'REVOKE';
  readonly principal: string;
  readonly securable: Securable;
  readonly privileges: readonly Privilege[];
}

/** Privileges in REST/Terraform spelling: `USE CATALOG` → `USE_CATALOG`. */
export function privilegeToApi(privilege: Privilege): string {
  return privilege.replace(/ /g, '_');
}

/** SQL or REST spelling (any case, `_` or spaces) → the SQL spelling, or undefined. */
export function parsePrivilege(text: string): Privilege | undefined {
  const normal = text.trim().toUpperCase().replace(/[_\s]+/g, ' ');
  if (normal === 'ALL') return 'ALL PRIVILEGES';
  if (normal === 'USE DATABASE') return 'USE SCHEMA';
  if (normal === 'CREATE' || normal === 'USAGE') return undefined;
  return (PRIVILEGES as readonly string[]).includes(normal) ? (normal as Privilege) : undefined;
}

/** `TABLE`/`VIEW`/`DATABASE`/`SCHEMA`… (any case) → the securable type, or undefined. */
export function parseSecurableType(text: string): SecurableType | undefined {
  const t = text.trim().toUpperCase();
  if (t === 'VIEW' || t === 'MATERIALIZED VIEW') return 'TABLE';
  if (t === 'DATABASE') return 'SCHEMA';
  return (SECURABLE_TYPES as readonly string[]).includes(t) ? (t as SecurableType) : undefined;
}

/** The parents of a securable, nearest first (a table → its schema → its catalog). The metastore has none, and is no one's parent for inheritance. */
export function ancestors(securable: Securable): Securable[] {
  const parts = securable.name.split('.');
  switch (securable.type) {
    case 'TABLE':
    case 'FUNCTION':
    case 'VOLUME':
      return [{ type: 'SCHEMA', name: parts.slice(0, 2).join('.') }, { type: 'CATALOG', name: parts[0] as string }];
    case 'SCHEMA':
      return [{ type: 'CATALOG', name: parts[0] as string }];
    default:
      return [];
  }
}

/** `TABLE gold.finance.bir_monthly`, for messages. */
export function describeSecurable(securable: Securable): string {
  return securable.type === 'METASTORE' ? 'METASTORE' : `${securable.type} ${securable.name}`;
}

/** Lower-cases names (Unity Catalog names are case-insensitive and stored lower-case). */
export function securable(type: SecurableType, name: string): Securable {
  return { type, name: name.toLowerCase() };
}

export function sameSecurable(a: Securable, b: Securable): boolean {
  return a.type === b.type && a.name === b.name;
}

export function grantKey(g: Grant): string {
  return `${g.securable.type}\u0000${g.securable.name}\u0000${g.principal}\u0000${g.privilege}`;
}
