import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request } from 'node:http';
import { ConfigError } from '@odoo-ce/common';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadN8nSettings, N8nWorkflowTrigger, signN8nPayload, startN8nWebhookReceiver, verifyN8nSignature, type N8nReceiver } from './index.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const SECRET = 'n8n-test-secret-0123456789';

interface Reply {
  status: number;
  body: { ok: boolean; id?: string; duplicate?: boolean; error?: { code: string; message: string; issues?: { path: string; message: string }[] } };
}

/** A raw POST over loopback (node:http, so the body and headers are exactly what we say). */
function post(url: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Reply['body'] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const signed = (body: string): Record<string, string> => ({ 'x-n8n-signature': signN8nPayload(SECRET, body) });

const event = (id: string, data: Record<string, unknown> = {}): string =>
  JSON.stringify({
    event_id: id,
    event_type: 'scout.transaction.submitted',
    occurred_at: '2026-03-01T08:00:00Z',
    data: { id: 'txn-x1', agency: 'RIM', vendor: 'Globe Telecom', category: 'utilities', amount: '1250.00', transaction_date: '2026-02-28', ...data },
  });

describe('n8n webhook receiver (real HTTP on 127.0.0.1)', () => {
  let warehouse: Warehouse;
  let receiver: N8nReceiver;

  beforeAll(async () => {
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    receiver = await startN8nWebhookReceiver(warehouse, { secret: SECRET, maxBodyBytes: 4096 });
  });
  afterAll(async () => {
    await receiver?.close();
    await warehouse?.close();
  });

  const count = async (id?: string): Promise<number> => {
    const { rows } = await warehouse.query<{ n: bigint }>(`SELECT count(*) AS n FROM bronze.external_sources.n8n_webhooks${id ? ` WHERE _id = '${id}'` : ''}`);
    return Number(rows[0]?.n);
  };

  it('stores a signed event before answering 200, and ignores its redelivery', async () => {
    expect(receiver.host).toBe('127.0.0.1');
    const body = event('evt-001');
    const first = await post(receiver.url, body, signed(body));
    expect(first).toEqual({ status: 200, body: { ok: true, id: 'evt-001', duplicate: false } });
    // Durable at the time of the 2xx.
    const { rows } = await warehouse.query<{ _id: string; _version: string; _raw: string; _source: string; _file: string; _file_sha256: string; _batch_id: string }>(
      "SELECT * FROM bronze.external_sources.n8n_webhooks WHERE _id = 'evt-001'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ _version: '2026-03-01T08:00:00Z', _source: 'n8n', _file: 'n8n:scout.transaction.submitted' });
    expect(JSON.parse(rows[0]?._raw ?? '{}')).toEqual(JSON.parse(body));
    expect(rows[0]?._file_sha256).toMatch(/^[0-9a-f]{64}$/);

    const again = await post(receiver.url, body, signed(body));
    expect(again).toEqual({ status: 200, body: { ok: true, id: 'evt-001', duplicate: true } });
    expect(await count('evt-001')).toBe(1);

    // The Idempotency-Key header wins over event_id.
    const keyed = event('evt-002');
    expect((await post(receiver.url, keyed, { ...signed(keyed), 'idempotency-key': 'exec-77:node-3' })).body).toMatchObject({ id: 'exec-77:node-3', duplicate: false });
    expect((await post(receiver.url, keyed, { ...signed(keyed), 'idempotency-key': 'exec-77:node-3' })).body).toMatchObject({ duplicate: true });
    expect(receiver.stats).toMatchObject({ accepted: 2, duplicates: 2 });
  });

  it('rejects a bad or missing signature with 401 and stores nothing', async () => {
    const before = await count();
    const body = event('evt-bad-sig');
    const bad = await post(receiver.url, body, { 'x-n8n-signature': signN8nPayload('another-secret-0123456789', body) });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ ok: false, error: { code: 'SIGNATURE_INVALID', message: expect.stringContaining('does not match') as unknown as string } });
    const tampered = await post(receiver.url, event('evt-bad-sig', { amount: '9999999.00' }), signed(body));
    expect(tampered.body.error?.code).toBe('SIGNATURE_INVALID');
    const missing = await post(receiver.url, body);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_MISSING' } } });
    expect(await count()).toBe(before);
  });

  it('answers bad input with a 4xx and a clear JSON error', async () => {
    const before = await count();
    const notJson = '{"event_id": ';
    expect(await post(receiver.url, notJson, signed(notJson))).toMatchObject({ status: 400, body: { ok: false, error: { code: 'INVALID_JSON' } } });

    const unknown = JSON.stringify({ event_id: 'e1', event_type: 'something.else', data: {} });
    const u = await post(receiver.url, unknown, signed(unknown));
    expect(u).toMatchObject({ status: 422, body: { error: { code: 'UNKNOWN_EVENT_TYPE' } } });
    expect(u.body.error?.message).toContain('scout.transaction.submitted');

    const invalid = event('e2', { amount: '1,250.00', transaction_date: 'yesterday' });
    const i = await post(receiver.url, invalid, signed(invalid));
    expect(i).toMatchObject({ status: 422, body: { error: { code: 'INVALID_EVENT' } } });
    expect(i.body.error?.issues?.map((x) => x.path).sort()).toEqual(['data.amount', 'data.transaction_date']);

    const noId = JSON.stringify({ event_type: 'document.received', data: { source: 'drive', file_name: 'a.pdf' } });
    expect((await post(receiver.url, noId, signed(noId))).body.error?.issues?.[0]?.path).toBe('event_id');

    const big = event('e3', { description: 'x'.repeat(5000) });
    expect(await post(receiver.url, big, signed(big))).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });

    expect(await post(receiver.url, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415 });
    expect(await post(receiver.url, '', {}, 'GET')).toMatchObject({ status: 405 });
    expect(await post(receiver.url.replace('/webhooks/n8n', '/other'), '{}')).toMatchObject({ status: 404 });
    expect(await count()).toBe(before);
  });
});

describe('N8nWorkflowTrigger (outbound)', () => {
  let server: Server;
  let base: string;
  const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const script: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', headers: req.headers, body: data });
        const status = script.shift() ?? 200;
        res.writeHead(status, status === 429 ? { 'retry-after': '1' } : {});
        res.end('{"message":"Workflow was started"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts signed job events with a stable idempotency key, retrying 429/5xx; a 404 URL fails alone', async () => {
    const delays: number[] = [];
    script.push(429, 503);
    const trigger = new N8nWorkflowTrigger({
      urls: [`${base}/webhook/job-events-abc`],
      secret: SECRET,
      retry: { maxAttempts: 4, baseDelayMs: 1, sleep: async (ms) => void delays.push(ms) },
    });
    const [result] = await trigger.trigger({ event_type: 'job.failed', run_id: 'run-9', job: 'bir_etl', error: 'task failed' });
    expect(result).toEqual({ url: `${base}/webhook/***`, ok: true, status: 200, attempts: 3 });
    expect(received).toHaveLength(3);
    expect(delays[0]).toBe(1000);
    for (const r of received) {
      expect(r.url).toBe('/webhook/job-events-abc');
      expect(r.headers['idempotency-key']).toBe('run-9:job.failed');
      expect(verifyN8nSignature(SECRET, r.body, r.headers['x-n8n-signature'] as string)).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ event_type: 'job.failed', run_id: 'run-9', job: 'bir_etl', error: 'task failed' });
    }

    received.length = 0;
    script.push(404);
    const two = new N8nWorkflowTrigger({ urls: [`${base}/webhook/missing-1`, `${base}/webhook/ok-2`], retry: { maxAttempts: 3, baseDelayMs: 1, sleep: async () => undefined } });
    const results = await two.trigger({ event_type: 'job.succeeded', run_id: 'run-10', job: 'scout_daily_sync' });
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    const failed = results.find((r) => !r.ok);
    expect(failed?.error?.code).toBe('REJECTED');
    expect(JSON.stringify(results)).not.toMatch(/missing-1|ok-2/);
  });
});

describe('loadN8nSettings', () => {
  it('requires a long enough secret and http(s) workflow URLs, masking both', () => {
    expect(loadN8nSettings({ N8N_WEBHOOK_SECRET: SECRET, N8N_WORKFLOW_WEBHOOK_URLS: 'https://n8n.example.ph/webhook/a, https://n8n.example.ph/webhook/b' }).workflowUrls).toHaveLength(2);
    let error: unknown;
    try {
      loadN8nSettings({ N8N_WEBHOOK_SECRET: 'short-pw', N8N_WORKFLOW_WEBHOOK_URLS: 'ftp://n8n.example.ph/webhook/topsecretpath' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('short-pw');
    expect((error as Error).message).not.toContain('topsecretpath');
    expect(() => loadN8nSettings({})).toThrow(/N8N_WEBHOOK_SECRET/);
  });
});
