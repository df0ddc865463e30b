import { join } from 'node:path';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWithholdingTaxTable } from '../bir/withholding-table.js';
import { DataQualityError } from '../errors.js';
import { split } from '../runner/split.js';
import { validate } from '../runner/validate.js';
import { loadSuiteFile, parseSuite, type SuiteTable } from './suite-file.js';

const QUALITY = join(import.meta.dirname, '../../../../databricks/quality');

function problemsOf(text: string): string {
  try {
    parseSuite(text, 'test.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(DataQualityError);
    expect((error as DataQualityError).code).toBe('INVALID_SUITE');
    return (error as DataQualityError).message;
  }
  throw new Error('expected the suite to be rejected');
}

describe('suite files', () => {
  it('parses a valid file into frozen suites, one per table', () => {
    const file = parseSuite(
      `suite: demo\ntables:\n  - table: bronze.scout.transactions\n    expectations:\n      - name: id_present\n        type: expect_column_values_to_not_be_null\n        kwargs: { column: _id }\n        action: fail\n`,
    );
    expect(file.tables[0]?.suite.expectations[0]).toMatchObject({ type: 'expect_column_values_to_not_be_null', kwargs: { column: '_id' }, meta: { name: 'id_present', action: 'fail' } });
    expect(Object.isFrozen(file.tables[0]?.suite.expectations[0]?.kwargs)).toBe(true);
  });

  it('lists the valid types for an unknown one and names bad kwargs with their values — all at once', () => {
    const message = problemsOf(`suite: demo
tables:
  - table: silver.finance.moves
    expectations:
      - { name: a, type: expect_column_values_to_be_sparkly, kwargs: { column: id } }
      - { name: b, type: expect_column_values_to_be_between, kwargs: { column: amount, min_value: [1] } }
      - { name: c, type: expect_column_values_to_not_be_null, kwargs: { column: id, mostly: 2 } }
      - { name: d, type: expect_table_row_count_to_be_between, kwargs: { min_value: 1 }, action: drop }
      - { name: d, type: expect_column_values_to_be_in_set, kwargs: { colum: x, value_set: [] } }
  - table: silver.finance.moves
    expectations: []
`);
    expect(message).toContain('test.yml, table silver.finance.moves, expectation a, type: unknown expectation type "expect_column_values_to_be_sparkly"; valid types are: ');
    expect(message).toContain('expect_column_values_to_not_be_null');
    expect(message).toContain('expectation b, kwargs.min_value: min_value must be a number, a string, a date/time or null (got [1])');
    expect(message).toContain('expectation c, kwargs.mostly: mostly must be a number between 0 and 1 (got 2)');
    expect(message).toContain('action drop needs a row-level expectation');
    expect(message).toContain('unknown kwarg colum');
    expect(message).toContain('expectation name d is used twice');
    expect(message).toContain('table silver.finance.moves appears twice');
  });

  it('reports YAML and shape errors with their location', () => {
    expect(problemsOf('suite: x\ntables: [\n')).toMatch(/YAML: .*\(line \d+\)/);
    expect(problemsOf('suite: x\ntables:\n  - table: a.b.c.d\n    expectations: []\n')).toContain('tables.0.table: table must be 1 to 3 dot-separated plain identifiers');
    expect(problemsOf('suite: x\nowner: me\ntables:\n  - { table: a, expectations: [] }\n')).toContain('Unrecognized key: "owner"');
  });
});

/** Empty tables shaped like the pipeline SQL in databricks/sql/etl (column names and types). */
const PIPELINE_TABLES: Record<string, string> = {
  'bronze.scout.transactions': '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _file VARCHAR, _file_sha256 VARCHAR, _ingested_at TIMESTAMP',
  'bronze.odoo.account_move': '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _ingested_at TIMESTAMP',
  'bronze.odoo.account_move_line': '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _ingested_at TIMESTAMP',
  'bronze.odoo.res_partner': '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _ingested_at TIMESTAMP',
  'bronze.odoo.hr_payslip': '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _ingested_at TIMESTAMP',
  'silver.scout.transactions_candidates':
    'id VARCHAR, agency VARCHAR, vendor VARCHAR, vendor_tin VARCHAR, category VARCHAR, description VARCHAR, amount DECIMAL(18,2), amount_raw VARCHAR, transaction_date DATE, transaction_date_raw VARCHAR, updated_at TIMESTAMP, _batch_id VARCHAR, _ingested_at TIMESTAMP',
  'silver.finance.partners': 'id BIGINT, name VARCHAR, vat VARCHAR, branch_code VARCHAR, is_company BOOLEAN, is_vendor BOOLEAN, is_customer BOOLEAN, write_date TIMESTAMP',
  'silver.finance.taxes': 'id BIGINT, name VARCHAR, amount DECIMAL(9,4), type_tax_use VARCHAR, tax_group VARCHAR, atc VARCHAR',
  'silver.finance.moves':
    'id BIGINT, name VARCHAR, move_type VARCHAR, state VARCHAR, partner_id BIGINT, date DATE, invoice_date DATE, invoice_date_due DATE, amount_untaxed DECIMAL(18,2), amount_tax DECIMAL(18,2), amount_total DECIMAL(18,2), amount_total_signed DECIMAL(18,2), amount_residual DECIMAL(18,2), write_date TIMESTAMP',
  'silver.finance.move_lines':
    'id BIGINT, move_id BIGINT, date DATE, parent_state VARCHAR, account_id BIGINT, partner_id BIGINT, display_type VARCHAR, debit DECIMAL(18,2), credit DECIMAL(18,2), balance DECIMAL(18,2), tax_line_id BIGINT, tax_ids VARCHAR, tax_tag_ids VARCHAR, date_maturity DATE',
  'silver.finance.employees': 'id BIGINT, name VARCHAR, tin VARCHAR',
  'silver.finance.payslips': 'id BIGINT, number VARCHAR, employee_id BIGINT, date_from DATE, date_to DATE, state VARCHAR, credit_note BOOLEAN',
  'gold.finance.bir_monthly_employee':
    'period VARCHAR, employee_id BIGINT, gross_compensation DECIMAL(38,2), thirteenth_month DECIMAL(38,2), non_taxable_thirteenth DECIMAL(38,2), de_minimis DECIMAL(38,2), contributions DECIMAL(38,2), non_taxable_compensation DECIMAL(38,2), taxable_compensation DECIMAL(38,2), tax_required DECIMAL(18,2), tax_withheld DECIMAL(38,2), variance DECIMAL(38,2)',
  'gold.finance.bir_monthly':
    'period VARCHAR, employees BIGINT, item14_total_compensation DECIMAL(38,2), item17_thirteenth_month_and_other_benefits DECIMAL(38,2), item18_de_minimis DECIMAL(38,2), item19_mandatory_contributions DECIMAL(38,2), item21_total_non_taxable DECIMAL(38,2), item22_total_taxable DECIMAL(38,2), tax_required DECIMAL(38,2), item25_total_taxes_withheld DECIMAL(38,2), variance DECIMAL(38,2), under_withheld_employees BIGINT, due_date DATE',
  'gold.finance.bir_quarterly':
    'period VARCHAR, year INT, quarter INT, line31_vatable_sales DECIMAL(38,2), line31_output_vat DECIMAL(38,2), line37_adjusted_output_tax DECIMAL(38,2), line60_allowable_input_tax DECIMAL(38,2), line61_net_vat_payable DECIMAL(38,2), due_date DATE',
  'gold.finance.month_end_close':
    'period VARCHAR, total_debit DECIMAL(38,2), total_credit DECIMAL(38,2), trial_balance_ok BOOLEAN, unbalanced_entries BIGINT, entries_balanced_ok BOOLEAN, unposted_entries BIGINT, no_unposted_ok BOOLEAN, ap_over_90_days DECIMAL(38,2), ready_to_close BOOLEAN',
  'gold.scout.agency_summary': 'agency VARCHAR, period VARCHAR, transactions BIGINT, vendors BIGINT, total_php DECIMAL(38,2), average_php DECIMAL(18,2)',
};

describe('the repository suites (databricks/quality)', () => {
  const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze', 'silver', 'gold', 'ops'], threads: 1 }));
  beforeAll(async () => {
    for (const [name, columns] of Object.entries(PIPELINE_TABLES)) {
      const [catalog, schema] = name.split('.');
      await warehouse.query(`CREATE SCHEMA IF NOT EXISTS ${catalog}.${schema}`);
      await warehouse.query(`CREATE TABLE ${name} (${columns})`);
    }
    await installWithholdingTaxTable(warehouse);
  });
  afterAll(() => warehouse.close());

  it.each(['bronze', 'silver', 'gold'])('%s.yml compiles against the pipeline tables', async (layer) => {
    const file = await loadSuiteFile(join(QUALITY, `${layer}.yml`));
    expect(file.name).toBe(layer);
    for (const entry of file.tables) {
      const result = await validate(warehouse, entry.table, entry.suite, { persist: false, throwOnFail: false, ...(file.resultFormat ? { resultFormat: file.resultFormat } : {}) });
      expect(result.results.filter((r) => r.exception_info.raised_exception), entry.table).toEqual([]);
    }
  });

  it('the reference withholding table meets its own suite', async () => {
    const file = await loadSuiteFile(join(QUALITY, 'silver.yml'));
    const entry = file.tables.find((t) => t.table === 'silver.shared.withholding_tax_table') as SuiteTable;
    const result = await validate(warehouse, entry.table, entry.suite, { persist: false });
    expect(result.success).toBe(true);
  });

  it('splits Scout candidates into silver and quarantine as the silver suite says', async () => {
    await warehouse.query(
      `INSERT INTO silver.scout.transactions_candidates (id, agency, vendor, vendor_tin, amount, amount_raw, transaction_date) VALUES
         ('t1', 'RIM', 'Acme', '123-456-789-000', 150.00, '150.00', DATE '2025-01-05'),
         ('t2', 'RIM', 'Acme', '123-456-789-000', NULL, 'one fifty', DATE '2025-01-05'),
         ('t3', NULL, 'Acme', 'nope', 10.00, '10', DATE '2025-01-06'),
         ('t4', 'RIM', 'Beta', NULL, 99.00, '99', DATE '1999-12-31')`,
    );
    const file = await loadSuiteFile(join(QUALITY, 'silver.yml'));
    const entry = file.tables.find((t) => t.table === 'silver.scout.transactions_candidates') as SuiteTable;
    expect(entry.split).toEqual({ target: 'silver.scout.transactions', quarantine: 'silver.scout.transactions_quarantine' });
    const r = await split(warehouse, { source: entry.table, target: entry.split?.target ?? '', quarantine: entry.split?.quarantine ?? '' }, entry.suite);
    expect(r).toMatchObject({ sourceRows: 4, targetRows: 1, quarantinedRows: 3, invariantHolds: true });
    const q = await warehouse.query('SELECT id, amount_raw, _dq_failed FROM silver.scout.transactions_quarantine ORDER BY id');
    expect(q.rows).toEqual([
      { id: 't2', amount_raw: 'one fifty', _dq_failed: ['amount_parsed'] },
      { id: 't3', amount_raw: '10', _dq_failed: ['agency_present', 'vendor_tin_format'] },
      { id: 't4', amount_raw: '99', _dq_failed: ['date_plausible'] },
    ]);
  });
});
