import { compiledQuery, Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataQualityError } from '../errors.js';
import { ExpectationConfig as E, expectationSuite } from '../model/expectation-config.js';
import { readResults } from './results-store.js';
import { validate } from './validate.js';

const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze', 'ops'], threads: 1 }));

beforeAll(async () => {
  await warehouse.query('CREATE SCHEMA bronze.t');
  await warehouse.query(`CREATE TABLE bronze.t.regex AS SELECT * FROM (VALUES (0, 'aaa'), (1, 'abb'), (2, 'acc'), (3, 'bdd'), (4, NULL)) AS v(pk, b)`);
  await warehouse.query(`CREATE TABLE bronze.t.big AS SELECT range::INTEGER AS id, CASE WHEN range < 250 THEN 'bad' ELSE 'ok' END AS s, CAST(NULL AS INTEGER) AS empty FROM range(1000)`);
});
afterAll(() => warehouse.close());

const run = (table: string, ...expectations: ReturnType<typeof E.create>[]) => validate(warehouse, table, expectationSuite('spec', expectations), { persist: false });

describe('GX semantics', () => {
  it('ignores nulls in column-map expectations and applies mostly over non-null rows (README example)', async () => {
    const r = await run('bronze.t.regex', E.create('expect_column_values_to_match_regex', { column: 'b', regex: '^a', mostly: 0.75, result_format: 'COMPLETE' }));
    const [res] = r.results;
    expect(res?.success).toBe(true);
    expect(res?.result).toMatchObject({
      element_count: 5,
      missing_count: 1,
      missing_percent: 20,
      unexpected_count: 1,
      unexpected_percent: 25,
      unexpected_percent_total: 20,
      unexpected_percent_nonmissing: 25,
      unexpected_list: ['bdd'],
      partial_unexpected_list: ['bdd'],
    });
    expect(res?.expectation_config).toEqual({ type: 'expect_column_values_to_match_regex', kwargs: { column: 'b', regex: '^a', mostly: 0.75, result_format: 'COMPLETE' }, meta: { name: 'expect_column_values_to_match_regex(b)', action: 'warn' } });
    expect(r.statistics).toEqual({ evaluated_expectations: 1, successful_expectations: 1, unsuccessful_expectations: 0, success_percent: 100 });
  });

  it('counts NULL as the unexpected value of not_be_null, over all rows', async () => {
    const r = await run('bronze.t.regex', E.create('expect_column_values_to_not_be_null', { column: 'b', result_format: 'COMPLETE' }));
    expect(r.results[0]?.success).toBe(false);
    expect(r.results[0]?.result).toMatchObject({ element_count: 5, unexpected_count: 1, unexpected_percent: 20, unexpected_list: [null] });
    expect(r.results[0]?.result).not.toHaveProperty('missing_count');
  });

  it('shapes results by result_format, with GX list limits', async () => {
    const r = await run(
      'bronze.t.big',
      E.create('expect_column_values_to_be_in_set', { column: 's', value_set: ['ok'], result_format: 'BOOLEAN_ONLY' }, { name: 'boolean' }),
      E.create('expect_column_values_to_be_in_set', { column: 's', value_set: ['ok'], result_format: 'BASIC' }, { name: 'basic' }),
      E.create('expect_column_values_to_be_in_set', { column: 's', value_set: ['ok'], result_format: 'SUMMARY' }, { name: 'summary' }),
      E.create('expect_column_values_to_be_in_set', { column: 's', value_set: ['ok'], result_format: { result_format: 'COMPLETE', unexpected_index_column_names: ['id'] } }, { name: 'complete' }),
    );
    const [boolean, basic, summary, complete] = r.results;
    expect(boolean?.result).toEqual({});
    expect(basic?.result.partial_unexpected_list).toHaveLength(20);
    expect(basic?.result).not.toHaveProperty('unexpected_list');
    expect(basic?.result).not.toHaveProperty('partial_unexpected_counts');
    expect(summary?.result.partial_unexpected_counts).toEqual([{ value: 'bad', count: 20 }]);
    expect(complete?.result.unexpected_count).toBe(250); // the true count…
    expect(complete?.result.unexpected_list).toHaveLength(200); // …and GX's MAX_RESULT_RECORDS cut
    expect(complete?.result.unexpected_index_list?.[0]).toEqual({ s: 'bad', id: 0 });
    expect(complete?.result.unexpected_index_query).toMatch(/^SELECT .* WHERE /);
  });

  it('fails aggregates whose statistic is NULL, reporting observed_value null', async () => {
    const r = await run('bronze.t.big', E.create('expect_column_max_to_be_between', { column: 'empty', min_value: 0 }), E.create('expect_column_mean_to_be_between', { column: 'id', min_value: 0, max_value: 1000 }));
    expect(r.results[0]).toMatchObject({ success: false, result: { observed_value: null } });
    expect(r.results[1]).toMatchObject({ success: true, result: { observed_value: 499.5 } });
  });

  it('handles a condition that evaluates to NULL explicitly: fail (default), pass or ignore', async () => {
    const r = await run(
      'bronze.t.regex',
      E.create('expect_sql_condition', { condition: "b <> 'bdd'" }, { name: 'on_null_fail' }),
      E.create('expect_sql_condition', { condition: "b <> 'bdd'", on_null: 'pass' }, { name: 'on_null_pass' }),
      E.create('expect_sql_condition', { condition: "b <> 'bdd'", on_null: 'ignore' }, { name: 'on_null_ignore' }),
    );
    expect(r.results.map((x) => x.result.unexpected_count)).toEqual([2, 1, 1]);
    expect(r.results[2]?.result.missing_count).toBe(1);
  });
});

describe('bad suites are reported before any row is read', () => {
  it('collects every problem: unknown type (listing valid ones), missing column, wrong kwarg type', async () => {
    const error = await run(
      'bronze.t.regex',
      E.create('expect_column_values_to_be_purple', { column: 'b' }),
      E.create('expect_column_values_to_not_be_null', { column: 'nope' }),
      E.create('expect_column_values_to_be_between', { column: 'pk', min_value: 'quack' }),
      E.create('expect_column_values_to_be_in_set', { column: 'b', value_set: 'abc' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataQualityError);
    const e = error as DataQualityError;
    expect(e.code).toBe('COMPILE_FAILED');
    expect(e.message).toContain('unknown expectation type "expect_column_values_to_be_purple"; valid types are: expect_column_distinct_values_to_be_in_set');
    expect(e.message).toContain('table bronze.t.regex has no column "nope" (columns: pk, b)');
    expect(e.message).toContain('min_value "quack" is a string but column pk is INTEGER');
    expect(e.message).toContain('value_set must be a list');
    expect((e.data?.['problems'] as unknown[]).length).toBe(4);
  });

  it('names a missing table', async () => {
    const error = await run('bronze.t.missing', E.create('expect_column_values_to_not_be_null', { column: 'x' })).catch((e: unknown) => e);
    expect((error as DataQualityError).code).toBe('COMPILE_FAILED');
    expect((error as DataQualityError).message).toMatch(/table bronze\.t\.missing .* does not exist/);
  });

  it('rejects a condition that does not compile, or that tries to smuggle a statement', async () => {
    const error = await run(
      'bronze.t.regex',
      E.create('expect_sql_condition', { condition: 'no_such_column > 0' }, { name: 'bad_column' }),
      E.create('expect_sql_condition', { condition: 'pk > 0; DROP TABLE bronze.t.regex' }, { name: 'two_statements' }),
      E.create('expect_sql_condition', { condition: 'pk > 0 --' }, { name: 'comment' }),
    ).catch((e: unknown) => e);
    const message = (error as DataQualityError).message;
    expect(message).toContain('expectation bad_column, kwargs.condition: the condition does not compile');
    expect(message).toContain('expectation two_statements, kwargs.condition: a condition must be one SQL boolean expression');
    expect(message).toContain('expectation comment, kwargs.condition');
    expect((await warehouse.query('SELECT count(*) AS n FROM bronze.t.regex')).rows[0]).toEqual({ n: 5n });
  });

  it('reports problems inside results with catch_exceptions, and runs the rest', async () => {
    const r = await validate(
      warehouse,
      'bronze.t.regex',
      expectationSuite('spec', [E.create('expect_column_values_to_be_between', { column: 'b' }), E.create('expect_table_row_count_to_equal', { value: 5 })]),
      { persist: false, catchExceptions: true },
    );
    expect(r.results[0]?.exception_info.raised_exception).toBe(true);
    expect(r.results[0]?.exception_info.exception_message).toContain('min_value and max_value cannot both be None');
    expect(r.results[1]).toMatchObject({ success: true, result: { observed_value: 5 } });
  });
});

describe('results and actions', () => {
  it('stores one dq_results row per expectation per run, then raises for failing fail expectations', async () => {
    const suite = expectationSuite('actions', [
      E.create('expect_column_values_to_not_be_null', { column: 'b' }, { name: 'b_present', action: 'fail' }),
      E.create('expect_column_values_to_match_regex', { column: 'b', regex: '^a' }, { name: 'b_starts_with_a', action: 'warn' }),
      E.create('expect_table_row_count_to_equal', { value: 5 }, { name: 'five_rows', action: 'fail' }),
    ]);
    const error = await validate(warehouse, 'bronze.t.regex', suite, { runId: 'run1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataQualityError);
    expect((error as DataQualityError).code).toBe('EXPECTATION_FAILED');
    expect((error as DataQualityError).data?.['failed']).toEqual(['b_present']);
    const { rows } = await warehouse.query(compiledQuery('SELECT expectation_name, action, success, unexpected_count FROM ops.ops.dq_results WHERE run_id = :r ORDER BY expectation_name', { r: 'run1' }));
    expect(rows).toEqual([
      { expectation_name: 'b_present', action: 'fail', success: false, unexpected_count: 1n },
      { expectation_name: 'b_starts_with_a', action: 'warn', success: false, unexpected_count: 1n },
      { expectation_name: 'five_rows', action: 'fail', success: true, unexpected_count: null },
    ]);
  });

  it('reads the stored results back: one run, one table, each table\'s latest run; nothing when none were stored', async () => {
    const empty = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['ops'], threads: 1 }));
    expect(await readResults(empty)).toEqual([]);
    await empty.close();

    const suite = expectationSuite('read', [E.create('expect_table_row_count_to_equal', { value: 1000 }, { name: 'thousand', action: 'warn' })]);
    await validate(warehouse, 'bronze.t.big', suite, { runId: 'read-1' });
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct run times
    await validate(warehouse, 'bronze.t.big', suite, { runId: 'read-2' });
    const one = await readResults(warehouse, { runId: 'read-1' });
    expect(one.map((r) => [r.run_id, r.table_name, r.expectation_name, r.success, r.element_count])).toEqual([['read-1', 'bronze.t.big', 'thousand', true, null]]);
    const latest = await readResults(warehouse, { latestPerTable: true, table: 'bronze.t.big' });
    expect(latest.map((r) => r.run_id)).toEqual(['read-2']);
    expect((await readResults(warehouse, { latestPerTable: true })).map((r) => `${r.table_name}:${r.run_id}`)).toContain('bronze.t.regex:run1');
  });
});
