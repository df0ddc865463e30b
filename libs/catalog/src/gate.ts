import { CatalogError } from './errors.js';
import { describeMissing, type GrantEvaluator, type MissingPrivilege } from './evaluator.js';
import { parseMetadataStatement, type Namespace } from './grant-sql.js';
import { describeSecurable, type Securable } from './model.js';
import { sharedSqlParser, type SqlParser } from './sql-parser.js';
import { canonicalSql, codeTokens, toDuckDbSpelling, tokenize } from './sql-lexer.js';

/** Statement kinds the gate lets through. */
export type GateKind = 'SELECT' | 'WITH' | 'VALUES' | 'DESCRIBE' | 'SHOW';

/** Why the gate refused a statement. */
export type GateRefusalCode =
  | 'EMPTY'
  | 'MULTIPLE_STATEMENTS'
  | 'NOT_READ_ONLY'
  | 'UNPARSEABLE'
  | 'FORBIDDEN_TABLE_FUNCTION'
  | 'FORBIDDEN_FUNCTION'
  | 'INVALID_NAME'
  | 'AMBIGUOUS_NAME'
  | 'UNKNOWN_PRINCIPAL'
  | 'NO_PRIVILEGE';

export interface GateAllowed {
  readonly allowed: true;
  readonly kind: GateKind;
  /** Every table/view read, as `catalog.schema.table` (deduplicated, sorted). */
  readonly tables: readonly string[];
  /** Every Unity Catalog function called, as `catalog.schema.function`. Built-ins are not listed. */
  readonly functions: readonly string[];
  /** What the statement is about when it is DESCRIBE/SHOW. */
  readonly securable?: Securable;
  /** The statement in DuckDB spelling (backticks → double quotes), comments removed, exactly as it was parsed: what DuckDB runs. */
  readonly parsedSql: string;
  /**
   * The same statement in the original (Databricks) spelling with every comment replaced by one
   * space: what a Databricks warehouse runs. Never send the caller's original text, whose comments
   * an engine might read differently from the gate.
   */
  readonly canonicalSql: string;
}

export interface GateRefusal {
  readonly allowed: false;
  readonly code: GateRefusalCode;
  /** One sentence for the caller: what was refused and why (no stack, no engine internals). */
  readonly reason: string;
  /** The privileges that were missing, for NO_PRIVILEGE. */
  readonly missing?: readonly MissingPrivilege[];
}

export type GateResult = GateAllowed | GateRefusal;

export interface GateOptions {
  readonly evaluator: GrantEvaluator;
  /** Where 1- and 2-part names resolve (Databricks: the session's catalog and schema). Default `main.default`. */
  readonly namespace?: Namespace;
  /**
   * Catalog names: a 2-part name whose first part is one of them is refused as ambiguous (DuckDB
   * reads `gold.t` as catalog.table, Databricks as schema.table). Default: the five layers and ops.
   */
  readonly catalogs?: readonly string[];
  /** The parser; default: one shared private in-memory DuckDB. */
  readonly parser?: SqlParser;
}

/**
 * Table functions that only compute (no files, no network, no catalog reads): an allowlist, so
 * read_csv/read_parquet/read_json/read_text/read_blob/glob/parquet_scan/query/… stay out.
 */
export const SAFE_TABLE_FUNCTIONS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/**
 * Functions refused by name, whatever their casing or qualification (`secret`, `SYSTEM.BUILTIN.Secret`,
 * `x.y.secret`): the one place the denylist lives. Each entry has its own test in gate.spec.ts.
 * - DuckDB: side effects or host reads — sequences, the random seed, settings, environment, variables.
 * - Databricks: secrets (`secret`, `try_secret`, `list_secrets`), network and paid services
 *   (`http_request`, `vector_search`, `remote_query`, `ai_*`), the JVM (`reflect`, `try_reflect`,
 *   `java_method`), files and streams outside Unity Catalog grants (`read_files`, `read_kafka`,
 *   `read_kinesis`, `read_pubsub`, `read_pulsar`, `read_statestore`, `read_state_metadata`,
 *   `cloud_files_state`).
 */
export const FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set([
  'nextval',
  'currval',
  'setseed',
  'current_setting',
  'getenv',
  'getvariable',
  'set_variable',
  'secret',
  'try_secret',
  'list_secrets',
  'http_request',
  'vector_search',
  'remote_query',
  'reflect',
  'try_reflect',
  'java_method',
  'read_files',
  'read_kafka',
  'read_kinesis',
  'read_pubsub',
  'read_pulsar',
  'read_statestore',
  'read_state_metadata',
  'cloud_files_state',
]);

/** Name prefixes refused like {@link FORBIDDEN_FUNCTIONS}: `ai_query`, `ai_generate_text`, … call paid model endpoints. */
export const FORBIDDEN_FUNCTION_PREFIXES: readonly string[] = ['ai_'];

/** True when a function (last part of its name, any casing) is on the denylist. */
export function isForbiddenFunction(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_FUNCTIONS.has(lower) || FORBIDDEN_FUNCTION_PREFIXES.some((p) => lower.startsWith(p));
}

const DEFAULT_CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALLOWED_FIRST: Readonly<Record<string, GateKind>> = { SELECT: 'SELECT', FROM: 'SELECT', '(': 'SELECT', WITH: 'WITH', VALUES: 'VALUES' };

const refuse = (code: GateRefusalCode, reason: string, missing?: readonly MissingPrivilege[]): GateRefusal => ({
  allowed: false,
  code,
  reason,
  ...(missing ? { missing } : {}),
});

/**
 * The read-only SQL gate: decides whether `principal` may run `sql`, by parsing it — never by
 * matching strings. Exactly one statement; SELECT / WITH / VALUES parsed by DuckDB's parser
 * (`json_serialize_sql`, which serialises nothing but SELECT-shaped statements), then every table,
 * table function and function in the parse tree is checked: table functions against an allowlist,
 * tables against the caller's effective privileges (USE CATALOG + USE SCHEMA + SELECT), Unity
 * Catalog functions against EXECUTE. DESCRIBE/SHOW go through a strict separate reader. Anything
 * the gate cannot read is refused.
 */
export async function gateSql(rawSql: string, principal: string, options: GateOptions): Promise<GateResult> {
  const ns = options.namespace ?? { catalog: 'main', schema: 'default' };
  const { evaluator } = options;
  try {
    evaluator.principal(principal);
  } catch (error) {
    if (error instanceof CatalogError) return refuse('UNKNOWN_PRINCIPAL', error.message);
    throw error;
  }

  const canonical = canonicalSql(rawSql);
  if (!canonical.ok) return refuse('UNPARSEABLE', canonical.reason);
  const sql = canonical.sql;
  const tokens = codeTokens(sql);
  if (tokens.length === 0 || (tokens.length === 1 && tokens[0]?.value === ';')) return refuse('EMPTY', 'the statement is empty');
  const semicolon = tokens.findIndex((t) => t.kind === 'punct' && t.value === ';');
  if (semicolon !== -1 && semicolon < tokens.length - 1) {
    return refuse('MULTIPLE_STATEMENTS', 'exactly one statement is allowed (found more after a ";")');
  }
  const first = tokens[0]?.kind === 'word' ? tokens[0].value : tokens[0]?.text ?? '';

  if (first === 'DESCRIBE' || first === 'DESC' || first === 'SHOW') return metadataPath(sql, principal, ns, evaluator);
  const kind = ALLOWED_FIRST[first];
  if (!kind) return refuse('NOT_READ_ONLY', `${first} statements are not allowed; only SELECT, WITH, VALUES, DESCRIBE and SHOW`);

  const parsedSql = toDuckDbSpelling(sql);
  const parser = options.parser ?? sharedSqlParser();
  const outcome = await parser.parse(markersToDollar(parsedSql));
  if (!outcome.ok) {
    if (outcome.errorType === 'not implemented') return refuse('NOT_READ_ONLY', 'only read-only queries are allowed (the statement is not a SELECT)');
    return refuse('UNPARSEABLE', `the statement cannot be parsed: ${outcome.message}`);
  }
  if (outcome.statements.length !== 1) return refuse('MULTIPLE_STATEMENTS', `exactly one statement is allowed (found ${outcome.statements.length})`);

  const refs: References = { tables: [], functions: [], tableFunctions: [], show: false };
  walk(outcome.statements[0], new Set(), refs);
  if (refs.show) return refuse('NOT_READ_ONLY', 'DESCRIBE/SHOW/SUMMARIZE may only be used as a statement of their own');
  const denied = [...refs.tableFunctions, ...refs.functions.map((parts) => parts[parts.length - 1] as string)].find(isForbiddenFunction);
  if (denied !== undefined) return refuse('FORBIDDEN_FUNCTION', `function ${denied.toLowerCase()}() is not allowed (secrets, network, paid services, host and session state are out of reach)`);
  const badTf = refs.tableFunctions.find((f) => !SAFE_TABLE_FUNCTIONS.has(f));
  if (badTf) return refuse('FORBIDDEN_TABLE_FUNCTION', `table function ${badTf}() is not allowed (allowed: ${[...SAFE_TABLE_FUNCTIONS].join(', ')}); files and network are out of reach`);

  const catalogs = new Set((options.catalogs ?? DEFAULT_CATALOGS).map((c) => c.toLowerCase()));
  const tables = new Set<string>();
  for (const parts of refs.tables) {
    const bad = parts.find((p) => !PLAIN_NAME.test(p));
    if (bad !== undefined) return refuse('INVALID_NAME', `"${parts.join('.')}" is not a table name (file paths and special names are not allowed)`);
    if (parts.length === 2 && catalogs.has((parts[0] as string).toLowerCase())) {
      return refuse('AMBIGUOUS_NAME', `"${parts.join('.')}" is ambiguous: write catalog.schema.table`);
    }
    tables.add(qualify(parts, ns));
  }
  const functions = new Set<string>();
  for (const parts of refs.functions) {
    if (isBuiltin(parts)) continue;
    const bad = parts.find((p) => !PLAIN_NAME.test(p));
    if (bad !== undefined) return refuse('INVALID_NAME', `"${parts.join('.')}" is not a function name`);
    functions.add(qualify(parts, ns));
  }

  const missing: MissingPrivilege[] = [];
  for (const t of tables) missing.push(...evaluator.check(principal, 'read', { type: 'TABLE', name: t }).missing);
  for (const f of functions) missing.push(...evaluator.check(principal, 'execute', { type: 'FUNCTION', name: f }).missing);
  const unique = dedupeMissing(missing);
  if (unique.length > 0) return refuse('NO_PRIVILEGE', `${principal} lacks ${describeMissing(unique)}`, unique);
  return { allowed: true, kind, tables: [...tables].sort(), functions: [...functions].sort(), parsedSql, canonicalSql: sql };
}

function metadataPath(sql: string, principal: string, ns: Namespace, evaluator: GrantEvaluator): GateResult {
  const statement = parseMetadataStatement(sql, ns);
  if (!statement) {
    return refuse('UNPARSEABLE', 'only DESCRIBE [TABLE|SCHEMA|CATALOG|FUNCTION] name, SHOW CATALOGS, SHOW SCHEMAS [IN c], SHOW TABLES [IN c.s] and SHOW GRANTS … ON … are allowed');
  }
  const base = { allowed: true as const, tables: [] as string[], functions: [] as string[], parsedSql: toDuckDbSpelling(sql), canonicalSql: sql };
  let target: Securable | undefined;
  if (statement.kind === 'DESCRIBE' || statement.kind === 'SHOW GRANTS') target = statement.securable;
  else if (statement.kind === 'SHOW' && statement.what === 'SCHEMAS') target = { type: 'CATALOG', name: statement.catalog };
  else if (statement.kind === 'SHOW' && statement.what === 'TABLES') target = { type: 'SCHEMA', name: statement.schema };
  if (target && target.type !== 'METASTORE') {
    const decision = evaluator.check(principal, 'browse', target);
    if (!decision.allowed) return refuse('NO_PRIVILEGE', `${principal} lacks ${describeMissing(decision.missing)}`, decision.missing);
  } else if (target) {
    return refuse('NO_PRIVILEGE', `${principal} may not read the grants of ${describeSecurable(target)}`);
  }
  const kind: GateKind = statement.kind === 'DESCRIBE' ? 'DESCRIBE' : 'SHOW';
  return {
    ...base,
    kind,
    ...(target ? { securable: target } : {}),
    ...(statement.kind === 'DESCRIBE' && target?.type === 'TABLE' ? { tables: [target.name] } : {}),
  };
}

interface References {
  tables: string[][];
  functions: string[][];
  tableFunctions: string[];
  show: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Collects table references, function calls and table functions anywhere in DuckDB's parse tree.
 * CTE names are in scope for the query that defines them (and for later CTEs of the same WITH; a
 * recursive CTE for itself): an unqualified reference to a CTE is not a table.
 */
function walk(value: unknown, scope: ReadonlySet<string>, refs: References): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, scope, refs);
    return;
  }
  if (!isObject(value)) return;
  let inner = scope;
  const cteMap = isObject(value['cte_map']) ? value['cte_map']['map'] : undefined;
  if (Array.isArray(cteMap) && cteMap.length > 0) {
    const names: string[] = [];
    for (const entry of cteMap) {
      if (!isObject(entry)) continue;
      const name = str(entry['key']).toLowerCase();
      const query = isObject(entry['value']) ? entry['value']['query'] : undefined;
      const recursive = isObject(query) && isObject(query['node']) && query['node']['type'] === 'RECURSIVE_CTE_NODE';
      walk(entry['value'], new Set([...scope, ...names, ...(recursive ? [name] : [])]), refs);
      names.push(name);
    }
    inner = new Set([...scope, ...names]);
  }
  const type = value['type'];
  if (type === 'BASE_TABLE') {
    const parts = [str(value['catalog_name']), str(value['schema_name']), str(value['table_name'])].filter((p) => p !== '');
    if (!(parts.length === 1 && inner.has((parts[0] as string).toLowerCase()))) refs.tables.push(parts);
  } else if (type === 'TABLE_FUNCTION' && isObject(value['function'])) {
    const fn = value['function'];
    const parts = [str(fn['catalog']), str(fn['schema']), str(fn['function_name'])].filter((p) => p !== '');
    if (isBuiltin(parts)) refs.tableFunctions.push((parts[parts.length - 1] as string).toLowerCase());
    else refs.functions.push(parts);
    walk(fn['children'], inner, refs);
    for (const [k, v] of Object.entries(value)) if (k !== 'function' && k !== 'cte_map') walk(v, inner, refs);
    return;
  } else if (type === 'SHOW_REF') {
    refs.show = true;
  } else if (typeof value['function_name'] === 'string' && value['is_operator'] !== true) {
    refs.functions.push([str(value['catalog']), str(value['schema']), value['function_name']].filter((p) => p !== ''));
  }
  for (const [k, v] of Object.entries(value)) if (k !== 'cte_map') walk(v, inner, refs);
}

/** Where DuckDB keeps its built-in functions: `main.f`, `system.main.f`, `pg_catalog.f`, … (DuckDB resolves them there). */
const BUILTIN_SCHEMAS = new Set(['main', 'pg_catalog', 'information_schema']);
const BUILTIN_CATALOGS = new Set(['system', 'temp']);

/**
 * True for a function name DuckDB resolves to a built-in: unqualified, or qualified with one of its
 * system schemas/catalogs (the parser itself writes list literals as `main.list_value`). Those are
 * held to the allowlist/denylist, never treated as Unity Catalog functions a grant could open.
 */
function isBuiltin(parts: readonly string[]): boolean {
  const lower = parts.map((p) => p.toLowerCase());
  if (lower.length === 1) return true;
  if (lower.length === 2) return BUILTIN_SCHEMAS.has(lower[0] as string) || BUILTIN_CATALOGS.has(lower[0] as string);
  return BUILTIN_CATALOGS.has(lower[0] as string);
}

function qualify(parts: readonly string[], ns: Namespace): string {
  const lower = parts.map((p) => p.toLowerCase());
  return [...[ns.catalog, ns.schema].slice(0, 3 - lower.length), ...lower].join('.');
}

function dedupeMissing(missing: readonly MissingPrivilege[]): MissingPrivilege[] {
  const seen = new Set<string>();
  return missing.filter((m) => {
    const k = `${m.privilege}|${describeSecurable(m.securable)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `:name` parameter markers (the Warehouse's spelling) → `$name`, so DuckDB's parser accepts them. */
function markersToDollar(sql: string): string {
  const tokens = tokenize(sql);
  return tokens
    .map((t, i) => {
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const isMarker = t.kind === 'punct' && t.value === ':' && next?.kind === 'word' && /^[A-Za-z_]/.test(next.text) && !(prev?.kind === 'word' || prev?.kind === 'quoted' || (prev?.kind === 'punct' && (prev.value === ':' || prev.value === ')' || prev.value === ']')));
      return isMarker ? '$' : t.text;
    })
    .join('');
}
