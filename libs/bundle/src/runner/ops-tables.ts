import { compiledQuery, ensureOpsSchema, opsTable, param, type ParameterValue, type QueryExecutor } from '@odoo-ce/warehouse';

/** Status of a job run in `<ops>.job_runs`. `running` after a crash means the run was interrupted. */
export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * Status of a task in `<ops>.task_runs`: `skipped` = not selected (`only`) or its `run_if`
 * condition was not met; `upstream_failed` = a task it depends on failed; `running` after a crash
 * means it was interrupted.
 */
export type TaskRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'upstream_failed' | 'cancelled';

/** One row of `<ops>.job_runs`. */
export interface JobRunRecord {
  readonly runId: string;
  readonly job: string;
  readonly target: string;
  readonly status: JobRunStatus;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly error: string | null;
  /** 1 for the first attempt, +1 per resume. */
  readonly attempt: number;
  /** Run-level parameters (JSON object). */
  readonly params: Readonly<Record<string, string>>;
  /** The `only` selection, or null for all tasks. */
  readonly only: readonly string[] | null;
}

/** One row of `<ops>.task_runs`. */
export interface TaskRunRecord {
  readonly runId: string;
  readonly taskKey: string;
  readonly status: TaskRunStatus;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly rowsAffected: number | null;
  readonly error: string | null;
  readonly attempt: number;
}

/** Creates the ops schema and the `job_runs` / `task_runs` tables if missing. */
export async function ensureRunTables(executor: QueryExecutor): Promise<void> {
  await ensureOpsSchema(executor);
  const t = (type: Parameters<typeof executor.adapter.typeName>[0]) => executor.adapter.typeName(type);
  await executor.query(
    `CREATE TABLE IF NOT EXISTS ${opsTable(executor, 'job_runs')} (run_id ${t('string')}, job ${t('string')}, target ${t('string')}, status ${t('string')}, ` +
      `started_at ${t('timestamp')}, ended_at ${t('timestamp')}, error ${t('string')}, attempt ${t('int')}, params ${t('string')}, only_tasks ${t('string')})`,
  );
  await executor.query(
    `CREATE TABLE IF NOT EXISTS ${opsTable(executor, 'task_runs')} (run_id ${t('string')}, task_key ${t('string')}, status ${t('string')}, ` +
      `started_at ${t('timestamp')}, ended_at ${t('timestamp')}, rows_affected ${t('bigint')}, error ${t('string')}, attempt ${t('int')})`,
  );
}

const ts = (d: Date | null) => param.timestamp(d);
const str = (s: string | null) => param.string(s);

/** Writes run state. Calls are serialized: engines differ in how they take concurrent writes to one table. */
export class RunRecorder {
  #chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly executor: QueryExecutor) {}

  /** Runs `fn` after every earlier write has finished. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#chain.then(fn, fn);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  #query(sql: string, params: Record<string, ParameterValue>): Promise<unknown> {
    return this.#serial(() => this.executor.query(compiledQuery(sql, params)));
  }

  insertJobRun(run: JobRunRecord): Promise<unknown> {
    return this.#query(
      `INSERT INTO ${opsTable(this.executor, 'job_runs')} (run_id, job, target, status, started_at, ended_at, error, attempt, params, only_tasks) ` +
        `VALUES (:run_id, :job, :target, :status, :started_at, :ended_at, :error, :attempt, :params, :only_tasks)`,
      {
        run_id: run.runId,
        job: run.job,
        target: run.target,
        status: run.status,
        started_at: ts(run.startedAt),
        ended_at: ts(run.endedAt),
        error: str(run.error),
        attempt: run.attempt,
        params: JSON.stringify(run.params),
        only_tasks: str(run.only ? JSON.stringify(run.only) : null),
      },
    );
  }

  /** Marks a run as running again for a resume (same run_id, next attempt). */
  reopenJobRun(runId: string, attempt: number, params: Readonly<Record<string, string>>): Promise<unknown> {
    return this.#query(
      `UPDATE ${opsTable(this.executor, 'job_runs')} SET status = 'running', ended_at = NULL, error = NULL, attempt = :attempt, params = :params WHERE run_id = :run_id`,
      { run_id: runId, attempt, params: JSON.stringify(params) },
    );
  }

  finishJobRun(runId: string, status: JobRunStatus, endedAt: Date, error: string | null): Promise<unknown> {
    return this.#query(`UPDATE ${opsTable(this.executor, 'job_runs')} SET status = :status, ended_at = :ended_at, error = :error WHERE run_id = :run_id`, {
      run_id: runId,
      status,
      ended_at: ts(endedAt),
      error: str(error),
    });
  }

  /** Replaces the task's row for this run (a resume re-runs a task under the same run_id). */
  writeTask(record: TaskRunRecord): Promise<unknown> {
    const table = opsTable(this.executor, 'task_runs');
    return this.#serial(async () => {
      await this.executor.query(compiledQuery(`DELETE FROM ${table} WHERE run_id = :run_id AND task_key = :task_key`, { run_id: record.runId, task_key: record.taskKey }));
      await this.executor.query(
        compiledQuery(
          `INSERT INTO ${table} (run_id, task_key, status, started_at, ended_at, rows_affected, error, attempt) ` +
            `VALUES (:run_id, :task_key, :status, :started_at, :ended_at, :rows_affected, :error, :attempt)`,
          {
            run_id: record.runId,
            task_key: record.taskKey,
            status: record.status,
            started_at: ts(record.startedAt),
            ended_at: ts(record.endedAt),
            rows_affected: param.bigint(record.rowsAffected === null ? null : BigInt(record.rowsAffected)),
            error: str(record.error),
            attempt: record.attempt,
          },
        ),
      );
    });
  }

  /** Resolves when every queued write has finished. */
  async flush(): Promise<void> {
    await this.#serial(async () => undefined);
  }
}

/** The most recent run of `job` on `target` (or the run `runId`), or undefined. */
export async function findJobRun(executor: QueryExecutor, where: { job: string; target: string; runId?: string }): Promise<JobRunRecord | undefined> {
  const table = opsTable(executor, 'job_runs');
  const query = where.runId
    ? compiledQuery(`SELECT * FROM ${table} WHERE run_id = :run_id`, { run_id: where.runId })
    : compiledQuery(`SELECT * FROM ${table} WHERE job = :job AND target = :target ORDER BY started_at DESC LIMIT 1`, { job: where.job, target: where.target });
  const { rows } = await executor.query<Record<string, unknown>>(query);
  return rows[0] ? jobRunFromRow(rows[0]) : undefined;
}

/** Every task row of a run. */
export async function listTaskRuns(executor: QueryExecutor, runId: string): Promise<TaskRunRecord[]> {
  const { rows } = await executor.query<Record<string, unknown>>(
    compiledQuery(`SELECT * FROM ${opsTable(executor, 'task_runs')} WHERE run_id = :run_id ORDER BY task_key`, { run_id: runId }),
  );
  return rows.map(taskRunFromRow);
}

export function jobRunFromRow(row: Record<string, unknown>): JobRunRecord {
  return {
    runId: String(row['run_id']),
    job: String(row['job']),
    target: String(row['target']),
    status: String(row['status']) as JobRunStatus,
    startedAt: toDate(row['started_at']) as Date,
    endedAt: toDate(row['ended_at']),
    error: row['error'] === null || row['error'] === undefined ? null : String(row['error']),
    attempt: Number(row['attempt'] ?? 1),
    params: parseJson(row['params'], {}) as Record<string, string>,
    only: parseJson(row['only_tasks'], null) as string[] | null,
  };
}

export function taskRunFromRow(row: Record<string, unknown>): TaskRunRecord {
  const rows = row['rows_affected'];
  return {
    runId: String(row['run_id']),
    taskKey: String(row['task_key']),
    status: String(row['status']) as TaskRunStatus,
    startedAt: toDate(row['started_at']),
    endedAt: toDate(row['ended_at']),
    rowsAffected: rows === null || rows === undefined ? null : Number(rows),
    error: row['error'] === null || row['error'] === undefined ? null : String(row['error']),
    attempt: Number(row['attempt'] ?? 1),
  };
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

function parseJson(value: unknown, fallback: unknown): unknown {
  if (typeof value !== 'string' || value === '') return fallback;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return fallback;
  }
}
