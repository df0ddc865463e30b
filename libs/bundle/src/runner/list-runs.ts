import { compiledQuery, opsTable, type ParameterValue, type QueryExecutor } from '@odoo-ce/warehouse';
import { BundleError } from '../errors.js';
import { ensureRunTables, jobRunFromRow, type JobRunRecord, type TaskRunStatus } from './ops-tables.js';

/** A job run with how many of its tasks ended in each state. */
export interface JobRunOverview extends JobRunRecord {
  readonly taskCounts: Readonly<Record<TaskRunStatus, number>>;
}

export interface ListJobRunsOptions {
  /** Most recent first; default 20. */
  readonly limit?: number;
  readonly job?: string;
  readonly target?: string;
}

const STATUSES: readonly TaskRunStatus[] = ['running', 'succeeded', 'failed', 'skipped', 'upstream_failed', 'cancelled'];

/**
 * The most recent job runs recorded in `<ops>.job_runs`, newest first, each with its task counts
 * from `<ops>.task_runs` (one query). Creates the ops tables if they do not exist yet.
 *
 * @example
 * for (const run of await listJobRuns(warehouse, { limit: 10 })) console.log(run.job, run.status, run.taskCounts.failed);
 */
export async function listJobRuns(executor: QueryExecutor, options: ListJobRunsOptions = {}): Promise<JobRunOverview[]> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1) throw new BundleError('INVALID_CONFIG', `limit must be a whole number ≥ 1, got ${String(limit)}`, { data: { limit } });
  await ensureRunTables(executor);
  const filters: string[] = [];
  const params: Record<string, ParameterValue> = {};
  if (options.job !== undefined) {
    filters.push('j.job = :job');
    params['job'] = options.job;
  }
  if (options.target !== undefined) {
    filters.push('j.target = :target');
    params['target'] = options.target;
  }
  const counts = STATUSES.map((s) => `SUM(CASE WHEN t.status = '${s}' THEN 1 ELSE 0 END) AS n_${s}`).join(', ');
  const sql =
    `SELECT j.run_id, j.job, j.target, j.status, j.started_at, j.ended_at, j.error, j.attempt, j.params, j.only_tasks, ${counts} ` +
    `FROM ${opsTable(executor, 'job_runs')} j LEFT JOIN ${opsTable(executor, 'task_runs')} t ON t.run_id = j.run_id ` +
    `${filters.length ? `WHERE ${filters.join(' AND ')} ` : ''}` +
    `GROUP BY j.run_id, j.job, j.target, j.status, j.started_at, j.ended_at, j.error, j.attempt, j.params, j.only_tasks ` +
    `ORDER BY j.started_at DESC, j.run_id LIMIT ${limit}`;
  const { rows } = await executor.query<Record<string, unknown>>(compiledQuery(sql, params));
  return rows.map((row) => ({
    ...jobRunFromRow(row),
    taskCounts: Object.fromEntries(STATUSES.map((s) => [s, Number(row[`n_${s}`] ?? 0)])) as Record<TaskRunStatus, number>,
  }));
}
