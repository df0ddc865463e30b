import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findJobRun, listTaskRuns, type RunSummary } from '@odoo-ce/bundle';
import { ingestDirectory } from '@odoo-ce/connectors/files';
import { generateDataset, writeDataset } from '@odoo-ce/sample-data';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../main.js';

/**
 * The real `etl run bir_etl` in a child process, SIGKILLed mid-task and at a task boundary, then
 * run again with and without `--resume`: silver and gold must equal a clean run's, with no key doubled.
 */
const BIN = join(REPO_ROOT, 'apps', 'etl', 'bin', 'etl.mjs');
const JOB = 'bir_etl';
const TABLES = [
  'silver.finance.moves',
  'silver.finance.move_lines',
  'silver.finance.payslips',
  'silver.shared.withholding_tax_table',
  'gold.finance.trial_balance',
  'gold.finance.ap_aging',
  'gold.finance.bir_monthly_employee',
  'gold.finance.bir_monthly',
  'gold.finance.bir_quarterly',
  'gold.finance.executive_dashboard',
];

interface LogLine {
  readonly event?: string;
  readonly task?: string;
  readonly status?: string;
}

const root = mkdtempSync(join(tmpdir(), 'etl-kill-'));
const base = join(root, 'base');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the ingested bronze (nothing run yet) for one scenario. */
function freshCopy(name: string): string {
  const dir = join(root, name);
  cpSync(base, dir, { recursive: true });
  return dir;
}

/**
 * Runs the CLI; when `killWhen` matches one of its JSON log lines (stderr) the child is SIGKILLed
 * right there. Resolves with how it ended, stdout and the log lines it wrote.
 */
function etl(args: readonly string[], killWhen?: (line: LogLine) => boolean): Promise<{ code: number | null; killed: boolean; stdout: string; logs: LogLine[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ETL_TARGET: 'local' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: LogLine[] = [];
    let stdout = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    createInterface({ input: child.stderr }).on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return; // not a log line (e.g. a warning from node)
      }
      logs.push(line);
      if (!killed && killWhen?.(line)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, killed, stdout, logs }));
  });
}

async function runToEnd(dataDir: string, ...extra: string[]): Promise<RunSummary> {
  const result = await etl(['run', JOB, '--data-dir', dataDir, '--json', ...extra]);
  expect(result.code, result.stdout).toBe(0);
  return JSON.parse(result.stdout) as RunSummary;
}

async function withWarehouse<T>(dataDir: string, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir } });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

/** Row count and an order-independent hash of every row, per table. */
async function fingerprint(dataDir: string): Promise<Record<string, unknown>> {
  return withWarehouse(dataDir, async (wh) => {
    const out: Record<string, unknown> = {};
    for (const table of TABLES) out[table] = (await wh.query(`select count(*) as n, sum(hash(t)) as h from ${table} as t`)).rows[0];
    return out;
  });
}

/** What the ops tables say about the latest run of the job. */
async function lastRun(dataDir: string) {
  return withWarehouse(dataDir, async (wh) => {
    const run = await findJobRun(wh, { job: JOB, target: 'dev' });
    if (!run) throw new Error('no run recorded');
    const tasks = Object.fromEntries((await listTaskRuns(wh, run.runId)).map((t) => [t.taskKey, t.status]));
    return { run, tasks };
  });
}

let clean: Record<string, unknown>;

beforeAll(async () => {
  const data = generateDataset({ seed: 11, scale: 1_500 });
  await writeDataset(join(root, 'exports'), data);
  await withWarehouse(base, async (wh) => void (await ingestDirectory(wh, join(root, 'exports'))));
  const cleanDir = freshCopy('clean');
  expect((await runToEnd(cleanDir)).status).toBe('succeeded');
  clean = await fingerprint(cleanDir);
}, 120_000);

describe('etl run killed mid-task (SIGKILL while bronze_to_silver runs)', () => {
  const killMidTask = (l: LogLine) => l.event === 'task.started' && l.task === 'bronze_to_silver';

  it('leaves the task running in the ops tables; --resume keeps the run id, skips what succeeded and gives the clean gold', { timeout: 120_000 }, async () => {
    const dir = freshCopy('mid-resume');
    expect((await etl(['run', JOB, '--data-dir', dir], killMidTask)).killed).toBe(true);
    const killed = await lastRun(dir);
    expect(killed.run.status).toBe('running');
    expect(killed.tasks['bronze_to_silver']).toBe('running');
    expect(killed.tasks['bir_1601c_ingestion']).toBeUndefined();

    const resumed = await runToEnd(dir, '--resume');
    expect(resumed).toMatchObject({ status: 'succeeded', runId: killed.run.runId, resumed: true, attempt: 2 });
    const reused = resumed.tasks.filter((t) => t.reused).map((t) => t.taskKey);
    expect(reused).toEqual(Object.entries(killed.tasks).filter(([, s]) => s === 'succeeded').map(([k]) => k));
    expect(reused).not.toContain('bronze_to_silver');
    expect(await fingerprint(dir)).toEqual(clean);
  });

  it('a plain rerun (no --resume) also gives the clean gold', { timeout: 120_000 }, async () => {
    const dir = freshCopy('mid-rerun');
    expect((await etl(['run', JOB, '--data-dir', dir], killMidTask)).killed).toBe(true);
    const rerun = await runToEnd(dir);
    expect(rerun).toMatchObject({ status: 'succeeded', resumed: false });
    expect(await fingerprint(dir)).toEqual(clean);
  });
});

describe('etl run killed at a task boundary (SIGKILL as general_ledger reports success)', () => {
  const killAtBoundary = (l: LogLine) => l.event === 'task.finished' && l.task === 'general_ledger' && l.status === 'succeeded';

  it('--resume reuses the recorded success and gives the clean gold; a plain rerun too', { timeout: 120_000 }, async () => {
    const dir = freshCopy('boundary');
    expect((await etl(['run', JOB, '--data-dir', dir, '--max-parallel', '1'], killAtBoundary)).killed).toBe(true);
    const killed = await lastRun(dir);
    expect(killed.run.status).toBe('running');
    expect(killed.tasks['general_ledger']).toBe('succeeded');

    const resumed = await runToEnd(dir, '--resume');
    expect(resumed).toMatchObject({ status: 'succeeded', runId: killed.run.runId, resumed: true });
    expect(resumed.tasks.find((t) => t.taskKey === 'general_ledger')?.reused).toBe(true);
    expect(await fingerprint(dir)).toEqual(clean);

    const again = await runToEnd(dir);
    expect(again.status).toBe('succeeded');
    expect(await fingerprint(dir)).toEqual(clean);
  });
});
