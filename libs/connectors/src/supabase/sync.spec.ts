import { createServer, type Server } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ConfigError } from '@odoo-ce/common';
import { generateDataset, type ScoutTransaction } from '@odoo-ce/sample-data';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SupabaseError } from './errors.js';
import { loadSupabaseSettings, maskDbUrl, type SupabaseSettings } from './settings.js';
import { pgTimestampToIso, readWatermark, rewindIso, syncSupabaseTransactions, type SupabaseSyncOptions } from './sync.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const PASSWORD = 's3cret-Pa55word';
const FAST_RETRY: SupabaseSyncOptions['retry'] = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

/** The latest version of each generated transaction, as a Postgres table with a primary key holds it. */
function latestRows(): ScoutTransaction[] {
  const byId = new Map<string, ScoutTransaction>();
  for (const row of generateDataset({ seed: 7, scale: 240 }).scout.transactions) byId.set(row.id, row);
  return [...byId.values()];
}

async function seed(db: PGlite, rows: readonly ScoutTransaction[]): Promise<void> {
  await db.exec(`CREATE SCHEMA scout;
    CREATE TABLE scout.transactions (id text PRIMARY KEY, agency text, vendor text, vendor_tin text, category text, description text,
      amount numeric(14, 2), currency text, transaction_date date, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`);
  for (let i = 0; i < rows.length; i += 50) {
    const chunk = rows.slice(i, i + 50);
    const values: unknown[] = [];
    const tuples = chunk.map((r, j) => {
      const amount = r.amount !== null && /^-?\d+(\.\d+)?$/.test(r.amount) ? r.amount : null;
      values.push(r.id, r.agency, r.vendor, r.vendor_tin, r.category, r.description, amount, r.currency, r.transaction_date, r.created_at, r.updated_at);
      return `(${Array.from({ length: 11 }, (_, k) => `$${j * 11 + k + 1}`).join(', ')})`;
    });
    await db.query(`INSERT INTO scout.transactions VALUES ${tuples.join(', ')}`, values);
  }
}

function newWarehouse(): Warehouse {
  return new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
}

async function bronzeStats(warehouse: Warehouse): Promise<{ rows: number; distinct: number }> {
  const { rows } = await warehouse.query<{ n: bigint; d: bigint }>('SELECT count(*) AS n, count(DISTINCT (_id, _version)) AS d FROM bronze.scout.transactions');
  return { rows: Number(rows[0]?.n), distinct: Number(rows[0]?.d) };
}

describe('syncSupabaseTransactions against Postgres (PGlite over the wire protocol)', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let settings: SupabaseSettings;
  let rows: ScoutTransaction[];

  beforeAll(async () => {
    db = await PGlite.create();
    rows = latestRows();
    await seed(db, rows);
    server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    settings = loadSupabaseSettings({ SUPABASE_DB_URL: `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, SUPABASE_DB_SSL: 'disable' });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await db?.close();
  });

  it('copies every row in full, then only the changed rows, in the bronze shape the pipeline reads', async () => {
    const warehouse = newWarehouse();
    try {
      const full = await syncSupabaseTransactions(settings, warehouse, { pageSize: 64, overlapSeconds: 0, batchId: 'b1' });
      expect(full).toMatchObject({ mode: 'full', table: 'bronze.scout.transactions', rowsRead: rows.length, rowsWritten: rows.length });
      expect(await bronzeStats(warehouse)).toEqual({ rows: rows.length, distinct: rows.length });

      const sample = rows.find((r) => r.amount !== null && /^\d+\.\d\d$/.test(r.amount) && r.transaction_date !== null) as ScoutTransaction;
      const { rows: got } = await warehouse.query<{ _id: string; _version: string; _raw: string; _source: string; _batch_id: string; _file: string }>(
        `SELECT _id, _version, _raw, _source, _batch_id, _file FROM bronze.scout.transactions WHERE _id = '${sample.id}'`,
      );
      const raw = JSON.parse(got[0]?._raw ?? '{}') as Record<string, unknown>;
      expect(got[0]).toMatchObject({ _id: sample.id, _source: 'supabase', _batch_id: 'b1', _file: 'supabase:scout.transactions' });
      expect(got[0]?._version).toBe(sample.updated_at.replace('Z', '000Z'));
      expect(raw).toMatchObject({ id: sample.id, agency: sample.agency, vendor: sample.vendor, amount: sample.amount, transaction_date: sample.transaction_date, updated_at: got[0]?._version });
      // The silver SQL's reads work on these values.
      const { rows: typed } = await warehouse.query<{ n: bigint }>(
        `SELECT count(*) AS n FROM bronze.scout.transactions WHERE TRY_CAST(json_extract_string(_raw, '$.updated_at') AS TIMESTAMP) IS NULL
           OR (json_extract_string(_raw, '$.transaction_date') IS NOT NULL AND TRY_CAST(json_extract_string(_raw, '$.transaction_date') AS DATE) IS NULL)`,
      );
      expect(Number(typed[0]?.n)).toBe(0);

      // Five edits in one statement share one updated_at (the keyset's id tie-break matters), plus two new rows.
      const edited = rows.slice(10, 15).map((r) => r.id);
      await db.query(`UPDATE scout.transactions SET amount = amount + 1, updated_at = '2026-03-01T00:00:00.123456Z' WHERE id = ANY($1)`, [edited]);
      await db.query(`INSERT INTO scout.transactions (id, agency, vendor, category, description, amount, currency, transaction_date, created_at, updated_at)
        VALUES ('txn-new-1', 'RIM', 'Globe Telecom', 'utilities', 'x', 10.5, 'PHP', '2026-02-28', now(), '2026-03-02T00:00:00Z'),
               ('txn-new-2', 'BOM', 'Meralco', 'utilities', 'y', 20, 'PHP', '2026-02-28', now(), '2026-03-02T00:00:00Z')`);
      const incremental = await syncSupabaseTransactions(settings, warehouse, { pageSize: 2, overlapSeconds: 0 });
      expect(incremental).toMatchObject({ mode: 'incremental', rowsRead: 7, rowsWritten: 7, watermark: { updatedAt: '2026-03-02T00:00:00.000000Z', id: 'txn-new-2' } });
      expect(await bronzeStats(warehouse)).toEqual({ rows: rows.length + 7, distinct: rows.length + 7 });
      const { rows: edit } = await warehouse.query<{ _version: string; _raw: string }>(`SELECT _version, _raw FROM bronze.scout.transactions WHERE _id = '${edited[0]}' ORDER BY _version DESC`);
      expect(edit[0]?._version).toBe('2026-03-01T00:00:00.123456Z');
      expect(edit).toHaveLength(2);

      const nothing = await syncSupabaseTransactions(settings, warehouse, { overlapSeconds: 0 });
      expect(nothing).toMatchObject({ rowsRead: 0, rowsWritten: 0 });
      // The default overlap window re-reads recent rows, and writes none of them twice.
      const overlapped = await syncSupabaseTransactions(settings, warehouse, {});
      expect(overlapped.rowsRead).toBeGreaterThanOrEqual(2);
      expect(overlapped.rowsWritten).toBe(0);
    } finally {
      await warehouse.close();
    }
  }, 30_000);

  it('leaves the watermark unmoved when interrupted after a bronze write, and the replay adds no duplicates', async () => {
    const warehouse = newWarehouse();
    try {
      const total = Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM scout.transactions')).rows[0]?.n);
      const crash = syncSupabaseTransactions(settings, warehouse, {
        pageSize: 50,
        overlapSeconds: 0,
        onBronzeCommitted: ({ page }) => {
          if (page === 2) throw new Error('simulated crash');
        },
      });
      await expect(crash).rejects.toThrow('simulated crash');
      const firstPage = (await db.query<{ id: string; updated_at: string }>(`SELECT id, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS updated_at FROM scout.transactions ORDER BY updated_at, id LIMIT 50`)).rows;
      const stateTable = 'ops.ops.ingestion_state';
      expect(await readWatermark(warehouse, stateTable, 'supabase', 'scout.transactions')).toEqual({ updatedAt: firstPage[49]?.updated_at, id: firstPage[49]?.id });
      expect((await bronzeStats(warehouse)).rows).toBe(100);

      const replay = await syncSupabaseTransactions(settings, warehouse, { pageSize: 50, overlapSeconds: 0 });
      expect(replay.rowsRead).toBe(total - 50);
      expect(replay.rowsWritten).toBe(total - 100);
      expect(await bronzeStats(warehouse)).toEqual({ rows: total, distinct: total });
    } finally {
      await warehouse.close();
    }
  }, 30_000);
});

describe('Supabase connection errors never show the password', () => {
  let stub: Server | undefined;
  afterAll(async () => {
    await new Promise<void>((resolve) => (stub ? stub.close(() => resolve()) : resolve()));
  });

  it('refused connection → CONNECTION_FAILED', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const settings = loadSupabaseSettings({ SUPABASE_DB_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres?sslmode=disable` });
    const warehouse = newWarehouse();
    try {
      const error = await syncSupabaseTransactions(settings, warehouse, { retry: FAST_RETRY }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SupabaseError);
      expect((error as SupabaseError).code).toBe('CONNECTION_FAILED');
      expect((error as SupabaseError).message).toContain(`postgres://postgres:***@127.0.0.1:${port}`);
      expect(JSON.stringify({ m: (error as Error).message, d: (error as SupabaseError).data, s: (error as Error).stack })).not.toContain(PASSWORD);
    } finally {
      await warehouse.close();
    }
  });

  it('wrong password → AUTH_FAILED (a server that demands a password and rejects it)', async () => {
    stub = createServer((socket) => {
      let messages = 0;
      socket.on('error', () => undefined);
      socket.on('data', () => {
        messages++;
        if (socket.writableEnded) return;
        if (messages === 1) {
          const auth = Buffer.alloc(9);
          auth.write('R', 0);
          auth.writeInt32BE(8, 1);
          auth.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(auth);
        } else {
          const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "postgres"\0\0');
          const head = Buffer.alloc(5);
          head.write('E', 0);
          head.writeInt32BE(fields.length + 4, 1);
          socket.end(Buffer.concat([head, fields]));
        }
      });
    });
    await new Promise<void>((resolve) => stub?.listen(0, '127.0.0.1', resolve));
    const port = (stub.address() as { port: number }).port;
    const settings = loadSupabaseSettings({ SUPABASE_DB_URL: `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`, SUPABASE_DB_SSL: 'disable' });
    const warehouse = newWarehouse();
    try {
      const error = await syncSupabaseTransactions(settings, warehouse, { retry: FAST_RETRY }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SupabaseError);
      expect((error as SupabaseError).code).toBe('AUTH_FAILED');
      expect((error as SupabaseError).pgCode).toBe('28P01');
      expect((error as Error).message).toContain('password authentication failed');
      expect(JSON.stringify({ m: (error as Error).message, d: (error as SupabaseError).data, s: (error as Error).stack })).not.toContain(PASSWORD);
    } finally {
      await warehouse.close();
    }
  });

  it('a bad SUPABASE_DB_URL → one ConfigError with the password masked', () => {
    const error = (() => {
      try {
        loadSupabaseSettings({ SUPABASE_DB_URL: `mysql://root:${PASSWORD}@db:3306/x`, SUPABASE_DB_SSL: 'sometimes' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.field)).toEqual(['SUPABASE_DB_URL', 'SUPABASE_DB_SSL']);
    expect((error as Error).message).toContain('mysql://root:***@db:3306/x');
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(() => loadSupabaseSettings({})).toThrow(/SUPABASE_DB_URL = \(unset\)/);
    expect(maskDbUrl('postgres://u:p%40ss@h/db')).toBe('postgres://u:***@h/db');
    expect(loadSupabaseSettings({ SUPABASE_DB_URL: 'postgresql://u:p%40ss@h/db' })).toMatchObject({ password: 'p@ss', sslMode: 'verify-full', port: 5432, database: 'db' });
  });
});

describe('timestamps', () => {
  it('keeps microseconds and converts offsets to UTC', () => {
    expect(pgTimestampToIso('2025-01-02 03:04:05.12+08')).toBe('2025-01-01T19:04:05.120000Z');
    expect(pgTimestampToIso('2025-01-02 03:04:05+00')).toBe('2025-01-02T03:04:05.000000Z');
    expect(pgTimestampToIso('2025-01-02 03:04:05.123456-05:30')).toBe('2025-01-02T08:34:05.123456Z');
    expect(pgTimestampToIso('2025-01-02 03:04:05', true)).toBe('2025-01-02T03:04:05.000000Z');
    expect(pgTimestampToIso('infinity')).toBe('infinity');
    expect(rewindIso('2025-01-02T00:00:10.123456Z', 600)).toBe('2025-01-01T23:50:10.123456Z');
  });
});
