import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { removeTree, runCli, writeTree } from '../testing/fixtures.js';
import { isTransactional, planMigrations } from './migrations.js';

const repoMigrations = join(REPO_ROOT, 'databricks', 'migrations');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

function copyOfRepoMigrations(): string {
  const dir = writeTree({});
  dirs.push(dir);
  cpSync(repoMigrations, dir, { recursive: true });
  return dir;
}

/** The same scenario on both engines: DuckDB (local) and Databricks SQL through the real driver (dev → local endpoint). */
describe.each([
  ['local (DuckDB, one transaction per migration)', 'local'],
  ['dev (the @databricks/sql driver → local endpoint, no transactions)', 'dev'],
])('deploy migrate on %s', (_label, target) => {
  let endpoint: EndpointTarget | undefined;
  let env: Record<string, string> = {};
  let dataDir: string;
  let migrations: string;
  const cli = (...args: string[]) => runCli(['migrate', '-t', target, '--dir', migrations, ...(target === 'local' ? ['--data-dir', dataDir] : []), ...args], env);

  beforeAll(async () => {
    dataDir = writeTree({});
    dirs.push(dataDir);
    migrations = copyOfRepoMigrations();
    if (target === 'dev') {
      endpoint = await startEndpointTarget();
      env = endpoint.env;
      // Databricks: the catalogs come first (deploy catalog apply), then the migrations.
      expect((await runCli(['catalog', 'apply', '-t', 'dev'], env)).code).toBe(0);
    }
  }, 30_000);
  afterAll(async () => endpoint?.close());

  it('dry run lists both repository migrations and changes nothing', async () => {
    const run = await cli('--dry-run', '--json');
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { pending: { file: string; statements: number; transactional: boolean }[] };
    expect(result.pending.map((m) => [m.file, m.statements, m.transactional])).toEqual([
      ['001_initial_schema.sql', 6, target === 'local'],
      ['002_ingestion_ops_tables.sql', 3, target === 'local'],
    ]);
    expect(JSON.parse((await cli('--dry-run', '--json')).stdout).pending).toHaveLength(2);
  }, 30_000);

  it('applies them, records the ledger, then is up to date; the ops tables exist with the columns the code writes', async () => {
    const first = await cli();
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/applied 001_initial_schema\.sql \(6 statements/);
    expect(first.stdout).toMatch(/applied 002_ingestion_ops_tables\.sql \(3 statements/);
    expect((await cli()).stdout).toContain(`target ${target}: migrations up to date`);
    const prefix = target === 'dev' ? 'dev_' : '';
    const ledger = await runCli(['migrate', '-t', target, '--dir', migrations, '--dry-run', '--json', ...(target === 'local' ? ['--data-dir', dataDir] : [])], env);
    expect(JSON.parse(ledger.stdout)).toMatchObject({ pending: [], upToDate: true });
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      // The columns the connectors' own CREATE TABLE IF NOT EXISTS would give (libs/connectors), so
      // a migrated target and one where a sync got there first are identical.
      const columns = await warehouse.query({
        sql: 'SELECT table_name, column_name FROM system.information_schema.columns WHERE table_catalog = :c AND table_schema = :s ORDER BY table_name, ordinal_position',
        parameters: { c: `${prefix}ops`, s: 'ops' },
      });
      const byTable = (t: string) => columns.rows.filter((r) => r['table_name'] === t).map((r) => r['column_name']);
      expect(byTable('ingestion_state')).toEqual(['source', 'model', 'watermark_write_date', 'watermark_id', 'updated_at', 'last_reconciled_at']);
      expect(byTable('odoo_rejected_records')).toEqual(['source', 'model', 'record_id', 'write_date', 'reason', 'raw', 'batch_id', 'rejected_at']);
      expect(byTable('ingested_files')).toEqual(['sha256', 'file', 'target_table', 'batch_id', 'rows', 'bytes', 'ingested_at']);
      const rows = await warehouse.query(`SELECT version, name, checksum FROM ${prefix}ops.ops.schema_migrations ORDER BY version`);
      expect(rows.rows.map((r) => [r['version'], r['name'], String(r['checksum']).length])).toEqual([
        ['001', 'initial_schema', 64],
        ['002', 'ingestion_ops_tables', 64],
      ]);
    } finally {
      await warehouse.close();
    }
  }, 60_000);

  it('refuses to continue when an applied migration was edited, naming the file', async () => {
    const file = join(migrations, '002_ingestion_ops_tables.sql');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('rejected_at TIMESTAMP', 'rejected_at TIMESTAMP, edited STRING'));
    writeFileSync(join(migrations, '003_next.sql'), 'CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.never_created;');
    try {
      const run = await cli();
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/\[MIGRATION_REFUSED\] refusing to migrate \(1 problem\(s\)\):\n\s+- 002_ingestion_ops_tables\.sql changed after it was applied on \d{4}-\d\d-\d\dT/);
      expect((await cli('--dry-run')).code).toBe(1);
    } finally {
      writeFileSync(file, original);
    }
    // Restored: the new migration goes through.
    expect((await cli()).stdout).toMatch(/applied 003_next\.sql \(1 statement/);
  }, 60_000);

  it('a failing migration stops with MIGRATION_FAILED naming file and line; it is not recorded', async () => {
    writeFileSync(join(migrations, '004_broken.sql'), 'CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.ok_part;\n\nSELECT * FROM {{catalog.gold}}.nowhere.nothing;\n');
    const run = await cli();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[MIGRATION_FAILED\] 004_broken\.sql failed.*004_broken\.sql:3/s);
    expect(run.stderr).toContain(target === 'local' ? 'was rolled back' : 'no transaction');
    expect(JSON.parse((await cli('--dry-run', '--json')).stdout).pending.map((m: { file: string }) => m.file)).toEqual(['004_broken.sql']);
  }, 60_000);
});

describe('migration files', () => {
  it('a misnamed file and a duplicate number are refused up front', async () => {
    const dir = writeTree({ '001_a.sql': 'select 1', '001_b.sql': 'select 1', 'V2__c.sql': 'select 1' });
    dirs.push(dir);
    const data = writeTree({});
    dirs.push(data);
    const run = await runCli(['migrate', '-t', 'local', '--dir', dir, '--data-dir', data, '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('V2__c.sql: expected NNN_lowercase_name.sql');
    expect(run.stderr).toContain('001_a.sql and 001_b.sql: the same migration number twice');
  });

  it('an applied migration renamed (same number and content, another name) is refused', () => {
    const applied = [{ version: '001', name: 'initial_schema', checksum: 'c', appliedAt: new Date(0) }];
    const renamed = { version: '001', name: 'renamed_schema', file: '001_renamed_schema.sql', sql: '', checksum: 'c', transactional: true };
    expect(() => planMigrations([renamed], applied)).toThrow(/001_renamed_schema\.sql has the number of 001_initial_schema\.sql, applied on 1970-01-01T00:00:00\.000Z; an applied migration keeps its name/);
    expect(planMigrations([{ ...renamed, name: 'initial_schema', file: '001_initial_schema.sql' }], applied).pending).toEqual([]);
  });

  it('-- migrate:no-transaction counts only in the leading comment block', () => {
    expect(isTransactional('-- 005: a big backfill\n-- migrate:no-transaction\n\nINSERT INTO t SELECT 1;')).toBe(false);
    expect(isTransactional('\n  --   migrate:no-transaction  \nCREATE TABLE t (a INT);')).toBe(false);
    expect(isTransactional('CREATE TABLE t (a INT);\n-- migrate:no-transaction\n')).toBe(true);
    expect(isTransactional("-- header\nINSERT INTO notes VALUES ('\n-- migrate:no-transaction\n');")).toBe(true);
    expect(isTransactional('-- migrate:no-transaction-please\nSELECT 1;')).toBe(true);
    expect(isTransactional('SELECT 1;')).toBe(true);
  });

  it('a new migration numbered below the latest applied one is refused', async () => {
    const m = (version: string) => ({ version, name: 'x', file: `${version}_x.sql`, sql: '', checksum: 'c', transactional: true });
    expect(() => planMigrations([m('001'), m('002'), m('003')], [{ version: '001', name: 'x', checksum: 'c', appliedAt: new Date(0) }, { version: '003', name: 'x', checksum: 'c', appliedAt: new Date(0) }])).toThrow(
      /002_x\.sql is numbered below the latest applied migration 003/,
    );
  });
});
