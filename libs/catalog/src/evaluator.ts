import { CatalogError } from './errors.js';
import {
  ancestors,
  describeSecurable,
  EFFECTIVE_ON,
  NOT_IN_ALL_PRIVILEGES,
  type Grant,
  type Principal,
  type Privilege,
  type Securable,
} from './model.js';

/** Why a principal holds a privilege on an object: which grant, to whom, on which (ancestor) securable. */
export interface EffectivePrivilege {
  readonly privilege: Privilege;
  /** The principal id the grant names: the caller itself or one of its groups. */
  readonly grantedTo: string;
  /** Where the grant sits: the object itself or an ancestor (inheritance is downward). */
  readonly inheritedFrom: Securable;
  /** True when the privilege comes from an `ALL PRIVILEGES` grant. */
  readonly viaAllPrivileges: boolean;
}

/** A privilege the caller would need on a securable and does not have. */
export interface MissingPrivilege {
  readonly privilege: Privilege;
  readonly securable: Securable;
}

/** The outcome of an access check: allowed, or the missing privileges (every one, not just the first). */
export interface AccessDecision {
  readonly allowed: boolean;
  readonly missing: readonly MissingPrivilege[];
}

/** What an access needs besides the usage privileges on the containers. */
export type Access = 'read' | 'modify' | 'execute' | 'browse' | 'read_volume' | 'write_volume' | 'use';

const ACCESS_PRIVILEGE: Readonly<Record<Exclude<Access, 'use' | 'browse'>, Privilege>> = {
  read: 'SELECT',
  modify: 'MODIFY',
  execute: 'EXECUTE',
  read_volume: 'READ VOLUME',
  write_volume: 'WRITE VOLUME',
};

/**
 * Effective privileges with Unity Catalog semantics, over a fixed set of principals and grants:
 * grants are inherited downward (catalog → schema → table/function/volume; metastore grants are
 * not inherited), `ALL PRIVILEGES` expands at check time to every privilege effective on the
 * object except MANAGE and EXTERNAL USE SCHEMA, and a principal holds what its groups hold
 * (direct membership: the policy does not model nested groups).
 *
 * Using an object needs the usage privileges on its containers: reading a table is
 * USE CATALOG on the catalog + USE SCHEMA on the schema + SELECT on the table or an ancestor.
 */
export class GrantEvaluator {
  readonly #principals: ReadonlyMap<string, Principal>;
  readonly #byId: ReadonlyMap<string, Principal>;
  /** principal name → ids it acts as (its own and its groups'). */
  readonly #identities = new Map<string, readonly string[]>();
  /** `TYPE name` → grants directly on it. */
  readonly #grants = new Map<string, Grant[]>();

  constructor(principals: readonly Principal[], grants: readonly Grant[]) {
    this.#principals = new Map(principals.map((p) => [p.name.toLowerCase(), p]));
    this.#byId = new Map(principals.map((p) => [p.id.toLowerCase(), p]));
    for (const g of grants) {
      const key = describeSecurable(g.securable);
      const list = this.#grants.get(key) ?? [];
      list.push(g);
      this.#grants.set(key, list);
    }
  }

  /** Every known principal. */
  principals(): Principal[] {
    return [...this.#principals.values()];
  }

  /** A principal by name or id (case-insensitive); throws UNKNOWN_PRINCIPAL listing the known ones. */
  principal(nameOrId: string): Principal {
    const p = this.#principals.get(nameOrId.toLowerCase()) ?? this.#byId.get(nameOrId.toLowerCase());
    if (!p) {
      throw new CatalogError('UNKNOWN_PRINCIPAL', `unknown principal "${nameOrId}"; known: ${[...this.#principals.keys()].sort().join(', ')}`, {
        data: { principal: nameOrId },
      });
    }
    return p;
  }

  /** The ids a principal acts as: its own, and those of the groups that list it (by name or id) as a member. */
  identities(nameOrId: string): readonly string[] {
    const p = this.principal(nameOrId);
    let ids = this.#identities.get(p.name);
    if (!ids) {
      const groups = [...this.#principals.values()].filter(
        (g) => g.kind === 'group' && g.members.some((m) => m.toLowerCase() === p.name.toLowerCase() || m.toLowerCase() === p.id.toLowerCase()),
      );
      ids = [p.id, ...groups.map((g) => g.id)];
      this.#identities.set(p.name, ids);
    }
    return ids;
  }

  /** Each privilege the principal holds on the object, with where it comes from. */
  effectivePrivileges(nameOrId: string, object: Securable): EffectivePrivilege[] {
    const ids = new Set(this.identities(nameOrId));
    const applicable = EFFECTIVE_ON[object.type];
    const out: EffectivePrivilege[] = [];
    for (const holder of [object, ...ancestors(object)]) {
      for (const g of this.#grants.get(describeSecurable(holder)) ?? []) {
        if (!ids.has(g.principal)) continue;
        if (g.privilege === 'ALL PRIVILEGES') {
          for (const privilege of applicable) {
            if (!NOT_IN_ALL_PRIVILEGES.includes(privilege)) out.push({ privilege, grantedTo: g.principal, inheritedFrom: holder, viaAllPrivileges: true });
          }
        } else if (applicable.includes(g.privilege)) {
          out.push({ privilege: g.privilege, grantedTo: g.principal, inheritedFrom: holder, viaAllPrivileges: false });
        }
      }
    }
    return out;
  }

  /** The set of privileges the principal holds on the object. */
  privilegesOn(nameOrId: string, object: Securable): Set<Privilege> {
    return new Set(this.effectivePrivileges(nameOrId, object).map((e) => e.privilege));
  }

  has(nameOrId: string, privilege: Privilege, object: Securable): boolean {
    return this.privilegesOn(nameOrId, object).has(privilege);
  }

  /**
   * Whether the principal may perform `access` on the object, with every missing privilege:
   * USE CATALOG on the catalog and USE SCHEMA on the schema (for schema-level objects), plus the
   * privilege the access needs on the object. `browse` accepts BROWSE alone, or the usage privileges plus any privilege on the object;
   * `use` needs only the usage privileges (and USE on the object itself for a catalog or schema).
   */
  check(nameOrId: string, access: Access, object: Securable): AccessDecision {
    const missing: MissingPrivilege[] = [];
    const need = (privilege: Privilege, on: Securable) => {
      if (!this.has(nameOrId, privilege, on)) missing.push({ privilege, securable: on });
    };
    // BROWSE (granted on the catalog, inherited) shows metadata without the usage privileges.
    if (access === 'browse' && this.has(nameOrId, 'BROWSE', object)) return { allowed: true, missing: [] };
    const containers = [...ancestors(object)].reverse();
    if (object.type === 'CATALOG' || object.type === 'SCHEMA') containers.push(object);
    for (const c of containers) need(c.type === 'CATALOG' ? 'USE CATALOG' : 'USE SCHEMA', c);
    if (access === 'browse') {
      if (this.privilegesOn(nameOrId, object).size === 0) missing.push({ privilege: 'BROWSE', securable: object });
    } else if (access !== 'use') {
      need(ACCESS_PRIVILEGE[access], object);
    }
    return { allowed: missing.length === 0, missing };
  }
}

/** `USE SCHEMA on SCHEMA silver.finance, SELECT on TABLE silver.finance.moves` */
export function describeMissing(missing: readonly MissingPrivilege[]): string {
  return missing.map((m) => `${m.privilege} on ${describeSecurable(m.securable)}`).join(', ');
}
