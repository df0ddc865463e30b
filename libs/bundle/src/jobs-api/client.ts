import { randomUUID } from 'node:crypto';
import { parseRetryAfter, retry, type RetryOptions } from '@odoo-ce/common';
import { JobsApiError, type JobsApiErrorCode } from './errors.js';
import type { BaseJob, JobRun, RunNowRequest, RunNowResponse, RunTask } from './types.js';

export interface JobsApiClientOptions {
  /** Workspace host: `adb-123.4.azuredatabricks.net`, `https://…`, or `http://127.0.0.1:port` for a local stand-in. */
  readonly host: string;
  /** A personal access token or an OAuth access token. Sent only as `Authorization: Bearer`. */
  readonly token: string;
  /** Retries of 429, 5xx and network failures (default: 5 attempts, Retry-After honoured, 60 s budget). */
  readonly retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxElapsedMs' | 'sleep' | 'onRetry'>;
  /** Per-request timeout in ms (default 30 s). */
  readonly requestTimeoutMs?: number;
  readonly fetch?: typeof fetch;
}

const API = '/api/2.2/jobs';

/**
 * A small Databricks Jobs API 2.2 client: the calls the MCP server needs to run a deployed bundle
 * job and follow it (`jobs/list` by name, `run-now`, `runs/get`, `runs/cancel`).
 *
 * Retries 429 (honouring Retry-After), 5xx and network failures with backoff. `run-now` always
 * carries an idempotency token (a fresh one when the caller gives none), so a retried request never
 * starts a second run.
 *
 * @example
 * const jobs = JobsApiClient.fromEnv(process.env);
 * const job = await jobs.findJobByName('odoo-ce BIR compliance (prod)');
 * const { run_id } = await jobs.runNow({ job_id: job.job_id, job_parameters: { period: '2025-01' } });
 */
export class JobsApiClient {
  readonly #base: string;
  readonly #token: string;
  readonly #fetch: typeof fetch;
  readonly #retry: JobsApiClientOptions['retry'];
  readonly #timeoutMs: number;

  constructor(options: JobsApiClientOptions) {
    if (!options.token) throw new JobsApiError('INVALID_CONFIG', 'Jobs API: a token is required (DATABRICKS_TOKEN)');
    const host = options.host.trim().replace(/\/+$/, '');
    if (!/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
      throw new JobsApiError('INVALID_CONFIG', `Jobs API: host = ${JSON.stringify(options.host)}: expected a workspace hostname such as adb-123.4.azuredatabricks.net`);
    }
    this.#base = /^https?:\/\//.test(host) ? host : `https://${host}`;
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
    this.#retry = options.retry;
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /** From `DATABRICKS_HOST` and `DATABRICKS_TOKEN`. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>, options: Omit<JobsApiClientOptions, 'host' | 'token'> = {}): JobsApiClient {
    const host = env['DATABRICKS_HOST'];
    const token = env['DATABRICKS_TOKEN'];
    if (!host || !token) {
      const missing = [!host ? 'DATABRICKS_HOST' : undefined, !token ? 'DATABRICKS_TOKEN' : undefined].filter(Boolean).join(' and ');
      throw new JobsApiError('INVALID_CONFIG', `Jobs API: ${missing} must be set`);
    }
    return new JobsApiClient({ ...options, host, token });
  }

  /** Every job whose name equals `name` (case-insensitive, as the API filters), across pages. */
  async listJobsByName(name: string, signal?: AbortSignal): Promise<BaseJob[]> {
    const jobs: BaseJob[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#call<{ jobs?: BaseJob[]; has_more?: boolean; next_page_token?: string }>('GET', `${API}/list`, { query: { name, limit: '100', ...(pageToken ? { page_token: pageToken } : {}) }, signal });
      jobs.push(...(page.jobs ?? []));
      pageToken = page.has_more ? page.next_page_token : undefined;
    } while (pageToken);
    return jobs.filter((j) => (j.settings?.name ?? '').toLowerCase() === name.toLowerCase());
  }

  /** The one job named `name`; JOB_NOT_FOUND or AMBIGUOUS_JOB otherwise. */
  async findJobByName(name: string, signal?: AbortSignal): Promise<BaseJob> {
    const jobs = await this.listJobsByName(name, signal);
    if (jobs.length === 0) throw new JobsApiError('JOB_NOT_FOUND', `no job named ${JSON.stringify(name)} in the workspace; deploy the bundle first`, { data: { name } });
    if (jobs.length > 1) {
      throw new JobsApiError('AMBIGUOUS_JOB', `${jobs.length} jobs are named ${JSON.stringify(name)} (ids ${jobs.map((j) => j.job_id).join(', ')}); rename or delete the extra ones`, { data: { name } });
    }
    return jobs[0] as BaseJob;
  }

  /** Starts a run. The idempotency token makes retries (ours or the caller's) return the same run. */
  async runNow(request: RunNowRequest, signal?: AbortSignal): Promise<RunNowResponse & { readonly idempotency_token: string }> {
    const token = request.idempotency_token ?? randomUUID();
    if (token.length > 64) throw new JobsApiError('INVALID_REQUEST', `idempotency_token: at most 64 characters, got ${token.length}`);
    const response = await this.#call<RunNowResponse>('POST', `${API}/run-now`, { body: { ...request, idempotency_token: token }, signal });
    return { ...response, idempotency_token: token };
  }

  /** A run with all its tasks (2.2 pages task arrays over 100; the pages are joined here). */
  async getRun(runId: number, signal?: AbortSignal): Promise<JobRun> {
    const first = await this.#call<JobRun & { next_page_token?: string }>('GET', `${API}/runs/get`, { query: { run_id: String(runId) }, signal });
    const tasks: RunTask[] = [...(first.tasks ?? [])];
    let pageToken = first.next_page_token;
    while (pageToken) {
      const page = await this.#call<JobRun & { next_page_token?: string }>('GET', `${API}/runs/get`, { query: { run_id: String(runId), page_token: pageToken }, signal });
      tasks.push(...(page.tasks ?? []));
      pageToken = page.next_page_token;
    }
    const run: JobRun & { next_page_token?: string } = { ...first, tasks };
    delete run.next_page_token;
    return run;
  }

  /** Asks the workspace to cancel a run (asynchronous: poll `getRun` for TERMINATED). */
  async cancelRun(runId: number, signal?: AbortSignal): Promise<void> {
    await this.#call<object>('POST', `${API}/runs/cancel`, { body: { run_id: runId }, signal });
  }

  async #call<T>(method: 'GET' | 'POST', path: string, options: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal | undefined }): Promise<T> {
    const url = new URL(path, this.#base);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const what = `${method} ${path}`;
    return retry(
      async () => {
        const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(this.#timeoutMs)]) : AbortSignal.timeout(this.#timeoutMs);
        let response: Response;
        try {
          response = await this.#fetch(url, {
            method,
            headers: { Authorization: `Bearer ${this.#token}`, Accept: 'application/json', ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
            ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
            signal,
          });
        } catch (error) {
          if (options.signal?.aborted) throw error;
          throw new JobsApiError('NETWORK', `${what}: the workspace at ${url.host} could not be reached (${error instanceof Error ? error.message : String(error)})`, { data: { retryable: true } });
        }
        const text = await response.text();
        if (!response.ok) throw httpError(what, response, text);
        try {
          return (text === '' ? {} : JSON.parse(text)) as T;
        } catch {
          throw new JobsApiError('SERVER_ERROR', `${what}: the answer is not JSON (HTTP ${response.status})`, { data: { status: response.status } });
        }
      },
      {
        maxAttempts: 5,
        maxElapsedMs: 60_000,
        ...this.#retry,
        ...(options.signal ? { signal: options.signal } : {}),
        isRetryable: (error) => error instanceof JobsApiError && error.data?.['retryable'] === true,
        retryAfterMs: (error) => (error instanceof JobsApiError ? (error.data?.['retryAfterMs'] as number | undefined) : undefined),
      },
    );
  }
}

/** Databricks error bodies are `{"error_code": "...", "message": "..."}`; the code maps by HTTP status first. */
function httpError(what: string, response: Response, text: string): JobsApiError {
  let errorCode: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.error_code === 'string') errorCode = body.error_code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const status = response.status;
  const code: JobsApiErrorCode =
    status === 404 || errorCode === 'RESOURCE_DOES_NOT_EXIST'
      ? 'NOT_FOUND'
      : status === 401
        ? 'UNAUTHENTICATED'
        : status === 403
          ? 'PERMISSION_DENIED'
          : status === 429
            ? 'RATE_LIMITED'
            : status >= 500
              ? 'SERVER_ERROR'
              : 'INVALID_REQUEST';
  const retryable = status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return new JobsApiError(code, `${what}: HTTP ${status}${errorCode ? ` ${errorCode}` : ''}${message ? `: ${message.slice(0, 500)}` : ''}`, {
    data: { status, retryable, ...(errorCode ? { errorCode } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  });
}
