import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JobRun, RunResultState, RunTask } from '../types.js';

/** A job the stand-in knows: its id, name, task keys and declared job parameters. */
export interface StandInJob {
  readonly job_id: number;
  readonly name: string;
  readonly tasks?: readonly string[];
  readonly parameters?: Readonly<Record<string, string>>;
  /** How runs of this job end (default SUCCESS), unless `execute` runs them. */
  readonly outcome?: Extract<RunResultState, 'SUCCESS' | 'FAILED'>;
  /**
   * Runs the job for real (e.g. the rendered bundle's tasks against a local SQL endpoint): the run
   * stays RUNNING until the promise settles and ends with its result (a rejection is FAILED).
   */
  readonly execute?: (run: StandInExecution) => Promise<Extract<RunResultState, 'SUCCESS' | 'FAILED'>>;
}

/** What {@link StandInJob.execute} is given: the run's id, its effective job parameters and `only`. */
export interface StandInExecution {
  readonly run_id: number;
  readonly job_parameters: Readonly<Record<string, string>>;
  readonly only: readonly string[] | undefined;
}

export interface JobsApiStandInOptions {
  readonly token: string;
  readonly jobs: readonly StandInJob[];
  /** runs/get polls a run answers PENDING, then RUNNING, before it terminates (default 1 each). */
  readonly pendingPolls?: number;
  readonly runningPolls?: number;
  /** Tasks per runs/get page (Databricks: 100). */
  readonly tasksPageSize?: number;
}

/** One request as the stand-in saw it (the Authorization header is reduced to whether it matched). */
export interface StandInRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorized: boolean;
}

export interface JobsApiStandIn {
  /** `http://127.0.0.1:<port>`, usable as the client's host. */
  readonly url: string;
  readonly requests: readonly StandInRequest[];
  /** The next `count` requests to `path` (e.g. `/api/2.2/jobs/run-now`) fail with `status`, after doing nothing. */
  failNext(path: string, status: 429 | 500 | 503, count?: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
}

interface StandInRun {
  readonly run_id: number;
  readonly job: StandInJob;
  readonly start_time: number;
  polls: number;
  cancelled: boolean;
  end_time?: number;
  readonly job_parameters: Record<string, string>;
  readonly only: readonly string[] | undefined;
  /** Set by `execute` when it settles. */
  executed?: { readonly result: Extract<RunResultState, 'SUCCESS' | 'FAILED'>; readonly message: string };
}

const API = '/api/2.2/jobs';

/**
 * A local stand-in of the Databricks Jobs API 2.2 endpoints the client uses, faithful to the
 * documented shapes and errors: `{"error_code", "message"}` bodies, 401 without the token, 404
 * RESOURCE_DOES_NOT_EXIST for unknown jobs and runs, 400 INVALID_PARAMETER_VALUE for bad values
 * (limit outside 1–100, unknown job parameters, an idempotency token over 64 chars), idempotent
 * run-now, `has_more`/`next_page_token` pages, run life cycle PENDING → RUNNING → TERMINATED with
 * both `state` (deprecated) and `status`, and injectable 429 (with Retry-After) / 5xx answers.
 */
export async function startJobsApiStandIn(options: JobsApiStandInOptions): Promise<JobsApiStandIn> {
  const requests: StandInRequest[] = [];
  const faults = new Map<string, { status: number; count: number; retryAfter?: number }>();
  const runs = new Map<number, StandInRun>();
  const byToken = new Map<string, number>();
  let nextRunId = 1001;
  const pending = options.pendingPolls ?? 1;
  const running = options.runningPolls ?? 1;
  const pageSize = options.tasksPageSize ?? 100;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => send(res, 500, { error_code: 'INTERNAL_ERROR', message: 'stand-in failure' }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = Symbol.for('malformed');
    }
    const authorized = req.headers.authorization === `Bearer ${options.token}`;
    requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body: typeof body === 'symbol' ? raw : body, authorized });

    const fault = faults.get(url.pathname);
    if (fault && fault.count > 0) {
      fault.count--;
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      const error = fault.status === 429 ? { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests. Please wait a moment and try again.' } : { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'The service is temporarily unavailable.' };
      return send(res, fault.status, error, headers);
    }
    if (!authorized) return send(res, 401, { error_code: 'UNAUTHENTICATED', message: 'Credential was not sent or was of an unsupported type for this API.' });
    if (typeof body === 'symbol') return send(res, 400, { error_code: 'MALFORMED_REQUEST', message: 'Could not parse request object: Expected JSON.' });

    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case `GET ${API}/list`:
        return list(url.searchParams, res);
      case `POST ${API}/run-now`:
        return runNow(body, res);
      case `GET ${API}/runs/get`:
        return getRun(url.searchParams, res);
      case `POST ${API}/runs/cancel`:
        return cancel(body, res);
      default:
        return send(res, 404, { error_code: 'ENDPOINT_NOT_FOUND', message: `No API found for '${req.method} ${url.pathname}'` });
    }
  }

  function list(params: URLSearchParams, res: ServerResponse): void {
    const limit = params.has('limit') ? Number(params.get('limit')) : 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `The limit must be between 1 and 100, got ${params.get('limit')}.` });
    const name = params.get('name');
    const matching = options.jobs.filter((j) => name === null || j.name.toLowerCase() === name.toLowerCase());
    const offset = params.has('page_token') ? Number(Buffer.from(params.get('page_token') as string, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Invalid page token.' });
    const page = matching.slice(offset, offset + limit);
    const hasMore = offset + limit < matching.length;
    send(res, 200, {
      ...(page.length > 0 ? { jobs: page.map((j) => ({ job_id: j.job_id, created_time: 1_700_000_000_000, creator_user_name: 'cicd@example.com', settings: { name: j.name } })) } : {}),
      has_more: hasMore,
      ...(hasMore ? { next_page_token: Buffer.from(String(offset + limit)).toString('base64url') } : {}),
    });
  }

  function runNow(body: unknown, res: ServerResponse): void {
    const request = (body ?? {}) as { job_id?: unknown; job_parameters?: unknown; idempotency_token?: unknown; only?: unknown };
    if (typeof request.job_id !== 'number' || !Number.isInteger(request.job_id)) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: job_id' });
    const job = options.jobs.find((j) => j.job_id === request.job_id);
    if (!job) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Job ${request.job_id} does not exist.` });
    const token = request.idempotency_token;
    if (token !== undefined && (typeof token !== 'string' || token.length > 64)) {
      return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'The idempotency token must be at most 64 characters.' });
    }
    const params = (request.job_parameters ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(params).filter((k) => !(k in (job.parameters ?? {})));
    if (unknown.length > 0) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Job parameters ${unknown.join(', ')} are not defined in job ${job.job_id}.` });
    if (typeof token === 'string' && byToken.has(token)) return send(res, 200, { run_id: byToken.get(token), number_in_job: byToken.get(token) });
    const run: StandInRun = {
      run_id: nextRunId++,
      job,
      start_time: Date.now(),
      polls: 0,
      cancelled: false,
      job_parameters: { ...(job.parameters ?? {}), ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) },
      only: Array.isArray(request.only) ? (request.only as string[]) : undefined,
    };
    runs.set(run.run_id, run);
    if (typeof token === 'string') byToken.set(token, run.run_id);
    if (job.execute) {
      job.execute({ run_id: run.run_id, job_parameters: run.job_parameters, only: run.only }).then(
        (result) => (run.executed = { result, message: result === 'FAILED' ? 'Task failed with an error.' : '' }),
        (error: unknown) => (run.executed = { result: 'FAILED', message: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) }),
      );
    }
    send(res, 200, { run_id: run.run_id, number_in_job: run.run_id });
  }

  function getRun(params: URLSearchParams, res: ServerResponse): void {
    const id = Number(params.get('run_id'));
    if (!params.has('run_id') || !Number.isInteger(id)) return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: `Invalid run_id: ${params.get('run_id')}` });
    const run = runs.get(id);
    if (!run) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run ${id} does not exist.` });
    const firstPage = !params.has('page_token');
    if (firstPage) run.polls++;
    const view = describe(run);
    const offset = firstPage ? 0 : Number(Buffer.from(params.get('page_token') as string, 'base64url').toString());
    const tasks = view.tasks ?? [];
    const page = tasks.slice(offset, offset + pageSize);
    const more = offset + pageSize < tasks.length;
    send(res, 200, { ...view, tasks: page, ...(more ? { next_page_token: Buffer.from(String(offset + pageSize)).toString('base64url') } : {}) });
  }

  function cancel(body: unknown, res: ServerResponse): void {
    const id = (body as { run_id?: unknown } | undefined)?.run_id;
    if (typeof id !== 'number') return send(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Missing required field: run_id' });
    const run = runs.get(id);
    if (!run) return send(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run ${id} does not exist.` });
    if (!isTerminated(run)) run.cancelled = true;
    send(res, 200, {});
  }

  function isTerminated(run: StandInRun): boolean {
    return run.cancelled || (run.job.execute ? run.polls > pending && run.executed !== undefined : run.polls > pending + running);
  }

  function describe(run: StandInRun): JobRun {
    const phase = run.cancelled ? 'TERMINATED' : run.polls <= pending ? 'PENDING' : isTerminated(run) ? 'TERMINATED' : 'RUNNING';
    const result: RunResultState | undefined = phase !== 'TERMINATED' ? undefined : run.cancelled ? 'CANCELED' : (run.executed?.result ?? run.job.outcome ?? 'SUCCESS');
    if (phase === 'TERMINATED') run.end_time ??= Date.now();
    const message = run.executed?.message || (result === 'FAILED' ? 'Task failed with an error.' : result === 'CANCELED' ? 'Run cancelled by the user.' : '');
    const state = { life_cycle_state: phase, ...(result ? { result_state: result } : {}), state_message: message, user_cancelled_or_timedout: run.cancelled };
    const status = {
      state: phase,
      ...(result ? { termination_details: { code: result === 'SUCCESS' ? 'SUCCESS' : result === 'CANCELED' ? 'USER_CANCELED' : 'RUN_EXECUTION_ERROR', type: result === 'FAILED' ? 'CLIENT_ERROR' : 'SUCCESS', message } } : {}),
    } as JobRun['status'];
    const keys = (run.job.tasks ?? ['main']).filter((k) => !run.only || run.only.includes(k));
    const tasks: RunTask[] = keys.map((task_key, i) => ({ task_key, run_id: run.run_id * 1000 + i, state: state as RunTask['state'], ...(status ? { status } : {}), start_time: run.start_time }));
    return {
      job_id: run.job.job_id,
      run_id: run.run_id,
      run_name: run.job.name,
      run_page_url: `https://stand-in.example/jobs/${run.job.job_id}/runs/${run.run_id}`,
      start_time: phase === 'PENDING' ? 0 : run.start_time,
      end_time: run.end_time ?? 0,
      state: state as JobRun['state'],
      ...(status ? { status } : {}),
      tasks,
      job_parameters: Object.entries(run.job_parameters).map(([name, value]) => ({ name, value, default: run.job.parameters?.[name] ?? '' })),
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(path, status, count = 1, retryAfterSeconds) {
      faults.set(path, { status, count, ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}) });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
