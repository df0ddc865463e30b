import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { loadBundle } from '../loader/load-bundle.js';
import type { Bundle } from '../loader/model.js';
import { removeTree, writeTempTree } from '../testing/temp-bundle.js';
import { listJobRuns } from './list-runs.js';
import { findJobRun, listTaskRuns } from './ops-tables.js';
import { runJob, type RunEvent, type RunJobOptions } from './run-job.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];

/**
 * extract → clean_a, clean_b, clean_c, clean_d → gold (a, b) → report;  audit (ALL_DONE after gold).
 * Every task is idempotent (CREATE OR REPLACE), as real tasks must be.
 */
const FILES: Record<string, string> = {
  'databricks.yml': `
    bundle: {name: runner}
    variables:
      warehouse_id: {lookup: {warehouse: Shared}}
    resources:
      jobs:
        pipeline:
          parameters:
            - {name: period, default: "2025-01"}
            - {name: day, default: "{{job.start_time.iso_date}}"}
          tasks:
            - task_key: extract
              sql_task: {warehouse_id: "\${var.warehouse_id}", file: {path: sql/extract.sql}}
            - {task_key: clean_a, depends_on: [{task_key: extract}], sql_task: {warehouse_id: w, file: {path: sql/clean_a.sql}}}
            - {task_key: clean_b, depends_on: [{task_key: extract}], sql_task: {warehouse_id: w, file: {path: sql/clean_b.sql}}}
            - {task_key: clean_c, depends_on: [{task_key: extract}], sql_task: {warehouse_id: w, file: {path: sql/clean_c.sql}}}
            - {task_key: clean_d, depends_on: [{task_key: extract}], sql_task: {warehouse_id: w, file: {path: sql/clean_d.sql}}}
            - task_key: gold
              depends_on: [{task_key: clean_a}, {task_key: clean_b}]
              sql_task: {warehouse_id: w, file: {path: sql/gold.sql}}
            - task_key: report
              depends_on: [{task_key: gold}]
              sql_task:
                warehouse_id: w
                file: {path: sql/report.sql}
                parameters: {label: "from-task", period: "task-default", run: "{{job.run_id}}"}
            - task_key: audit
              depends_on: [{task_key: gold}]
              run_if: ALL_DONE
              sql_task: {warehouse_id: w, file: {path: sql/audit.sql}}
        notebook_job:
          tasks:
            - {task_key: nb, notebook_task: {notebook_path: /Workspace/x}}
  `,
  'sql/extract.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.t;
    CREATE OR REPLACE TABLE {{catalog.bronze}}.t.src AS SELECT range AS id, range * 10 AS amount FROM range(20);
  `,
  'sql/clean_a.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
    CREATE OR REPLACE TABLE {{catalog.silver}}.t.a AS SELECT * FROM {{catalog.bronze}}.t.src WHERE id % 4 = 0;
  `,
  'sql/clean_b.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
    CREATE OR REPLACE TABLE {{catalog.silver}}.t.b AS SELECT * FROM {{catalog.bronze}}.t.src WHERE id % 4 = 1;
  `,
  'sql/clean_c.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
    CREATE OR REPLACE TABLE {{catalog.silver}}.t.c AS SELECT * FROM {{catalog.bronze}}.t.src WHERE id % 4 = 2;
  `,
  'sql/clean_d.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
    CREATE OR REPLACE TABLE {{catalog.silver}}.t.d AS SELECT * FROM {{catalog.bronze}}.t.src WHERE id % 4 = 3;
  `,
  'sql/gold.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.t;
    CREATE OR REPLACE TABLE {{catalog.gold}}.t.summary AS
      SELECT (SELECT sum(amount) FROM {{catalog.silver}}.t.a) AS a_total, (SELECT sum(amount) FROM {{catalog.silver}}.t.b) AS b_total;
  `,
  'sql/report.sql': `
    CREATE OR REPLACE TABLE {{catalog.gold}}.t.report AS
      SELECT {{params.period}} AS period, {{params.label}} AS label, {{params.run}} AS run_id, a_total + b_total AS total FROM {{catalog.gold}}.t.summary;
    DELETE FROM {{catalog.gold}}.t.report WHERE total < 0;
  `,
  'sql/audit.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.t;
    CREATE OR REPLACE TABLE {{catalog.gold}}.t.audit AS SELECT 1 AS ran;
  `,
};

const BROKEN_CLEAN_B = `
CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
CREATE OR REPLACE TABLE {{catalog.silver}}.t.b AS SELECT * FROM {{catalog.bronze}}.t.no_such_table;
`;

let dir: string;
let bundle: Bundle;
const open: Warehouse[] = [];

beforeAll(async () => {
  dir = writeTempTree(FILES, 'runner-');
  bundle = await loadBundle(dir, { env: {} });
});
afterAll(() => removeTree(dir));
afterEach(async () => {
  for (const wh of open.splice(0)) await wh.close();
  writeFileSync(join(dir, 'sql/clean_b.sql'), FILES['sql/clean_b.sql'] as string);
});

async function warehouse(): Promise<Warehouse> {
  const wh = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
  await wh.init();
  open.push(wh);
  return wh;
}

async function run(wh: Warehouse, options: RunJobOptions = {}) {
  const events: RunEvent[] = [];
  const summary = await runJob(wh, bundle, 'pipeline', { ...options, onEvent: (e) => events.push(e) });
  return { summary, events };
}

async function dataSnapshot(wh: Warehouse) {
  const q = async (sql: string) => (await wh.query(sql)).rows;
  return {
    a: await q('select id, amount from silver.t.a order by id'),
    b: await q('select id, amount from silver.t.b order by id'),
    summary: await q('select * from gold.t.summary'),
    report: await q('select period, label, total from gold.t.report'),
  };
}

async function statuses(wh: Warehouse, runId: string) {
  return Object.fromEntries((await listTaskRuns(wh, runId)).map((t) => [t.taskKey, t.status]));
}

describe('runJob', () => {
  it('runs every task after its dependencies, records runs and returns a summary', async () => {
    const wh = await warehouse();
    const { summary, events } = await run(wh, { target: 'local' });
    expect(summary.status).toBe('succeeded');
    expect(summary.target).toBe('local');
    expect(summary.tasks.map((t) => t.taskKey)).toEqual(['extract', 'clean_a', 'clean_b', 'clean_c', 'clean_d', 'gold', 'audit', 'report']);
    expect(summary.counts).toMatchObject({ succeeded: 8, failed: 0 });
    // Every task starts only after all of its upstream tasks finished.
    const finished = new Set<string>();
    for (const e of events) {
      if (e.type === 'task.finished') finished.add(e.task);
      if (e.type === 'task.started') {
        const task = bundle.jobs['pipeline']?.tasks.find((t) => t.key === e.task);
        for (const dep of task?.dependsOn ?? []) expect(finished.has(dep.taskKey), `${e.task} after ${dep.taskKey}`).toBe(true);
      }
    }
    // Job parameters override task parameters; task-only parameters and {{job.run_id}} pass through.
    expect((await wh.query('select period, label, run_id, total from gold.t.report')).rows).toEqual([{ period: '2025-01', label: 'from-task', run_id: summary.runId, total: 850n }]);
    expect(summary.params).toEqual({ period: '2025-01', day: summary.startedAt.toISOString().slice(0, 10) });
    expect(summary.tasks.find((t) => t.taskKey === 'report')?.rowsAffected).toBe(0);
    const job = await findJobRun(wh, { job: 'pipeline', target: 'local' });
    expect(job).toMatchObject({ runId: summary.runId, status: 'succeeded', attempt: 1, error: null, params: summary.params, only: null });
    expect(job?.endedAt).toBeInstanceOf(Date);
    const tasks = await listTaskRuns(wh, summary.runId);
    expect(tasks).toHaveLength(8);
    expect(tasks.every((t) => t.status === 'succeeded' && t.startedAt instanceof Date && t.endedAt instanceof Date && t.error === null)).toBe(true);
  });

  it('never executes more than maxParallel tasks at once', async () => {
    for (const maxParallel of [1, 2, 3]) {
      const wh = await warehouse();
      const { summary, events } = await run(wh, { maxParallel });
      expect(summary.status).toBe('succeeded');
      const running = events.flatMap((e) => (e.type === 'task.started' ? [e.running] : []));
      // Four clean_* tasks become ready together, so the bound is reached, never exceeded.
      expect(Math.max(...running)).toBe(maxParallel);
    }
  });

  it('marks the downstream of a failed task upstream_failed and lets other branches finish', async () => {
    writeFileSync(join(dir, 'sql/clean_b.sql'), BROKEN_CLEAN_B);
    const wh = await warehouse();
    const { summary } = await run(wh, { params: { period: '2025-02' } });
    expect(summary.status).toBe('failed');
    const byKey = Object.fromEntries(summary.tasks.map((t) => [t.taskKey, t]));
    expect(byKey['clean_b']?.status).toBe('failed');
    expect(byKey['clean_b']?.error).toMatch(/^\[QUERY_FAILED\] .*clean_b\.sql:3 \(statement 2 of 2\): .*no_such_table/);
    expect(byKey['gold']).toMatchObject({ status: 'upstream_failed', error: 'upstream task clean_b did not succeed' });
    expect(byKey['report']?.status).toBe('upstream_failed');
    // run_if: ALL_DONE runs even though gold did not succeed.
    expect(byKey['audit']?.status).toBe('succeeded');
    expect(summary.error).toMatch(/^task clean_b failed: .*; 2 downstream tasks did not run \(upstream_failed\)$/);
    expect(await statuses(wh, summary.runId)).toEqual({
      extract: 'succeeded',
      clean_a: 'succeeded',
      clean_b: 'failed',
      clean_c: 'succeeded',
      clean_d: 'succeeded',
      gold: 'upstream_failed',
      audit: 'succeeded',
      report: 'upstream_failed',
    });
    expect(await findJobRun(wh, { job: 'pipeline', target: bundle.target })).toMatchObject({ status: 'failed', error: summary.error, params: { period: '2025-02' } });
  });

  it('runs the afterTask hook as part of each task: its rows count, its failure fails the task', async () => {
    const wh = await warehouse();
    const plain = await run(wh);
    const plainGoldRows = plain.summary.tasks.find((t) => t.taskKey === 'gold')?.rowsAffected ?? 0;
    const seen: string[] = [];
    const ok = await run(wh, {
      afterTask: async ({ task, params }) => {
        seen.push(`${task.key}:${params['period']}`);
        return task.key === 'gold' ? { rowsAffected: 5 } : undefined;
      },
    });
    expect(ok.summary.status).toBe('succeeded');
    expect(seen).toContain('gold:2025-01');
    expect(ok.summary.tasks.find((t) => t.taskKey === 'gold')?.rowsAffected).toBe(plainGoldRows + 5);

    const failed = await run(wh, {
      afterTask: async ({ task }) => {
        if (task.key === 'clean_a') throw new Error('quality gate: 3 rows failed expect_column_values_to_not_be_null');
      },
    });
    const byKey = Object.fromEntries(failed.summary.tasks.map((t) => [t.taskKey, t]));
    expect(byKey['clean_a']).toMatchObject({ status: 'failed', error: 'quality gate: 3 rows failed expect_column_values_to_not_be_null' });
    expect(byKey['gold']?.status).toBe('upstream_failed');
  });

  it('tells its listeners the run failed (run.finished) when the runner itself fails, then rethrows', async () => {
    const wh = await warehouse();
    const events: RunEvent[] = [];
    // The ops tables vanish under the runner: recording the first task's end fails.
    const afterTask: RunJobOptions['afterTask'] = async ({ task }) => {
      if (task.key === 'extract') await wh.query('DROP TABLE ops.ops.task_runs');
    };
    await expect(runJob(wh, bundle, 'pipeline', { afterTask, onEvent: (e) => events.push(e) })).rejects.toThrow(/task_runs/);
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'failed' });
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
  });

  it('resumes a failed run: keeps the run_id, skips what succeeded, converges to a clean run', async () => {
    writeFileSync(join(dir, 'sql/clean_b.sql'), BROKEN_CLEAN_B);
    const wh = await warehouse();
    const first = await run(wh);
    expect(first.summary.status).toBe('failed');
    writeFileSync(join(dir, 'sql/clean_b.sql'), FILES['sql/clean_b.sql'] as string);
    // Make a reused task's output observable: if extract ran again, this row would vanish.
    await wh.query('insert into bronze.t.src values (1000, 0)');
    const resumed = await run(wh, { resume: true });
    expect(resumed.summary).toMatchObject({ status: 'succeeded', runId: first.summary.runId, attempt: 2, resumed: true });
    const started = resumed.events.flatMap((e) => (e.type === 'task.started' ? [e.task] : []));
    expect(started.sort()).toEqual(['clean_b', 'gold', 'report']);
    expect(resumed.summary.tasks.filter((t) => t.reused).map((t) => t.taskKey)).toEqual(['extract', 'clean_a', 'clean_c', 'clean_d', 'audit']);
    expect((await wh.query('select count(*) as n from bronze.t.src where id = 1000')).rows).toEqual([{ n: 1n }]);
    expect(Object.values(await statuses(wh, first.summary.runId)).every((s) => s === 'succeeded')).toBe(true);
    expect((await listTaskRuns(wh, first.summary.runId)).find((t) => t.taskKey === 'clean_b')?.attempt).toBe(2);
    expect(await findJobRun(wh, { job: 'pipeline', target: bundle.target })).toMatchObject({ runId: first.summary.runId, status: 'succeeded', attempt: 2, error: null });

    await wh.query('delete from bronze.t.src where id = 1000');
    const clean = await warehouse();
    await run(clean);
    expect(await dataSnapshot(wh)).toEqual(await dataSnapshot(clean));
    // Nothing is left to resume now.
    await expect(run(wh, { resume: true })).rejects.toMatchObject({ code: 'NOTHING_TO_RESUME' });
  });

  it('reruns idempotently: a second run gives the same data and a new run id', async () => {
    const wh = await warehouse();
    const one = await run(wh);
    const before = await dataSnapshot(wh);
    const two = await run(wh);
    expect(two.summary.status).toBe('succeeded');
    expect(two.summary.runId).not.toBe(one.summary.runId);
    expect(await dataSnapshot(wh)).toEqual(before);
    const runs = await listJobRuns(wh, { job: 'pipeline' });
    expect(runs.map((r) => r.runId).sort()).toEqual([one.summary.runId, two.summary.runId].sort());
    expect(runs.every((r) => r.status === 'succeeded' && r.taskCounts.succeeded === 8)).toBe(true);
  });

  it('runs only the selected tasks; the others are recorded as skipped', async () => {
    const wh = await warehouse();
    await run(wh);
    await wh.query('drop table silver.t.a');
    const { summary, events } = await run(wh, { only: ['clean_a', 'gold'] });
    expect(summary.status).toBe('succeeded');
    expect(events.flatMap((e) => (e.type === 'task.started' ? [e.task] : []))).toEqual(['clean_a', 'gold']);
    expect(await statuses(wh, summary.runId)).toMatchObject({ extract: 'skipped', clean_a: 'succeeded', clean_b: 'skipped', gold: 'succeeded', report: 'skipped', audit: 'skipped' });
    expect(summary.counts).toMatchObject({ succeeded: 2, skipped: 6 });
    expect(await findJobRun(wh, { job: 'pipeline', target: bundle.target })).toMatchObject({ only: ['clean_a', 'gold'] });
  });

  it('cancels on abort: the executing task and everything not started end cancelled; resume completes the run', async () => {
    const wh = await warehouse();
    const controller = new AbortController();
    const { summary } = await run(wh, {
      signal: controller.signal,
      onEvent: undefined,
    });
    expect(summary.status).toBe('succeeded');
    const again = await runJob(wh, bundle, 'pipeline', {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'task.started' && e.task === 'clean_a') controller.abort();
      },
    });
    expect(again.status).toBe('cancelled');
    const byKey = Object.fromEntries(again.tasks.map((t) => [t.taskKey, t.status]));
    expect(byKey['extract']).toBe('succeeded');
    expect(byKey['clean_a']).toBe('cancelled');
    expect(byKey['report']).toBe('cancelled');
    expect(await findJobRun(wh, { job: 'pipeline', target: bundle.target })).toMatchObject({ runId: again.runId, status: 'cancelled' });
    const resumed = await run(wh, { resume: true });
    expect(resumed.summary).toMatchObject({ runId: again.runId, status: 'succeeded' });
    expect(resumed.events.some((e) => e.type === 'task.started' && e.task === 'extract')).toBe(false);
  });

  it('rejects bad input with clear errors before touching the warehouse', async () => {
    const wh = await warehouse();
    const err = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        expect(e).toBeInstanceOf(BundleError);
        return e as BundleError;
      }
      throw new Error('expected an error');
    };
    expect((await err(runJob(wh, bundle, 'nope'))).message).toBe('job "nope" is not defined in bundle runner (target default); expected one of notebook_job, pipeline');
    expect((await err(runJob(wh, bundle, 'pipeline', { only: ['gold', 'silver'] }))).message).toBe(
      'only: "silver" is not a task of job pipeline; expected some of audit, clean_a, clean_b, clean_c, clean_d, extract, gold, report',
    );
    expect((await err(runJob(wh, bundle, 'notebook_job'))).message).toMatch(/databricks\.yml:\d+:\d+: task nb of job notebook_job is not a sql_task; the local runner only runs sql_task\.file tasks/);
    expect((await err(runJob(wh, bundle, 'pipeline', { resume: true }))).code).toBe('NOTHING_TO_RESUME');
    expect((await err(runJob(wh, bundle, 'pipeline', { maxParallel: 0 }))).message).toBe('maxParallel must be a whole number ≥ 1, got 0');
  });
});

describe('local handlers for python_wheel_task entry points (taskHandlers)', () => {
  const WHEEL_FILES: Record<string, string> = {
    'databricks.yml': `
      bundle: {name: wheels}
      resources:
        jobs:
          train_job:
            parameters: [{name: seed, default: "7"}]
            tasks:
              - {task_key: prep, sql_task: {warehouse_id: w, file: {path: prep.sql}}}
              - task_key: fit
                depends_on: [{task_key: prep}]
                python_wheel_task: {package_name: odoo_ce_tasks, entry_point: train}
              - task_key: after
                depends_on: [{task_key: fit}]
                sql_task: {warehouse_id: w, file: {path: after.sql}}
    `,
    'prep.sql': `CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.w; CREATE OR REPLACE TABLE {{catalog.gold}}.w.src AS SELECT range AS x FROM range(5);`,
    'after.sql': `CREATE OR REPLACE TABLE {{catalog.gold}}.w.done AS SELECT count(*) AS n FROM {{catalog.gold}}.w.model;`,
  };
  let wheelDir: string;
  let wheels: Bundle;
  beforeAll(async () => {
    wheelDir = writeTempTree(WHEEL_FILES, 'wheels-');
    wheels = await loadBundle(wheelDir, { env: {} });
  });
  afterAll(() => removeTree(wheelDir));

  it('runs the handler of the entry point in DAG order, with the job parameters and the warehouse', async () => {
    const wh = await warehouse();
    const calls: { task: string; params: Record<string, string> }[] = [];
    const summary = await runJob(wh, wheels, 'train_job', {
      params: { seed: '11' },
      taskHandlers: {
        train: async ({ task, params, warehouse: executor }) => {
          calls.push({ task: task.key, params: { ...params } });
          await executor.query('CREATE OR REPLACE TABLE gold.w.model AS SELECT sum(x) AS s FROM gold.w.src');
          return { rowsAffected: 1 };
        },
      },
    });
    expect(summary.status).toBe('succeeded');
    expect(summary.tasks.map((t) => [t.taskKey, t.status, t.rowsAffected])).toEqual([['prep', 'succeeded', null], ['fit', 'succeeded', 1], ['after', 'succeeded', null]]);
    expect(calls).toEqual([{ task: 'fit', params: { seed: '11' } }]);
    expect((await wh.query<{ n: bigint }>('SELECT n FROM gold.w.done')).rows[0]?.n).toBe(1n);
  });

  it('fails the task (and its downstream) when the handler throws, and is NOT_RUNNABLE without a handler', async () => {
    const wh = await warehouse();
    const failed = await runJob(wh, wheels, 'train_job', { taskHandlers: { train: () => Promise.reject(new Error('no data')) } });
    expect(failed.tasks.map((t) => [t.taskKey, t.status, t.error])).toEqual([['prep', 'succeeded', null], ['fit', 'failed', 'no data'], ['after', 'upstream_failed', 'upstream task fit did not succeed']]);
    await expect(runJob(wh, wheels, 'train_job', { taskHandlers: { other: async () => undefined } })).rejects.toThrowError(
      /task fit of job train_job is not a sql_task; no local handler for its python_wheel_task entry point "train" \(taskHandlers\)/,
    );
  });
});
