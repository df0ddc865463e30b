/**
 * One behavioural suite, run against every dialect:
 *   - duckdb:     the embedded engine, in-process;
 *   - databricks: the real `@databricks/sql` client (Thrift over HTTPS) → the local endpoint.
 * Expected values that differ between engines live in `Record<DialectName, …>` tables, so a new
 * dialect fails to compile until every case says what it returns. No mocks: real engines, real
 * protocol, real client.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DialectName } from '../core/adapter.js';
import { WarehouseError } from '../core/errors.js';
import { compiledQuery, param, type ColumnInfo } from '../core/types.js';
import { Warehouse } from '../core/warehouse.js';
import { databricksDialect } from '../databricks/index.js';
import { duckDbDialect } from '../duckdb/index.js';
import { startLocalEndpoint, type LocalEndpoint } from '../endpoint/index.js';

/** Marks a case that does not apply to a dialect. */
const NOT_APPLICABLE = Symbol('not applicable');
type PerDialect<T> = Record<DialectName, T>;

interface Harness {
  readonly warehouse: Warehouse;
  /** The same engine behind wrong credentials, where the engine has credentials at all. */
  readonly withWrongCredentials: (() => Warehouse) | typeof NOT_APPLICABLE;
  /** Resolves once the engine is no longer executing anything for us. */
  engineIdle(): Promise<void>;
  close(): Promise<void>;
}

const TOKEN = 'behaviour-token-9f2c';

const HARNESSES: PerDialect<() => Promise<Harness>> = {
  async duckdb() {
    const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:' }));
    return {
      warehouse,
      withWrongCredentials: NOT_APPLICABLE,
      // A DuckDB connection runs one statement at a time: the next one completes only if the last really stopped.
      engineIdle: async () => void (await warehouse.query('select 1 as one')),
      close: () => warehouse.close(),
    };
  },
  async databricks() {
    const endpoint: LocalEndpoint = await startLocalEndpoint({ port: 0, token: TOKEN, dataDir: ':memory:' });
    const connect = (token: string) =>
      new Warehouse(
        databricksDialect({ host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, auth: { kind: 'pat', token }, caCertPem: endpoint.certPem }),
      );
    const warehouse = connect(TOKEN);
    const others: Warehouse[] = [];
    return {
      warehouse,
      withWrongCredentials: () => {
        const other = connect('not-the-token');
        others.push(other);
        return other;
      },
      engineIdle: async () => {
        await vi.waitFor(() => expect(endpoint.stats().executing).toBe(0), { timeout: 10_000, interval: 20 });
        await warehouse.query('select 1 as one');
      },
      close: async () => {
        for (const w of [warehouse, ...others]) await w.close();
        await endpoint.close();
      },
    };
  },
};

const DIALECTS = Object.keys(HARNESSES) as DialectName[];

/** Every scalar type once, in SQL both engines accept. */
const SCALARS_SQL = `select
  cast(true as boolean) as b,
  cast(7 as tinyint) as i8,
  cast(-300 as smallint) as i16,
  cast(70000 as int) as i32,
  cast(9007199254740993 as bigint) as i64,
  cast(1.5 as float) as f32,
  cast(2.25 as double) as f64,
  cast('12.30' as decimal(10, 2)) as dec,
  cast('-0.05' as decimal(10, 2)) as dec_neg,
  cast('12345678901234567890.0123456789' as decimal(38, 10)) as dec_wide,
  'héllo, wörld' as s,
  cast('2024-02-29' as date) as d,
  cast('1969-12-31' as date) as d_pre_epoch,
  cast('2024-01-02 03:04:05.678' as timestamp) as ts,
  cast('ab' as binary) as bin`;

const SCALAR_VALUES = {
  b: true,
  i8: 7,
  i16: -300,
  i32: 70000,
  i64: 9007199254740993n,
  f32: 1.5,
  f64: 2.25,
  dec: '12.30',
  dec_neg: '-0.05',
  dec_wide: '12345678901234567890.0123456789',
  s: 'héllo, wörld',
  d: '2024-02-29',
  d_pre_epoch: '1969-12-31',
  ts: new Date('2024-01-02T03:04:05.678Z'),
  bin: Buffer.from('ab'),
};

/** The engines name their types differently; the values above are the same everywhere. */
const SCALAR_TYPES: PerDialect<readonly string[]> = {
  duckdb: ['BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL(10,2)', 'DECIMAL(10,2)', 'DECIMAL(38,10)', 'VARCHAR', 'DATE', 'DATE', 'TIMESTAMP', 'BLOB'],
  databricks: ['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL(10,2)', 'DECIMAL(10,2)', 'DECIMAL(38,10)', 'STRING', 'DATE', 'DATE', 'TIMESTAMP', 'BINARY'],
};

/** `daysBetween`: DuckDB's date_diff is a BIGINT, Spark's datediff an INT. */
const DAYS_BETWEEN: PerDialect<bigint | number> = { duckdb: 59n, databricks: 59 };

/**
 * `{{ regexp_replace(…) }}` passes the replacement through: Spark writes a group as `$1`, DuckDB as
 * `\1`, so `$3/$2/$1` is literal text on DuckDB. Write replacements without group references.
 */
const GROUP_REFERENCES: PerDialect<string> = { duckdb: 'a-b-c $3/$2/$1', databricks: 'a-b-c 02/01/2024' };

/** What a missing table reports besides the engine's message: DuckDB has no SQLSTATE, the endpoint maps it. */
const MISSING_TABLE_SQLSTATE: PerDialect<string | undefined> = { duckdb: undefined, databricks: '42P01' };

/**
 * A negative DECIMAL whose unscaled value exceeds 2^53. @databricks/sql 2.1.0 (preserveBigNumericPrecision)
 * negates the unscaled value as a string (`-"123…"`), i.e. through a double, so the last digits are
 * lost — against a real warehouse too, which sends the same Arrow Decimal128.
 */
const NEGATIVE_WIDE_DECIMAL: PerDialect<string> = { duckdb: '-1234567890123456.78', databricks: '-1234567890123456.80' };

const ONE_MILLION = 1_000_000;

describe.each(DIALECTS)('warehouse behaviour on %s', (dialect) => {
  let harness: Harness;
  let wh: Warehouse;

  beforeAll(async () => {
    harness = await HARNESSES[dialect]();
    wh = harness.warehouse;
    for (const catalog of ['bronze', 'silver']) await wh.query(wh.adapter.createCatalogSql(catalog));
  }, 30_000);
  afterAll(async () => harness?.close());

  it('returns every scalar type in the canonical JS mapping', async () => {
    const { rows, columns } = await wh.query(SCALARS_SQL);
    expect(rows).toEqual([SCALAR_VALUES]);
    expect(columns.map((c: ColumnInfo) => c.type)).toEqual(SCALAR_TYPES[dialect]);
    expect(columns.map((c) => c.name)).toEqual(Object.keys(SCALAR_VALUES));
  });

  it('returns NULL of every type as null', async () => {
    const types = ['boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal(10, 2)', 'string', 'date', 'timestamp', 'binary'];
    const sql = `select ${types.map((t, i) => `cast(null as ${t}) as c${i}`).join(', ')}`;
    const { rows } = await wh.query(sql);
    expect(rows).toEqual([Object.fromEntries(types.map((_, i) => [`c${i}`, null]))]);
  });

  it("means the same with the adapter's engine-specific functions", async () => {
    const a = wh.adapter;
    const { rows } = await wh.query(
      wh.render(
        `select ${a.regexpMatches("'INV-0042'", "'^INV-[0-9]+$'")} as re,
                ${a.jsonExtractString(`'{"a": {"b": "x"}}'`, "'$.a.b'")} as js,
                ${a.formatYearMonth("DATE '2025-02-28'")} as ym,
                ${a.daysBetween("DATE '2025-01-01'", "DATE '2025-03-01'")} as days,
                {{ regexp_replace('a-b-c 2024-01-02', '([0-9]+)-([0-9]+)-([0-9]+)', '$3/$2/$1') }} as dmy,
                {{ regexp_replace('a-b-c', '-', '+') }} as every`,
      ),
    );
    expect(rows).toEqual([{ re: true, js: 'x', ym: '2025-02', days: DAYS_BETWEEN[dialect], dmy: GROUP_REFERENCES[dialect], every: 'a+b+c' }]);
  });

  it('keeps decimals exact and dates/timestamps in UTC across a table round trip', async () => {
    await wh.executeScript(`
      CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.fin;
      CREATE OR REPLACE TABLE {{catalog.bronze}}.fin.amounts (id INT, amount DECIMAL(18, 2), booked DATE, booked_at TIMESTAMP);
      INSERT INTO {{catalog.bronze}}.fin.amounts VALUES
        (1, 0.10, DATE '2025-01-31', TIMESTAMP '2025-01-31 23:59:59.999'),
        (2, 0.20, DATE '2025-02-01', TIMESTAMP '2025-02-01 00:00:00'),
        (3, -1234567890123456.78, NULL, NULL);`);
    const { rows } = await wh.query(
      'select sum(amount) as total, min(booked) as first_day, max(booked_at) as last_at, count(booked) as dated from bronze.fin.amounts where id <= 2',
    );
    expect(rows).toEqual([{ total: '0.30', first_day: '2025-01-31', last_at: new Date('2025-02-01T00:00:00Z'), dated: 2n }]);
    const all = await wh.query('select id, amount, booked, booked_at from bronze.fin.amounts order by id');
    expect(all.rows[2]).toEqual({ id: 3, amount: NEGATIVE_WIDE_DECIMAL[dialect], booked: null, booked_at: null });
    expect(all.rows[0]).toMatchObject({ booked: '2025-01-31', booked_at: new Date('2025-01-31T23:59:59.999Z') });
  });

  it('binds named parameters, plain and typed, never splicing them into the SQL', async () => {
    const query = compiledQuery('select :i as i, :big as big, :f as f, :s as s, :b as b, :d as d, :ts as ts, :dec as dec, :n as n', {
      i: 42,
      big: 2n ** 40n,
      f: 0.5,
      s: "it's -- not a comment; nor a ' quote",
      b: false,
      d: param.date('2025-03-31'),
      ts: new Date('2025-01-01T08:00:00Z'),
      dec: param.decimal('1234.50'),
      n: null,
      notInTheSql: 'parameters the statement does not mention are ignored',
    });
    const { rows } = await wh.query(query);
    expect(rows).toEqual([
      { i: 42, big: 2n ** 40n, f: 0.5, s: "it's -- not a comment; nor a ' quote", b: false, d: '2025-03-31', ts: new Date('2025-01-01T08:00:00Z'), dec: '1234.50', n: null },
    ]);
    const filtered = await wh.query(compiledQuery('select count(*) as c from range(10) t(v) where v >= :lo and v < :hi', { lo: 3, hi: param.bigint(7n) }));
    expect(filtered.rows).toEqual([{ c: 4n }]);
  });

  it('resolves three-part names across attached catalogs (bronze.scout.x → silver)', async () => {
    await wh.executeScript(`
      CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.scout;
      CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.scout;
      CREATE OR REPLACE TABLE {{catalog.bronze}}.scout.x AS SELECT range AS id, 'agency-' || CAST(range % 3 AS STRING) AS agency FROM range(30);
      CREATE OR REPLACE TABLE {{catalog.silver}}.scout.by_agency AS SELECT agency, count(*) AS n, sum(id) AS total FROM {{catalog.bronze}}.scout.x GROUP BY agency;`);
    const { rows } = await wh.query(
      'select s.agency, s.n, s.total, count(*) as joined from silver.scout.by_agency s join bronze.scout.x b on b.agency = s.agency group by s.agency, s.n, s.total order by s.agency',
    );
    expect(rows).toEqual([
      { agency: 'agency-0', n: 10n, total: 135n, joined: 10n },
      { agency: 'agency-1', n: 10n, total: 145n, joined: 10n },
      { agency: 'agency-2', n: 10n, total: 155n, joined: 10n },
    ]);
    const insert = await wh.query(compiledQuery('insert into bronze.scout.x values (:id, :agency), (:id2, :agency)', { id: 100, id2: 101, agency: 'agency-9' }));
    expect(insert).toEqual({ columns: [], rows: [], numAffectedRows: 2n });
  });

  it("surfaces an engine error as WarehouseError('QUERY_FAILED') with the engine's message", async () => {
    const error = await wh.query('select * from bronze.scout.does_not_exist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ code: 'QUERY_FAILED' });
    expect((error as WarehouseError).message).toMatch(/does_not_exist.*does not exist/s);
    expect((error as WarehouseError).data?.['sqlState']).toBe(MISSING_TABLE_SQLSTATE[dialect]);
    // The warehouse stays usable.
    expect((await wh.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
  });

  it("rejects wrong credentials with WarehouseError('AUTH_FAILED'), never echoing them", async () => {
    const open = harness.withWrongCredentials;
    if (open === NOT_APPLICABLE) return;
    const error = await open()
      .query('select 1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ code: 'AUTH_FAILED' });
    expect(JSON.stringify({ message: (error as Error).message, data: (error as WarehouseError).data })).not.toContain('not-the-token');
  });

  it('times a long query out as QUERY_TIMEOUT and really stops it on the engine', async () => {
    const error = await wh.query('select count(*) from range(100000000000)', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect(error).toMatchObject({ code: 'QUERY_TIMEOUT', data: { timeoutMs: 300 } });
    await harness.engineIdle();
  }, 20_000);

  it('streams in bounded batches and can stop early', async () => {
    const sizes: number[] = [];
    let sum = 0n;
    for await (const batch of wh.stream<{ id: bigint }>('select range as id from range(25000)', { chunkSize: 10_000 })) {
      sizes.push(batch.length);
      for (const row of batch) sum += row.id;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10_000 + 2048);
    expect(sum).toBe(BigInt((25_000 * 24_999) / 2));

    for await (const batch of wh.stream('select range as id from range(1000000)', { chunkSize: 1000 })) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect((await wh.query('select 3 as three')).rows).toEqual([{ three: 3 }]);
  });

  it('fetches 1,000,000 rows completely and exactly', async () => {
    const { rows } = await wh.query<{ id: bigint; m: number }>(`select range as id, cast(range % 7 as int) as m from range(${ONE_MILLION})`);
    expect(rows.length).toBe(ONE_MILLION);
    let ids = 0n;
    let mods = 0;
    for (const row of rows) {
      ids += row.id;
      mods += row.m;
    }
    expect(ids).toBe(BigInt(ONE_MILLION) * BigInt(ONE_MILLION - 1) / 2n);
    // 142,857 full cycles of 0..6 (sum 21) plus a tail of 0 (1,000,000 = 7 × 142,857 + 1).
    expect(mods).toBe(142_857 * 21);
  }, 30_000);
});
