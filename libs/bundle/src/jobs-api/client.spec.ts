import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobsApiClient } from './client.js';
import { JobsApiError } from './errors.js';
import { startJobsApiStandIn, type JobsApiStandIn } from './testing/stand-in.js';

const TOKEN = 'dapi-test-token';
const noSleep = { sleep: async () => undefined, baseDelayMs: 1 };

describe('JobsApiClient against the Jobs API 2.2 stand-in', () => {
  let api: JobsApiStandIn;
  let client: JobsApiClient;
  const waits: number[] = [];

  beforeEach(async () => {
    waits.length = 0;
    api = await startJobsApiStandIn({
      token: TOKEN,
      tasksPageSize: 2,
      jobs: [
        { job_id: 11, name: 'odoo-ce BIR compliance (prod)', tasks: ['bronze_to_silver', 'general_ledger', 'bir_1601c'], parameters: { period: '', run_date: '' } },
        { job_id: 12, name: 'odoo-ce Scout daily sync (prod)', outcome: 'FAILED' },
        { job_id: 13, name: 'dup' },
        { job_id: 14, name: 'DUP' },
        ...Array.from({ length: 130 }, (_, i) => ({ job_id: 100 + i, name: 'filler' })),
      ],
    });
    client = new JobsApiClient({ host: api.url, token: TOKEN, retry: { ...noSleep, sleep: async (ms: number) => void waits.push(ms) } });
  });
  afterEach(() => api.close());

  it('finds a job by name (case-insensitive, as the API filters) and sends the bearer token', async () => {
    const job = await client.findJobByName('ODOO-CE bir compliance (prod)');
    expect(job.job_id).toBe(11);
    expect(api.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/2.2/jobs/list', query: { name: 'ODOO-CE bir compliance (prod)', limit: '100' }, authorized: true });
  });

  it('follows next_page_token across jobs/list pages (130 matches, 100 per page)', async () => {
    const all = await client.listJobsByName('filler');
    expect(all).toHaveLength(130);
    expect(new Set(all.map((j) => j.job_id)).size).toBe(130);
    const lists = api.requests.filter((r) => r.path === '/api/2.2/jobs/list');
    expect(lists.map((r) => r.query['page_token'] !== undefined)).toEqual([false, true]);
  });

  it('says JOB_NOT_FOUND and AMBIGUOUS_JOB instead of guessing', async () => {
    await expect(client.findJobByName('nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(client.findJobByName('dup')).rejects.toMatchObject({ code: 'AMBIGUOUS_JOB', message: expect.stringContaining('13, 14') });
  });

  it('runs a job and polls it PENDING → RUNNING → TERMINATED SUCCESS, joining paged tasks', async () => {
    const started = await client.runNow({ job_id: 11, job_parameters: { period: '2025-01' } });
    expect(started.run_id).toBeGreaterThan(0);
    expect(started.idempotency_token).toMatch(/^[0-9a-f-]{36}$/);
    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await client.getRun(started.run_id);
      states.push(`${run.status?.state}/${run.state?.result_state ?? '-'}`);
      expect(run.tasks?.map((t) => t.task_key)).toEqual(['bronze_to_silver', 'general_ledger', 'bir_1601c']);
    }
    expect(states).toEqual(['PENDING/-', 'RUNNING/-', 'TERMINATED/SUCCESS']);
    const final = await client.getRun(started.run_id);
    expect(final.job_parameters).toContainEqual({ name: 'period', value: '2025-01', default: '' });
  });

  it('returns the same run for the same idempotency token', async () => {
    const a = await client.runNow({ job_id: 11, idempotency_token: 'agent-call-1' });
    const b = await client.runNow({ job_id: 11, idempotency_token: 'agent-call-1' });
    const c = await client.runNow({ job_id: 11, idempotency_token: 'agent-call-2' });
    expect(b.run_id).toBe(a.run_id);
    expect(c.run_id).not.toBe(a.run_id);
  });

  it('cancels a run', async () => {
    const { run_id } = await client.runNow({ job_id: 11 });
    await client.cancelRun(run_id);
    const run = await client.getRun(run_id);
    expect(run.status?.state).toBe('TERMINATED');
    expect(run.state?.result_state).toBe('CANCELED');
  });

  it('reports a failed run as TERMINATED FAILED', async () => {
    const { run_id } = await client.runNow({ job_id: 12 });
    let run = await client.getRun(run_id);
    while (run.status?.state !== 'TERMINATED') run = await client.getRun(run_id);
    expect(run.state?.result_state).toBe('FAILED');
    expect(run.status?.termination_details?.type).toBe('CLIENT_ERROR');
  });

  it('a job the stand-in executes stays RUNNING until the execution settles, then reports its result and message', async () => {
    let finish: (ok: boolean) => void = () => undefined;
    const seen: unknown[] = [];
    const executing = await startJobsApiStandIn({
      token: TOKEN,
      jobs: [{ job_id: 21, name: 'executed', parameters: { seed: '42' }, execute: (run) => (seen.push(run), new Promise((resolve, reject) => (finish = (ok) => (ok ? resolve('SUCCESS') : reject(new Error('gate failed: id_unique\nstack')))))) }],
    });
    try {
      const c = new JobsApiClient({ host: executing.url, token: TOKEN, retry: noSleep });
      const { run_id } = await c.runNow({ job_id: 21, job_parameters: { seed: '7' } });
      expect(seen).toEqual([{ run_id, job_parameters: { seed: '7' }, only: undefined }]);
      for (let i = 0; i < 4; i++) await c.getRun(run_id);
      expect((await c.getRun(run_id)).status?.state).toBe('RUNNING');
      finish(false);
      await new Promise((r) => setImmediate(r));
      const run = await c.getRun(run_id);
      expect(run.state).toMatchObject({ life_cycle_state: 'TERMINATED', result_state: 'FAILED', state_message: 'gate failed: id_unique' });
    } finally {
      await executing.close();
    }
  });

  it('maps 404 RESOURCE_DOES_NOT_EXIST to NOT_FOUND without retrying', async () => {
    const before = api.requests.length;
    const error = await client.getRun(999_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobsApiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'GET /api/2.2/jobs/runs/get: HTTP 404 RESOURCE_DOES_NOT_EXIST: Run 999999 does not exist.' });
    expect(api.requests.length - before).toBe(1);
    await expect(client.runNow({ job_id: 4242 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('maps 400 INVALID_PARAMETER_VALUE to INVALID_REQUEST with the workspace message', async () => {
    await expect(client.runNow({ job_id: 11, job_parameters: { nope: 'x' } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
      message: expect.stringContaining('INVALID_PARAMETER_VALUE: Job parameters nope are not defined'),
    });
    await expect(client.runNow({ job_id: 11, idempotency_token: 'x'.repeat(65) })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    api.failNext('/api/2.2/jobs/run-now', 429, 2, 3);
    const { run_id } = await client.runNow({ job_id: 11, idempotency_token: 'retry-me' });
    expect(waits).toEqual([3000, 3000]);
    const runNows = api.requests.filter((r) => r.path === '/api/2.2/jobs/run-now');
    expect(runNows).toHaveLength(3);
    // Every attempt carried the same token, so a retry can never start a second run.
    expect(new Set(runNows.map((r) => (r.body as { idempotency_token: string }).idempotency_token))).toEqual(new Set(['retry-me']));
    expect(run_id).toBeGreaterThan(0);
  });

  it('retries 5xx with backoff and gives up after maxAttempts with SERVER_ERROR', async () => {
    api.failNext('/api/2.2/jobs/runs/get', 503, 10);
    const limited = new JobsApiClient({ host: api.url, token: TOKEN, retry: { ...noSleep, maxAttempts: 3 } });
    await expect(limited.getRun(1001)).rejects.toMatchObject({ code: 'SERVER_ERROR', status: 503 });
    expect(api.requests.filter((r) => r.path === '/api/2.2/jobs/runs/get')).toHaveLength(3);
  });

  it('says UNAUTHENTICATED for a wrong token and never puts the token in a message', async () => {
    const wrong = new JobsApiClient({ host: api.url, token: 'dapi-wrong-secret', retry: noSleep });
    const error = (await wrong.findJobByName('x').catch((e: unknown) => e)) as JobsApiError;
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).not.toContain('dapi-wrong-secret');
    expect(api.requests.at(-1)?.authorized).toBe(false);
  });

  it('says NETWORK when the workspace cannot be reached', async () => {
    const url = api.url;
    await api.close();
    const offline = new JobsApiClient({ host: url, token: TOKEN, retry: { ...noSleep, maxAttempts: 2 } });
    await expect(offline.getRun(1)).rejects.toMatchObject({ code: 'NETWORK' });
    api = await startJobsApiStandIn({ token: TOKEN, jobs: [] });
  });

  it('checks its configuration up front', () => {
    expect(() => JobsApiClient.fromEnv({})).toThrow('DATABRICKS_HOST and DATABRICKS_TOKEN must be set');
    expect(() => new JobsApiClient({ host: 'not a host/x', token: 't' })).toThrow('expected a workspace hostname');
  });
});
