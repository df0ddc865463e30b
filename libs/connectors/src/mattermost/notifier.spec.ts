import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { ConfigError } from '@odoo-ce/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadMattermostSettings, maskWebhookUrl, MattermostError, MattermostNotifier } from './notifier.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

describe('MattermostNotifier against a local webhook server', () => {
  let server: Server;
  let base: string;
  const requests: Recorded[] = [];
  /** Responses to inject, in order; then 200. */
  let script: { status: number; headers?: Record<string, string>; body?: string }[] = [];
  const delays: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    delays.push(ms);
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: JSON.parse(data) as Record<string, unknown> });
        const next = script.shift() ?? { status: 200, body: 'ok' };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    requests.length = 0;
    delays.length = 0;
    script = [];
  });

  const notifier = (): MattermostNotifier =>
    new MattermostNotifier({ ...loadMattermostSettings({ MATTERMOST_WEBHOOK_URL: `${base}/hooks/secretkey123`, MATTERMOST_CHANNEL: 'etl-alerts' }), retry: { maxAttempts: 4, baseDelayMs: 1, sleep } });

  it('posts a job success message', async () => {
    const mm = notifier();
    await mm.notifyJobSucceeded({ runId: 'run-42', job: 'bir_etl', target: 'dev', durationMs: 12_345, tasks: 9 });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/hooks/secretkey123', body: { channel: 'etl-alerts', props: { event: 'job.succeeded', run_id: 'run-42', job: 'bir_etl' } } });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
    expect(requests[0]?.body['text']).toContain('**bir_etl** succeeded — run `run-42` · target `dev` · 9 task(s) · 12.3 s');
  });

  it('posts a job failure and a data-quality failure with failing expectations and counts', async () => {
    const mm = notifier();
    await mm.notifyJobFailed({ runId: 'run-7', job: 'scout_daily_sync', error: 'quality gate failed', failedTasks: ['scout_quality_gate'] });
    await mm.notifyDataQualityFailed({
      runId: 'run-7',
      job: 'scout_daily_sync',
      suite: 'silver.yml',
      failures: [
        { expectation: 'amount_not_null', table: 'silver.scout.transactions_candidates', action: 'drop', failedRows: 12, totalRows: 10_000 },
        { expectation: 'agency | known', action: 'fail', failedRows: 3 },
        { expectation: 'row_count_positive', table: 'silver.scout.transactions', action: 'fail', failedRows: null, totalRows: 0 },
      ],
    });
    const [failed, dq] = requests.map((r) => r.body['text'] as string);
    expect(failed).toContain(':x: **scout_daily_sync** failed — run `run-7`');
    expect(failed).toContain('`scout_quality_gate`');
    expect(failed).toContain('quality gate failed');
    expect(dq).toContain('**data quality failed** in **scout_daily_sync** — run `run-7` · suite `silver.yml` · 3 expectation(s)');
    expect(dq).toContain('| amount_not_null | silver.scout.transactions_candidates | drop | 12 / 10000 |');
    expect(dq).toContain('| agency \\| known |  | fail | 3 |');
    expect(dq).toContain('| row_count_positive | silver.scout.transactions | fail | table-level |');
  });

  it('retries 429 after Retry-After and 500 with backoff, then succeeds', async () => {
    script = [{ status: 429, headers: { 'retry-after': '2' } }, { status: 500, body: 'boom' }];
    const mm = notifier();
    await mm.notifyJobSucceeded({ runId: 'r', job: 'j' });
    expect(requests).toHaveLength(3);
    expect(mm.attempts).toBe(3);
    expect(delays[0]).toBe(2000);
    expect(delays[1]).toBeLessThanOrEqual(2);
    expect(new Set(requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('does not retry a 400, gives up after maxAttempts on 5xx, and never shows the webhook key', async () => {
    script = [{ status: 400, body: 'Unable to parse incoming data' }];
    const rejected = await notifier().notifyJobSucceeded({ runId: 'r', job: 'j' }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(MattermostError);
    expect((rejected as MattermostError).code).toBe('REJECTED');
    expect((rejected as Error).message).toContain('Unable to parse incoming data');
    expect(requests).toHaveLength(1);

    script = [500, 502, 503, 504].map((status) => ({ status }));
    const exhausted = await notifier().notifyJobSucceeded({ runId: 'r', job: 'j' }).catch((e: unknown) => e);
    expect((exhausted as MattermostError).code).toBe('HTTP_ERROR');
    expect((exhausted as MattermostError).status).toBe(504);
    expect(requests).toHaveLength(5);
    for (const e of [rejected, exhausted]) expect(JSON.stringify({ m: (e as Error).message, d: (e as MattermostError).data })).not.toContain('secretkey123');
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const mm = new MattermostNotifier({ webhookUrl: 'http://127.0.0.1:1/hooks/secretkey123', retry: { maxAttempts: 2, baseDelayMs: 1, sleep } });
    const error = await mm.notifyJobSucceeded({ runId: 'r', job: 'j' }).catch((e: unknown) => e);
    expect((error as MattermostError).code).toBe('NETWORK_ERROR');
    expect((error as Error).message).not.toContain('secretkey123');
    expect(mm.attempts).toBe(2);
  });
});

describe('loadMattermostSettings', () => {
  it('validates the URL and masks its key', () => {
    expect(() => loadMattermostSettings({})).toThrow(ConfigError);
    let error: unknown;
    try {
      loadMattermostSettings({ MATTERMOST_WEBHOOK_URL: 'ftp://chat.example.ph/hooks/abcdef' });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toContain('ftp://chat.example.ph/hooks/***');
    expect((error as Error).message).not.toContain('abcdef');
    expect(maskWebhookUrl('https://chat.example.ph/hooks/abc?x=1')).toBe('https://chat.example.ph/hooks/***');
  });
});
