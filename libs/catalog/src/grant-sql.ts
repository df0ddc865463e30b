import { CatalogError } from './errors.js';
import { GRANTABLE, NAME_PARTS, parsePrivilege, type GrantChange, type Privilege, type Securable, type SecurableType } from './model.js';
import { codeTokens, type Token } from './sql-lexer.js';

/** The session's current catalog and schema, against which 1- and 2-part names resolve. */
export interface Namespace {
  readonly catalog: string;
  readonly schema: string;
}

/** A statement about grants, read by {@link parseGrantStatement}. */
export type GrantStatement =
  | { readonly kind: 'GRANT' | 'REVOKE'; readonly change: GrantChange; readonly allPrivileges: boolean }
  | { readonly kind: 'SHOW GRANTS'; readonly principal?: string; readonly securable: Securable };

/** A metadata statement the gate allows through its strict path. */
export type MetadataStatement =
  | { readonly kind: 'DESCRIBE'; readonly securable: Securable }
  | { readonly kind: 'SHOW'; readonly what: 'CATALOGS' }
  | { readonly kind: 'SHOW'; readonly what: 'SCHEMAS'; readonly catalog: string }
  | { readonly kind: 'SHOW'; readonly what: 'TABLES'; readonly schema: string }
  | { readonly kind: 'SHOW GRANTS'; readonly principal?: string; readonly securable: Securable };

function fail(sql: string, why: string): never {
  throw new CatalogError('INVALID_GRANT_STATEMENT', `${why} in: ${sql.length > 200 ? `${sql.slice(0, 200)}…` : sql}`, { data: { reason: why } });
}

/** Reads tokens front to back; every method fails with a message naming what was expected. */
class Reader {
  #i = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly sql: string,
  ) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.#i + offset];
  }
  next(): Token | undefined {
    return this.tokens[this.#i++];
  }
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t?.kind === 'word' && words.includes(t.value);
  }
  acceptWord(...words: string[]): string | undefined {
    if (!this.isWord(...words)) return undefined;
    return (this.next() as Token).value;
  }
  expectWord(...words: string[]): string {
    const w = this.acceptWord(...words);
    if (!w) fail(this.sql, `expected ${words.join(' or ')}${this.where()}`);
    return w;
  }
  acceptPunct(p: string): boolean {
    if (this.peek()?.kind === 'punct' && this.peek()?.value === p) {
      this.#i++;
      return true;
    }
    return false;
  }
  where(): string {
    const t = this.peek();
    return t ? ` at "${t.text}"` : ' at the end';
  }
  /** Only an optional `;` may follow. */
  end(): void {
    this.acceptPunct(';');
    if (this.peek()) fail(this.sql, `unexpected "${(this.peek() as Token).text}" after the statement`);
  }
  /** A dotted name: words or backtick identifiers. */
  name(): string[] {
    const parts: string[] = [];
    do {
      const t = this.next();
      if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) fail(this.sql, `expected a name${t ? ` at "${t.text}"` : ' at the end'}`);
      parts.push(t.kind === 'word' ? t.text.toLowerCase() : t.value.toLowerCase());
    } while (this.acceptPunct('.'));
    return parts;
  }
  principal(): string {
    const t = this.next();
    if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) fail(this.sql, 'expected a principal (in backticks)');
    return t.kind === 'quoted' ? t.value : t.text;
  }
}

const TYPE_WORDS = ['CATALOG', 'SCHEMA', 'DATABASE', 'TABLE', 'VIEW', 'MATERIALIZED', 'FUNCTION', 'VOLUME', 'METASTORE'];

/** Completes a 1- or 2-part name with the session namespace (Databricks: a 2-part table name is schema.table). */
export function resolveName(type: SecurableType, parts: readonly string[], ns: Namespace, sql = ''): string {
  const want = NAME_PARTS[type];
  if (parts.length > want) fail(sql, `${type} name "${parts.join('.')}" has too many parts`);
  const full = [...[ns.catalog, ns.schema].slice(0, want - parts.length), ...parts];
  if (full.length !== want) fail(sql, `${type} name "${parts.join('.')}" is incomplete`);
  return full.join('.');
}

function readSecurable(r: Reader, ns: Namespace, allowCurrentCatalog: boolean): Securable {
  let type: SecurableType = 'TABLE';
  const word = r.acceptWord(...TYPE_WORDS);
  if (word === 'METASTORE') return { type: 'METASTORE', name: '' };
  if (word === 'MATERIALIZED') r.expectWord('VIEW');
  if (word === 'CATALOG') type = 'CATALOG';
  else if (word === 'SCHEMA' || word === 'DATABASE') type = 'SCHEMA';
  else if (word === 'FUNCTION') type = 'FUNCTION';
  else if (word === 'VOLUME') type = 'VOLUME';
  if (type === 'CATALOG' && allowCurrentCatalog && (!r.peek() || r.isWord('TO', 'FROM') || r.peek()?.value === ';')) {
    return { type, name: ns.catalog };
  }
  return { type, name: resolveName(type, r.name(), ns, r.sql) };
}

function readPrivileges(r: Reader): { privileges: Privilege[]; all: boolean } {
  if (r.isWord('ALL')) {
    r.next();
    r.acceptWord('PRIVILEGES');
    return { privileges: ['ALL PRIVILEGES'], all: true };
  }
  const privileges: Privilege[] = [];
  do {
    const words: string[] = [];
    while (r.peek()?.kind === 'word' && !r.isWord('ON')) words.push((r.next() as Token).value);
    const privilege = parsePrivilege(words.join(' '));
    if (!privilege) fail(r.sql, `"${words.join(' ') || r.peek()?.text || ''}" is not a Unity Catalog privilege`);
    privileges.push(privilege);
  } while (r.acceptPunct(','));
  return { privileges, all: false };
}

/**
 * Reads `GRANT … ON … TO …`, `REVOKE … ON … FROM …` and `SHOW GRANT[S] [principal] ON …`
 * (Databricks SQL, §3.3 of the platform facts); `undefined` for any other statement. A privilege
 * not valid on the securable is an error, as on Databricks.
 */
export function parseGrantStatement(sql: string, ns: Namespace): GrantStatement | undefined {
  const r = new Reader(codeTokens(sql), sql);
  const verb = r.acceptWord('GRANT', 'REVOKE', 'SHOW');
  if (!verb) return undefined;
  if (verb === 'SHOW') {
    if (!r.acceptWord('GRANT', 'GRANTS')) return undefined;
    const principal = r.isWord('ON') ? undefined : r.principal();
    r.expectWord('ON');
    const target = readSecurable(r, ns, true);
    r.end();
    return { kind: 'SHOW GRANTS', ...(principal ? { principal } : {}), securable: target };
  }
  const action: 'GRANT' | 'REVOKE' = verb === 'GRANT' ? 'GRANT' : 'REVOKE';
  const { privileges, all } = readPrivileges(r);
  r.expectWord('ON');
  const target = readSecurable(r, ns, true);
  r.expectWord(action === 'GRANT' ? 'TO' : 'FROM');
  const principal = r.principal();
  r.end();
  const invalid = privileges.filter((p) => !GRANTABLE[target.type].includes(p));
  if (invalid.length > 0) fail(sql, `${invalid.join(', ')} cannot be granted on a ${target.type}; valid: ${GRANTABLE[target.type].join(', ')}`);
  return { kind: action, change: { action, principal, securable: target, privileges }, allPrivileges: all };
}

/**
 * The metadata statements the SQL gate lets through, strictly: `DESCRIBE [TABLE|SCHEMA|CATALOG|FUNCTION] [EXTENDED] name`,
 * `SHOW CATALOGS`, `SHOW SCHEMAS|DATABASES [IN|FROM catalog]`, `SHOW TABLES|VIEWS [IN|FROM [catalog.]schema]`,
 * `SHOW GRANTS …`. Anything else (patterns, extra words) → undefined.
 */
export function parseMetadataStatement(sql: string, ns: Namespace): MetadataStatement | undefined {
  const r = new Reader(codeTokens(sql), sql);
  try {
    if (r.acceptWord('DESCRIBE', 'DESC')) {
      let type: SecurableType = 'TABLE';
      const w = r.acceptWord('TABLE', 'SCHEMA', 'DATABASE', 'CATALOG', 'FUNCTION');
      if (w === 'SCHEMA' || w === 'DATABASE') type = 'SCHEMA';
      else if (w === 'CATALOG') type = 'CATALOG';
      else if (w === 'FUNCTION') type = 'FUNCTION';
      r.acceptWord('EXTENDED', 'FORMATTED');
      const name = resolveName(type, r.name(), ns, sql);
      r.end();
      return { kind: 'DESCRIBE', securable: { type, name } };
    }
    if (!r.acceptWord('SHOW')) return undefined;
    if (r.isWord('GRANT', 'GRANTS')) {
      const g = parseGrantStatement(sql, ns);
      return g?.kind === 'SHOW GRANTS' ? g : undefined;
    }
    const what = r.expectWord('CATALOGS', 'SCHEMAS', 'DATABASES', 'TABLES', 'VIEWS');
    if (what === 'CATALOGS') {
      r.end();
      return { kind: 'SHOW', what: 'CATALOGS' };
    }
    const scoped = r.acceptWord('IN', 'FROM') ? r.name() : undefined;
    r.end();
    if (what === 'SCHEMAS' || what === 'DATABASES') {
      return { kind: 'SHOW', what: 'SCHEMAS', catalog: scoped ? resolveName('CATALOG', scoped, ns, sql) : ns.catalog };
    }
    return { kind: 'SHOW', what: 'TABLES', schema: resolveName('SCHEMA', scoped ?? [], ns, sql) };
  } catch (error) {
    if (error instanceof CatalogError) return undefined;
    throw error;
  }
}
