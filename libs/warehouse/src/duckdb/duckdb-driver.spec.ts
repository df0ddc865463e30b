import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MetricsCollector } from '@odoo-ce/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WarehouseError } from '../core/errors.js';
import { metricsSink } from '../core/ops.js';
import { compiledQuery, param } from '../core/types.js';
import { Warehouse } from '../core/warehouse.js';
import { duckDbDialect } from './duckdb-driver.js';
import { tableFunctionAsMacro } from './table-function.js';

describe('DuckDB driver (files on disk)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'duck-'));
  let wh: Warehouse;

  beforeAll(async () => {
    wh = new Warehouse(duckDbDialect({ dataDir, catalogs: ['bronze', 'silver', 'ops'] }));
    await wh.init();
  });
  afterAll(async () => wh.close());

  it('keeps one file per catalog, attached under its Unity Catalog name', async () => {
    await wh.executeScript(`
      create schema if not exists bronze.scout;
      create or replace table bronze.scout.tx as select range as id from range(3);
      create schema if not exists silver.scout;
      create or replace table silver.scout.tx as select id * 10 as id from bronze.scout.tx;`);
    expect(existsSync(join(dataDir, 'bronze.duckdb'))).toBe(true);
    const { rows } = await wh.query('select sum(id) as s from silver.scout.tx');
    expect(rows).toEqual([{ s: 30n }]);
  });

  it('turns CREATE CATALOG into a new attached file, and re-attaches files on the next start', async () => {
    await wh.query(wh.adapter.createCatalogSql('gold', 'curated'));
    await wh.executeScript('create schema if not exists gold.finance; create or replace table gold.finance.t as select 1 as one;');
    expect(existsSync(join(dataDir, 'gold.duckdb'))).toBe(true);
    await wh.close();
    wh = new Warehouse(duckDbDialect({ dataDir }));
    expect((await wh.query('select one from gold.finance.t')).rows).toEqual([{ one: 1 }]);
  });

  it('spills to <dataDir>/.tmp, not the working directory', async () => {
    const { rows } = await wh.query<{ d: string }>("SELECT current_setting('temp_directory') AS d");
    expect(rows[0]?.d).toBe(join(resolve(dataDir), '.tmp'));
  });

  it('reports DML as numAffectedRows', async () => {
    const result = await wh.query('insert into bronze.scout.tx values (7), (8)');
    expect(result.numAffectedRows).toBe(2n);
    expect(result.rows).toEqual([]);
  });

  it('commits and rolls back transactions', async () => {
    await wh.query('create or replace table bronze.scout.tt (id int)');
    await wh.transaction(async (tx) => {
      await tx.query('insert into bronze.scout.tt values (1)');
    });
    await expect(
      wh.transaction(async (tx) => {
        await tx.query('insert into bronze.scout.tt values (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await wh.query('select id from bronze.scout.tt')).rows).toEqual([{ id: 1 }]);
  });

  it('names the file, line and statement of a failing script statement', async () => {
    const error = await wh.executeScript('select 1;\n\nselect * from bronze.scout.missing;', { file: 'etl/x.sql' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).code).toBe('QUERY_FAILED');
    expect((error as WarehouseError).message).toMatch(/^etl\/x\.sql:3 \(statement 2 of 2\): Catalog Error: Table with name missing does not exist/);
    expect((error as WarehouseError).data).toMatchObject({ file: 'etl/x.sql', line: 3, statement: 2 });
  });

  it('renders templates and binds params in scripts', async () => {
    await wh.executeScript('create or replace table {{catalog.bronze}}.scout.p as select {{params.n}} as n;', { params: { n: 5 } });
    expect((await wh.query('select n from bronze.scout.p')).rows).toEqual([{ n: 5 }]);
  });

  it('publishes metrics into the ops schema, never the system catalog', async () => {
    const metrics = new MetricsCollector({ run_id: 'r1' });
    metrics.record('rows_loaded', 42, { table: 'bronze.scout.tx' });
    metrics.record('duration_ms', 12.5);
    await metrics.publish(metricsSink(wh));
    const { rows } = await wh.query('select name, value, tags from ops.ops.custom_metrics order by name');
    expect(rows).toEqual([
      { name: 'duration_ms', value: 12.5, tags: '{"run_id":"r1"}' },
      { name: 'rows_loaded', value: 42, tags: '{"run_id":"r1","table":"bronze.scout.tx"}' },
    ]);
  });
});

describe('DuckDB driver (in memory)', () => {
  const wh = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze'] }));
  afterAll(async () => wh.close());

  it('returns values losslessly in the canonical mapping', async () => {
    const { rows, columns } = await wh.query(
      `select 9007199254740993::bigint as big, 12.30::decimal(10,2) as dec, date '2024-02-29' as d,
              timestamp '2024-01-02 03:04:05.678' as ts, true as b, 'x' as s, null as n, [1, 2] as l, {'a': 1} as st`,
    );
    expect(rows[0]).toEqual({ big: 9007199254740993n, dec: '12.30', d: '2024-02-29', ts: new Date('2024-01-02T03:04:05.678Z'), b: true, s: 'x', n: null, l: [1, 2], st: { a: 1 } });
    expect(columns.map((c) => c.type)).toEqual(['BIGINT', 'DECIMAL(10,2)', 'DATE', 'TIMESTAMP', 'BOOLEAN', 'VARCHAR', 'INTEGER', 'INTEGER[]', 'STRUCT("a" INTEGER)']);
  });

  it('binds named parameters with the types the Databricks driver would send', async () => {
    const q = compiledQuery('select typeof(:i) ti, typeof(:b) tb, typeof(:f) tf, typeof(:d) td, typeof(:ts) tts, typeof(:dec) tdec, :dec as dec, :s as s, :n as n', {
      i: 7, b: 2 ** 40, f: 0.5, d: param.date('2025-03-31'), ts: new Date('2025-01-01T00:00:00Z'), dec: param.decimal('1234.50'), s: "it's", n: null,
    });
    expect((await wh.query(q)).rows[0]).toEqual({ ti: 'INTEGER', tb: 'BIGINT', tf: 'DOUBLE', td: 'DATE', tts: 'TIMESTAMP', tdec: 'DECIMAL(38,2)', dec: '1234.50', s: "it's", n: null });
  });

  it('streams in bounded batches', async () => {
    const sizes: number[] = [];
    let sum = 0n;
    for await (const batch of wh.stream<{ id: bigint }>('select range as id from range(25000)', { chunkSize: 10_000 })) {
      sizes.push(batch.length);
      for (const r of batch) sum += r.id;
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(25_000);
    expect(Math.max(...sizes)).toBeLessThan(10_000 + 2048);
    expect(sum).toBe(BigInt((25_000 * 24_999) / 2));
  });

  it('a timeout interrupts the engine and surfaces as QUERY_TIMEOUT', async () => {
    const error = await wh.query('select count(*) from range(100000000000)', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'QUERY_TIMEOUT' });
    // The connection is usable afterwards.
    expect((await wh.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('an AbortSignal cancels', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(wh.query('select count(*) from range(100000000000)', { signal: controller.signal })).rejects.toMatchObject({ code: 'QUERY_CANCELLED' });
  });

  it('retries auto-committed statements that lose a write-write conflict', async () => {
    // Parallel tasks often start with the same CREATE SCHEMA IF NOT EXISTS: DuckDB lets one commit
    // and fails the others with a catalog conflict, which is safe to retry for a single statement.
    for (let i = 0; i < 10; i++) {
      await Promise.all([0, 1, 2, 3].map((j) => wh.executeScript(`create schema if not exists bronze.s${i}; create or replace table bronze.s${i}.t${j} as select ${j} as j`)));
    }
    expect((await wh.query('select j from bronze.s9.t3')).rows).toEqual([{ j: 3 }]);
  });

  it('refuses reserved catalog names', async () => {
    await expect(wh.query('create catalog main')).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
  });
});

describe('Databricks table functions on DuckDB', () => {
  it('CREATE OR REPLACE FUNCTION … RETURNS TABLE … RETURN becomes a table macro that SELECT * FROM f(n) calls, in its catalog and schema', async () => {
    const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:' }));
    try {
      await warehouse.query("CREATE CATALOG IF NOT EXISTS gold COMMENT 'x'");
      await warehouse.query('CREATE SCHEMA IF NOT EXISTS gold.ml');
      await warehouse.query("CREATE TABLE gold.ml.f AS SELECT * FROM (VALUES ('a', '2025-01', 1.0), ('a', '2025-02', 2.0), ('b', '2025-01', 3.0)) AS v(series, month, point)");
      const create = `CREATE OR REPLACE FUNCTION gold.ml.next_months(horizon_months INT, only_series STRING)
        RETURNS TABLE (series STRING, month STRING, point DOUBLE)
        COMMENT 'the first n months (it''s a test)'
        RETURN SELECT series, month, point FROM (SELECT *, dense_rank() OVER (PARTITION BY series ORDER BY month) AS h FROM gold.ml.f) AS r
               WHERE h <= horizon_months AND (only_series IS NULL OR series = only_series);`;
      await warehouse.query(create);
      await warehouse.query(create); // OR REPLACE: rerunnable
      const rows = (await warehouse.query<{ series: string; month: string }>('SELECT series, month FROM gold.ml.next_months(1, NULL) ORDER BY series')).rows;
      expect(rows.map((r) => `${r.series} ${r.month}`)).toEqual(['a 2025-01', 'b 2025-01']);
      expect((await warehouse.query("SELECT count(*) AS n FROM gold.ml.next_months(5, 'a')")).rows[0]).toEqual({ n: 2n });
    } finally {
      await warehouse.close();
    }
  });

  it('leaves every other statement alone, including scalar functions and malformed ones', () => {
    expect(tableFunctionAsMacro('CREATE FUNCTION f(x INT) RETURNS INT RETURN x + 1')).toBeUndefined();
    expect(tableFunctionAsMacro('CREATE FUNCTION f(x INT RETURNS TABLE (y INT) RETURN SELECT 1')).toBeUndefined();
    expect(tableFunctionAsMacro('SELECT 1')).toBeUndefined();
    expect(tableFunctionAsMacro('CREATE FUNCTION `c`.s.f(n DECIMAL(10, 2), m INT) RETURNS TABLE (y DECIMAL(10, 2)) RETURN SELECT n * m')).toBe(
      'CREATE MACRO "c".s.f(n, m) AS TABLE SELECT CAST("y" AS DECIMAL(10, 2)) AS "y" FROM (\nSELECT n * m\n) AS _f("y")',
    );
  });

  it('names and types the result by RETURNS TABLE (by position, as Databricks does); quoted commas, DEFAULTs and characteristics', async () => {
    const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:' }));
    try {
      await warehouse.query('CREATE CATALOG IF NOT EXISTS fxcat');
      await warehouse.query('CREATE SCHEMA IF NOT EXISTS fxcat.fx');
      await warehouse.query(`CREATE OR REPLACE FUNCTION fxcat.fx.ahead(n INT COMMENT 'months, ahead', step INT DEFAULT 10)
        RETURNS TABLE (\`next\` BIGINT, label STRING COMMENT 'a label, with a comma')
        LANGUAGE SQL NOT DETERMINISTIC COMMENT 'x' READS SQL DATA
        RETURN SELECT n + step, 'n=' || n`);
      const result = await warehouse.query('SELECT * FROM fxcat.fx.ahead(2)');
      expect(result.columns.map((c) => c.name)).toEqual(['next', 'label']);
      expect(result.rows).toEqual([{ next: 12n, label: 'n=2' }]);
      expect((await warehouse.query('SELECT * FROM fxcat.fx.ahead(2, step := 1)')).rows).toEqual([{ next: 3n, label: 'n=2' }]);
      // A complex return type keeps the query's type; an escaped quote in a comment and a trailing -- comment are harmless.
      await warehouse.query(`CREATE OR REPLACE FUNCTION fxcat.fx.pair(n INT COMMENT 'it\\'s, odd') RETURNS TABLE (xs ARRAY<INT>)
        RETURN SELECT [n, n + 1] -- the pair`);
      expect((await warehouse.query('SELECT xs FROM fxcat.fx.pair(4)')).rows).toEqual([{ xs: [4, 5] }]);
    } finally {
      await warehouse.close();
    }
  });
});
