import { compiledQuery, Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataQualityError } from '../errors.js';
import { ExpectationConfig as E, expectationSuite } from '../model/expectation-config.js';
import { split, SPLIT_INVARIANT } from './split.js';

const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze', 'silver', 'ops'], threads: 1 }));

beforeAll(async () => {
  await warehouse.query('CREATE SCHEMA bronze.scout');
  await warehouse.query(
    `CREATE TABLE bronze.scout.tx AS SELECT * FROM (VALUES
       (1, 'RIM', 100.00, '123-456-789'),
       (2, 'RIM', -5.00, '123-456-789-000'),
       (3, NULL, 20.00, 'bad-tin'),
       (4, 'NCR', NULL, NULL),
       (5, 'NCR', 2000000.00, '123-456-789-00001'),
       (6, 'NCR', 7.50, '123-456-789')
     ) AS v(id, agency, amount, tin)`,
  );
});
afterAll(() => warehouse.close());

const SUITE = expectationSuite('silver', [
  E.create('expect_column_values_to_be_between', { column: 'amount', min_value: 0 }, { name: 'amount_non_negative', action: 'drop' }),
  E.create('expect_column_values_to_not_be_null', { column: 'agency' }, { name: 'agency_present', action: 'drop' }),
  E.create('expect_column_values_to_be_valid_ph_tin', { column: 'tin' }, { name: 'tin_format', action: 'drop' }),
  E.create('expect_sql_condition', { condition: 'amount < 1000000' }, { name: 'amount_plausible', action: 'warn' }),
  E.create('expect_column_values_to_be_unique', { column: 'id' }, { name: 'id_unique', action: 'fail' }),
]);

const rows = async (sql: string) => (await warehouse.query(sql)).rows;

describe('split', () => {
  it('quarantines rows failing drop expectations with every failed name, keeps the rest, and conserves rows', async () => {
    const r = await split(warehouse, { source: 'bronze.scout.tx', target: 'silver.scout.tx', quarantine: 'silver.scout.tx_quarantine' }, SUITE, { runId: 'r1' });
    expect(r).toMatchObject({ runId: 'r1', sourceRows: 6, targetRows: 4, quarantinedRows: 2, invariantHolds: true });
    // Rows 4 and 5 failed only the warn condition (row 4 because it evaluates to NULL): they stay.
    expect(await rows('SELECT id FROM silver.scout.tx ORDER BY id')).toEqual([{ id: 1 }, { id: 4 }, { id: 5 }, { id: 6 }]);
    expect(await rows('SELECT id, agency, amount, tin, _dq_failed, _dq_run_id FROM silver.scout.tx_quarantine ORDER BY id')).toEqual([
      { id: 2, agency: 'RIM', amount: '-5.00', tin: '123-456-789-000', _dq_failed: ['amount_non_negative'], _dq_run_id: 'r1' },
      { id: 3, agency: null, amount: '20.00', tin: 'bad-tin', _dq_failed: ['agency_present', 'tin_format'], _dq_run_id: 'r1' },
    ]);
    // amount NULL: the between check ignores nulls (GX), the SQL condition evaluates to NULL → unexpected, explicitly
    expect(r.validation.results.find((x) => x.expectation_config.meta.name === 'amount_plausible')?.result.unexpected_count).toBe(2);
    const invariant = r.validation.results.at(-1);
    expect(invariant?.expectation_config.type).toBe(SPLIT_INVARIANT);
    expect(invariant?.result.observed_value).toEqual({ source_rows: 6, target_rows: 4, quarantined_rows: 2 });
    const stored = await rows(`SELECT expectation_name, success FROM ops.ops.dq_results WHERE run_id = 'r1' ORDER BY expectation_name`);
    expect(stored).toContainEqual({ expectation_name: SPLIT_INVARIANT, success: true });
    expect(stored).toHaveLength(6);
  });

  it('appends on rerun and checks the invariant per run', async () => {
    const r = await split(warehouse, { source: 'bronze.scout.tx', target: 'silver.scout.tx', quarantine: 'silver.scout.tx_quarantine' }, SUITE, { runId: 'r2' });
    expect(r).toMatchObject({ sourceRows: 6, targetRows: 4, quarantinedRows: 2, invariantHolds: true });
    expect(await rows('SELECT count(*) AS n FROM silver.scout.tx')).toEqual([{ n: 8n }]);
    expect(await rows('SELECT count(*) AS n FROM silver.scout.tx_quarantine')).toEqual([{ n: 4n }]);
    const o = await split(warehouse, { source: 'bronze.scout.tx', target: 'silver.scout.tx', quarantine: 'silver.scout.tx_quarantine' }, SUITE, { runId: 'r3', mode: 'overwrite' });
    expect(o).toMatchObject({ sourceRows: 6, targetRows: 4, quarantinedRows: 2 });
    expect(await rows('SELECT count(*) AS n FROM silver.scout.tx')).toEqual([{ n: 4n }]);
  });

  it('writes nothing when a fail expectation fails, after storing the results', async () => {
    await warehouse.query('CREATE TABLE bronze.scout.dup AS SELECT * FROM bronze.scout.tx UNION ALL SELECT * FROM bronze.scout.tx WHERE id = 1');
    const error = await split(warehouse, { source: 'bronze.scout.dup', target: 'silver.scout.dup', quarantine: 'silver.scout.dup_q' }, SUITE, { runId: 'r4' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataQualityError);
    expect((error as DataQualityError).code).toBe('EXPECTATION_FAILED');
    expect((error as DataQualityError).message).toContain('id_unique');
    const tables = await rows(`SELECT table_name FROM information_schema.tables WHERE table_catalog = 'silver' AND table_name LIKE 'dup%'`);
    expect(tables).toEqual([]);
    expect(await rows(`SELECT count(*) AS n FROM ops.ops.dq_results WHERE run_id = 'r4'`)).toEqual([{ n: 5n }]);
    expect(await rows(`SELECT count(*) AS n FROM bronze.scout.dup`)).toEqual([{ n: 7n }]);
  });

  it('refuses a suite that does not fit the source before writing anything', async () => {
    const bad = expectationSuite('bad', [E.create('expect_column_values_to_not_be_null', { column: 'nope' }, { action: 'drop' })]);
    const error = await split(warehouse, { source: 'bronze.scout.tx', target: 'silver.scout.never', quarantine: 'silver.scout.never_q' }, bad).catch((e: unknown) => e);
    expect((error as DataQualityError).code).toBe('COMPILE_FAILED');
    expect(await rows(`SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'never%'`)).toEqual([]);
  });

  it('leaves no stage table behind', async () => {
    const staged = await warehouse.query(compiledQuery(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE :p`, { p: '_dq_stage_%' }));
    expect(staged.rows).toEqual([{ n: 0n }]);
  });
});
