import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { errorMessage } from '@odoo-ce/common';
import type { QueryExecutor } from '@odoo-ce/warehouse';
import { buildJobDag, type JobDag } from '../dag.js';
import { BundleError, formatLocation } from '../errors.js';
import type { Bundle, JobDefinition, TaskDefinition } from '../loader/model.js';
import { ensureRunTables, findJobRun, listTaskRuns, RunRecorder, type JobRunStatus, type TaskRunStatus } from './ops-tables.js';

/** The logging calls the runner makes; a pino `Logger` fits. */
export interface RunLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Progress notifications, in the order they happen (for CLIs and tests). */
export type RunEvent =
  | { readonly type: 'run.started'; readonly runId: string; readonly job: string; readonly target: string; readonly attempt: number; readonly resumed: boolean; readonly tasks: readonly string[] }
  | { readonly type: 'task.started'; readonly runId: string; readonly task: string; readonly attempt: number; /** Tasks executing now, this one included. */ readonly running: number }
  | { readonly type: 'task.finished'; readonly runId: string; readonly task: string; readonly status: TaskRunStatus; readonly rowsAffected: number | null; readonly error: string | null }
  | { readonly type: 'run.finished'; readonly runId: string; readonly status: Exclude<JobRunStatus, 'running'> };

export interface RunJobOptions {
  /** Recorded in the ops tables and used to find the run to resume (default: `bundle.target`). */
  readonly target?: string;
  /** Run-level parameters: override the job's parameter defaults; become `{{params.<name>}}` in the SQL. */
  readonly params?: Readonly<Record<string, string>>;
  /** Run only these tasks (dependencies outside the selection are treated as satisfied); the others are `skipped`. */
  readonly only?: readonly string[];
  /**
   * Continue the most recent run of the job on this target if it failed, was cancelled or was
   * interrupted (still `running`): its succeeded tasks are kept, the rest run again, same run_id.
   */
  readonly resume?: boolean;
  /** Tasks executing at once (default 2). */
  readonly maxParallel?: number;
  /** Aborting cancels the executing statements on the engine; the run ends `cancelled`. */
  readonly signal?: AbortSignal;
  readonly logger?: RunLogger;
  /** For a new run: its id (default a random UUID). With `resume`: the run to resume. */
  readonly runId?: string;
  readonly onEvent?: (event: RunEvent) => void;
  /**
   * Runs after a task's SQL succeeded, as part of the task: a throw fails the task (and its
   * downstream), like a failing statement. The app uses it for data-quality gates that a SQL file
   * cannot express (splitting candidates into a table and its quarantine).
   */
  readonly afterTask?: (context: TaskHookContext) => Promise<{ readonly rowsAffected?: number } | void>;
  /**
   * Local implementations of tasks that are not SQL files, keyed by the task's
   * `python_wheel_task.entry_point` (what Databricks would call in the deployed wheel). A task with
   * an entry point that has a handler here runs the handler instead of SQL (then `afterTask`, as
   * usual); without one it stays NOT_RUNNABLE. Handlers get the task's parameters (job parameter
   * defaults < run params) and the warehouse, and must be idempotent like SQL tasks.
   */
  readonly taskHandlers?: Readonly<Record<string, TaskHandler>>;
}

/** A local implementation of a non-SQL task (see {@link RunJobOptions.taskHandlers}). */
export type TaskHandler = (context: TaskHookContext & { readonly warehouse: QueryExecutor }) => Promise<{ readonly rowsAffected?: number } | void>;

/** What {@link RunJobOptions.afterTask} gets. */
export interface TaskHookContext {
  readonly runId: string;
  readonly task: TaskDefinition;
  /** The task's resolved parameters (task < job defaults < run params). */
  readonly params: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** What happened to one task. */
export interface TaskRunSummary {
  readonly taskKey: string;
  readonly status: TaskRunStatus;
  /** True when the task succeeded in an earlier attempt of this run and was not executed again. */
  readonly reused: boolean;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly rowsAffected: number | null;
  readonly error: string | null;
  /** The SQL file, relative to the working directory. */
  readonly file?: string;
}

/** The result of {@link runJob}. */
export interface RunSummary {
  readonly runId: string;
  readonly job: string;
  readonly target: string;
  readonly status: Exclude<JobRunStatus, 'running'>;
  readonly attempt: number;
  readonly resumed: boolean;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly params: Readonly<Record<string, string>>;
  /** In topological order. */
  readonly tasks: readonly TaskRunSummary[];
  readonly counts: Readonly<Record<TaskRunStatus, number>>;
  /** A one-line account of what failed, or null. */
  readonly error: string | null;
}

const NOOP_LOGGER: RunLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const FINAL = new Set<TaskRunStatus>(['succeeded', 'failed', 'skipped', 'upstream_failed', 'cancelled']);
const FAILURE = new Set<TaskRunStatus>(['failed', 'upstream_failed', 'cancelled']);

/**
 * Runs a bundle job's SQL tasks on a warehouse in dependency order, at most `maxParallel` at a
 * time. Each task's `sql_task.file` is read and executed with `warehouse.executeScript` (so
 * `{{catalog.<layer>}}`, `{{ops}}` and `{{params.x}}` are rendered and failures name file:line);
 * its parameters are `sql_task.parameters` < job parameter defaults < `options.params`.
 *
 * State is written to `<ops>.job_runs` / `<ops>.task_runs` as it happens, so a killed process
 * leaves `running` rows that `resume` picks up. A failed task marks its downstream
 * `upstream_failed` (per `run_if`); independent branches continue. Never throws for a task
 * failure: the summary says `failed`. Throws {@link BundleError} for bad input (unknown job or
 * task, a cycle, a task that is neither a local SQL file nor a handled entry point, nothing to resume).
 *
 * @example
 * const summary = await runJob(warehouse, bundle, 'bir_etl', { params: { period: '2025-01' } });
 * if (summary.status !== 'succeeded') console.error(summary.error);
 */
export async function runJob(warehouse: QueryExecutor, bundle: Bundle, jobName: string, options: RunJobOptions = {}): Promise<RunSummary> {
  const job = bundle.jobs[jobName];
  if (!job) {
    const known = Object.keys(bundle.jobs).sort();
    throw new BundleError('UNKNOWN_JOB', `job "${jobName}" is not defined in bundle ${bundle.name} (target ${bundle.target}); expected one of ${known.join(', ') || '(no jobs)'}`, {
      data: { job: jobName, jobs: known },
    });
  }
  const dag = buildJobDag(job);
  const maxParallel = options.maxParallel ?? 2;
  if (!Number.isInteger(maxParallel) || maxParallel < 1) {
    throw new BundleError('INVALID_CONFIG', `maxParallel must be a whole number ≥ 1, got ${String(maxParallel)}`, { data: { maxParallel } });
  }
  checkSelection(job, dag, options.only);
  const selection = options.only ? new Set(options.only) : undefined;
  for (const key of dag.order) {
    const task = dag.tasks.get(key) as TaskDefinition;
    if ((!selection || selection.has(key)) && !localHandler(job, task, options.taskHandlers)) localSqlFile(job, task);
  }
  await ensureRunTables(warehouse);
  return new JobRun(warehouse, bundle, job, dag, { ...options, maxParallel }).run();
}

function checkSelection(job: JobDefinition, dag: JobDag, only: readonly string[] | undefined): void {
  if (!only) return;
  if (only.length === 0) throw new BundleError('UNKNOWN_TASK', `only: expected at least one task key of job ${job.key} (${dag.order.join(', ')})`, { data: { job: job.key } });
  const unknown = only.filter((k) => !dag.tasks.has(k));
  if (unknown.length > 0) {
    throw new BundleError('UNKNOWN_TASK', `only: ${unknown.map((k) => `"${k}"`).join(', ')} ${unknown.length === 1 ? 'is not a task' : 'are not tasks'} of job ${job.key}; expected some of ${[...dag.tasks.keys()].sort().join(', ')}`, {
      data: { job: job.key, unknown },
    });
  }
}

/** `python_wheel_task.entry_point` of a task, from the validated job settings. */
function wheelEntryPoint(job: JobDefinition, task: TaskDefinition): string | undefined {
  const settings = (job.settings.tasks ?? []).find((t) => t.task_key === task.key) as Record<string, unknown> | undefined;
  const wheel = settings?.['python_wheel_task'] as { entry_point?: unknown } | undefined;
  return typeof wheel?.entry_point === 'string' ? wheel.entry_point : undefined;
}

/** The local handler of a non-SQL task, when `taskHandlers` has one for its entry point. */
function localHandler(job: JobDefinition, task: TaskDefinition, handlers: RunJobOptions['taskHandlers']): { entryPoint: string; handler: TaskHandler } | undefined {
  if (task.sql) return undefined;
  const entryPoint = wheelEntryPoint(job, task);
  const handler = entryPoint !== undefined && handlers && Object.hasOwn(handlers, entryPoint) ? handlers[entryPoint] : undefined;
  return entryPoint !== undefined && handler ? { entryPoint, handler } : undefined;
}

/** The local path of a task's SQL file, or a NOT_RUNNABLE error saying why there is none. */
function localSqlFile(job: JobDefinition, task: TaskDefinition): string {
  const file = task.sql?.file;
  const where = task.location ? `${formatLocation(task.location)}: ` : '';
  if (!task.sql) {
    const entryPoint = wheelEntryPoint(job, task);
    const why = entryPoint === undefined ? 'the local runner only runs sql_task.file tasks and python_wheel_task entry points with a local handler' : `no local handler for its python_wheel_task entry point "${entryPoint}" (taskHandlers)`;
    throw new BundleError('NOT_RUNNABLE', `${where}task ${task.key} of job ${job.key} is not a sql_task; ${why}`, { data: { job: job.key, task: task.key } });
  }
  if (!file) throw new BundleError('NOT_RUNNABLE', `${where}task ${task.key} of job ${job.key} has no sql_task.file (queries, dashboards and alerts run only on Databricks)`, { data: { job: job.key, task: task.key } });
  if (!file.localPath) {
    const why = file.source === 'GIT' ? 'its source is GIT' : `${file.path} is not a local path (relative to the bundle, or under \${workspace.file_path})`;
    throw new BundleError('NOT_RUNNABLE', `${where}task ${task.key} of job ${job.key}: cannot run ${file.path} locally: ${why}`, { data: { job: job.key, task: task.key, path: file.path } });
  }
  return file.localPath;
}

interface TaskState {
  status: TaskRunStatus | 'pending' | 'ready';
  reused: boolean;
  startedAt: Date | null;
  endedAt: Date | null;
  rowsAffected: number | null;
  error: string | null;
}

class JobRun {
  readonly #recorder: RunRecorder;
  readonly #log: RunLogger;
  readonly #states = new Map<string, TaskState>();
  readonly #running = new Map<string, Promise<void>>();
  /** Tasks left out by `only`: they count as satisfied for their dependents. */
  readonly #excluded = new Set<string>();
  #fatal: { error: unknown } | undefined;
  readonly #target: string;
  #runId = '';
  #attempt = 1;
  #params: Record<string, string> = {};
  #startedAt = new Date();

  constructor(
    private readonly warehouse: QueryExecutor,
    bundle: Bundle,
    private readonly job: JobDefinition,
    private readonly dag: JobDag,
    private readonly options: RunJobOptions & { readonly maxParallel: number },
  ) {
    this.#recorder = new RunRecorder(warehouse);
    this.#log = options.logger ?? NOOP_LOGGER;
    this.#target = options.target ?? bundle.target;
  }

  async run(): Promise<RunSummary> {
    const resumed = this.options.resume === true;
    const selection = await this.#start();
    try {
      this.#emit({ type: 'run.started', runId: this.#runId, job: this.job.key, target: this.#target, attempt: this.#attempt, resumed, tasks: [...this.dag.order] });
      this.#log.info({ event: 'run.started', job: this.job.key, run_id: this.#runId, target: this.#target, attempt: this.#attempt, resumed, only: selection ?? undefined });
      for (const key of this.dag.order) {
        const state = this.#states.get(key) as TaskState;
        if (state.status === 'pending' && selection && !selection.includes(key)) {
          this.#excluded.add(key);
          await this.#finish(key, 'skipped', null);
        }
      }
      await this.#schedule();
    } catch (error) {
      // A failure of the runner itself (not of a task): record it, tell the listeners (notifications
      // fire on run.finished), then surface it.
      await this.#recorder.finishJobRun(this.#runId, 'failed', new Date(), errorMessage(error)).catch(() => undefined);
      this.#log.error({ event: 'run.finished', job: this.job.key, run_id: this.#runId, status: 'failed', error: errorMessage(error) });
      this.#emit({ type: 'run.finished', runId: this.#runId, status: 'failed' });
      throw error;
    }
    return this.#complete(resumed);
  }

  /** Creates the run (or reopens the one to resume); returns the `only` selection in force. */
  async #start(): Promise<readonly string[] | null> {
    const { resume, runId, only, params = {} } = this.options;
    if (!resume) {
      this.#runId = runId ?? randomUUID();
      if (runId && (await findJobRun(this.warehouse, { job: this.job.key, target: this.#target, runId }))) {
        throw new BundleError('INVALID_CONFIG', `run_id ${runId} already exists in job_runs; pass resume to continue it, or choose another id`, { data: { runId } });
      }
      this.#params = { ...this.#parameterDefaults(), ...params };
      for (const key of this.dag.order) this.#states.set(key, blankState());
      await this.#recorder.insertJobRun({
        runId: this.#runId,
        job: this.job.key,
        target: this.#target,
        status: 'running',
        startedAt: this.#startedAt,
        endedAt: null,
        error: null,
        attempt: 1,
        params: this.#params,
        only: only ? [...only] : null,
      });
      return only ? [...only] : null;
    }
    const previous = await findJobRun(this.warehouse, { job: this.job.key, target: this.#target, ...(runId ? { runId } : {}) });
    if (!previous) {
      throw new BundleError('NOTHING_TO_RESUME', runId ? `run ${runId} not found in job_runs` : `job ${this.job.key} has no earlier run on target ${this.#target} to resume`, {
        data: { job: this.job.key, target: this.#target, runId },
      });
    }
    if (previous.job !== this.job.key) {
      throw new BundleError('NOTHING_TO_RESUME', `run ${previous.runId} belongs to job ${previous.job}, not ${this.job.key}`, { data: { runId: previous.runId, job: previous.job } });
    }
    if (previous.status === 'succeeded') {
      throw new BundleError(
        'NOTHING_TO_RESUME',
        `the latest run ${previous.runId} of job ${this.job.key} on target ${this.#target} succeeded (attempt ${previous.attempt}, ended ${previous.endedAt?.toISOString() ?? '?'}); nothing to resume — run without resume to start a new run`,
        { data: { runId: previous.runId, status: previous.status } },
      );
    }
    this.#runId = previous.runId;
    this.#attempt = previous.attempt + 1;
    this.#startedAt = previous.startedAt;
    this.#params = { ...this.#parameterDefaults(), ...previous.params, ...params };
    const done = new Map((await listTaskRuns(this.warehouse, previous.runId)).filter((t) => t.status === 'succeeded').map((t) => [t.taskKey, t]));
    for (const key of this.dag.order) {
      const earlier = done.get(key);
      this.#states.set(
        key,
        earlier
          ? { status: 'succeeded', reused: true, startedAt: earlier.startedAt, endedAt: earlier.endedAt, rowsAffected: earlier.rowsAffected, error: null }
          : blankState(),
      );
    }
    const selection = only ? [...only] : previous.only;
    if (selection) checkSelection(this.job, this.dag, selection);
    await this.#recorder.reopenJobRun(this.#runId, this.#attempt, this.#params);
    this.#log.info({ event: 'run.resumed', job: this.job.key, run_id: this.#runId, previous_status: previous.status, reused: [...done.keys()] });
    return selection;
  }

  /** The dependency-ordered, bounded-parallel loop. */
  async #schedule(): Promise<void> {
    const ready: string[] = [];
    const signal = this.options.signal;
    for (;;) {
      // Once aborted, nothing else starts: every task not yet final ends cancelled.
      if (signal?.aborted) {
        for (const key of [...ready.splice(0), ...this.dag.order.filter((k) => this.#states.get(k)?.status === 'pending')]) {
          await this.#finish(key, 'cancelled', 'the run was cancelled before this task started');
        }
      }
      // Decide every pending task whose upstream tasks are all final (repeat: decisions cascade).
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const key of this.dag.order) {
          const state = this.#states.get(key) as TaskState;
          if (state.status !== 'pending') continue;
          const deps = (this.dag.upstream.get(key) ?? []).map((d) => (this.#excluded.has(d) ? 'succeeded' : (this.#states.get(d) as TaskState).status));
          if (!deps.every((s) => FINAL.has(s as TaskRunStatus))) continue;
          const decision = decide((this.dag.tasks.get(key) as TaskDefinition).runIf, deps as TaskRunStatus[]);
          if (decision === 'run') {
            state.status = 'ready';
            ready.push(key);
          } else {
            const failedDeps = (this.dag.upstream.get(key) ?? []).filter((d) => FAILURE.has((this.#states.get(d) as TaskState).status as TaskRunStatus));
            await this.#finish(key, decision, decision === 'upstream_failed' ? `upstream task${failedDeps.length === 1 ? '' : 's'} ${failedDeps.join(', ')} did not succeed` : 'run_if condition not met');
          }
          progressed = true;
        }
      }
      while (ready.length > 0 && this.#running.size < this.options.maxParallel && !signal?.aborted) {
        const key = ready.shift() as string;
        const execution = this.#execute(key)
          .catch((error: unknown) => {
            this.#fatal ??= { error };
          })
          .finally(() => this.#running.delete(key));
        this.#running.set(key, execution);
      }
      if (this.#running.size === 0) {
        if (ready.length === 0 && !this.dag.order.some((k) => this.#states.get(k)?.status === 'pending')) return;
        if (signal?.aborted) continue;
        throw new Error(`internal error: the scheduler of job ${this.job.key} stalled`);
      }
      await Promise.race(this.#running.values());
      if (this.#fatal) {
        await Promise.allSettled(this.#running.values());
        throw this.#fatal.error;
      }
    }
  }

  async #execute(key: string): Promise<void> {
    const task = this.dag.tasks.get(key) as TaskDefinition;
    const state = this.#states.get(key) as TaskState;
    const local = localHandler(this.job, task, this.options.taskHandlers);
    const localPath = local ? undefined : localSqlFile(this.job, task);
    const file = localPath ? displayPath(localPath) : `entry point ${local?.entryPoint}`;
    state.status = 'running';
    state.startedAt = new Date();
    state.endedAt = null;
    state.error = null;
    state.rowsAffected = null;
    await this.#recorder.writeTask({ runId: this.#runId, taskKey: key, status: 'running', startedAt: state.startedAt, endedAt: null, rowsAffected: null, error: null, attempt: this.#attempt });
    this.#emit({ type: 'task.started', runId: this.#runId, task: key, attempt: this.#attempt, running: this.#running.size });
    this.#log.info({ event: 'task.started', job: this.job.key, task: key, run_id: this.#runId, file });

    const timeout = task.timeoutSeconds ? AbortSignal.timeout(task.timeoutSeconds * 1000) : undefined;
    const signals = [this.options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    let status: TaskRunStatus = 'succeeded';
    let error: string | null = null;
    let rows: number | null = null;
    try {
      const params = this.#taskParams(task);
      if (local) {
        const done = await local.handler({ runId: this.#runId, task, params, warehouse: this.warehouse, ...(signal ? { signal } : {}) });
        rows = done && done.rowsAffected !== undefined ? done.rowsAffected : null;
      } else {
        const sql = await readFile(localPath as string, 'utf8').catch((e: unknown) => {
          throw new BundleError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
        });
        const results = await this.warehouse.executeScript(sql, { file, params, ...(signal ? { signal } : {}) });
        const affected = results.map((r) => r.numAffectedRows).filter((n): n is bigint => n !== undefined);
        rows = affected.length > 0 ? Number(affected.reduce((a, b) => a + b, 0n)) : null;
      }
      const after = await this.options.afterTask?.({ runId: this.#runId, task, params, ...(signal ? { signal } : {}) });
      if (after && after.rowsAffected !== undefined) rows = (rows ?? 0) + after.rowsAffected;
    } catch (e) {
      if (this.options.signal?.aborted) {
        status = 'cancelled';
        error = 'cancelled';
      } else if (timeout?.aborted) {
        status = 'failed';
        error = `timed out after ${task.timeoutSeconds} s (timeout_seconds)`;
      } else {
        status = 'failed';
        error = errorMessage(e);
      }
    }
    state.rowsAffected = rows;
    await this.#finish(key, status, error);
  }

  /** The job's parameter defaults, dynamic value references resolved. */
  #parameterDefaults(): Record<string, string> {
    return Object.fromEntries(this.job.parameters.map((p) => [p.name, this.#dynamicValue(p.default, undefined, p.name)]));
  }

  /** `sql_task.parameters` (with `{{job.parameters.x}}`-style references resolved) < job parameters. */
  #taskParams(task: TaskDefinition): Record<string, string> {
    const own: Record<string, string> = {};
    for (const [name, value] of Object.entries(task.sql?.parameters ?? {})) own[name] = this.#dynamicValue(value, task, name);
    return { ...own, ...this.#params };
  }

  /**
   * Databricks dynamic value references in parameter values: {{job.parameters.x}}, {{job.run_id}},
   * {{job.name}}, {{task.name}}, {{job.start_time.iso_date}} (UTC). Others are rejected.
   */
  #dynamicValue(value: string, task: TaskDefinition | undefined, name: string): string {
    const where = task ? `job ${this.job.key}, task ${task.key}: parameter ${name}` : `job ${this.job.key}: job parameter ${name}`;
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, ref: string) => {
      const [head, field, rest] = ref.split('.');
      if (head === 'job' && field === 'parameters' && rest !== undefined) {
        if (Object.hasOwn(this.#params, rest)) return this.#params[rest] as string;
        throw new BundleError('INVALID_CONFIG', `${where} = ${JSON.stringify(value)} references job parameter ${rest}, which has no value (job parameters: ${Object.keys(this.#params).join(', ') || 'none'})`);
      }
      if (ref === 'job.run_id') return this.#runId;
      if (ref === 'job.name') return this.job.name;
      if (ref === 'task.name' && task) return task.key;
      if (ref === 'job.start_time.iso_date') return this.#startedAt.toISOString().slice(0, 10);
      throw new BundleError(
        'INVALID_CONFIG',
        `${where} uses ${whole}; the local runner supports {{job.parameters.<name>}}, {{job.run_id}}, {{job.name}}, {{task.name}} (in task parameters) and {{job.start_time.iso_date}}`,
      );
    });
  }

  async #finish(key: string, status: TaskRunStatus, error: string | null): Promise<void> {
    const state = this.#states.get(key) as TaskState;
    state.status = status;
    state.error = error;
    state.endedAt = new Date();
    if (status !== 'succeeded' && status !== 'failed' && status !== 'cancelled') state.rowsAffected = null;
    await this.#recorder.writeTask({
      runId: this.#runId,
      taskKey: key,
      status,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      rowsAffected: state.rowsAffected,
      error,
      attempt: this.#attempt,
    });
    this.#emit({ type: 'task.finished', runId: this.#runId, task: key, status, rowsAffected: state.rowsAffected, error });
    const fields = { event: 'task.finished', job: this.job.key, task: key, run_id: this.#runId, status, rows: state.rowsAffected, ...(error ? { error } : {}) };
    if (status === 'failed') this.#log.error(fields);
    else if (status === 'succeeded' || status === 'skipped') this.#log.info(fields);
    else this.#log.warn(fields);
  }

  async #complete(resumed: boolean): Promise<RunSummary> {
    const counts: Record<TaskRunStatus, number> = { running: 0, succeeded: 0, failed: 0, skipped: 0, upstream_failed: 0, cancelled: 0 };
    const tasks: TaskRunSummary[] = this.dag.order.map((key) => {
      const s = this.#states.get(key) as TaskState;
      const status = s.status as TaskRunStatus;
      counts[status]++;
      const localPath = this.dag.tasks.get(key)?.sql?.file?.localPath;
      return Object.freeze({
        taskKey: key,
        status,
        reused: s.reused,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        rowsAffected: s.rowsAffected,
        error: s.error,
        ...(localPath ? { file: displayPath(localPath) } : {}),
      });
    });
    const status: RunSummary['status'] = this.options.signal?.aborted ? 'cancelled' : counts.failed + counts.upstream_failed + counts.cancelled > 0 ? 'failed' : 'succeeded';
    const failed = tasks.filter((t) => t.status === 'failed');
    let error: string | null = null;
    if (status === 'cancelled') error = 'the run was cancelled';
    else if (status === 'failed') {
      const blocked = counts.upstream_failed > 0 ? `; ${counts.upstream_failed} downstream task${counts.upstream_failed === 1 ? '' : 's'} did not run (upstream_failed)` : '';
      error = `${failed.map((t) => `task ${t.taskKey} failed: ${firstLine(t.error ?? '?')}`).join('; ')}${blocked}`;
    }
    const endedAt = new Date();
    await this.#recorder.finishJobRun(this.#runId, status, endedAt, error);
    await this.#recorder.flush();
    this.#emit({ type: 'run.finished', runId: this.#runId, status });
    const fields = { event: 'run.finished', job: this.job.key, run_id: this.#runId, status, counts, ...(error ? { error } : {}) };
    if (status === 'succeeded') this.#log.info(fields);
    else this.#log.error(fields);
    return Object.freeze({
      runId: this.#runId,
      job: this.job.key,
      target: this.#target,
      status,
      attempt: this.#attempt,
      resumed,
      startedAt: this.#startedAt,
      endedAt,
      params: Object.freeze({ ...this.#params }),
      tasks: Object.freeze(tasks),
      counts: Object.freeze(counts),
      error,
    });
  }

  #emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}

/** A path for messages: relative to the working directory when it is below it, else absolute. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function blankState(): TaskState {
  return { status: 'pending', reused: false, startedAt: null, endedAt: null, rowsAffected: null, error: null };
}

/**
 * Whether a task whose upstream tasks are all final runs, per Databricks `run_if`. Tasks outside
 * the run (not selected, or succeeded in an earlier attempt) count as succeeded.
 */
function decide(runIf: TaskDefinition['runIf'], deps: readonly TaskRunStatus[]): 'run' | 'upstream_failed' | 'skipped' {
  const success = deps.filter((s) => s === 'succeeded').length;
  const failure = deps.filter((s) => FAILURE.has(s)).length;
  const skipped = deps.length - success - failure;
  switch (runIf) {
    case 'ALL_SUCCESS':
      return failure > 0 ? 'upstream_failed' : skipped > 0 ? 'skipped' : 'run';
    case 'ALL_DONE':
      return 'run';
    case 'NONE_FAILED':
      return failure > 0 ? 'upstream_failed' : 'run';
    case 'AT_LEAST_ONE_SUCCESS':
      return deps.length === 0 || success > 0 ? 'run' : failure > 0 ? 'upstream_failed' : 'skipped';
    case 'ALL_FAILED':
      return failure === deps.length ? 'run' : 'skipped';
    case 'AT_LEAST_ONE_FAILED':
      return failure > 0 ? 'run' : 'skipped';
  }
}
