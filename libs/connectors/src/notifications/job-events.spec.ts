import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { ConfigError } from '@odoo-ce/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobEventNotifier, loadJobNotificationConfig, type JobNotificationConfig, type JobRunEvent } from './index.js';

interface Recorded {
  url: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

/** A local HTTP server standing in for Mattermost (`/hooks/…`) and n8n (`/webhook/…`), with scripted answers per path prefix. */
describe('JobEventNotifier against local Mattermost and n8n stand-ins', () => {
  let server: Server;
  let base: string;
  const requests: Recorded[] = [];
  let scripts: Record<string, { status: number; headers?: Record<string, string> }[]> = {};
  const delays: number[] = [];
  const warnings: object[] = [];
  const logger = { info: () => undefined, warn: (o: object) => void warnings.push(o), error: () => undefined };
  const sleep = async (ms: number): Promise<void> => void delays.push(ms);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', headers: req.headers, raw: data, body: JSON.parse(data) as Record<string, unknown> });
        const prefix = (req.url ?? '').split('/')[1] ?? '';
        const next = scripts[prefix]?.shift() ?? { status: 200 };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.status === 200 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests.length = 0;
    delays.length = 0;
    warnings.length = 0;
    scripts = {};
  });

  const config = (overrides: Partial<JobNotificationConfig> = {}): JobNotificationConfig => ({
    events: new Set(['job.failed', 'dq.failed']),
    mattermost: { webhookUrl: `${base}/hooks/mm-secret-key`, channel: 'etl-alerts', retry: { maxAttempts: 3, baseDelayMs: 1, sleep } },
    n8n: { urls: [`${base}/webhook/n8n-secret-path`], secret: 'n8n-shared-secret-16+', retry: { maxAttempts: 3, baseDelayMs: 1, sleep } },
    ...overrides,
  });

  const failedRun = (runId: string, job = 'scout_daily_sync'): JobRunEvent[] => [
    { type: 'run.started', runId, job, target: 'dev', tasks: ['load', 'gate', 'publish'] },
    { type: 'task.started', runId },
    { type: 'task.finished', runId, task: 'load', status: 'succeeded', error: null },
    { type: 'task.finished', runId, task: 'gate', status: 'failed', error: '[EXPECTATION_FAILED] 1 expectation with action fail failed on silver.scout.transactions_candidates: id_unique\nmore detail' },
    { type: 'task.finished', runId, task: 'publish', status: 'upstream_failed', error: null },
    { type: 'run.finished', runId, status: 'failed' },
  ];

  it('batches a failed run into one job.failed and one dq.failed, to Mattermost and (signed) to n8n', async () => {
    const lookups: string[] = [];
    const notifier = new JobEventNotifier(config(), {
      logger,
      dataQualityFailures: async (runId) => {
        lookups.push(runId);
        return [
          { expectation: 'id_unique', table: 'silver.scout.transactions_candidates', action: 'fail', failedRows: 4, totalRows: 1000 },
          { expectation: 'amount_parsed', table: 'silver.scout.transactions_candidates', action: 'drop', failedRows: 12, totalRows: 1000 },
        ];
      },
    });
    const events = failedRun('run-7');
    // Nothing is sent before the run finishes.
    for (const event of events.slice(0, -1)) notifier.onEvent(event);
    await notifier.flush();
    expect(requests).toHaveLength(0);
    notifier.onEvent(events[events.length - 1] as JobRunEvent);
    await notifier.flush();

    expect(lookups).toEqual(['run-7']);
    const mm = requests.filter((r) => r.url.startsWith('/hooks/')).map((r) => r.body);
    expect(mm.map((b) => (b['props'] as { event: string }).event).sort()).toEqual(['dq.failed', 'job.failed']);
    const failed = mm.find((b) => (b['props'] as { event: string }).event === 'job.failed') as { text: string; channel: string };
    expect(failed.channel).toBe('etl-alerts');
    expect(failed.text).toContain(':x: **scout_daily_sync** failed — run `run-7` · target `dev`');
    expect(failed.text).toContain('failed task(s): `gate`');
    expect(failed.text).toContain('gate: [EXPECTATION_FAILED] 1 expectation with action fail failed on silver.scout.transactions_candidates: id_unique');
    expect(failed.text).not.toContain('more detail');
    const dq = mm.find((b) => (b['props'] as { event: string }).event === 'dq.failed') as { text: string };
    expect(dq.text).toContain('**data quality failed** in **scout_daily_sync** — run `run-7` · 2 expectation(s)');
    expect(dq.text).toContain('| id_unique | silver.scout.transactions_candidates | fail | 4 / 1000 |');
    expect(dq.text).toContain('| amount_parsed | silver.scout.transactions_candidates | drop | 12 / 1000 |');

    const n8n = requests.filter((r) => r.url === '/webhook/n8n-secret-path');
    expect(n8n.map((r) => r.body['event_type']).sort()).toEqual(['dq.failed', 'job.failed']);
    for (const r of n8n) {
      expect(r.headers['x-n8n-signature']).toBe(`sha256=${createHmac('sha256', 'n8n-shared-secret-16+').update(r.raw).digest('hex')}`);
      expect(r.headers['idempotency-key']).toBe(`run-7:${String(r.body['event_type'])}`);
    }
    expect(n8n.find((r) => r.body['event_type'] === 'job.failed')?.body).toMatchObject({ run_id: 'run-7', job: 'scout_daily_sync', target: 'dev', status: 'failed', failed_tasks: ['gate'] });
    expect(n8n.find((r) => r.body['event_type'] === 'dq.failed')?.body).toMatchObject({ run_id: 'run-7', failures: [{ expectation: 'id_unique', failedRows: 4 }, { expectation: 'amount_parsed', failedRows: 12 }] });
    expect(notifier.outcomes.every((o) => o.ok)).toBe(true);
    expect(notifier.outcomes).toHaveLength(4);
  });

  it('sends job.succeeded only when configured, and only for the configured jobs', async () => {
    const ok = (runId: string, job: string): JobRunEvent[] => [
      { type: 'run.started', runId, job, target: 'local', tasks: ['a', 'b'] },
      { type: 'run.finished', runId, status: 'succeeded' },
    ];
    const quiet = new JobEventNotifier(config(), { logger });
    for (const e of ok('r1', 'bir_etl')) quiet.onEvent(e);
    await quiet.flush();
    expect(requests).toHaveLength(0);

    const chatty = new JobEventNotifier(config({ events: new Set(['job.succeeded']), jobs: new Set(['bir_etl']), n8n: { urls: [] } }), { logger, now: (() => { let t = 0; return () => (t += 1500); })() });
    for (const e of [...ok('r2', 'bir_etl'), ...ok('r3', 'other_job')]) chatty.onEvent(e);
    await chatty.flush();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body['text']).toBe(':white_check_mark: **bir_etl** succeeded — run `r2` · target `local` · 2 task(s) · 1.5 s');
  });

  it('honours 429 Retry-After, bounds retries, and never throws: failures are warnings without the secret paths', async () => {
    scripts = { hooks: [{ status: 429, headers: { 'retry-after': '3' } }], webhook: [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }] };
    const notifier = new JobEventNotifier(config({ events: new Set(['job.failed']) }), { logger });
    for (const e of failedRun('run-9')) notifier.onEvent(e);
    await expect(notifier.flush()).resolves.toBeUndefined();
    expect(requests.filter((r) => r.url.startsWith('/hooks/'))).toHaveLength(2);
    expect(delays).toContain(3000);
    // maxAttempts 3: three tries at n8n, then it gives up (the 4th scripted 503 is never requested).
    expect(requests.filter((r) => r.url.startsWith('/webhook/'))).toHaveLength(3);
    expect(notifier.outcomes).toHaveLength(2);
    expect(notifier.outcomes).toEqual(expect.arrayContaining([
      expect.objectContaining({ channel: 'mattermost', kind: 'job.failed', ok: true }),
      expect.objectContaining({ channel: 'n8n', kind: 'job.failed', ok: false, error: expect.stringContaining('answered 503') as unknown }),
    ]));
    const failure = warnings.find((w) => (w as { event?: string }).event === 'notify.failed');
    expect(failure).toMatchObject({ channel: 'n8n', kind: 'job.failed', run_id: 'run-9' });
    expect(JSON.stringify(warnings)).not.toContain('n8n-secret-path');
    expect(JSON.stringify(warnings)).not.toContain('mm-secret-key');
  });

  it('a failing data-quality lookup is a warning; the job notification still goes out', async () => {
    const notifier = new JobEventNotifier(config({ n8n: { urls: [] } }), {
      logger,
      dataQualityFailures: () => Promise.reject(new Error('ops catalog unavailable')),
    });
    for (const e of failedRun('run-10')) notifier.onEvent(e);
    await notifier.flush();
    expect(requests.map((r) => (r.body['props'] as { event: string }).event)).toEqual(['job.failed']);
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'notify.dq_lookup_failed', run_id: 'run-10', error: 'ops catalog unavailable' }));
  });
});

describe('loadJobNotificationConfig', () => {
  it('is undefined without a channel, defaults to failures, and reads events, jobs and channels', () => {
    expect(loadJobNotificationConfig({})).toBeUndefined();
    const defaults = loadJobNotificationConfig({ MATTERMOST_WEBHOOK_URL: 'https://chat.example.ph/hooks/abc123' });
    expect([...(defaults?.events ?? [])]).toEqual(['job.failed', 'dq.failed']);
    expect(defaults?.n8n).toBeUndefined();
    const full = loadJobNotificationConfig({
      N8N_WORKFLOW_WEBHOOK_URLS: 'https://n8n.example.ph/webhook/a, https://n8n.example.ph/webhook/b',
      ETL_NOTIFY_EVENTS: 'job.succeeded, dq.failed',
      ETL_NOTIFY_JOBS: 'bir_etl,scout_daily_sync',
      MATTERMOST_WEBHOOK_URL: 'https://chat.example.ph/hooks/abc123',
      MATTERMOST_CHANNEL: 'etl',
    });
    expect(full).toMatchObject({ mattermost: { webhookUrl: 'https://chat.example.ph/hooks/abc123', channel: 'etl' }, n8n: { urls: ['https://n8n.example.ph/webhook/a', 'https://n8n.example.ph/webhook/b'] } });
    expect(full?.n8n?.secret).toBeUndefined();
    expect([...(full?.events ?? [])]).toEqual(['job.succeeded', 'dq.failed']);
    expect([...(full?.jobs ?? [])]).toEqual(['bir_etl', 'scout_daily_sync']);
  });

  it('names every bad setting in one ConfigError, with URL secrets masked', () => {
    let error: unknown;
    try {
      loadJobNotificationConfig({ MATTERMOST_WEBHOOK_URL: 'ftp://chat.example.ph/hooks/topsecret', N8N_WORKFLOW_WEBHOOK_URLS: 'not a url/secretpath', ETL_NOTIFY_EVENTS: 'job.failed,job.exploded' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('ETL_NOTIFY_EVENTS = job.failed,job.exploded: expected comma-separated job.succeeded, job.failed, dq.failed');
    expect(message).toContain('MATTERMOST_WEBHOOK_URL = ftp://chat.example.ph/hooks/***');
    expect(message).toContain('N8N_WORKFLOW_WEBHOOK_URLS');
    expect(message).not.toContain('topsecret');
    expect(message).not.toContain('secretpath');
  });
});
