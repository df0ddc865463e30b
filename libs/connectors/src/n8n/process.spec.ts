import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoMicros, N8N_EVENT_ROUTES, processN8nWebhooks, signN8nPayload, startN8nWebhookReceiver, type N8nReceiver } from './index.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const SECRET = 'n8n-test-secret-0123456789';

describe('processN8nWebhooks: landed n8n events → their downstream bronze tables', () => {
  let warehouse: Warehouse;
  let receiver: N8nReceiver;

  beforeAll(async () => {
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    // `custom.ping` is accepted by this receiver but has no downstream route.
    receiver = await startN8nWebhookReceiver(warehouse, { secret: SECRET, schemas: { 'custom.ping': z.object({}).loose() } });
  });
  afterAll(async () => {
    await receiver?.close();
    await warehouse?.close();
  });

  /** Delivers an event through the real receiver (signed HTTP), as n8n would. */
  async function deliver(eventId: string, eventType: string, data: Record<string, unknown>, occurredAt?: string): Promise<void> {
    const body = JSON.stringify({ event_id: eventId, event_type: eventType, ...(occurredAt ? { occurred_at: occurredAt } : {}), data });
    const res = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-n8n-signature': signN8nPayload(SECRET, body) }, body });
    expect(res.status).toBe(200);
  }
  const rows = async <T>(sql: string): Promise<T[]> => (await warehouse.query<T & Record<string, unknown>>(sql)).rows;
  const txn = { agency: 'RIM', vendor: 'Globe Telecom', category: 'utilities', amount: '1250.00', transaction_date: '2026-02-28' };

  it('routes every known type, validates again, and a rerun processes nothing twice', async () => {
    await deliver('evt-t1', 'scout.transaction.submitted', { id: 'txn-n8n-1', ...txn }, '2026-03-01T08:00:00Z');
    await deliver('evt-t1-edit', 'scout.transaction.submitted', { id: 'txn-n8n-1', ...txn, amount: '1300.00' }, '2026-03-01T17:30:00+08:00');
    await deliver('evt-t2', 'scout.transaction.submitted', { id: 'txn-n8n-2', ...txn, updated_at: '2026-03-02T10:00:00.123456Z' });
    await deliver('evt-d1', 'document.received', { source: 'gdrive', file_name: 'or-2026-03.pdf', sha256: 'a'.repeat(64) }, '2026-03-01T08:00:00Z');
    await deliver('evt-x1', 'workflow.execution.failed', { workflow_id: 'wf-9', execution_id: 41, status: 'error', finished_at: '2026-03-01T08:05:00Z', error: 'node timeout' });
    await deliver('evt-j1', 'job.requested', { job: 'bir_etl', run_id: 'req-1' }, '2026-03-01T08:00:00Z');
    await deliver('evt-c1', 'custom.ping', {});
    // A landed row whose data no longer matches its schema (e.g. stored by an older receiver).
    await warehouse.query(
      `INSERT INTO bronze.external_sources.n8n_webhooks VALUES ('evt-bad', '2026-03-01T00:00:00Z', '${JSON.stringify({ event_id: 'evt-bad', event_type: 'scout.transaction.submitted', data: { ...txn, id: 'txn-bad', amount: 'lots' } })}', 'n8n', 'b', 'n8n:scout.transaction.submitted', NULL, now())`,
    );

    const first = await processN8nWebhooks(warehouse);
    expect(first.pending).toBe(8);
    expect(first.types).toEqual([
      { eventType: 'custom.ping', table: null, events: 1, rowsWritten: 0, rejected: 0 },
      { eventType: 'document.received', table: 'bronze.external_sources.documents_received', events: 1, rowsWritten: 1, rejected: 0 },
      { eventType: 'job.requested', table: 'bronze.external_sources.job_requests', events: 1, rowsWritten: 1, rejected: 0 },
      { eventType: 'scout.transaction.submitted', table: 'bronze.scout.transactions', events: 3, rowsWritten: 3, rejected: 1 },
      { eventType: 'workflow.execution.failed', table: 'bronze.external_sources.n8n_executions', events: 1, rowsWritten: 1, rejected: 0 },
    ]);

    // Scout rows have the Supabase connector's shape: _version = updated_at, fixed-width ISO; the edit is a newer version.
    const scout = await rows<{ _id: string; _version: string; _raw: string; _source: string; _file: string }>('SELECT _id, _version, _raw, _source, _file FROM bronze.scout.transactions ORDER BY _id, _version');
    expect(scout.map((r) => [r._id, r._version, r._source, r._file])).toEqual([
      ['txn-n8n-1', '2026-03-01T08:00:00.000000Z', 'n8n', 'n8n:evt-t1'],
      ['txn-n8n-1', '2026-03-01T09:30:00.000000Z', 'n8n', 'n8n:evt-t1-edit'],
      ['txn-n8n-2', '2026-03-02T10:00:00.123456Z', 'n8n', 'n8n:evt-t2'],
    ]);
    expect(JSON.parse(scout[1]?._raw ?? '{}')).toEqual({ id: 'txn-n8n-1', ...txn, amount: '1300.00', updated_at: '2026-03-01T09:30:00.000000Z' });
    expect(await rows('SELECT _id, _version FROM bronze.external_sources.n8n_executions')).toEqual([{ _id: 'wf-9:41', _version: '2026-03-01T08:05:00.000000Z' }]);
    expect(await rows('SELECT _id FROM bronze.external_sources.documents_received')).toEqual([{ _id: 'a'.repeat(64) }]);
    const ledger = await rows<{ webhook_id: string; status: string; reason: string | null }>('SELECT webhook_id, status, reason FROM ops.ops.n8n_webhooks_processed ORDER BY webhook_id');
    expect(ledger.map((l) => `${l.webhook_id}:${l.status}`)).toEqual(['evt-bad:rejected', 'evt-c1:unrouted', 'evt-d1:processed', 'evt-j1:processed', 'evt-t1:processed', 'evt-t1-edit:processed', 'evt-t2:processed', 'evt-x1:processed']);
    expect(ledger.find((l) => l.webhook_id === 'evt-bad')?.reason).toContain('data: amount: a decimal string such as "1250.00"');

    const again = await processN8nWebhooks(warehouse);
    expect(again).toMatchObject({ pending: 0, types: [] });
    expect(await rows('SELECT count(*)::int AS n FROM bronze.scout.transactions')).toEqual([{ n: 3 }]);
  });

  it('an event an earlier version recorded `unrouted` is routed once its type has a route, and its ledger row replaced', async () => {
    await deliver('evt-j2', 'job.requested', { job: 'month_end_close', run_id: 'req-2' }, '2026-03-04T08:00:00Z');
    // As an earlier version without the job.requested route would have left it.
    await warehouse.query("INSERT INTO ops.ops.n8n_webhooks_processed VALUES ('evt-j2', 'job.requested', 'unrouted', NULL, 'no downstream table for event_type job.requested', 'old-batch', now())");
    const run = await processN8nWebhooks(warehouse);
    expect(run).toMatchObject({ pending: 1, types: [{ eventType: 'job.requested', table: 'bronze.external_sources.job_requests', events: 1, rowsWritten: 1, rejected: 0 }] });
    expect(await rows("SELECT _id FROM bronze.external_sources.job_requests WHERE _id = 'evt-j2'")).toEqual([{ _id: 'evt-j2' }]);
    expect(await rows("SELECT status, target_table FROM ops.ops.n8n_webhooks_processed WHERE webhook_id = 'evt-j2'")).toEqual([{ status: 'processed', target_table: 'bronze.external_sources.job_requests' }]);
    // Still-unroutable events stay unrouted and are not picked up again.
    expect(await rows("SELECT status FROM ops.ops.n8n_webhooks_processed WHERE webhook_id = 'evt-c1'")).toEqual([{ status: 'unrouted' }]);
    expect(await processN8nWebhooks(warehouse)).toMatchObject({ pending: 0, types: [] });
  });

  it('a crash between the downstream write and the ledger is completed by the next run without duplicates', async () => {
    await deliver('evt-t3', 'scout.transaction.submitted', { id: 'txn-n8n-3', ...txn }, '2026-03-03T08:00:00Z');
    await processN8nWebhooks(warehouse);
    // As if the process died after the bronze INSERT committed and before the ledger row.
    await warehouse.query("DELETE FROM ops.ops.n8n_webhooks_processed WHERE webhook_id = 'evt-t3'");
    const rerun = await processN8nWebhooks(warehouse);
    expect(rerun.types).toEqual([{ eventType: 'scout.transaction.submitted', table: 'bronze.scout.transactions', events: 1, rowsWritten: 0, rejected: 0 }]);
    expect(await rows("SELECT count(*)::int AS n FROM bronze.scout.transactions WHERE _id = 'txn-n8n-3'")).toEqual([{ n: 1 }]);
    expect(await rows("SELECT count(*)::int AS n FROM ops.ops.n8n_webhooks_processed WHERE webhook_id = 'evt-t3'")).toEqual([{ n: 1 }]);
  });

  it('an empty landing table is fine; routes and timestamps are what they say', async () => {
    const empty = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    try {
      expect(await processN8nWebhooks(empty)).toMatchObject({ pending: 0, types: [] });
    } finally {
      await empty.close();
    }
    expect(N8N_EVENT_ROUTES['scout.transaction.submitted']).toBe('scout.transactions');
    expect(isoMicros('2026-03-01T09:30:00+08:00')).toBe('2026-03-01T01:30:00.000000Z');
    expect(isoMicros('2026-03-01T09:30:00.5Z')).toBe('2026-03-01T09:30:00.500000Z');
    expect(isoMicros('not a date')).toBe('not a date');
  });
});
