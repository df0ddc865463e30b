import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapterFor, DEFAULT_LAYOUT, renderSql } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { removeTree, runCli, writeTree } from '../testing/fixtures.js';
import { estimateCost } from './cost.js';

/** A two-task job with a quality gate: silver candidates → split (drop rows without amount; fail on duplicate ids) → gold. */
function fixture(rows: string, goldFilter = 'true'): { bundle: string; quality: string } {
  const bundle = writeTree({
    'databricks.yml': `
      bundle:
        name: smoke_fixture
      include:
        - resources/*.yml
      variables:
        warehouse_id:
          default: abc123
      targets:
        dev:
          default: true
          mode: development
    `,
    'resources/jobs.yml': `
      resources:
        jobs:
          mini:
            tasks:
              - task_key: stage
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/stage.sql
                  parameters:
                    quality_gate: silver.t.items_candidates
              - task_key: publish
                depends_on:
                  - task_key: stage
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/publish.sql
    `,
    'sql/stage.sql': `
      CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
      CREATE OR REPLACE TABLE {{catalog.silver}}.t.items_candidates AS
      SELECT CAST(id AS INT) AS id, CAST(amount AS DECIMAL(10, 2)) AS amount FROM (VALUES ${rows}) AS v(id, amount);
    `,
    'sql/publish.sql': `
      CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.t;
      CREATE OR REPLACE TABLE {{catalog.gold}}.t.items_by_id AS SELECT id, amount FROM {{catalog.silver}}.t.items WHERE ${goldFilter};
    `,
  });
  const quality = writeTree({
    'silver.yml': `
      suite: silver
      tables:
        - table: silver.t.items_candidates
          split:
            target: silver.t.items
            quarantine: silver.t.items_quarantine
          expectations:
            - name: amount_present
              type: expect_column_values_to_not_be_null
              kwargs: { column: amount }
              action: drop
            - name: id_unique
              type: expect_column_values_to_be_unique
              kwargs: { column: id }
              action: fail
    `,
  });
  return { bundle, quality };
}

describe.each([
  ['local (DuckDB)', 'local'],
  ['dev (the @databricks/sql driver → local endpoint)', 'dev'],
])('deploy smoke and cost on %s', (_label, target) => {
  let endpoint: EndpointTarget | undefined;
  let env: Record<string, string> = {};
  let dataDir: string;
  const dirs: string[] = [];
  const prefix = target === 'dev' ? 'dev_' : '';
  const smoke = (f: { bundle: string; quality: string }, ...args: string[]) =>
    runCli(['smoke', '-t', target, '--job', 'mini', '--bundle', f.bundle, '--quality', f.quality, ...(target === 'local' ? ['--data-dir', dataDir] : []), ...args], env);

  beforeAll(async () => {
    dataDir = writeTree({});
    if (target === 'dev') {
      endpoint = await startEndpointTarget();
      env = endpoint.env;
      expect((await runCli(['catalog', 'apply', '-t', 'dev'], env)).code).toBe(0);
    }
  }, 30_000);
  afterAll(async () => {
    await endpoint?.close();
    [dataDir, ...dirs].forEach(removeTree);
  });

  it('passes when the job succeeds, its gold table has rows and the last DQ run passed', async () => {
    const f = fixture('(1, 10.5), (2, NULL), (3, 4.5)');
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f, '--json');
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { ok: boolean; jobStatus: string; goldTables: { table: string; rows: number }[]; dq: { expectations: number; failed: string[] } };
    expect(result).toMatchObject({ ok: true, jobStatus: 'succeeded', goldTables: [{ table: `${prefix}gold.t.items_by_id`, rows: 2 }], dq: { failed: [] } });
    expect(result.dq.expectations).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('fails when a fail expectation fails (the gate stops the job), naming the expectation', async () => {
    const f = fixture('(1, 10.5), (1, 3.0)');
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[SMOKE_FAILED\] smoke test on \w+: job mini failed/);
    expect(run.stderr).toContain('silver.t.items_candidates.id_unique');
  }, 60_000);

  it('fails when a gold table the job writes is empty', async () => {
    const f = fixture('(1, 10.5), (2, 3.0)', 'amount > 1000');
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`gold table ${prefix}gold.t.items_by_id is empty`);
    expect(run.stdout).toContain(`EMPTY ${prefix}gold.t.items_by_id: 0 rows`);
  }, 60_000);

  it('cost: per job from job_runs — three runs of mini on this target, priced by warehouse size', async () => {
    const run = await runCli(['cost', '-t', target, '--json', '--warehouse-size', 'Small', '--dbu-price', '0.5', ...(target === 'local' ? ['--data-dir', dataDir] : [])], env);
    expect(run.stderr).toBe('');
    const estimate = JSON.parse(run.stdout) as { jobs: { job: string; runs: number; hours: number; dbus: number; cost: number }[]; total: number };
    expect(estimate.jobs.map((j) => [j.job, j.runs])).toEqual([['mini', 3]]);
    const mini = estimate.jobs[0] as { hours: number; dbus: number };
    // hours are rounded to 4 decimals, DBUs computed before rounding: equal within 12 × 0.00005.
    expect(Math.abs(mini.dbus - mini.hours * 12)).toBeLessThanOrEqual(0.0007);
  }, 60_000);

  it('cost: the arithmetic on known durations (two runs of 30 and 90 minutes on a Medium warehouse)', async () => {
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      const now = new Date('2026-11-27T12:00:00Z');
      const t = (iso: string) => `TIMESTAMP '${iso}'`;
      await warehouse.query(
        `INSERT INTO ${prefix}ops.ops.job_runs (run_id, job, target, status, started_at, ended_at, error, attempt, params, only_tasks) VALUES ` +
          `('k1', 'known', 'cost-${target}', 'succeeded', ${t('2026-11-26 01:00:00')}, ${t('2026-11-26 01:30:00')}, NULL, 1, '{}', NULL), ` +
          `('k2', 'known', 'cost-${target}', 'failed', ${t('2026-11-26 03:00:00')}, ${t('2026-11-26 04:30:00')}, NULL, 1, '{}', NULL), ` +
          `('k3', 'known', 'cost-${target}', 'succeeded', ${t('2026-09-01 03:00:00')}, ${t('2026-09-01 04:30:00')}, NULL, 1, '{}', NULL)`,
      );
      const estimate = await estimateCost(warehouse, `cost-${target}`, { sinceDays: 30, warehouseSize: 'Medium', dbuPrice: 0.7, now });
      expect(estimate.jobs).toEqual([{ job: 'known', runs: 2, hours: 2, dbus: 48, cost: 33.6 }]);
      expect(estimate.total).toBe(33.6);
    } finally {
      await warehouse.close();
    }
  }, 30_000);
});

describe('deploy cost input errors', () => {
  it('an unknown warehouse size names the valid ones; --billing needs Databricks', async () => {
    const data = writeTree({});
    try {
      const size = await runCli(['cost', '-t', 'local', '--data-dir', data, '--warehouse-size', 'Huge']);
      expect(size.code).toBe(1);
      expect(size.stderr).toContain('[INVALID_INPUT] --warehouse-size "Huge": expected one of 2X-Small, X-Small, Small, Medium');
      const billing = await runCli(['cost', '-t', 'local', '--data-dir', data, '--billing']);
      expect(billing.code).toBe(1);
      expect(billing.stderr).toContain('--billing needs a Databricks target; local runs on duckdb');
      const days = await runCli(['cost', '-t', 'local', '--data-dir', data, '--days', '-3']);
      expect(days.code).toBe(2);
    } finally {
      removeTree(data);
    }
  });
});

describe('the billing query (databricks/config/cost/billing_usage_by_job.sql)', () => {
  it('renders for Databricks SQL with the look-back as a named parameter', () => {
    const sql = readFileSync(join(REPO_ROOT, 'databricks', 'config', 'cost', 'billing_usage_by_job.sql'), 'utf8');
    const rendered = renderSql(sql, { layout: DEFAULT_LAYOUT, adapter: adapterFor('databricks'), params: { days: 30 } });
    expect(rendered.parameters).toEqual({ days: 30 });
    expect(rendered.sql).toContain('date_sub(current_date(), :days)');
    expect(rendered.sql).toMatch(/FROM system\.billing\.usage AS u\s+LEFT JOIN system\.billing\.list_prices AS p/);
  });
});
