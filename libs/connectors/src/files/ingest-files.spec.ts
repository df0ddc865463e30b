import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDirectory, ingestFile } from './ingest-files.js';

describe('file ingestion → bronze', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ingest-'));
  const exportDir = mkdtempSync(join(tmpdir(), 'exports-'));
  const wh = new Warehouse(duckDbDialect({ dataDir, catalogs: ['bronze', 'ops'] }));
  afterAll(async () => wh.close());

  writeFileSync(join(exportDir, 'tx.ndjson'), '{"id":"t1","amount":"10.00","updated_at":"2025-01-01T00:00:00Z"}\n{"id":"t2","amount":null,"updated_at":"2025-01-02T00:00:00Z","agency":[1,"RIM"]}\n');
  writeFileSync(join(exportDir, 'tx.csv'), 'id,amount,updated_at\nt3,5.50,2025-01-03T00:00:00Z\n');
  const target = { schema: 'scout', table: 'transactions', keyPath: '$.id', versionPath: '$.updated_at' };

  it('appends raw records with key, version and lineage columns', async () => {
    const result = await ingestFile(wh, { file: join(exportDir, 'tx.ndjson'), target, source: 'google_drive_exports' });
    expect(result).toMatchObject({ status: 'ingested', rows: 2, table: 'bronze.scout.transactions' });
    const { rows } = await wh.query('select _id, _version, _raw, _source, _file, _batch_id, length(_file_sha256) as sha_len from bronze.scout.transactions order by _id');
    expect(rows).toEqual([
      { _id: 't1', _version: '2025-01-01T00:00:00Z', _raw: '{"id":"t1","amount":"10.00","updated_at":"2025-01-01T00:00:00Z"}', _source: 'google_drive_exports', _file: 'tx.ndjson', _batch_id: result.batchId, sha_len: 64n },
      { _id: 't2', _version: '2025-01-02T00:00:00Z', _raw: '{"id":"t2","amount":null,"updated_at":"2025-01-02T00:00:00Z","agency":[1,"RIM"]}', _source: 'google_drive_exports', _file: 'tx.ndjson', _batch_id: result.batchId, sha_len: 64n },
    ]);
  });

  it('skips a file whose content was already ingested', async () => {
    const again = await ingestFile(wh, { file: join(exportDir, 'tx.ndjson'), target, source: 'google_drive_exports' });
    expect(again).toMatchObject({ status: 'skipped', rows: 2 });
    expect((await wh.query('select count(*) as n from bronze.scout.transactions')).rows).toEqual([{ n: 2n }]);
  });

  it('reads CSV with every column as text', async () => {
    await ingestFile(wh, { file: join(exportDir, 'tx.csv'), target, source: 'google_drive_exports' });
    const { rows } = await wh.query("select _raw from bronze.scout.transactions where _id = 't3'");
    expect(JSON.parse((rows[0] as { _raw: string })._raw)).toEqual({ id: 't3', amount: '5.50', updated_at: '2025-01-03T00:00:00Z' });
  });

  it('repairs an interrupted attempt instead of duplicating it', async () => {
    const file = join(exportDir, 'tx.ndjson');
    // Simulate a crash after the bronze write and before the ledger entry: drop the ledger row.
    await wh.query("delete from ops.ops.ingested_files where file like '%tx.ndjson'");
    expect(await ingestFile(wh, { file, target, source: 'google_drive_exports' })).toMatchObject({ status: 'ingested', rows: 2 });
    expect((await wh.query("select count(*) as n from bronze.scout.transactions where _file = 'tx.ndjson'")).rows).toEqual([{ n: 2n }]);
  });

  it('names the file on bad input and writes nothing', async () => {
    writeFileSync(join(exportDir, 'broken.ndjson'), '{"id":"t9"}\n{not json\n');
    await expect(ingestFile(wh, { file: join(exportDir, 'broken.ndjson'), target, source: 'x' })).rejects.toMatchObject({ code: 'INGEST_FAILED', message: expect.stringContaining('broken.ndjson') });
    expect((await wh.query("select count(*) as n from bronze.scout.transactions where _id = 't9'")).rows).toEqual([{ n: 0n }]);
    await expect(ingestFile(wh, { file: join(exportDir, 'missing.ndjson'), target, source: 'x' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    writeFileSync(join(exportDir, 'notes.txt'), 'hello');
    await expect(ingestFile(wh, { file: join(exportDir, 'notes.txt'), target, source: 'x' })).rejects.toThrow('extension ".txt" is not one of .ndjson, .jsonl, .json, .csv, .parquet');
  });

  it('ingests an export directory by its layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'layout-'));
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'odoo'));
    writeFileSync(join(dir, 'odoo', 'account.move.ndjson'), '{"id":1,"write_date":"2025-01-01 00:00:00","state":"posted"}\n');
    writeFileSync(join(dir, 'README.md'), 'ignored');
    const results = await ingestDirectory(wh, dir);
    expect(results.map((r) => [r.table, r.rows])).toEqual([['bronze.odoo.account_move', 1]]);
  });
});
