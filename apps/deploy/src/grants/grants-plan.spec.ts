import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantsStatementHandler, loadPolicy, MemoryGrantsStore, OpsGrantsStore } from '@odoo-ce/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { removeTree, runCli, writeTree } from '../testing/fixtures.js';

const policyDir = join(REPO_ROOT, 'databricks', 'catalog');

/**
 * The same scenario on the embedded engine (grants in <ops>.grants) and on Databricks SQL through
 * the real driver: the local endpoint answers GRANT / REVOKE / SHOW GRANTS from a grants store, in
 * Databricks' SHOW GRANTS columns, so the SqlGrantsStore path of plan/apply runs for real.
 */
describe.each([
  ['local (DuckDB, <ops>.grants)', 'local'],
  ['dev (the @databricks/sql driver → local endpoint: SHOW GRANTS / GRANT / REVOKE)', 'dev'],
])('deploy grants plan|apply on %s', (_label, target) => {
  let endpoint: EndpointTarget | undefined;
  let env: Record<string, string> = {};
  let dataDir: string;
  const prefix = target === 'dev' ? 'dev_' : '';
  const cli = (...args: string[]) => runCli(['grants', ...args, '-t', target, ...(target === 'local' ? ['--data-dir', dataDir] : [])], env);

  /** A grant and a revoke made by hand, behind the policy's back. */
  async function manualChange(): Promise<void> {
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      const gold = `${prefix}gold`;
      if (target === 'dev') {
        await warehouse.query(`GRANT MODIFY ON SCHEMA ${gold}.finance TO \`finance_analysts\``);
        await warehouse.query(`REVOKE SELECT ON TABLE ${gold}.finance.executive_dashboard FROM \`executives\``);
      } else {
        const store = new OpsGrantsStore(warehouse);
        await store.apply([
          { action: 'GRANT', principal: 'finance_analysts', securable: { type: 'SCHEMA', name: `${gold}.finance` }, privileges: ['MODIFY'] },
          { action: 'REVOKE', principal: 'executives', securable: { type: 'TABLE', name: `${gold}.finance.executive_dashboard` }, privileges: ['SELECT'] },
        ]);
      }
    } finally {
      await warehouse.close();
    }
  }

  beforeAll(async () => {
    dataDir = writeTree({});
    if (target === 'dev') {
      endpoint = await startEndpointTarget({ intercept: grantsStatementHandler(new MemoryGrantsStore()) });
      env = endpoint.env;
    }
    expect((await runCli(['catalog', 'apply', '-t', target, ...(target === 'local' ? ['--data-dir', dataDir] : [])], env)).code).toBe(0);
  }, 30_000);
  afterAll(async () => {
    await endpoint?.close();
    removeTree(dataDir);
  });

  it('on an empty target: plan shows every policy grant and exits 2; apply runs it; then plan shows no drift and exits 0', async () => {
    const plan = await cli('plan', '--json');
    expect(plan.code).toBe(2);
    const changes = (JSON.parse(plan.stdout) as { changes: { action: string; sql: string }[] }).changes;
    expect(changes.every((c) => c.action === 'GRANT')).toBe(true);
    const n8nBronze = changes.map((c) => c.sql).find((sql) => sql.includes(`ON CATALOG ${prefix}bronze TO \`3b1f6c2a-8d4e-4f5a-9c7b-1e2d3f4a5b60\``));
    expect(n8nBronze?.match(/^GRANT (.+) ON /)?.[1]?.split(', ').sort()).toEqual(['CREATE TABLE', 'MODIFY', 'SELECT', 'USE CATALOG', 'USE SCHEMA']);
    expect(changes.reduce((n, c) => n + c.sql.replace(/ ON .*/, '').split(',').length, 0)).toBe(52);
    const applied = await cli('apply');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/Applied: \d+ statement\(s\)\./);
    const clean = await cli('plan');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^No changes\. Grants on target \w+ match the policy \(52 privileges on 28 securables\)\.\n$/);
  }, 60_000);

  it('after a manual GRANT and REVOKE, plan shows exactly the two statements that undo them; apply restores the policy', async () => {
    await manualChange();
    const plan = await cli('plan');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toBe(
      [
        `  - REVOKE MODIFY ON SCHEMA ${prefix}gold.finance FROM \`finance_analysts\``,
        `  + GRANT SELECT ON TABLE ${prefix}gold.finance.executive_dashboard TO \`executives\``,
        `Plan: 1 to grant, 1 to revoke (target ${target}).`,
        '',
      ].join('\n'),
    );
    expect((await cli('apply')).code).toBe(0);
    expect((await cli('plan')).code).toBe(0);
  }, 60_000);

  it('--ignore-principal leaves a principal out of the comparison', async () => {
    await manualChange();
    expect((await cli('plan', '--ignore-principal', 'finance_analysts', '--ignore-principal', 'executives')).code).toBe(0);
    expect((await cli('apply')).code).toBe(0);
  }, 60_000);
});

describe('deploy grants on a fresh Databricks workspace (objects the pipeline has not created yet)', () => {
  let endpoint: EndpointTarget;
  beforeAll(async () => {
    const handler = grantsStatementHandler(new MemoryGrantsStore());
    // As on Databricks: SHOW GRANTS / GRANT on a table that does not exist fail with TABLE_OR_VIEW_NOT_FOUND.
    endpoint = await startEndpointTarget({
      intercept: async (sql, session) => {
        if (/executive_dashboard/i.test(sql) && /^\s*(SHOW\s+GRANTS?|GRANT|REVOKE)\b/i.test(sql)) {
          throw new Error('[TABLE_OR_VIEW_NOT_FOUND] The table or view `dev_gold`.`finance`.`executive_dashboard` cannot be found.');
        }
        return handler(sql, session);
      },
    });
    expect((await runCli(['catalog', 'apply', '-t', 'dev'], endpoint.env)).code).toBe(0);
  }, 30_000);
  afterAll(async () => endpoint?.close());

  it('its grants wait (listed, not drift, not applied); everything else is applied and then clean', async () => {
    const plan = await runCli(['grants', 'plan', '-t', 'dev'], endpoint.env);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('  ~ TABLE dev_gold.finance.executive_dashboard does not exist yet; its grants wait');
    expect(plan.stdout).not.toMatch(/[+-] GRANT .*executive_dashboard/);
    const applied = await runCli(['grants', 'apply', '-t', 'dev'], endpoint.env);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const clean = await runCli(['grants', 'plan', '-t', 'dev', '--json'], endpoint.env);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ drift: false, changes: [], missing: [{ type: 'TABLE', name: 'dev_gold.finance.executive_dashboard' }] });
  }, 60_000);
});

describe('grants policy errors and Terraform', () => {
  it('a privilege that does not exist on its securable → an error listing the valid ones, no stack', async () => {
    const dir = writeTree({});
    try {
      cpSync(policyDir, dir, { recursive: true });
      const grants = readFileSync(join(dir, 'grants.yml'), 'utf8');
      writeFileSync(join(dir, 'grants.yml'), grants.replace('on: CATALOG silver\n    privileges: [USE CATALOG, USE SCHEMA, SELECT]', 'on: CATALOG silver\n    privileges: [USE CATALOG, CREATE CATALOG]'));
      const data = writeTree({});
      const run = await runCli(['grants', 'plan', '-t', 'local', '--policy', dir, '--data-dir', data]);
      removeTree(data);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: \[INVALID_POLICY\] .*grants\.yml: grants\.\d+\.privileges\.1: CREATE CATALOG cannot be granted on a CATALOG; valid on CATALOG: ALL PRIVILEGES, .*USE CATALOG, .*SELECT/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    } finally {
      removeTree(dir);
    }
  });

  it.each(['dev', 'staging', 'prod'])('terraform/environments/%s/grants.tf.json is what the policy generates', async (target) => {
    const run = await runCli(['grants', 'terraform', '-t', target, '--check']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('Terraform gets only metastore, catalog and schema grants: objects the pipeline creates would fail the first apply', async () => {
    const policy = await loadPolicy(policyDir);
    // The policy does grant on tables and functions; those stay with `grants apply`.
    expect(policy.grants.some((g) => g.securable.type === 'TABLE' || g.securable.type === 'FUNCTION')).toBe(true);
    const run = await runCli(['grants', 'terraform', '-t', 'staging', '--out', '-']);
    expect(run.code).toBe(0);
    const resources = (JSON.parse(run.stdout) as { resource: { databricks_grants: Record<string, Record<string, unknown>> } }).resource.databricks_grants;
    const kinds = new Set(Object.values(resources).flatMap((r) => Object.keys(r).filter((k) => k !== 'grant' && k !== 'depends_on')));
    expect(kinds).toEqual(new Set(['catalog', 'schema']));
    expect(Object.keys(resources).filter((name) => /^(table|function|view|volume)_/.test(name))).toEqual([]);
  });

  it('the shared metastore\'s grant goes to one environment only: prod by default, or --metastore-owner', async () => {
    const metastore = async (argv: string[]) => {
      const run = await runCli(['grants', 'terraform', ...argv, '--out', '-']);
      expect(run.stderr).toBe('');
      return (JSON.parse(run.stdout) as { resource: { databricks_grants: Record<string, { metastore?: string }> } }).resource.databricks_grants['metastore'];
    };
    expect(await metastore(['-t', 'prod'])).toMatchObject({ metastore: '${var.metastore_id}' });
    expect(await metastore(['-t', 'dev'])).toBeUndefined();
    expect(await metastore(['-t', 'staging'])).toBeUndefined();
    expect(await metastore(['-t', 'staging', '--metastore-owner', 'staging'])).toMatchObject({ metastore: '${var.metastore_id}' });
    expect(await metastore(['-t', 'prod', '--metastore-owner', 'staging'])).toBeUndefined();
    // --check expects exactly the owner's layout: the committed prod file has the metastore grant.
    const stale = await runCli(['grants', 'terraform', '-t', 'prod', '--check', '--metastore-owner', 'staging']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('terraform/environments/prod/grants.tf.json is out of date');
    const bad = await runCli(['grants', 'terraform', '-t', 'prod', '--metastore-owner', 'qa']);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--metastore-owner must be one of dev, staging, prod, got "qa"');
  });

  it('the generated JSON names target catalogs and REST privilege spellings', async () => {
    const run = await runCli(['grants', 'terraform', '-t', 'staging', '--out', '-']);
    const json = JSON.parse(run.stdout) as { resource: { databricks_grants: Record<string, { catalog?: string; schema?: string; grant: { principal: string; privileges: string[] }[]; depends_on: string[] }> } };
    const resources = json.resource.databricks_grants;
    expect(resources['catalog_staging_gold']?.catalog).toBe('staging_gold');
    expect(Object.values(resources).flatMap((r) => r.grant.flatMap((g) => g.privileges)).every((p) => /^[A-Z_]+$/.test(p))).toBe(true);
    expect(Object.values(resources).every((r) => r.depends_on[0] === 'module.platform')).toBe(true);
  });
});
