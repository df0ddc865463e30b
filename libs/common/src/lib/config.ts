import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { PlatformError } from './errors.js';
import { LAYERS, type CatalogLayout, type Layer } from './layout.js';

/** The deployment targets. `local` runs on embedded DuckDB; the others on a Databricks SQL warehouse. */
export const TARGETS = ['local', 'dev', 'staging', 'prod'] as const;
export type TargetName = (typeof TARGETS)[number];

/** One invalid setting: where it came from, what it was (secrets masked) and what was expected. */
export interface ConfigIssue {
  readonly field: string;
  readonly value: string;
  readonly expected: string;
}

/** A configuration that failed validation; lists every bad field, not just the first. */
export class ConfigError extends PlatformError<'INVALID_CONFIG' | 'UNKNOWN_TARGET'> {
  constructor(
    readonly issues: readonly ConfigIssue[],
    code: 'INVALID_CONFIG' | 'UNKNOWN_TARGET' = 'INVALID_CONFIG',
  ) {
    super(
      code,
      `invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.field} = ${i.value}: expected ${i.expected}`).join('\n'),
      { data: { issues } },
    );
  }
}

const SECRET_NAME = /token|secret|password|api_?key|authorization/i;

/** Shows a value in an error message; secrets are masked. */
export function displayValue(field: string, value: unknown): string {
  if (value === undefined) return '(unset)';
  if (SECRET_NAME.test(field)) return `<redacted, ${String(value).length} chars>`;
  return JSON.stringify(value);
}

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier: letters, digits and _, not starting with a digit');

export const LogConfigSchema = z.object({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
  format: z.enum(['json', 'pretty', 'auto']),
});
export type LogConfig = z.infer<typeof LogConfigSchema>;

export const DuckDbConnectionSchema = z.object({
  engine: z.literal('duckdb'),
  dataDir: z.string().min(1, 'a directory path'),
  threads: z.number().int().positive().optional(),
  memoryLimit: z.string().regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as 4GB').optional(),
});

export const DatabricksAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pat'), token: z.string().min(1, 'a personal access token') }),
  z.object({ kind: z.literal('oauth-m2m'), clientId: z.string().min(1), clientSecret: z.string().min(1) }),
]);

export const DatabricksConnectionSchema = z.object({
  engine: z.literal('databricks'),
  /** Workspace host, optionally with a port: `adb-123.4.azuredatabricks.net` or `127.0.0.1:8443`. */
  host: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'a workspace hostname (optionally https:// and :port), e.g. adb-123.4.azuredatabricks.net'),
  httpPath: z.string().regex(/^\/sql\/[\w./-]+$/, 'the SQL warehouse HTTP path, e.g. /sql/1.0/warehouses/abc123'),
  auth: DatabricksAuthSchema,
  caCertFile: z.string().min(1).optional(),
});

export const WarehouseConnectionSchema = z.discriminatedUnion('engine', [DuckDbConnectionSchema, DatabricksConnectionSchema]);
export type WarehouseConnectionConfig = z.infer<typeof WarehouseConnectionSchema>;

export const LayoutSchema = z.object({
  catalogs: z.object(Object.fromEntries(LAYERS.map((l) => [l, identifier])) as Record<Layer, typeof identifier>),
  ops: z.object({ catalog: identifier, schema: identifier }),
});

export const TargetConfigSchema = z.object({
  name: z.enum(TARGETS),
  warehouse: WarehouseConnectionSchema,
  layout: LayoutSchema,
});
export type TargetConfig = z.infer<typeof TargetConfigSchema> & { readonly layout: CatalogLayout };

export interface PlatformConfig {
  readonly target: TargetConfig;
  readonly log: LogConfig;
}

export interface LoadConfigOptions {
  /** Target name (else `ETL_TARGET`, else `local`). */
  readonly target?: string;
  /** Environment to read (default `process.env`, merged over an optional `.env` in `cwd`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory holding `.env` and the default `.data/` (default `process.cwd()`). */
  readonly cwd?: string;
  /** `--data-dir` from the command line: wins over `ETL_DATA_DIR`. */
  readonly dataDir?: string;
}

/** Default catalog prefix per target: dev and staging share a metastore with prod, so they prefix. */
const DEFAULT_PREFIX: Record<TargetName, string> = { local: '', dev: 'dev_', staging: 'staging_', prod: '' };

/**
 * Reads the configuration of one target from the environment (and `.env`), validates every field
 * with zod and returns a deeply frozen object. Throws one {@link ConfigError} listing every
 * invalid field.
 *
 * Environment: `ETL_TARGET`, `ETL_WAREHOUSE` (duckdb|databricks; default duckdb for `local`,
 * databricks otherwise), `ETL_DATA_DIR`, `ETL_DUCKDB_THREADS`, `ETL_DUCKDB_MEMORY_LIMIT`,
 * `ETL_CATALOG_PREFIX`, `ETL_CATALOG_<LAYER>`, `ETL_OPS_CATALOG`, `ETL_OPS_SCHEMA`,
 * `DATABRICKS_HOST`, `DATABRICKS_HTTP_PATH`, `DATABRICKS_TOKEN`, `DATABRICKS_CLIENT_ID`,
 * `DATABRICKS_CLIENT_SECRET`, `DATABRICKS_CA_CERT_FILE`, `LOG_LEVEL`, `LOG_FORMAT`.
 */
export function loadConfig(options: LoadConfigOptions = {}): PlatformConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = { ...readDotEnv(cwd), ...stripUndefined(options.env ?? process.env) };
  const targetName = options.target ?? env['ETL_TARGET'] ?? 'local';
  if (!(TARGETS as readonly string[]).includes(targetName)) {
    throw new ConfigError(
      [{ field: options.target !== undefined ? '--target' : 'ETL_TARGET', value: JSON.stringify(targetName), expected: `one of the known targets: ${TARGETS.join(', ')}` }],
      'UNKNOWN_TARGET',
    );
  }
  const target = targetName as TargetName;
  const issues: ConfigIssue[] = [];
  const sources = new Map<string, string>(); // config path → env var name, for messages

  const engine = env['ETL_WAREHOUSE'] ?? (target === 'local' ? 'duckdb' : 'databricks');
  sources.set('warehouse.engine', 'ETL_WAREHOUSE');
  let warehouse: Record<string, unknown>;
  if (engine === 'duckdb') {
    const dataDir = options.dataDir ?? env['ETL_DATA_DIR'] ?? join(cwd, '.data', target);
    sources.set('warehouse.dataDir', options.dataDir !== undefined ? '--data-dir' : 'ETL_DATA_DIR');
    sources.set('warehouse.threads', 'ETL_DUCKDB_THREADS');
    sources.set('warehouse.memoryLimit', 'ETL_DUCKDB_MEMORY_LIMIT');
    warehouse = {
      engine,
      dataDir,
      ...(env['ETL_DUCKDB_THREADS'] !== undefined ? { threads: numberOrRaw(env['ETL_DUCKDB_THREADS']) } : {}),
      ...(env['ETL_DUCKDB_MEMORY_LIMIT'] !== undefined ? { memoryLimit: env['ETL_DUCKDB_MEMORY_LIMIT'] } : {}),
    };
  } else {
    const token = env['DATABRICKS_TOKEN'];
    const clientId = env['DATABRICKS_CLIENT_ID'];
    const auth = token !== undefined || clientId === undefined
      ? { kind: 'pat', token }
      : { kind: 'oauth-m2m', clientId, clientSecret: env['DATABRICKS_CLIENT_SECRET'] };
    sources.set('warehouse.host', 'DATABRICKS_HOST');
    sources.set('warehouse.httpPath', 'DATABRICKS_HTTP_PATH');
    sources.set('warehouse.auth.token', 'DATABRICKS_TOKEN');
    sources.set('warehouse.auth.clientId', 'DATABRICKS_CLIENT_ID');
    sources.set('warehouse.auth.clientSecret', 'DATABRICKS_CLIENT_SECRET');
    sources.set('warehouse.caCertFile', 'DATABRICKS_CA_CERT_FILE');
    warehouse = {
      engine,
      host: normalizeHost(env['DATABRICKS_HOST']),
      httpPath: env['DATABRICKS_HTTP_PATH'],
      auth,
      ...(env['DATABRICKS_CA_CERT_FILE'] !== undefined ? { caCertFile: env['DATABRICKS_CA_CERT_FILE'] } : {}),
    };
  }

  const prefix = env['ETL_CATALOG_PREFIX'] ?? DEFAULT_PREFIX[target];
  const catalogs = Object.fromEntries(
    LAYERS.map((layer) => {
      const key = `ETL_CATALOG_${layer.toUpperCase()}`;
      sources.set(`layout.catalogs.${layer}`, env[key] !== undefined ? key : 'ETL_CATALOG_PREFIX');
      return [layer, env[key] ?? `${prefix}${layer}`];
    }),
  );
  sources.set('layout.ops.catalog', 'ETL_OPS_CATALOG');
  sources.set('layout.ops.schema', 'ETL_OPS_SCHEMA');
  const layout = { catalogs, ops: { catalog: env['ETL_OPS_CATALOG'] ?? `${prefix}ops`, schema: env['ETL_OPS_SCHEMA'] ?? 'ops' } };

  sources.set('log.level', 'LOG_LEVEL');
  sources.set('log.format', 'LOG_FORMAT');
  const raw = { target: { name: target, warehouse, layout }, log: { level: env['LOG_LEVEL'] ?? 'info', format: env['LOG_FORMAT'] ?? 'auto' } };

  const schema = z.object({ target: TargetConfigSchema, log: LogConfigSchema });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.').replace(/^target\./, '');
      const field = sources.get(path) ?? path;
      const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[String(k)] : undefined), raw);
      issues.push({ field, value: displayValue(field, value), expected: describeIssue(issue) });
    }
  }
  if (engine !== 'duckdb' && engine !== 'databricks') {
    issues.splice(0, issues.length, ...issues.filter((i) => i.field !== 'ETL_WAREHOUSE'));
    issues.unshift({ field: 'ETL_WAREHOUSE', value: JSON.stringify(engine), expected: 'duckdb or databricks' });
  }
  if (layout.ops.catalog.toLowerCase() === 'system' || Object.values(catalogs).some((c) => c.toLowerCase() === 'system')) {
    issues.push({ field: 'ETL_OPS_CATALOG', value: JSON.stringify('system'), expected: 'a catalog other than system (reserved by Databricks)' });
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(dedupe(issues));
  return deepFreeze(parsed.data) as PlatformConfig;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `to be set (${issue.expected})`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)));
}

/** `https://host/` → `host`; anything else is returned for the schema to judge. */
function normalizeHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  return host.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

function numberOrRaw(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

function readDotEnv(cwd: string): Record<string, string> {
  const file = join(cwd, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

function stripUndefined(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
