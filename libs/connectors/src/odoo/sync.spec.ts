import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OdooClient } from './client.js';
import { syncOdoo, type OdooSyncOptions } from './sync.js';
import { FakeOdooServer, loadSampleOdooDataset, type FakeOdooDataset } from './testing/index.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const MODELS = ['res.partner', 'account.tax', 'account.account', 'account.move', 'account.move.line', 'hr.employee'];
const searchReads = (model: string) => (c: { modelMethod?: string; model?: string }) => c.modelMethod === 'search_read' && c.model === model;

describe('syncOdoo: Odoo → bronze, incremental on (write_date, id)', () => {
  let dataset: FakeOdooDataset;
  let server: FakeOdooServer;
  let warehouse: Warehouse;
  let client: OdooClient;
  const sync = (options: OdooSyncOptions = {}) => syncOdoo(client, warehouse, { models: MODELS, pageSize: 200, concurrency: 3, reconcileIntervalMs: 0, ...options });
  const count = async (sql: string): Promise<number> => Number((await warehouse.query<{ n: bigint }>(sql)).rows[0]?.n ?? -1);
  const duplicates = (table: string) => count(`select count(*) - count(distinct _id || '@' || _version || coalesce(json_extract_string(_raw, '$._deleted'), '')) as n from bronze.odoo.${table}`);
  const watermark = async (model: string) =>
    (await warehouse.query<{ watermark_write_date: string; watermark_id: bigint }>(`select watermark_write_date, watermark_id from ops.ops.ingestion_state where model = '${model}'`)).rows[0];

  beforeAll(async () => {
    dataset = loadSampleOdooDataset({ seed: 11, scale: 2000 });
    server = await FakeOdooServer.start({ dataset });
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
    client = new OdooClient({ url: server.url, db: server.db, username: server.login, apiKey: server.apiKey, baseDelayMs: 1, maxDelayMs: 10, maxAttempts: 3 });
  });
  afterAll(async () => {
    await warehouse.close();
    await server.close();
  });
  afterEach(() => server.clearFaults());

  it('a full sync copies every record into bronze in the file-ingestion shape, and moves the watermark', async () => {
    const result = await sync();
    expect(result.ok).toBe(true);
    for (const model of MODELS) {
      const r = result.models.find((m) => m.model === model);
      const expected = (dataset[model] ?? []).length;
      expect(r).toMatchObject({ status: 'ok', mode: 'full', rowsRead: expected, rowsWritten: expected, rejected: [] });
      expect(await count(`select count(*) as n from bronze.odoo.${model.replace(/\./g, '_')}`)).toBe(expected);
    }
    const move = dataset['account.move']?.[0] as { id: number; write_date: string };
    const { rows } = await warehouse.query<Record<string, unknown>>(`select _id, _version, _raw, _source, _file from bronze.odoo.account_move where _id = '${move.id}'`);
    expect(rows).toEqual([{ _id: String(move.id), _version: move.write_date, _raw: expect.any(String), _source: 'odoo', _file: 'odoo:account.move' }]);
    expect(JSON.parse(rows[0]?.['_raw'] as string)).toEqual(move); // the record as search_read returned it
    const newest = [...(dataset['account.move'] ?? [])].sort((a, b) => (String(a['write_date']) < String(b['write_date']) ? -1 : String(a['write_date']) > String(b['write_date']) ? 1 : Number(a['id']) - Number(b['id']))).at(-1);
    expect(await watermark('account.move')).toEqual({ watermark_write_date: newest?.['write_date'], watermark_id: BigInt(Number(newest?.['id'])) });
  });

  it('an incremental sync after 1% of records changed reads only those (plus the overlap window) and writes only those', async () => {
    const moves = server.records('account.move');
    const changed = moves.filter((_, i) => i % 100 === 0).map((m) => m['id'] as number);
    server.touch('account.move', changed, { ref: 'CHANGED' });
    const before = server.count(searchReads('account.move'));
    const servedBefore = server.rowsServed.get('account.move') ?? 0;
    const result = await sync({ overlapSeconds: 0 });
    const move = result.models.find((m) => m.model === 'account.move');
    expect(move).toMatchObject({ status: 'ok', mode: 'incremental', rowsRead: changed.length, rowsWritten: changed.length });
    expect(server.count(searchReads('account.move')) - before).toBe(1);
    expect((server.rowsServed.get('account.move') ?? 0) - servedBefore).toBe(changed.length);
    for (const other of result.models.filter((m) => m.model !== 'account.move')) expect(other).toMatchObject({ rowsRead: 0, rowsWritten: 0 });
    expect(await count(`select count(*) as n from bronze.odoo.account_move where json_extract_string(_raw, '$.ref') = 'CHANGED'`)).toBe(changed.length);

    // With the default 10-minute overlap the same records are re-read, but nothing is written twice.
    const again = await sync();
    expect(again.models.find((m) => m.model === 'account.move')).toMatchObject({ rowsRead: changed.length, rowsWritten: 0 });
    expect(await duplicates('account_move')).toBe(0);
  });

  it('a fault mid-way leaves whole batches only and the watermark at the last committed one; the replay completes without duplicates', async () => {
    const lines = server.records('account.move.line');
    const ids = lines.map((l) => l['id'] as number);
    server.touch('account.move.line', ids); // every line changes: a 5+ page incremental
    const wmBefore = await watermark('account.move.line');
    server.inject({ kind: 'http', status: 500 }, { times: Infinity, after: 2, match: searchReads('account.move.line') });
    const failed = await sync({ models: ['account.move.line'], overlapSeconds: 0 });
    const r = failed.models[0];
    expect(failed.ok).toBe(false);
    expect(r).toMatchObject({ status: 'failed', rowsWritten: 400, error: { code: 'HTTP_ERROR' } });
    expect(await count(`select count(*) as n from bronze.odoo.account_move_line where _batch_id = '${failed.batchId}'`)).toBe(400);
    const wm = await watermark('account.move.line');
    expect(wm?.watermark_write_date).toBe(server.now());
    expect(wm).not.toEqual(wmBefore);
    server.clearFaults();
    const replay = await sync({ models: ['account.move.line'], overlapSeconds: 0 });
    expect(replay.models[0]).toMatchObject({ status: 'ok', rowsWritten: ids.length - 400 });
    expect(await duplicates('account_move_line')).toBe(0);
    expect(await count(`select count(distinct _id) as n from bronze.odoo.account_move_line where _version = '${server.now()}'`)).toBe(ids.length);
  });

  it('a crash after the bronze write but before the watermark moved is replayed without duplicates', async () => {
    const partners = server.records('res.partner').map((p) => p['id'] as number);
    server.touch('res.partner', partners);
    const wmBefore = await watermark('res.partner');
    const crashed = await sync({ models: ['res.partner'], pageSize: 10, overlapSeconds: 0, onBronzeCommitted: ({ page }) => { if (page === 1) throw new Error('simulated crash'); } });
    expect(crashed.models[0]).toMatchObject({ status: 'failed', rowsWritten: 10, error: { code: 'SYNC_FAILED', message: 'simulated crash' } });
    expect(await watermark('res.partner')).toEqual(wmBefore); // watermark unmoved
    const replay = await sync({ models: ['res.partner'], pageSize: 10, overlapSeconds: 0 });
    expect(replay.models[0]).toMatchObject({ status: 'ok', rowsRead: partners.length, rowsWritten: partners.length - 10 });
    expect(await duplicates('res_partner')).toBe(0);
  });

  it('records changing during a sync are picked up later in the same run', async () => {
    const taxes = server.records('account.tax').map((t) => t['id'] as number);
    server.touch('account.tax', taxes);
    const first = taxes[0] as number;
    server.inject({ kind: 'hook', run: (_call, s) => void s.touch('account.tax', [first], { name: 'renamed mid-sync' }) }, { after: 1, match: searchReads('account.tax') });
    const result = await sync({ models: ['account.tax'], pageSize: 5, overlapSeconds: 0 });
    expect(result.models[0]).toMatchObject({ status: 'ok', rowsWritten: taxes.length + 1 });
    const latest = await warehouse.query<{ name: string }>(
      `select json_extract_string(_raw, '$.name') as name from bronze.odoo.account_tax where _id = '${first}' order by _version desc limit 1`,
    );
    expect(latest.rows[0]?.name).toBe('renamed mid-sync');
  });

  it('reconciliation detects deleted records and writes one tombstone each, once', async () => {
    const gone = server.records('account.move').slice(3, 6).map((m) => m['id'] as number);
    server.remove('account.move', gone);
    const result = await sync({ models: ['account.move'], fullReconcile: true });
    expect(result.models[0]).toMatchObject({ status: 'ok', reconciled: true, tombstones: 3 });
    const { rows } = await warehouse.query<{ _id: string; deleted: string }>(
      `select _id, json_extract_string(_raw, '$._deleted') as deleted from (select *, row_number() over (partition by _id order by _version desc, _ingested_at desc) as rn from bronze.odoo.account_move) where rn = 1 and json_extract_string(_raw, '$._deleted') is not null order by _id`,
    );
    expect(rows.map((r) => Number(r._id)).sort((a, b) => a - b)).toEqual([...gone].sort((a, b) => a - b));
    expect(rows.every((r) => r.deleted === 'true')).toBe(true);
    const again = await sync({ models: ['account.move'], fullReconcile: true });
    expect(again.models[0]).toMatchObject({ tombstones: 0 });
  });

  it('malformed records are quarantined with the reason, never a crash', async () => {
    server.touch('hr.employee', []);
    const stamp = server.touch('hr.employee', []);
    server.put('hr.employee', { id: 90001, name: 'Bad Company', active: true, company_id: 'PH Co.', job_title: false, identification_id: false, employee_type: 'employee', write_date: stamp });
    server.put('hr.employee', { id: 90002, name: 'Bad Date', active: true, company_id: [1, 'PH Co.'], job_title: false, identification_id: false, employee_type: 'employee', write_date: `${stamp}Z` });
    server.put('hr.employee', { id: 90003, name: 'Fine', active: false, company_id: [1, 'PH Co.'], job_title: 'Clerk', identification_id: false, employee_type: 'employee', write_date: stamp });
    const result = await sync({ models: ['hr.employee'], overlapSeconds: 0 });
    const r = result.models[0];
    expect(r?.status).toBe('ok');
    expect(r?.rowsWritten).toBe(1); // the archived but valid one (active_test: false)
    expect(r?.rejected.map((x) => [x.recordId, x.reason])).toEqual([
      ['90001', expect.stringContaining('company_id')],
      ['90002', expect.stringContaining('write_date')],
    ]);
    expect(await count(`select count(*) as n from ops.ops.odoo_rejected_records where model = 'hr.employee'`)).toBe(2);
    await sync({ models: ['hr.employee'] }); // overlap re-read: quarantine is not duplicated
    expect(await count(`select count(*) as n from ops.ops.odoo_rejected_records where model = 'hr.employee'`)).toBe(2);
    expect(await count(`select count(*) as n from bronze.odoo.hr_employee where _id in ('90001', '90002')`)).toBe(0);
  });

  it('an AccessError on one model fails that model only', async () => {
    server.deniedModels.add('account.account');
    try {
      const result = await sync({ models: ['account.account', 'account.tax'] });
      expect(result.ok).toBe(false);
      expect(result.models[0]).toMatchObject({ model: 'account.account', status: 'failed', error: { code: 'ACCESS_ERROR' } });
      expect(result.models[1]).toMatchObject({ model: 'account.tax', status: 'ok' });
    } finally {
      server.deniedModels.delete('account.account');
    }
  });

  it('works over JSON-2 too', async () => {
    const json2 = new OdooClient({ url: server.url, db: server.db, username: server.login, apiKey: server.apiKey, protocol: 'json2' });
    const result = await syncOdoo(json2, warehouse, { models: ['account.account.tag'], reconcileIntervalMs: 0 });
    expect(result.models[0]).toMatchObject({ status: 'ok', rowsWritten: (dataset['account.account.tag'] ?? []).length });
  });
});
