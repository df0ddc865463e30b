import { adapterFor, compiledQuery, DEFAULT_LAYOUT, Warehouse, type DialectName } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpectationConfig as E, expectationSuite } from '../model/expectation-config.js';
import { resolveTableName, type ResolvedTableName } from '../runner/table-name.js';
import { checkCompilerFor } from './check-compiler.js';
import { categoryOf } from './column-types.js';
import { planSuite } from './plan.js';

const SUITE = expectationSuite('items', [
  E.create('expect_column_values_to_not_be_null', { column: 'id' }),
  E.create('expect_column_values_to_be_between', { column: 'amount', min_value: 0, max_value: 100, result_format: 'BOOLEAN_ONLY' }),
  E.create('expect_column_values_to_be_unique', { column: 'id', result_format: { result_format: 'COMPLETE', unexpected_index_column_names: ['id'] } }),
  E.create('expect_column_values_to_match_regex', { column: 'code', regex: '^[A-Z]+$', result_format: 'BASIC' }),
  E.create('expect_column_max_to_be_between', { column: 'amount', max_value: 1000 }),
  E.create('expect_column_distinct_values_to_be_in_set', { column: 'code', value_set: ['A', 'B'] }),
]);

const TYPES: Record<DialectName, Record<string, string>> = {
  duckdb: { id: 'INTEGER', amount: 'DECIMAL(18,2)', code: 'VARCHAR' },
  databricks: { id: 'INT', amount: 'DECIMAL(18,2)', code: 'STRING' },
};

interface Expected {
  readonly sql: string;
  /** Row checks whose samples need a LIMIT query after the scan. */
  readonly samplesOutsideScan: readonly number[];
  /** Statistics with their own query after the scan (value counts without an aggregate for them). */
  readonly queriesOutsideScan: readonly string[];
  /** Row checks sampled by row identity (values fetched by rowid after the scan). */
  readonly samplesByRowId: readonly number[];
}

/** One scan per dialect, byte-exact. Adding a dialect breaks this record until it is covered. */
const EXPECTED: Record<DialectName, Expected> = {
  duckdb: {
    sql:
      `SELECT count(*) AS "_dq_n", count(*) FILTER (WHERE NOT ("id" IS NOT NULL)) AS "_dq_0_unexpected", ` +
      `count("amount") AS "_dq_1_considered", count(*) FILTER (WHERE ("amount" IS NOT NULL) AND NOT ("amount" >= :dq_p0 AND "amount" <= :dq_p1)) AS "_dq_1_unexpected", ` +
      `count("id") AS "_dq_2_considered", count(*) FILTER (WHERE ("id" IS NOT NULL) AND NOT coalesce("_dq_dup_0" = 1, FALSE)) AS "_dq_2_unexpected", ` +
      `arg_min(CASE WHEN ("id" IS NOT NULL) AND NOT coalesce("_dq_dup_0" = 1, FALSE) THEN "_dq_row" END, "id", 200) AS "_dq_2_rowids", ` +
      `count("code") AS "_dq_3_considered", count(*) FILTER (WHERE ("code" IS NOT NULL) AND NOT (regexp_matches("code", :dq_p2))) AS "_dq_3_unexpected", ` +
      `min(CASE WHEN ("code" IS NOT NULL) AND NOT (regexp_matches("code", :dq_p2)) THEN "_dq_row" END, 20) AS "_dq_3_rowids", ` +
      `max("amount") AS "_dq_4_v", CASE WHEN max("amount") IS NULL THEN NULL ELSE (max("amount") <= :dq_p3) END AS "_dq_4_ok", ` +
      `map_entries(histogram("code")) AS "_dq_5_counts" ` +
      `FROM (SELECT *, count(*) OVER (PARTITION BY "id") AS "_dq_dup_0" FROM (SELECT rowid AS "_dq_row", * FROM "bronze"."demo"."items") AS "_dq_j") AS "_dq_src"`,
    samplesOutsideScan: [],
    queriesOutsideScan: [],
    samplesByRowId: [2, 3],
  },
  databricks: {
    sql:
      'SELECT count(*) AS `_dq_n`, count(*) FILTER (WHERE NOT (`id` IS NOT NULL)) AS `_dq_0_unexpected`, ' +
      'count(`amount`) AS `_dq_1_considered`, count(*) FILTER (WHERE (`amount` IS NOT NULL) AND NOT (`amount` >= :dq_p0 AND `amount` <= :dq_p1)) AS `_dq_1_unexpected`, ' +
      'count(`id`) AS `_dq_2_considered`, count(*) FILTER (WHERE (`id` IS NOT NULL) AND NOT coalesce(`_dq_dup_0` = 1, FALSE)) AS `_dq_2_unexpected`, ' +
      'count(`code`) AS `_dq_3_considered`, count(*) FILTER (WHERE (`code` IS NOT NULL) AND NOT (regexp_like(`code`, :dq_p2))) AS `_dq_3_unexpected`, ' +
      'max(`amount`) AS `_dq_4_v`, CASE WHEN max(`amount`) IS NULL THEN NULL ELSE (max(`amount`) <= :dq_p3) END AS `_dq_4_ok` ' +
      'FROM (SELECT *, count(*) OVER (PARTITION BY `id`) AS `_dq_dup_0` FROM `bronze`.`demo`.`items` AS `_dq_j`) AS `_dq_src`',
    samplesOutsideScan: [2, 3],
    queriesOutsideScan: ['SELECT `code` AS `key`, count(*) AS `value` FROM `bronze`.`demo`.`items` WHERE `code` IS NOT NULL GROUP BY `code`'],
    samplesByRowId: [],
  },
};

function compile(dialect: DialectName) {
  const adapter = adapterFor(dialect);
  const table = resolveTableName(adapter, DEFAULT_LAYOUT, 'bronze.demo.items') as ResolvedTableName;
  const columns = Object.entries(TYPES[dialect]).map(([name, type]) => ({ name, type, category: categoryOf(type) }));
  const compiler = checkCompilerFor(adapter);
  const plan = planSuite({ suite: SUITE, table, columns, compiler, layout: DEFAULT_LAYOUT });
  expect(plan.expectations.flatMap((e) => e.problems)).toEqual([]);
  const items = plan.expectations.map((e) => e.item).filter((i) => i !== undefined);
  const baseColumns = new Set(columns.map((c) => adapter.quoteIdentifier(c.name)));
  return { scan: compiler.compileScan({ table: table.sql, items, parameters: plan.parameters, baseColumns }), compiler, table };
}

describe.each(Object.keys(EXPECTED) as DialectName[])('%s check compiler', (dialect) => {
  it('compiles every check of a table into one statement, values as named parameters', () => {
    const { scan } = compile(dialect);
    expect(scan.query.sql).toBe(EXPECTED[dialect].sql);
    expect(scan.samplesByRowId.map((s) => s.index)).toEqual(EXPECTED[dialect].samplesByRowId);
    expect(scan.query.parameters).toEqual({ dq_p0: 0, dq_p1: 100, dq_p2: '^[A-Z]+$', dq_p3: 1000 });
    expect(scan.samplesOutsideScan).toEqual(EXPECTED[dialect].samplesOutsideScan);
    expect(scan.queriesOutsideScan.map((q) => q.query.sql)).toEqual(EXPECTED[dialect].queriesOutsideScan);
    expect(scan.query.sql.match(/\bFROM ["`]bronze/g)).toHaveLength(1);
  });
});

describe('the DuckDB scan on a real table', () => {
  const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze'], threads: 1 }));
  beforeAll(async () => {
    await warehouse.query('CREATE SCHEMA bronze.demo');
    await warehouse.query(
      `CREATE TABLE bronze.demo.items AS SELECT * FROM (VALUES (1, 10.00, 'A'), (2, 150.00, 'B'), (2, NULL, 'c'), (NULL, 5.00, NULL)) AS v(id, amount, code)`,
    );
  });
  afterAll(() => warehouse.close());

  it('returns one row with every count, sampled row identities and statistics; the rows are fetched by rowid', async () => {
    const { scan, compiler, table } = compile('duckdb');
    const { rows } = await warehouse.query(compiledQuery(scan.query.sql, scan.query.parameters));
    const row = rows[0] as Record<string, unknown>;
    expect(row['_dq_n']).toBe(4n);
    expect(row['_dq_0_unexpected']).toBe(1n); // id NULL
    expect(row['_dq_1_unexpected']).toBe(1n); // 150 > 100; the NULL amount is not evaluated
    expect(row['_dq_2_unexpected']).toBe(2n); // both id=2 rows
    expect([...(row['_dq_2_rowids'] as bigint[])].sort()).toEqual([1n, 2n]); // ties on the order key: any order
    expect(row['_dq_3_rowids']).toEqual([2n]);
    const fetched = await warehouse.query(compiledQuery(compiler.fetchRowsSql(table.sql, [{ key: 'v0', sql: '"code"' }]), { dq_rows: '[2]' }));
    expect(fetched.rows).toEqual([{ _dq_row: 2n, v0: 'c' }]);
    expect(row['_dq_4_v']).toBe('150.00');
    expect(row['_dq_4_ok']).toBe(true);
  });
});
