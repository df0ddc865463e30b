import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { runJob, type Bundle, type JobRun, type JobsApiClient } from '@odoo-ce/bundle';
import { DQ_RESULTS_TABLE, loadSuites, qualityGates, readResults } from '@odoo-ce/data-quality';
import { opsTable, type Warehouse } from '@odoo-ce/warehouse';

export interface SmokeResult {
  readonly target: string;
  readonly job: string;
  /** Where the job ran: the local runner (local/DuckDB targets) or the deployed job through the Jobs API. */
  readonly via: 'runner' | 'jobs-api';
  readonly runId: string;
  readonly jobStatus: string;
  readonly goldTables: readonly { readonly table: string; readonly rows: number }[];
  /** The data-quality results of THIS run (`<ops>.dq_results` rows whose run_id is the job run's id). */
  readonly dq: { readonly runId: string; readonly expectations: number; readonly failed: readonly string[] };
  readonly ok: boolean;
  /** Why not ok, one line each. */
  readonly problems: readonly string[];
}

const GOLD_TABLE = /CREATE\s+OR\s+REPLACE\s+TABLE\s+\{\{\s*catalog\.gold\s*\}\}\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)/gi;

/** The gold tables a job's SQL tasks (re)create: `CREATE OR REPLACE TABLE {{catalog.gold}}.<schema>.<table>`. */
export function goldTablesOf(bundle: Bundle, job: string): string[] {
  const tables = new Set<string>();
  for (const task of bundle.jobs[job]?.tasks ?? []) {
    const file = task.sql?.file?.localPath;
    if (!file) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(GOLD_TABLE)) tables.add(`${m[1]}.${m[2]}`.toLowerCase());
  }
  return [...tables].sort();
}

/**
 * The post-deploy smoke test on a local/DuckDB target: runs one small job of the bundle with the
 * local runner (its SQL tasks in dependency order, with the data-quality gates), then checks that
 * every gold table the job writes has rows and that this run's data-quality results have no
 * failed `fail` expectation. The gates record their results under the runner's run id, so that
 * id is the link to `<ops>.dq_results` (not "the newest run", which may be another job's).
 */
export async function smoke(warehouse: Warehouse, bundle: Bundle, job: string, qualityDir: string, target: string): Promise<SmokeResult> {
  const problems: string[] = [];
  const suites = await loadSuites(qualityDir);
  const summary = await runJob(warehouse, bundle, job, { target, afterTask: qualityGates(warehouse, suites) });
  if (summary.status !== 'succeeded') {
    problems.push(`job ${job} ${summary.status}: ${summary.error ?? summary.tasks.filter((t) => t.status === 'failed').map((t) => t.taskKey).join(', ')}`);
  }
  return check(warehouse, bundle, { target, job, via: 'runner', runId: summary.runId, jobStatus: summary.status }, problems);
}

export interface RemoteSmokeOptions {
  /** The deployed job's name in the workspace (default: the bundle job's name for the target). */
  readonly jobName?: string;
  /** Between two `runs/get` polls (default 10 s). */
  readonly pollMs?: number;
  /** Give up waiting after this long (default: the job's timeout_seconds, else 1 h). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/**
 * The smoke test on a Databricks target: triggers the DEPLOYED job through the Jobs API (so its
 * max_concurrent_runs, run-as principal and compute apply, exactly as for the scheduled run), waits
 * for it to terminate, then only reads: the gold tables it writes must have rows, and the
 * data-quality results recorded under its run id (`{{job.run_id}}`) must have no failed `fail`
 * expectation. Nothing of the job's SQL runs from the machine calling this.
 */
export async function smokeDeployedJob(warehouse: Warehouse, bundle: Bundle, job: string, jobs: JobsApiClient, target: string, options: RemoteSmokeOptions = {}): Promise<SmokeResult> {
  const definition = bundle.jobs[job];
  if (!definition) throw new Error(`job ${job} is not in the bundle; known jobs: ${Object.keys(bundle.jobs).sort().join(', ')}`);
  const name = options.jobName ?? definition.name;
  const deployed = await jobs.findJobByName(name);
  const { run_id } = await jobs.runNow({ job_id: deployed.job_id });
  const timeoutSeconds = Number(definition.settings['timeout_seconds'] ?? 0);
  const timeoutMs = options.timeoutMs ?? (timeoutSeconds > 0 ? timeoutSeconds * 1000 : 3_600_000);
  const run = await waitForRun(jobs, run_id, { pollMs: options.pollMs ?? 10_000, timeoutMs, sleep: options.sleep ?? sleep });
  const problems: string[] = [];
  const result = run.state?.result_state ?? 'UNKNOWN';
  if (result !== 'SUCCESS') {
    const failedTasks = (run.tasks ?? []).filter((t) => t.state?.result_state && t.state.result_state !== 'SUCCESS').map((t) => t.task_key);
    const message = run.state?.state_message ?? run.status?.termination_details?.message ?? '';
    problems.push(`job ${name} run ${run_id} ended ${result}${failedTasks.length ? ` (tasks ${failedTasks.join(', ')})` : ''}${message ? `: ${message}` : ''}`);
  }
  return check(warehouse, bundle, { target, job, via: 'jobs-api', runId: String(run_id), jobStatus: result === 'SUCCESS' ? 'succeeded' : result.toLowerCase() }, problems);
}

/** Polls `runs/get` until the run terminates (status.state, or the older life_cycle_state). */
async function waitForRun(jobs: JobsApiClient, runId: number, options: { pollMs: number; timeoutMs: number; sleep: (ms: number) => Promise<unknown> }): Promise<JobRun> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const run = await jobs.getRun(runId);
    const lifeCycle = run.state?.life_cycle_state;
    if (run.status?.state === 'TERMINATED' || lifeCycle === 'TERMINATED' || lifeCycle === 'SKIPPED' || lifeCycle === 'INTERNAL_ERROR') return run;
    if (Date.now() >= deadline) throw new Error(`job run ${runId} did not terminate within ${Math.round(options.timeoutMs / 1000)} s (still ${run.status?.state ?? lifeCycle ?? 'unknown'})`);
    await options.sleep(options.pollMs);
  }
}

/** The read-only half shared by both paths: gold tables have rows, this run's DQ results passed. */
async function check(warehouse: Warehouse, bundle: Bundle, run: Pick<SmokeResult, 'target' | 'job' | 'via' | 'runId' | 'jobStatus'>, problems: string[]): Promise<SmokeResult> {
  const goldTables: { table: string; rows: number }[] = [];
  const gold = warehouse.layout.catalogs.gold;
  for (const table of goldTablesOf(bundle, run.job)) {
    const [schema, name] = table.split('.') as [string, string];
    const quoted = warehouse.adapter.quoteQualified([gold, schema, name]);
    try {
      const { rows } = await warehouse.query(`SELECT count(*) AS n FROM ${quoted}`);
      const n = Number(rows[0]?.['n'] ?? 0);
      goldTables.push({ table: `${gold}.${table}`, rows: n });
      if (n === 0) problems.push(`gold table ${gold}.${table} is empty`);
    } catch (error) {
      problems.push(`gold table ${gold}.${table} cannot be read: ${(error as Error).message}`);
    }
  }
  if (goldTables.length === 0 && problems.length === 0) problems.push(`job ${run.job} writes no gold table; pick a job that does (--job)`);
  const dq = await dqResultsOfRun(warehouse, run.runId);
  if (dq.expectations === 0) problems.push(`no data-quality results of run ${run.runId} in ${opsTable(warehouse, DQ_RESULTS_TABLE)}`);
  else if (dq.failed.length > 0) problems.push(`the data-quality checks of run ${run.runId} failed: ${dq.failed.join(', ')}`);
  return { ...run, goldTables, dq, ok: problems.length === 0, problems };
}

/** `<ops>.dq_results` rows of one run (the gates store them under the job run's id) and its failed `fail` expectations. */
async function dqResultsOfRun(warehouse: Warehouse, runId: string): Promise<SmokeResult['dq']> {
  const rows = await readResults(warehouse, { runId });
  const failed = rows.filter((r) => r.action === 'fail' && !r.success).map((r) => `${r.table_name}.${r.expectation_name}`);
  return { runId, expectations: rows.length, failed };
}
