import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobsApiClient } from '@odoo-ce/bundle';
import { startJobsApiStandIn, type JobsApiStandIn } from '@odoo-ce/bundle/testing';
import { readResults } from '@odoo-ce/data-quality';
import { compiledQuery } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtWheel, installWheel, runRenderedJob, runWheelTask, type WheelTaskSettings } from '../testing/databricks-job.js';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { BUNDLE_SCHEMA, needsSchema, removeTree, runCli, writeTree } from '../testing/fixtures.js';
import { miniGateJob } from '../testing/mini-job.js';

/**
 * The deployed shape end to end: `deploy bundle render` → the Jobs API runs the RENDERED job (its
 * SQL on the warehouse through the real driver, its gate task by the installed odoo_ce_tasks wheel
 * in a Python process) → `deploy smoke` reads what that run left. This is what makes the
 * data-quality gates real on Databricks: the gate is a task of the deployed job, not a hook of the
 * local runner.
 */
describe.skipIf(!BUNDLE_SCHEMA)(needsSchema('a rendered job run as the workspace runs it (gate task from the odoo_ce_tasks wheel), then deploy smoke'), () => {
  let endpoint: EndpointTarget;
  let jobsApi: JobsApiStandIn;
  let site: string;
  let wheel: string;
  const dirs: string[] = [];
  const TOKEN = 'deployed-job-spec-token';
  const stderr: string[] = [];
  const rendered = new Map<string, { out: string; quality: string }>();

  /** Renders a fixture for dev; the stand-in's job of that name runs the rendered job. */
  async function deploy(name: string, rows: string): Promise<{ bundle: string; quality: string }> {
    const f = miniGateJob({ rows, wheel });
    const out = writeTree({});
    dirs.push(f.bundle, f.quality, out);
    const run = await runCli(['bundle', 'render', '-t', 'dev', '--bundle', f.bundle, '--schema', BUNDLE_SCHEMA as string, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    rendered.set(name, { out, quality: f.quality });
    return f;
  }

  beforeAll(async () => {
    wheel = builtWheel();
    site = mkdtempSync(join(tmpdir(), 'odoo-ce-tasks-site-'));
    dirs.push(site);
    await installWheel(wheel, site);
    endpoint = await startEndpointTarget();
    expect((await runCli(['catalog', 'apply', '-t', 'dev'], endpoint.env)).code).toBe(0);
    const job = (job_id: number, name: string) => ({
      job_id,
      name,
      // Pushed down to every task, the wheel's too, as Databricks does.
      parameters: { run_date: '2026-11-27' },
      execute: async ({ run_id, job_parameters }: { run_id: number; job_parameters: Readonly<Record<string, string>> }) => {
        const r = rendered.get(name);
        if (!r) throw new Error(`job ${name} was not rendered`);
        return runRenderedJob({ renderedDir: r.out, target: 'dev', job: 'mini', runId: String(run_id), jobParameters: job_parameters, env: endpoint.env, site, qualityDir: r.quality, stderr });
      },
    });
    jobsApi = await startJobsApiStandIn({ token: TOKEN, jobs: [job(1, 'mini (ok)'), job(2, 'mini (gate fails)')] });
  }, 120_000);
  afterAll(async () => {
    await jobsApi?.close();
    await endpoint?.close();
    dirs.forEach(removeTree);
  });

  const smoke = (f: { bundle: string; quality: string }, jobName: string) =>
    runCli(['smoke', '-t', 'dev', '--job', 'mini', '--bundle', f.bundle, '--quality', f.quality, '--job-name', jobName, '--poll-interval', '0.05', '--json'], endpoint.env, {
      jobsApi: async () => new JobsApiClient({ host: jobsApi.url, token: TOKEN }),
    });

  it('the rendered job has the gate as a wheel task between stage and publish', async () => {
    await deploy('mini (ok)', '(1, 10.5), (2, NULL), (3, 4.5)');
    const config = parse(readFileSync(join(rendered.get('mini (ok)')?.out as string, 'databricks.yml'), 'utf8')) as { resources: { jobs: { mini: { tasks: { task_key: string; depends_on?: { task_key: string }[] }[] } } } };
    expect(Object.fromEntries(config.resources.jobs.mini.tasks.map((t) => [t.task_key, (t.depends_on ?? []).map((d) => d.task_key)]))).toEqual({
      stage: [],
      stage_quality_gate: ['stage'],
      publish: ['stage_quality_gate'],
    });
  }, 60_000);

  it('smoke passes: the gate task split the rows (bad row quarantined, not lost) and recorded its results under the Jobs API run id', async () => {
    const f = await deploy('mini (ok)', '(1, 10.5), (2, NULL), (3, 4.5)');
    const run = await smoke(f, 'mini (ok)');
    expect(run.stderr, stderr.join('\n')).toBe('');
    const result = JSON.parse(run.stdout) as { ok: boolean; via: string; runId: string; dq: { runId: string; expectations: number; failed: string[] }; goldTables: { table: string; rows: number }[] };
    expect(result).toMatchObject({ ok: true, via: 'jobs-api', goldTables: [{ table: 'dev_gold.t.items_by_id', rows: 2 }], dq: { failed: [] } });
    expect(result.dq.runId).toBe(result.runId);
    const warehouse = await openTargetWarehouse('dev', endpoint.env, endpoint.dataDir);
    try {
      const quarantined = await warehouse.query<{ id: number; failed: string }>("SELECT id, array_to_string(_dq_failed, ',') AS failed, _dq_run_id AS run FROM dev_silver.t.items_quarantine");
      expect(quarantined.rows).toEqual([{ id: 2, failed: 'amount_present', run: result.runId }]);
      const results = await readResults(warehouse, { runId: result.runId });
      expect(results.map((r) => `${r.expectation_name}:${r.success}`).sort()).toEqual(['amount_present:false', 'expect_split_to_conserve_rows:true', 'id_unique:true']);
    } finally {
      await warehouse.close();
    }
  }, 120_000);

  it("the repository's own rendered wheel tasks (ML steps, the Scout gate) get a command line the wheel accepts", async () => {
    const out = writeTree({});
    dirs.push(out);
    expect((await runCli(['bundle', 'render', '-t', 'dev', '--schema', BUNDLE_SCHEMA as string, '--out', out])).code).toBe(0);
    type Job = { parameters?: { name: string; default: string }[]; tasks: ({ task_key: string } & WheelTaskSettings)[] };
    const jobs = (parse(readFileSync(join(out, 'databricks.yml'), 'utf8')) as { resources: { jobs: Record<string, Job> } }).resources.jobs;
    const checked: string[] = [];
    for (const [key, job] of Object.entries(jobs)) {
      // The job parameters as Databricks pushes them down (defaults, as a scheduled run has them).
      const jobParameters = Object.fromEntries((job.parameters ?? []).map((p) => [p.name, p.default.startsWith('{{') ? '2026-11-27' : p.default]));
      for (const task of job.tasks.filter((t) => t.python_wheel_task)) {
        const result = await runWheelTask(task.python_wheel_task as NonNullable<WheelTaskSettings['python_wheel_task']>, { runId: '4242', jobParameters, env: endpoint.env, site });
        // Nothing ran on this warehouse before, so most steps fail on their own terms (exit 1, promote has
        // nothing to promote: 0) — never as a usage error (64) or for want of credentials or Node (2).
        expect([0, 1], `${key}.${task.task_key}: ${result.stderr}`).toContain(result.code);
        expect(result.stderr).not.toMatch(/unknown parameter|is missing|usage:/);
        checked.push(`${key}.${task.task_key}`);
      }
    }
    expect(checked.sort()).toEqual(['ml_training.evaluate', 'ml_training.promote', 'ml_training.score', 'ml_training.train', 'scout_daily_sync.transaction_ingestion_quality_gate']);
  }, 120_000);

  it('a failing fail expectation fails the gate task: publish never runs, smoke fails naming the expectation', async () => {
    const f = await deploy('mini (gate fails)', '(7, 10.5), (7, 3.0)');
    const run = await smoke(f, 'mini (gate fails)');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\[SMOKE_FAILED\] smoke test on dev: job mini \(gate fails\) run \d+ ended FAILED/);
    expect(run.stderr).toMatch(/stage_quality_gate: .*\[EXPECTATION_FAILED\] 1 expectation with action fail failed on silver\.t\.items_candidates: id_unique/);
    expect(run.stderr).toContain('the data-quality checks of run');
    const runId = /run (\d+) ended FAILED/.exec(run.stderr)?.[1] as string;
    const warehouse = await openTargetWarehouse('dev', endpoint.env, endpoint.dataDir);
    try {
      const tasks = await warehouse.query<{ task_key: string; status: string }>(compiledQuery('SELECT task_key, status FROM dev_ops.ops.task_runs WHERE run_id = :run ORDER BY task_key', { run: runId }));
      expect(tasks.rows).toEqual([
        { task_key: 'publish', status: 'upstream_failed' },
        { task_key: 'stage', status: 'succeeded' },
        { task_key: 'stage_quality_gate', status: 'failed' },
      ]);
    } finally {
      await warehouse.close();
    }
  }, 120_000);
});
