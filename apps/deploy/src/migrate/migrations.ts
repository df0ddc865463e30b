import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledQuery, ensureOpsSchema, opsTable, param, splitStatements, type QueryExecutor, type Warehouse } from '@odoo-ce/warehouse';
import { DeployError } from '../errors.js';

/** The ledger table in the target's ops schema. */
export const LEDGER_TABLE = 'schema_migrations';

const FILE_NAME = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
/** The directive for migrations that must not run in one transaction (DuckDB writes one attached database per transaction). */
const NO_TRANSACTION = /^--\s*migrate:no-transaction$/;

/**
 * Whether the file's leading comment block (the `--` lines and blank lines before the first
 * statement) carries `-- migrate:no-transaction`. Only there: the same text later in the file — in a
 * comment next to a statement, or inside a string literal — is not a directive.
 */
export function isTransactional(sql: string): boolean {
  for (const raw of sql.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('--')) return true;
    if (NO_TRANSACTION.test(line)) return false;
  }
  return true;
}

/** One numbered SQL file of `databricks/migrations/`. */
export interface Migration {
  /** `001` — the number as written, compared numerically. */
  readonly version: string;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  /** sha256 of the file's bytes, hex. */
  readonly checksum: string;
  readonly transactional: boolean;
}

/** One ledger row. */
export interface AppliedMigration {
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

export interface MigrationPlan {
  readonly applied: readonly AppliedMigration[];
  readonly pending: readonly Migration[];
}

/**
 * Reads `NNN_name.sql` files (lowercase name, at least three digits) sorted by number. A `.sql`
 * file with another name, or two files with the same number, is refused: a typo must not make a
 * migration silently skip.
 */
export function readMigrations(dir: string): Migration[] {
  const problems: string[] = [];
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_NAME.exec(file);
    if (!match) {
      problems.push(`${file}: expected NNN_lowercase_name.sql (e.g. 003_add_vendor_index.sql)`);
      continue;
    }
    const bytes = readFileSync(join(dir, file));
    const sql = bytes.toString('utf8');
    migrations.push({ version: match[1] as string, name: match[2] as string, file, sql, checksum: createHash('sha256').update(bytes).digest('hex'), transactional: isTransactional(sql) });
  }
  const byVersion = new Map<number, string[]>();
  for (const m of migrations) byVersion.set(Number(m.version), [...(byVersion.get(Number(m.version)) ?? []), m.file]);
  for (const files of byVersion.values()) if (files.length > 1) problems.push(`${files.join(' and ')}: the same migration number twice`);
  if (problems.length > 0) throw new DeployError('MIGRATION_REFUSED', `migrations in ${dir}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { data: { problems } });
  return migrations.sort((a, b) => Number(a.version) - Number(b.version));
}

async function ensureLedger(executor: QueryExecutor): Promise<void> {
  await ensureOpsSchema(executor);
  const t = (type: 'string' | 'timestamp') => executor.adapter.typeName(type);
  await executor.query(`CREATE TABLE IF NOT EXISTS ${opsTable(executor, LEDGER_TABLE)} (version ${t('string')}, name ${t('string')}, checksum ${t('string')}, applied_at ${t('timestamp')})`);
}

/** The ledger, oldest first (creating it if missing — creating an empty table is harmless even in a dry run). */
export async function readLedger(executor: QueryExecutor): Promise<AppliedMigration[]> {
  await ensureLedger(executor);
  const { rows } = await executor.query(`SELECT version, name, checksum, applied_at FROM ${opsTable(executor, LEDGER_TABLE)} ORDER BY version`);
  return rows
    .map((r) => ({ version: String(r['version']), name: String(r['name']), checksum: String(r['checksum']), appliedAt: r['applied_at'] as Date }))
    .sort((a, b) => Number(a.version) - Number(b.version));
}

/**
 * What `migrate` would do. Refuses (MIGRATION_REFUSED, every problem listed) when an applied
 * migration's file changed (checksum), was renamed (same number, another name — even with the same
 * content, the ledger and the repository then name different migrations) or disappeared, or when a new file is numbered below the
 * latest applied one — each means the target's history and the repository disagree, and only a
 * person can decide which is right (docs/runbooks/bad-migration.md).
 */
export function planMigrations(files: readonly Migration[], applied: readonly AppliedMigration[]): MigrationPlan {
  const problems: string[] = [];
  const byVersion = new Map(files.map((m) => [Number(m.version), m]));
  for (const a of applied) {
    const file = byVersion.get(Number(a.version));
    if (!file) problems.push(`${a.version}_${a.name}.sql was applied on ${a.appliedAt.toISOString()} but is no longer in the repository`);
    else if (file.name !== a.name) {
      problems.push(`${file.file} has the number of ${a.version}_${a.name}.sql, applied on ${a.appliedAt.toISOString()}; an applied migration keeps its name — add a new migration instead of renaming or replacing one`);
    } else if (file.checksum !== a.checksum) problems.push(`${file.file} changed after it was applied on ${a.appliedAt.toISOString()} (checksum ${a.checksum.slice(0, 12)}… then, ${file.checksum.slice(0, 12)}… now); add a new migration instead of editing an applied one`);
  }
  const done = new Set(applied.map((a) => Number(a.version)));
  const latest = Math.max(0, ...done);
  const pending = files.filter((m) => !done.has(Number(m.version)));
  for (const m of pending) if (Number(m.version) < latest) problems.push(`${m.file} is numbered below the latest applied migration ${String(latest).padStart(3, '0')}; renumber it after ${String(latest).padStart(3, '0')}`);
  if (problems.length > 0) throw new DeployError('MIGRATION_REFUSED', `refusing to migrate (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`, { data: { problems } });
  return { applied, pending };
}

export interface MigrateResult {
  readonly applied: readonly { readonly version: string; readonly file: string; readonly statements: number; readonly transactional: boolean }[];
  readonly pending: readonly { readonly version: string; readonly file: string; readonly statements: number; readonly transactional: boolean }[];
  readonly upToDate: boolean;
}

/**
 * Applies the pending migrations in order. Each runs in its own transaction where the engine has
 * them (DuckDB; not Databricks SQL) unless it says `-- migrate:no-transaction`; its ledger row is
 * written after it succeeded (DuckDB cannot write the data catalog and the ops catalog in one
 * transaction), so migrations must be idempotent (`IF NOT EXISTS`, `CREATE OR REPLACE`): a crash
 * between the two, or a failure half-way on Databricks, is repaired by running `migrate` again.
 * A failing statement stops everything with MIGRATION_FAILED naming the file, line and statement.
 */
export async function migrate(warehouse: Warehouse, dir: string, options: { readonly dryRun?: boolean } = {}): Promise<MigrateResult> {
  const files = readMigrations(dir);
  const plan = planMigrations(files, await readLedger(warehouse));
  const describe = (m: Migration) => ({
    version: m.version,
    file: m.file,
    statements: splitStatements(warehouse.render(m.sql, {}, m.file).sql).length,
    transactional: m.transactional && warehouse.adapter.supportsTransactions,
  });
  if (options.dryRun) return { applied: [], pending: plan.pending.map(describe), upToDate: plan.pending.length === 0 };
  const applied: MigrateResult['applied'][number][] = [];
  for (const m of plan.pending) {
    const info = describe(m);
    try {
      if (info.transactional) await warehouse.transaction((tx) => tx.executeScript(m.sql, { file: m.file }));
      else await warehouse.executeScript(m.sql, { file: m.file });
    } catch (error) {
      throw new DeployError('MIGRATION_FAILED', `${m.file} failed${info.transactional ? ' and was rolled back' : ' (no transaction: statements before the failing one stay applied; fix and rerun, migrations are idempotent)'}: ${(error as Error).message}`, {
        cause: error,
        data: { version: m.version, file: m.file },
      });
    }
    await warehouse.query(
      compiledQuery(`INSERT INTO ${opsTable(warehouse, LEDGER_TABLE)} (version, name, checksum, applied_at) VALUES (:version, :name, :checksum, :applied_at)`, {
        version: m.version,
        name: m.name,
        checksum: m.checksum,
        applied_at: param.timestamp(new Date()),
      }),
    );
    applied.push(info);
  }
  return { applied, pending: [], upToDate: applied.length === 0 };
}
