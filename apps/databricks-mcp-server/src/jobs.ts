import { randomUUID } from 'node:crypto';
import { findJobRun, JobsApiError, listTaskRuns, runJob, type Bundle, type JobsApiClient, type JobRun, type RunJobOptions } from '@odoo-ce/bundle';
import { errorMessage, isPlatformError, type Logger } from '@odoo-ce/common';
import { mlTaskHandlers } from '@odoo-ce/ml';
import type { Warehouse } from '@odoo-ce/warehouse';
import { engineMessage, McpToolError } from './errors.js';

/** A run as the tools report it, the same shape for a local run and a Databricks run. */
export interface RunView {
  readonly run_id: string;
  readonly job: string;
  /** Databricks `status.state` spelling: QUEUED, PENDING, RUNNING, TERMINATING, TERMINATED… */
  readonly state: string;
  /** SUCCESS, FAILED, CANCELED… once TERMINATED; null before. */
  readonly result: string | null;
  readonly started_at: string | null;
  readonly ended_at: string | null;
  readonly message: string | null;
  readonly tasks: { task: string; state: string; result: string | null; message: string | null }[];
  readonly url?: string;
}

/** Starts and follows bundle jobs; `run_job` / `get_run` talk to this. */
export interface JobsBackend {
  readonly kind: 'local' | 'databricks';
  jobKeys(): Promise<string[]>;
  start(job: string, params: Readonly<Record<string, string>>, idempotencyToken: string | undefined): Promise<RunView>;
  get(runId: string): Promise<RunView>;
  /** Cancels local runs still executing (server shutdown). */
  close(): Promise<void>;
}

const LOCAL_STATE: Record<string, { state: string; result: string | null }> = {
  running: { state: 'RUNNING', result: null },
  succeeded: { state: 'TERMINATED', result: 'SUCCESS' },
  failed: { state: 'TERMINATED', result: 'FAILED' },
  cancelled: { state: 'TERMINATED', result: 'CANCELED' },
  skipped: { state: 'TERMINATED', result: 'EXCLUDED' },
  upstream_failed: { state: 'TERMINATED', result: 'UPSTREAM_FAILED' },
};

/** Bounds of the idempotency-token memory of {@link LocalJobs}. */
export interface IdempotencyTokenOptions {
  /** How long a token returns its run (default 1 h). */
  readonly ttlMs?: number;
  /** How many tokens are remembered; the oldest is forgotten first (default 1000). */
  readonly max?: number;
  readonly now?: () => number;
}

/** token → run id, expiring after a TTL and bounded in size (oldest first), so memory cannot grow without end. */
export class IdempotencyTokens {
  readonly #map = new Map<string, { runId: string; at: number }>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: IdempotencyTokenOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#max = options.max ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  get(token: string): string | undefined {
    const entry = this.#map.get(token);
    if (!entry) return undefined;
    if (this.#now() - entry.at >= this.#ttlMs) {
      this.#map.delete(token);
      return undefined;
    }
    return entry.runId;
  }

  set(token: string, runId: string): void {
    this.#map.delete(token);
    this.#map.set(token, { runId, at: this.#now() });
    while (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as string);
  }

  delete(token: string): void {
    this.#map.delete(token);
  }

  get size(): number {
    return this.#map.size;
  }
}

/** A runner failure for the agent: our own typed errors' first line, engine text cut by {@link engineMessage}, SQL never. */
function failureMessage(failure: unknown): string {
  if (!isPlatformError(failure)) return 'the runner failed before the job started (details in the server log)';
  const line = engineMessage(errorMessage(failure));
  return /\b(SELECT|INSERT|CREATE|UPDATE|DELETE|MERGE|FROM)\b/i.test(line) ? 'the runner failed before the job started (details in the server log)' : line;
}

function unknownJob(job: string, keys: readonly string[]): McpToolError {
  return new McpToolError('NOT_FOUND', `job ${JSON.stringify(job)} is not defined in the bundle; expected one of ${keys.join(', ') || '(none)'}`);
}

/**
 * Local target: the bundle runner on the target's warehouse, in this process. `start` returns at
 * once (like run-now) and the run continues in the background; its state is read back from the
 * ops tables (`job_runs`, `task_runs`) the runner writes as it goes.
 */
export class LocalJobs implements JobsBackend {
  readonly kind = 'local';
  readonly #abort = new AbortController();
  readonly #active = new Map<string, Promise<unknown>>();
  readonly #byToken: IdempotencyTokens;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly bundle: () => Promise<Bundle>,
    private readonly options: { readonly target: string; readonly logger: Logger; readonly afterTask?: RunJobOptions['afterTask']; readonly tokens?: IdempotencyTokenOptions },
  ) {
    this.#byToken = new IdempotencyTokens(options.tokens);
  }

  async jobKeys(): Promise<string[]> {
    return Object.keys((await this.bundle()).jobs).sort();
  }

  async start(job: string, params: Readonly<Record<string, string>>, idempotencyToken: string | undefined): Promise<RunView> {
    const bundle = await this.bundle();
    if (!bundle.jobs[job]) throw unknownJob(job, Object.keys(bundle.jobs).sort());
    const known = idempotencyToken ? this.#byToken.get(idempotencyToken) : undefined;
    if (known) return this.get(known);
    const runId = randomUUID();
    if (idempotencyToken) this.#byToken.set(idempotencyToken, runId);
    let started!: () => void;
    let failure: unknown;
    const ready = new Promise<void>((resolve) => (started = resolve));
    const run = runJob(this.warehouse, bundle, job, {
      runId,
      target: this.options.target,
      params,
      signal: this.#abort.signal,
      logger: this.options.logger,
      ...(this.options.afterTask ? { afterTask: this.options.afterTask } : {}),
      // The ML job's model steps (python_wheel_task entry points) run as the same handlers as `etl run`.
      taskHandlers: mlTaskHandlers(this.options.logger),
      onEvent: (e) => {
        if (e.type === 'run.started') started();
      },
    })
      .catch((error: unknown) => {
        failure = error;
        this.options.logger.error({ event: 'mcp.run_job_failed', job, run_id: runId, err: error }, 'local run failed');
      })
      .finally(() => {
        started();
        this.#active.delete(runId);
      });
    this.#active.set(runId, run);
    // Wait until the runner has written its `running` row, so get_run finds the run at once.
    await ready;
    if (failure !== undefined) {
      if (idempotencyToken) this.#byToken.delete(idempotencyToken);
      // The runner refused the job before starting it (a task it cannot run locally, bad params).
      // Its message may quote SQL or driver text: one sanitised line, the detail in the server log.
      throw new McpToolError('INVALID_ARGUMENT', `job ${job} cannot run on this target: ${failureMessage(failure)}`, { cause: failure });
    }
    return this.get(runId);
  }

  async get(runId: string): Promise<RunView> {
    const record = await findJobRun(this.warehouse, { job: '', target: this.options.target, runId }).catch(() => undefined);
    if (!record) throw new McpToolError('NOT_FOUND', `run ${JSON.stringify(runId)} does not exist on this target`);
    const tasks = await listTaskRuns(this.warehouse, runId);
    const state = LOCAL_STATE[record.status] ?? { state: 'RUNNING', result: null };
    return {
      run_id: record.runId,
      job: record.job,
      state: state.state,
      result: state.result,
      started_at: record.startedAt.toISOString(),
      ended_at: record.endedAt?.toISOString() ?? null,
      message: record.error === null ? null : engineMessage(record.error),
      tasks: tasks.map((t) => ({
        task: t.taskKey,
        ...(LOCAL_STATE[t.status] ?? { state: 'RUNNING', result: null }),
        message: t.error === null ? null : engineMessage(t.error),
      })),
    };
  }

  /** Waits for every run started by this backend (tests, shutdown after cancel). */
  async settle(): Promise<void> {
    await Promise.all(this.#active.values());
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.settle();
  }
}

/**
 * Databricks target: the deployed job with the bundle job's name, through the Jobs API 2.2.
 * The idempotency token goes to run-now, so an agent retrying a call never starts two runs.
 */
export class DatabricksJobs implements JobsBackend {
  readonly kind = 'databricks';

  readonly #client: () => JobsApiClient;

  /** `client` may be a factory: created on first use, so a server that never runs a job needs no token for it. */
  constructor(
    client: JobsApiClient | (() => JobsApiClient),
    private readonly bundle: () => Promise<Bundle>,
  ) {
    let made: JobsApiClient | undefined;
    this.#client = typeof client === 'function' ? () => (made ??= client()) : () => client;
  }

  async jobKeys(): Promise<string[]> {
    return Object.keys((await this.bundle()).jobs).sort();
  }

  async start(job: string, params: Readonly<Record<string, string>>, idempotencyToken: string | undefined): Promise<RunView> {
    const bundle = await this.bundle();
    const definition = bundle.jobs[job];
    if (!definition) throw unknownJob(job, Object.keys(bundle.jobs).sort());
    return this.#wrap(async () => {
      const deployed = await this.#client().findJobByName(definition.name);
      const started = await this.#client().runNow({ job_id: deployed.job_id, job_parameters: params, ...(idempotencyToken ? { idempotency_token: idempotencyToken } : {}) });
      return view(job, await this.#client().getRun(started.run_id));
    });
  }

  async get(runId: string): Promise<RunView> {
    if (!/^\d{1,19}$/.test(runId)) throw new McpToolError('INVALID_ARGUMENT', `run_id: expected the numeric run id run_job returned, got ${JSON.stringify(runId)}`);
    return this.#wrap(async () => {
      const run = await this.#client().getRun(Number(runId));
      return view(run.run_name ?? String(run.job_id), run);
    });
  }

  /** Nothing to release: runs live in the workspace, not in this process. */
  async close(): Promise<void> {
    return undefined;
  }

  async #wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof JobsApiError)) throw error;
      if (error.code === 'NOT_FOUND' || error.code === 'JOB_NOT_FOUND') throw new McpToolError('NOT_FOUND', error.code === 'NOT_FOUND' ? 'the job or run does not exist in the workspace' : error.message, { cause: error });
      if (error.code === 'INVALID_REQUEST') throw new McpToolError('INVALID_ARGUMENT', engineMessage(error.message.replace(/^[A-Z]+ \S+: /, '')), { cause: error });
      throw new McpToolError('UNAVAILABLE', `the Databricks Jobs API is not available (${error.code})`, { cause: error });
    }
  }
}

function view(job: string, run: JobRun): RunView {
  const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);
  return {
    run_id: String(run.run_id),
    job,
    state: run.status?.state ?? run.state?.life_cycle_state ?? 'PENDING',
    result: run.state?.result_state ?? null,
    started_at: iso(run.start_time),
    ended_at: iso(run.end_time),
    message: oneLine(run.status?.termination_details?.message || run.state?.state_message),
    tasks: (run.tasks ?? []).map((t) => ({
      task: t.task_key,
      state: t.status?.state ?? t.state?.life_cycle_state ?? 'PENDING',
      result: t.state?.result_state ?? null,
      message: oneLine(t.state?.state_message),
    })),
    ...(run.run_page_url ? { url: run.run_page_url } : {}),
  };
}

/** A Jobs API message for the agent: one line, engine prefixes and excerpts dropped. */
function oneLine(message: string | undefined): string | null {
  return message ? engineMessage(message) : null;
}
