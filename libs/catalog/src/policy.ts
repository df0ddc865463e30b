import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CatalogError } from './errors.js';
import {
  describeSecurable,
  GRANTABLE,
  NAME_PARTS,
  parsePrivilege,
  parseSecurableType,
  PRIVILEGES,
  SECURABLE_TYPES,
  type Grant,
  type Principal,
  type Privilege,
  type Securable,
} from './model.js';

/** The catalogs, schemas and the objects grants may name (tables, functions, volumes). */
export interface CatalogTree {
  readonly catalogs: readonly {
    readonly name: string;
    readonly comment?: string;
    readonly schemas: readonly {
      readonly name: string;
      readonly comment?: string;
      readonly tables: readonly string[];
      readonly functions: readonly string[];
      readonly volumes: readonly string[];
    }[];
  }[];
}

/** The whole policy, validated and cross-checked: every grant names a declared principal and securable. */
export interface Policy {
  readonly catalogs: CatalogTree;
  readonly principals: readonly Principal[];
  /** Flat: one privilege per entry, principals by id (application id for service principals). */
  readonly grants: readonly Grant[];
}

/** Raw text of the three policy files and the names to report them by. */
export interface PolicySources {
  readonly catalogs: { readonly file: string; readonly text: string };
  readonly principals: { readonly file: string; readonly text: string };
  readonly grants: { readonly file: string; readonly text: string };
}

const NAME = /^[a-z_][a-z0-9_]*$/;
const nameField = z.string().regex(NAME, 'lower-case letters, digits and _ (Unity Catalog name), starting with a letter or _');
const comment = z.string().optional();

const catalogsFile = z.strictObject({
  catalogs: z
    .array(
      z.strictObject({
        name: nameField,
        comment,
        schemas: z
          .array(
            z.strictObject({
              name: nameField,
              comment,
              tables: z.array(nameField).default([]),
              functions: z.array(nameField).default([]),
              volumes: z.array(nameField).default([]),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const principalsFile = z.strictObject({
  service_principals: z
    .array(z.strictObject({ name: z.string().min(1), application_id: z.string().regex(UUID, 'a lower-case UUID (the application id)'), description: comment }))
    .default([]),
  groups: z.array(z.strictObject({ name: z.string().min(1), members: z.array(z.string().min(1)).default([]), description: comment })).default([]),
  users: z.array(z.strictObject({ email: z.email(), description: comment })).default([]),
});

const grantsFile = z.strictObject({
  grants: z
    .array(
      z.strictObject({
        principal: z.string().min(1),
        /** `CATALOG bronze`, `SCHEMA silver.finance`, `TABLE gold.finance.executive_dashboard`, `FUNCTION …`, `VOLUME …`, `METASTORE`. */
        on: z.string().min(1),
        privileges: z.array(z.string()).min(1),
        why: z.string().optional(),
      }),
    )
    .min(1),
});

function parseFile<T>(source: { file: string; text: string }, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parseYaml(source.text);
  } catch (error) {
    throw new CatalogError('INVALID_POLICY', `${source.file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { data: { file: source.file } });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${source.file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CatalogError('INVALID_POLICY', problems.join('\n'), { data: { file: source.file, problems } });
  }
  return result.data;
}

/** `CATALOG bronze` / `VIEW gold.finance.x` / `METASTORE` → a securable, or a problem text. */
export function parseSecurableText(text: string): Securable | string {
  const match = /^\s*([A-Za-z]+(?:\s+VIEW)?)\s*(\S*)\s*$/i.exec(text);
  const type = match ? parseSecurableType(match[1] as string) : undefined;
  if (!match || !type) {
    return `"${text}" is not a securable; expected one of ${SECURABLE_TYPES.join(', ')} (or VIEW) followed by its name, e.g. "SCHEMA silver.finance"`;
  }
  const name = (match[2] as string).toLowerCase();
  const parts = name === '' ? [] : name.split('.');
  if (parts.length !== NAME_PARTS[type] || parts.some((p) => !NAME.test(p))) {
    const shape = ['', 'catalog', 'catalog.schema', 'catalog.schema.object'][NAME_PARTS[type]];
    return type === 'METASTORE' ? `"${text}": METASTORE takes no name` : `"${text}": a ${type} is named ${shape}`;
  }
  return { type, name };
}

/**
 * Validates and cross-checks the three policy files. Every problem (an unknown privilege, a
 * privilege not valid on its securable, an undeclared securable or principal…) is reported at
 * once with the file and path and the values that would be valid.
 */
export function parsePolicy(sources: PolicySources): Policy {
  const catalogsRaw = parseFile(sources.catalogs, catalogsFile);
  const principalsRaw = parseFile(sources.principals, principalsFile);
  const grantsRaw = parseFile(sources.grants, grantsFile);
  const problems: string[] = [];

  const tree: CatalogTree = { catalogs: catalogsRaw.catalogs };
  const known = new Set<string>(['METASTORE']);
  for (const c of tree.catalogs) {
    known.add(`CATALOG ${c.name}`);
    for (const s of c.schemas) {
      known.add(`SCHEMA ${c.name}.${s.name}`);
      for (const t of s.tables) known.add(`TABLE ${c.name}.${s.name}.${t}`);
      for (const f of s.functions) known.add(`FUNCTION ${c.name}.${s.name}.${f}`);
      for (const v of s.volumes) known.add(`VOLUME ${c.name}.${s.name}.${v}`);
    }
  }

  const principals: Principal[] = [
    ...principalsRaw.service_principals.map((p): Principal => ({ kind: 'service_principal', name: p.name, id: p.application_id, members: [], ...(p.description ? { description: p.description } : {}) })),
    ...principalsRaw.groups.map((g): Principal => ({ kind: 'group', name: g.name, id: g.name, members: g.members, ...(g.description ? { description: g.description } : {}) })),
    ...principalsRaw.users.map((u): Principal => ({ kind: 'user', name: u.email, id: u.email, members: [], ...(u.description ? { description: u.description } : {}) })),
  ];
  const byName = new Map<string, Principal>();
  for (const [i, p] of principals.entries()) {
    for (const key of new Set([p.name.toLowerCase(), p.id.toLowerCase()])) {
      if (byName.has(key)) problems.push(`${sources.principals.file}: principal "${key}" is declared twice (entry ${i + 1})`);
      byName.set(key, p);
    }
  }
  principalsRaw.groups.forEach((g, gi) =>
    g.members.forEach((m, mi) => {
      const member = byName.get(m.toLowerCase());
      const where = `${sources.principals.file}: groups.${gi}.members.${mi}`;
      if (!member) problems.push(`${where}: "${m}" is not a declared service principal or user`);
      else if (member.kind === 'group') problems.push(`${where}: "${m}" is a group; nested groups are not modelled — list its members instead`);
    }),
  );

  const grants: Grant[] = [];
  grantsRaw.grants.forEach((entry, i) => {
    const where = `${sources.grants.file}: grants.${i}`;
    const principal = byName.get(entry.principal.toLowerCase());
    if (!principal) problems.push(`${where}.principal: "${entry.principal}" is not declared in ${sources.principals.file}; declared: ${principals.map((p) => p.name).join(', ')}`);
    const target = parseSecurableText(entry.on);
    if (typeof target === 'string') {
      problems.push(`${where}.on: ${target}`);
      return;
    }
    if (!known.has(describeSecurable(target))) {
      const sameType = [...known].filter((k) => k.startsWith(`${target.type} `)).map((k) => k.slice(target.type.length + 1));
      problems.push(`${where}.on: ${describeSecurable(target)} is not declared in ${sources.catalogs.file}; declared ${target.type}s: ${sameType.join(', ') || '(none)'}`);
      return;
    }
    entry.privileges.forEach((text, pi) => {
      const privilege = parsePrivilege(text);
      if (!privilege) {
        problems.push(`${where}.privileges.${pi}: "${text}" is not a Unity Catalog privilege; valid: ${PRIVILEGES.join(', ')}`);
      } else if (!GRANTABLE[target.type].includes(privilege)) {
        problems.push(`${where}.privileges.${pi}: ${privilege} cannot be granted on a ${target.type}; valid on ${target.type}: ${GRANTABLE[target.type].join(', ')}`);
      } else if (principal) {
        grants.push({ principal: principal.id, securable: target, privilege });
      }
    });
  });
  if (problems.length > 0) throw new CatalogError('INVALID_POLICY', problems.join('\n'), { data: { problems } });
  return { catalogs: tree, principals, grants: dedupe(grants) };
}

function dedupe(grants: readonly Grant[]): Grant[] {
  const seen = new Set<string>();
  return grants.filter((g) => {
    const k = `${describeSecurable(g.securable)}|${g.principal}|${g.privilege}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Reads `catalogs.yml`, `principals.yml` and `grants.yml` from a directory (default layout: `databricks/catalog`). */
export async function loadPolicy(dir: string): Promise<Policy> {
  const read = async (name: string) => {
    const file = join(dir, name);
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch (error) {
      throw new CatalogError('INVALID_POLICY', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { data: { file } });
    }
  };
  const [catalogs, principals, grants] = await Promise.all([read('catalogs.yml'), read('principals.yml'), read('grants.yml')]);
  return parsePolicy({ catalogs, principals, grants });
}

/** Every securable the policy declares (catalogs, schemas and listed objects), parents first. */
export function declaredSecurables(tree: CatalogTree): Securable[] {
  const out: Securable[] = [];
  for (const c of tree.catalogs) {
    out.push({ type: 'CATALOG', name: c.name });
    for (const s of c.schemas) {
      const schema = `${c.name}.${s.name}`;
      out.push({ type: 'SCHEMA', name: schema });
      for (const t of s.tables) out.push({ type: 'TABLE', name: `${schema}.${t}` });
      for (const f of s.functions) out.push({ type: 'FUNCTION', name: `${schema}.${f}` });
      for (const v of s.volumes) out.push({ type: 'VOLUME', name: `${schema}.${v}` });
    }
  }
  return out;
}

export type { Privilege };
