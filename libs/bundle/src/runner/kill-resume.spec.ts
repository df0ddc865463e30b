import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle } from '../loader/load-bundle.js';
import { removeTree, writeTempTree } from '../testing/temp-bundle.js';
import { findJobRun, listTaskRuns } from './ops-tables.js';
import { runJob, type RunEvent } from './run-job.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const CHILD = join(import.meta.dirname, '..', 'testing', 'run-job-child.mjs');

/** load → spin (long only when asked: `spin` rows to sum) → publish. Idempotent tasks. */
const FILES: Record<string, string> = {
  'bundle/databricks.yml': `
    bundle: {name: killtest}
    resources:
      jobs:
        chain:
          tasks:
            - {task_key: load, sql_task: {warehouse_id: w, file: {path: sql/load.sql}}}
            - task_key: spin
              depends_on: [{task_key: load}]
              sql_task: {warehouse_id: w, file: {path: sql/spin.sql}, parameters: {spin: "0"}}
            - {task_key: publish, depends_on: [{task_key: spin}], sql_task: {warehouse_id: w, file: {path: sql/publish.sql}}}
  `,
  'bundle/sql/load.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.k;
    CREATE OR REPLACE TABLE {{catalog.bronze}}.k.src AS SELECT range AS id, range % 7 AS grp FROM range(1000);
  `,
  'bundle/sql/spin.sql': `
    SELECT sum(range) FROM range(CAST({{params.spin}} AS BIGINT));
    CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.k;
    CREATE OR REPLACE TABLE {{catalog.silver}}.k.grouped AS SELECT grp, count(*) AS n FROM {{catalog.bronze}}.k.src GROUP BY grp;
  `,
  'bundle/sql/publish.sql': `
    CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.k;
    CREATE OR REPLACE TABLE {{catalog.gold}}.k.total AS SELECT sum(n) AS n, count(*) AS groups FROM {{catalog.silver}}.k.grouped;
  `,
};

const root = writeTempTree(FILES, 'kill-');
afterAll(() => removeTree(root));

/** Runs the job in a child process and SIGKILLs it as soon as `spin` starts. */
function runAndKill(dataDir: string): Promise<RunEvent[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@odoo-ce/source', CHILD, join(root, 'bundle'), dataDir, 'chain', JSON.stringify({ spin: '200000000000' })], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events: RunEvent[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as RunEvent;
      events.push(event);
      if (event.type === 'task.started' && event.task === 'spin') child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(events);
      else reject(new Error(`child exited with ${code} before it was killed:\n${stderr}`));
    });
  });
}

async function open(dataDir: string): Promise<Warehouse> {
  const wh = new Warehouse(duckDbDialect({ dataDir, catalogs: CATALOGS }));
  await wh.init();
  return wh;
}

async function snapshot(wh: Warehouse) {
  return {
    grouped: (await wh.query('select grp, n from silver.k.grouped order by grp')).rows,
    total: (await wh.query('select n, groups from gold.k.total')).rows,
  };
}

describe('a run killed mid-task', () => {
  it('leaves running rows; resume finishes it and the result equals a clean run', { timeout: 60_000 }, async () => {
    const killedDir = join(root, 'data-killed');
    const events = await runAndKill(killedDir);
    expect(events.filter((e) => e.type === 'task.finished').map((e) => (e.type === 'task.finished' ? e.task : ''))).toEqual(['load']);

    const bundle = await loadBundle(join(root, 'bundle'), { env: {} });
    const wh = await open(killedDir);
    try {
      const interrupted = await findJobRun(wh, { job: 'chain', target: bundle.target });
      expect(interrupted).toMatchObject({ status: 'running', endedAt: null, attempt: 1 });
      const rows = Object.fromEntries((await listTaskRuns(wh, interrupted?.runId as string)).map((t) => [t.taskKey, t.status]));
      expect(rows).toEqual({ load: 'succeeded', spin: 'running' });

      const started: string[] = [];
      const resumed = await runJob(wh, bundle, 'chain', { resume: true, params: { spin: '0' }, onEvent: (e) => e.type === 'task.started' && started.push(e.task) });
      expect(resumed).toMatchObject({ status: 'succeeded', runId: interrupted?.runId, attempt: 2, resumed: true });
      expect(started).toEqual(['spin', 'publish']);
      expect(Object.fromEntries((await listTaskRuns(wh, resumed.runId)).map((t) => [t.taskKey, t.status]))).toEqual({ load: 'succeeded', spin: 'succeeded', publish: 'succeeded' });

      const cleanDir = join(root, 'data-clean');
      const clean = await open(cleanDir);
      try {
        const summary = await runJob(clean, bundle, 'chain', { params: { spin: '0' } });
        expect(summary.status).toBe('succeeded');
        expect(await snapshot(wh)).toEqual(await snapshot(clean));
      } finally {
        await clean.close();
      }
    } finally {
      await wh.close();
    }
  });
});
