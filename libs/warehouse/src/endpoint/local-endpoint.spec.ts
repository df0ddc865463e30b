import { request } from 'node:https';
import { DBSQLClient, DBSQLParameter, DBSQLParameterType } from '@databricks/sql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalEndpoint, type LocalEndpoint } from './local-endpoint.js';

/**
 * The endpoint seen through the real `@databricks/sql` client (no Warehouse facade in between),
 * plus raw HTTPS for what the client never shows: status codes, paths, methods.
 */

const TOKEN = 'endpoint-spec-token';
type Client = InstanceType<typeof DBSQLClient>;
type Session = Awaited<ReturnType<Client['openSession']>>;

async function connect(endpoint: LocalEndpoint, options: { preserveBigNumericPrecision?: boolean; host?: string } = {}): Promise<Client> {
  const client = new DBSQLClient({ logger: { log: () => undefined } });
  await client.connect({
    host: options.host ?? endpoint.host,
    port: endpoint.port,
    path: endpoint.httpPath,
    token: TOKEN,
    customCaCert: endpoint.certPem,
    telemetryEnabled: false,
    ...(options.preserveBigNumericPrecision ? { preserveBigNumericPrecision: true } : {}),
  });
  return client;
}

async function rows(session: Session, sql: string, options: Parameters<Session['executeStatement']>[1] = {}): Promise<object[]> {
  const operation = await session.executeStatement(sql, options);
  try {
    return await operation.fetchAll();
  } finally {
    await operation.close();
  }
}

function post(endpoint: LocalEndpoint, path: string, headers: Record<string, string>, method = 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: endpoint.host, port: endpoint.port, path, method, headers, ca: endpoint.certPem }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(Buffer.alloc(0));
  });
}

describe('local Databricks SQL endpoint (Arrow results)', () => {
  let endpoint: LocalEndpoint;
  let client: Client;
  let session: Session;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', catalogs: ['bronze'] });
    client = await connect(endpoint, { preserveBigNumericPrecision: true });
    session = await client.openSession();
  }, 20_000);
  afterAll(async () => {
    await client?.close();
    await endpoint?.close();
  });

  it('answers only authorised POSTs on its HTTP path', async () => {
    const before = endpoint.stats().unauthorized;
    expect(await post(endpoint, endpoint.httpPath, {})).toBe(401);
    expect(await post(endpoint, endpoint.httpPath, { Authorization: 'Bearer wrong' })).toBe(401);
    expect(await post(endpoint, `${endpoint.httpPath}?o=123`, { Authorization: `Basic ${TOKEN}` })).toBe(401);
    expect(endpoint.stats().unauthorized - before).toBe(3);
    expect(await post(endpoint, '/sql/1.0/warehouses/other', { Authorization: `Bearer ${TOKEN}` })).toBe(404);
    expect(await post(endpoint, endpoint.httpPath, { Authorization: `Bearer ${TOKEN}` }, 'GET')).toBe(405);
    expect(await post(endpoint, '/api/2.0/connector-service/feature-flags/NODEJS/2.1.0', {}, 'GET')).toBe(404);
  });

  it('presents a certificate valid for 127.0.0.1 and localhost', async () => {
    const other = await connect(endpoint, { host: 'localhost' });
    try {
      const s = await other.openSession();
      expect(await rows(s, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await other.close();
    }
  });

  it('returns the JS types a real warehouse yields through the driver (native Arrow types)', async () => {
    const [row] = await rows(
      session,
      `select 9007199254740993::bigint as big, 12.30::decimal(10, 2) as dec, date '2024-02-29' as d,
              timestamp '2024-01-02 03:04:05.678901' as ts, [1, 2] as l, {'a': 1, 'b': 'x'} as st, map {'k': 7} as m,
              'ab'::blob as bin, 3::hugeint as huge, 200::utinyint as ut, '10:30:00'::time as t`,
    );
    expect(row).toEqual({
      big: 9007199254740993n,
      dec: '12.30',
      d: new Date('2024-02-29T00:00:00Z'),
      ts: new Date('2024-01-02T03:04:05.678Z'),
      l: [1, 2],
      st: { a: 1, b: 'x' },
      m: { k: 7 },
      bin: Buffer.from('ab'),
      huge: 3n,
      ut: 200,
      t: '10:30:00',
    });
  });

  it('keeps NULLs in place across DuckDB chunks and pages (fixed-width columns are copied in bulk)', async () => {
    const sql = `select range as id,
        case when range % 3 = 0 then null else cast(range as int) end as i,
        case when range % 5 = 0 then null else range * 10 end as big,
        case when range % 7 = 0 then null else range / 4 end as dbl,
        case when range % 11 = 0 then null else date '2020-01-01' + cast(range as int) end as d,
        case when range % 13 = 0 then null else timestamp '2020-01-01 00:00:00' + to_microseconds(range) end as ts,
        case when range % 17 = 0 then null else cast(range as varchar) end as s
      from range(5000) order by id`;
    const operation = await session.executeStatement(sql, { maxRows: 1500 });
    const all: Record<string, unknown>[] = [];
    do all.push(...((await operation.fetchChunk({ maxRows: 1500, disableBuffering: true })) as Record<string, unknown>[]));
    while (await operation.hasMoreRows());
    await operation.close();
    expect(all.length).toBe(5000);
    all.forEach((row, n) => {
      expect(row).toEqual({
        id: BigInt(n),
        i: n % 3 === 0 ? null : n,
        big: n % 5 === 0 ? null : BigInt(n * 10),
        dbl: n % 7 === 0 ? null : n / 4,
        d: n % 11 === 0 ? null : new Date(Date.UTC(2020, 0, 1 + n)),
        ts: n % 13 === 0 ? null : new Date(Date.UTC(2020, 0, 1) + n / 1000),
        s: n % 17 === 0 ? null : String(n),
      });
    });
  });

  it('pages big results: bounded direct results, then FetchResults', async () => {
    const before = endpoint.stats().requests;
    const operation = await session.executeStatement('select range as id from range(250000)', { maxRows: 100_000 });
    const sizes: number[] = [];
    let sum = 0n;
    do {
      const chunk = (await operation.fetchChunk({ maxRows: 100_000, disableBuffering: true })) as { id: bigint }[];
      sizes.push(chunk.length);
      for (const r of chunk) sum += r.id;
    } while (await operation.hasMoreRows());
    await operation.close();
    expect(sizes).toEqual([100_000, 100_000, 50_000]);
    expect(sum).toBe(BigInt((250_000 * 249_999) / 2));
    // ExecuteStatement (with the first page inline), two FetchResults and CloseOperation.
    expect(endpoint.stats().requests - before).toBeGreaterThanOrEqual(4);
    expect(endpoint.stats().operations).toBe(0);
  });

  it('reports engine errors as operation ERROR_STATE with message and SQLSTATE', async () => {
    const operation = await session.executeStatement('select * from bronze.main.none');
    const error = await operation.fetchAll().catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 'ERROR', response: { sqlState: '42P01' } });
    expect((error as Error).message).toMatch(/^Catalog Error: Table with name none does not exist/);
    const multi = await session.executeStatement('select 1; select 2').then((o) => o.fetchAll().catch((e: unknown) => e));
    expect(multi).toMatchObject({ errorCode: 'ERROR', response: { sqlState: '42601' } });
    expect((multi as Error).message).toMatch(/PARSE_SYNTAX_ERROR.*one statement/);
  });

  it('binds named and ordinal parameters as the driver sends them (strings with a type)', async () => {
    const named = await rows(session, 'select :i as i, :d as d, :ts as ts, :dec as dec, :b as b, :n as n, :s as s', {
      namedParameters: {
        i: 7,
        d: new DBSQLParameter({ type: DBSQLParameterType.DATE, value: '2025-03-31' }),
        ts: new Date('2025-01-01T08:00:00.123Z'),
        dec: new DBSQLParameter({ type: DBSQLParameterType.DECIMAL, value: '-0.50' }),
        b: true,
        n: null,
        s: "a 'quoted' ? :notamarker",
      },
    });
    expect(named).toEqual([
      { i: 7, d: new Date('2025-03-31T00:00:00Z'), ts: new Date('2025-01-01T08:00:00.123Z'), dec: '-0.50', b: true, n: null, s: "a 'quoted' ? :notamarker" },
    ]);
    const ordinal = await rows(session, "select ? as a, ? as b, '?' as literal, ? as c", { ordinalParameters: [1, 'two', 3n] });
    expect(ordinal).toEqual([{ a: 1, b: 'two', literal: '?', c: 3n }]);
  });

  it('accepts Databricks SQL: backtick identifiers, backslash escapes, USE SCHEMA, COMMENT, USING DELTA, Spark functions', async () => {
    expect(await rows(session, "select `a b`, 'it\\'s' as s, `x``y` from (select 1 as `a b`, 2 as `x``y`)")).toEqual([{ 'a b': 1, s: "it's", 'x`y': 2 }]);
    await rows(session, "CREATE SCHEMA IF NOT EXISTS `bronze`.`lex` COMMENT 'schema \\'comment\\''");
    await rows(session, 'CREATE OR REPLACE TABLE bronze.lex.t (id INT) USING DELTA');
    await rows(session, 'USE CATALOG bronze');
    await rows(session, 'USE SCHEMA lex');
    expect(await rows(session, 'select current_database() as c, current_schema() as s, count(*) as n from t')).toEqual([{ c: 'bronze', s: 'lex', n: 0n }]);
    await rows(session, 'USE memory.main');
    expect(
      await rows(
        session,
        `select regexp_like('abc', '^a') as re, get_json_object('{"a": 1}', '$.a') as js, datediff(date '2024-03-01', date '2024-02-01') as days,
                date_format(timestamp '2024-02-29 13:14:15', 'yyyy-MM-dd HH:mm:ss') as fmt, regexp_replace('a1b22', '[0-9]+', '#') as rr,
                cast('2024-01-01 00:00:00' as timestamp_ntz) as ntz`,
      ),
    ).toEqual([{ re: true, js: '1', days: 29, fmt: '2024-02-29 13:14:15', rr: 'a#b#', ntz: new Date('2024-01-01T00:00:00Z') }]);
  });

  it('answers DDL without a result set and DML with num_affected_rows', async () => {
    expect(await rows(session, 'create or replace table bronze.main.dml (id int)')).toEqual([]);
    expect(await rows(session, 'insert into bronze.main.dml values (1), (2), (3)')).toEqual([{ num_affected_rows: 3n, num_inserted_rows: 3n }]);
    expect(await rows(session, 'delete from bronze.main.dml where id > 1')).toEqual([{ num_affected_rows: 2n }]);
  });

  it('keeps two open results of one session apart, and the session namespace on both', async () => {
    await rows(session, 'USE bronze.main');
    const first = await session.executeStatement('select range as id from range(300000)', { maxRows: 1000 });
    const head = (await first.fetchChunk({ maxRows: 1000, disableBuffering: true })) as { id: bigint }[];
    // A second statement while the first result is open runs on a second DuckDB connection, in the same namespace.
    expect(await rows(session, 'select current_database() as c, count(*) as n from dml')).toEqual([{ c: 'bronze', n: 1n }]);
    let count = head.length;
    while (await first.hasMoreRows()) count += (await first.fetchChunk({ maxRows: 100_000, disableBuffering: true })).length;
    await first.close();
    expect(count).toBe(300_000);
    await rows(session, 'USE memory.main');
  });

  it('opens sessions in the initial catalog and schema, and refuses unknown ones', async () => {
    await rows(session, 'create schema if not exists bronze.scout');
    const s = await client.openSession({ initialCatalog: 'bronze', initialSchema: 'scout' });
    expect(await rows(s, 'select current_database() as c, current_schema() as s')).toEqual([{ c: 'bronze', s: 'scout' }]);
    await s.close();
    await expect(client.openSession({ initialCatalog: 'nope' })).rejects.toMatchObject({ message: expect.stringMatching(/nope/) });
  });

  it('CancelOperation interrupts the running DuckDB statement', async () => {
    const operation = await session.executeStatement('select count(*) from range(100000000000)');
    await vi.waitFor(() => expect(endpoint.stats().executing).toBe(1), { timeout: 5000, interval: 10 });
    await operation.cancel();
    await vi.waitFor(() => expect(endpoint.stats().executing).toBe(0), { timeout: 5000, interval: 10 });
    await expect(operation.fetchAll()).rejects.toMatchObject({ errorCode: 'CANCELED' });
    expect(await rows(session, 'select 1 as one')).toEqual([{ one: 1 }]);
  }, 15_000);
});

describe('local Databricks SQL endpoint (column results)', () => {
  let endpoint: LocalEndpoint;
  let client: Client;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', resultFormat: 'column' });
    client = await connect(endpoint);
  }, 20_000);
  afterAll(async () => {
    await client?.close();
    await endpoint?.close();
  });

  it('sends Thrift column sets, which the driver turns into numbers and strings', async () => {
    const session = await client.openSession();
    const [row] = await rows(
      session,
      `select 42::bigint as big, 12.30::decimal(10, 2) as dec, date '2024-02-29' as d, timestamp '2024-01-02 03:04:05.678901' as ts,
              true as b, 1.5::float as f, 'x' as s, 'ab'::blob as bin, [1, 2] as l, null::int as n, 3::tinyint as i8, 300::smallint as i16`,
    );
    expect(row).toEqual({ big: 42, dec: 12.3, d: '2024-02-29', ts: '2024-01-02 03:04:05.678901', b: true, f: 1.5, s: 'x', bin: Buffer.from('ab'), l: [1, 2], n: null, i8: 3, i16: 300 });
    // Paging works the same (the driver asks once more after a non-empty page: that page is empty).
    const all = (await rows(session, 'select range as id from range(150000)')) as { id: number }[];
    expect(all.length).toBe(150_000);
    expect(all[149_999]).toEqual({ id: 149_999 });
  });
});
