import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JobsApiClient, loadBundle, runJob } from '@odoo-ce/bundle';
import { startJobsApiStandIn, type JobsApiStandIn } from '@odoo-ce/bundle/testing';
import { loadSuites, qualityGates, storeResults, type DqResultRow } from '@odoo-ce/data-quality';
import { adapterFor, DEFAULT_LAYOUT, renderSql } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { removeTree, runCli, writeTree } from '../testing/fixtures.js';
import { miniGateJob } from '../testing/mini-job.js';
import { estimateCost } from './cost.js';

/** A failing `fail` expectation recorded by ANOTHER job's run, newer than anything smoke runs: smoke must not read it. */
const otherRunsFailure = (runId: string): DqResultRow => ({
  run_id: runId,
  run_time: new Date('2999-01-01T00:00:00Z'),
  suite_name: 'other',
  table_name: 'silver.other.table',
  expectation_name: 'other_job_check',
  expectation_type: 'expect_column_values_to_not_be_null',
  action: 'fail',
  success: false,
  raised_exception: false,
  element_count: 1,
  missing_count: 1,
  unexpected_count: 1,
  unexpected_percent: 100,
  observed_value: null,
  kwargs: '{}',
  result: '{}',
});

interface SmokeJson {
  ok: boolean;
  via: string;
  runId: string;
  jobStatus: string;
  goldTables: { table: string; rows: number }[];
  dq: { runId: string; expectations: number; failed: string[] };
}

describe.each([
  ['local (DuckDB, the local runner)', 'local'],
  ['dev (the deployed job through the Jobs API stand-in; reads through the @databricks/sql driver → local endpoint)', 'dev'],
])('deploy smoke and cost on %s', (_label, target) => {
  let endpoint: EndpointTarget | undefined;
  let jobsApi: JobsApiStandIn | undefined;
  let env: Record<string, string> = {};
  let dataDir: string;
  const dirs: string[] = [];
  const prefix = target === 'dev' ? 'dev_' : '';
  const TOKEN = 'jobs-api-spec-token';
  /** The stand-in's jobs: one per test, each named like its deployed job and ending as the workspace would. */
  const deployed = { ok: 'mini (ok)', gateFails: 'mini (gate fails)', empty: 'mini (empty gold)' } as const;

  /**
   * On dev the job runs in the workspace, not here: these stand-in jobs only answer the Jobs API
   * (smoke's own logic is under test), so the test first leaves in the warehouse what the deployed
   * job's run would (its SQL and gates, recorded under the run id the stand-in is about to hand out,
   * as `{{job.run_id}}` would be). deployed-job.spec.ts has the stand-in execute the rendered job.
   */
  async function deployedRunLeaves(f: { bundle: string; quality: string }): Promise<string> {
    const runId = String(1001 + (jobsApi?.requests.filter((r) => r.path.endsWith('/run-now')).length ?? 0));
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      const bundle = await loadBundle(f.bundle, { target: 'dev', env: {} });
      await runJob(warehouse, bundle, 'mini', { target, runId, afterTask: qualityGates(warehouse, await loadSuites(f.quality)) });
    } finally {
      await warehouse.close();
    }
    return runId;
  }

  async function smoke(f: { bundle: string; quality: string }, deployedName: string, ...args: string[]) {
    const expectedRunId = target === 'dev' ? await deployedRunLeaves(f) : undefined;
    const runsBefore = await countJobRuns();
    const cli = ['smoke', '-t', target, '--job', 'mini', '--bundle', f.bundle, '--quality', f.quality, ...args];
    const run =
      target === 'local'
        ? await runCli([...cli, '--data-dir', dataDir], env)
        : await runCli([...cli, '--job-name', deployedName, '--poll-interval', '0.01'], env, { jobsApi: async () => new JobsApiClient({ host: (jobsApi as JobsApiStandIn).url, token: TOKEN }) });
    // The Databricks path never runs the job's SQL from here: no run recorded by a local runner.
    if (target === 'dev') expect(await countJobRuns(), 'job_runs rows written by smoke itself').toBe(runsBefore);
    return { ...run, expectedRunId };
  }

  async function countJobRuns(): Promise<number> {
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      const { rows } = await warehouse.query(`SELECT count(*) AS n FROM ${prefix}ops.ops.job_runs`);
      return Number(rows[0]?.['n'] ?? 0);
    } catch {
      return 0;
    } finally {
      await warehouse.close();
    }
  }

  beforeAll(async () => {
    dataDir = writeTree({});
    if (target === 'dev') {
      endpoint = await startEndpointTarget();
      env = endpoint.env;
      expect((await runCli(['catalog', 'apply', '-t', 'dev'], env)).code).toBe(0);
      jobsApi = await startJobsApiStandIn({
        token: TOKEN,
        jobs: [
          { job_id: 11, name: deployed.ok, tasks: ['stage', 'publish'] },
          { job_id: 12, name: deployed.gateFails, tasks: ['stage', 'publish'], outcome: 'FAILED' },
          { job_id: 13, name: deployed.empty, tasks: ['stage', 'publish'] },
        ],
      });
    }
    // Another job's failed DQ run, newer than any smoke run: "the newest run" would be this one.
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      await storeResults(warehouse, [otherRunsFailure('other-job-run')]);
    } finally {
      await warehouse.close();
    }
  }, 30_000);
  afterAll(async () => {
    await jobsApi?.close();
    await endpoint?.close();
    [dataDir, ...dirs].forEach(removeTree);
  });

  it("passes when the job succeeds, its gold table has rows and THIS run's DQ results passed (another job's newer failed DQ run is ignored)", async () => {
    const f = miniGateJob({ rows: '(1, 10.5), (2, NULL), (3, 4.5)' });
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f, deployed.ok, '--json');
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as SmokeJson;
    expect(result).toMatchObject({ ok: true, via: target === 'dev' ? 'jobs-api' : 'runner', jobStatus: 'succeeded', goldTables: [{ table: `${prefix}gold.t.items_by_id`, rows: 2 }], dq: { failed: [] } });
    expect(result.dq.runId).toBe(result.runId);
    if (run.expectedRunId) expect(result.runId).toBe(run.expectedRunId);
    expect(result.dq.expectations).toBeGreaterThanOrEqual(2);
    if (target === 'dev') {
      const runNow = jobsApi?.requests.filter((r) => r.path === '/api/2.2/jobs/run-now') ?? [];
      expect(runNow.at(-1)).toMatchObject({ authorized: true, body: { job_id: 11 } });
    }
  }, 60_000);

  it('fails when a fail expectation fails (the gate stops the job), naming the run and the expectation', async () => {
    const f = miniGateJob({ rows: '(1, 10.5), (1, 3.0)' });
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f, deployed.gateFails);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(target === 'dev' ? /\[SMOKE_FAILED\] smoke test on dev: job mini \(gate fails\) run 1002 ended FAILED/ : /\[SMOKE_FAILED\] smoke test on local: job mini failed/);
    expect(run.stderr).toContain('silver.t.items_candidates.id_unique');
    expect(run.stderr).not.toContain('other_job_check');
  }, 60_000);

  it('fails when a gold table the job writes is empty', async () => {
    const f = miniGateJob({ rows: '(1, 10.5), (2, 3.0)', goldFilter: 'amount > 1000' });
    dirs.push(f.bundle, f.quality);
    const run = await smoke(f, deployed.empty);
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
      expect(days.code).toBe(64);
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
