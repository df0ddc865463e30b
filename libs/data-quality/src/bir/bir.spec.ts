import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../decimal.js';
import { DataQualityError } from '../errors.js';
import { ExpectationConfig as E, expectationSuite } from '../model/expectation-config.js';
import { validate } from '../runner/validate.js';
import { ATC_CODES, atcRate, expandedWithholding } from './atc.js';
import { isValidTin, normalizeTin } from './tin.js';
import { isVatWithinTolerance } from './vat.js';
import { installWithholdingTaxTable, withholdingTaxFromTable } from './withholding-table.js';
import { WITHHOLDING_PERIODS, WITHHOLDING_TAX_TABLE, withholdingTax, type WithholdingBracket } from './withholding.js';

/** The shared vectors, read from ../shared (never copied into the repo). */
const VECTORS = JSON.parse(readFileSync(join(import.meta.dirname, '../../../../../shared/domain/bir-withholding-vectors.json'), 'utf8')) as {
  table: { monthly: { bracket: number; lower: string; fixed: string; rate: string }[] };
  cases: { id: string; period: string; taxable_compensation: string; bracket: number; expected_tax: string }[];
};

const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['silver', 'gold', 'ops'], threads: 1 }));
beforeAll(() => installWithholdingTaxTable(warehouse));
afterAll(() => warehouse.close());

describe('withholding tax on compensation (2023+ table)', () => {
  it('transcribes the vectors’ monthly table exactly', () => {
    expect(WITHHOLDING_TAX_TABLE.filter((b) => b.period === 'monthly').map(({ bracket, lower, fixed, rate }) => ({ bracket, lower, fixed, rate }))).toEqual(
      VECTORS.table.monthly,
    );
  });

  it.each(VECTORS.cases)('$id: $taxable_compensation → $expected_tax in TypeScript and in SQL', async (c) => {
    const ts = withholdingTax(c.period, c.taxable_compensation);
    const sql = await withholdingTaxFromTable(warehouse, c.period, c.taxable_compensation);
    expect(ts).toMatchObject({ tax: c.expected_tax, bracket: c.bracket });
    expect(sql).toEqual(ts);
  });

  it('is continuous at every lower bound of every period (fixed amounts are consistent)', () => {
    for (const period of WITHHOLDING_PERIODS) {
      const brackets = WITHHOLDING_TAX_TABLE.filter((b) => b.period === period);
      for (let i = 1; i < brackets.length; i++) {
        const [prev, b] = [brackets[i - 1], brackets[i]] as [WithholdingBracket, WithholdingBracket];
        const carried = Decimal.parse(prev.fixed).plus(Decimal.parse(prev.rate).times(Decimal.parse(b.lower).minus(Decimal.parse(prev.lower))));
        expect(carried.compare(Decimal.parse(b.fixed)), `${period} bracket ${b.bracket}`).toBe(0);
      }
    }
  });

  it('agrees with the SQL twin around every bracket edge, to the centavo', async () => {
    for (const b of WITHHOLDING_TAX_TABLE) {
      for (const delta of ['-0.01', '0', '0.005', '0.015', '1234.567891']) {
        const amount = Decimal.parse(b.lower).plus(Decimal.parse(delta));
        if (amount.isNegative()) continue;
        const x = amount.toString();
        expect(await withholdingTaxFromTable(warehouse, b.period, x), `${b.period} ${x}`).toEqual(withholdingTax(b.period, x));
      }
    }
  });

  it('reports amounts with centavos without rounding the input', () => {
    expect(withholdingTax('monthly', '25000')).toMatchObject({ taxable_compensation: '25000.00', tax: '625.05' });
    expect(withholdingTax('daily', '700.125')).toMatchObject({ taxable_compensation: '700.125', tax: '2.27' });
  });

  it('rejects bad input with a message naming the value', () => {
    expect(() => withholdingTax('fortnightly', '1')).toThrow(/period "fortnightly" is not a withholding period; expected one of daily, weekly, semi_monthly, monthly, annual/);
    expect(() => withholdingTax('monthly', 'abc')).toThrow(DataQualityError);
    expect(() => withholdingTax('monthly', '-1.00')).toThrow(/negative/);
  });
});

describe('TIN, ATC and VAT rules', () => {
  it('accepts ###-###-### with an optional 3- or 5-digit branch code, and nothing else', () => {
    for (const ok of ['123-456-789', '123-456-789-000', '123-456-789-00000', '000-000-000-12345']) expect(isValidTin(ok), ok).toBe(true);
    for (const bad of ['123456789', '123-456-789-0000', '123-456-78', 'abc-def-ghi', '123-456-789-', ' 123-456-789']) expect(isValidTin(bad), bad).toBe(false);
    expect(normalizeTin('123-456-789')).toBe('123-456-789-00000');
    expect(normalizeTin('123-456-789-001')).toBe('123-456-789-00001');
  });

  it('knows the common ATC rates', () => {
    expect(atcRate('WC158')).toBe('0.01');
    expect(atcRate('wi010')).toBe('0.05');
    expect(expandedWithholding('WC011', '10000.10')).toBe('1500.02');
    expect(ATC_CODES).toHaveLength(16);
  });

  it('checks VAT at 12% within ±0.01', () => {
    expect(isVatWithinTolerance('1000.00', '120.00')).toBe(true);
    expect(isVatWithinTolerance('1000.00', '120.01')).toBe(true);
    expect(isVatWithinTolerance('1000.00', '120.02')).toBe(false);
  });

  it('runs as expectations in one scan, with exact decimals and the reference table join', async () => {
    await warehouse.query('CREATE SCHEMA IF NOT EXISTS gold.finance');
    await warehouse.query(
      `CREATE OR REPLACE TABLE gold.finance.docs AS SELECT * FROM (VALUES
         (1, '123-456-789', 'WC158', CAST(1000.00 AS DECIMAL(18,2)), CAST(120.00 AS DECIMAL(18,2)), CAST(10.00 AS DECIMAL(18,2)), CAST(25000.00 AS DECIMAL(18,2)), CAST(625.05 AS DECIMAL(18,2))),
         (2, '123-456-789-1', 'WC999', 1000.00, 120.02, 10.00, 25000.00, 625.04),
         (3, NULL, 'WI010', 333.33, 40.00, 16.67, 20833.00, 0.00),
         (4, '000-000-000-00000', NULL, NULL, NULL, NULL, NULL, NULL)
       ) AS v(id, tin, atc, base, vat, ewt, taxable, tax)`,
    );
    const r = await validate(
      warehouse,
      'gold.finance.docs',
      expectationSuite('bir', [
        E.create('expect_column_values_to_be_valid_ph_tin', { column: 'tin' }, { name: 'tin' }),
        E.create('expect_column_values_to_be_valid_atc', { column: 'atc' }, { name: 'atc' }),
        E.create('expect_vat_to_be_rate_of_base', { base_column: 'base', vat_column: 'vat' }, { name: 'vat' }),
        E.create('expect_ewt_to_match_atc_rate', { atc_column: 'atc', base_column: 'base', tax_column: 'ewt' }, { name: 'ewt' }),
        E.create('expect_withholding_to_match_tax_table', { taxable_column: 'taxable', tax_column: 'tax', period: 'monthly', result_format: 'COMPLETE' }, { name: 'withholding' }),
      ]),
      { persist: false },
    );
    const by = Object.fromEntries(r.results.map((x) => [x.expectation_config.meta.name, x.result]));
    expect(by['tin']).toMatchObject({ unexpected_count: 1, missing_count: 1 });
    expect(by['atc']).toMatchObject({ unexpected_count: 1, partial_unexpected_list: ['WC999'] });
    expect(by['vat']).toMatchObject({ unexpected_count: 1, missing_count: 1 }); // 120.02 vs 120.00; 40.00 vs 39.9996 is within ±0.01
    expect(by['ewt']).toMatchObject({ unexpected_count: 1 }); // unknown ATC WC999 → unexpected; 333.33 × 5% = 16.6665 ≈ 16.67
    expect(by['withholding']).toMatchObject({ unexpected_count: 1, unexpected_list: [{ taxable: '25000.00', tax: '625.04', expected_tax: '625.05' }] });
  });
});
