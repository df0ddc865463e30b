import { describe, expect, it } from 'vitest';
import { vat2550q } from './vat-return.js';

describe('vat2550q', () => {
  it('computes the 2550Q lines from a quarter of totals (hand-checked)', () => {
    // Output 12% × 1,000,000 = 120,000. Input: goods 24,000 + services 6,000 + not directly
    // attributable 12,000 = 42,000; + 5,000 carried over = 47,000. Exempt share 200,000 / 1,500,000
    // × 12,000 = 1,600. Allowable 45,400; net payable 74,600; less 3,000 withheld = 71,600.
    const result = vat2550q({
      vatable_sales: '1000000.00',
      zero_rated_sales: '300000.00',
      exempt_sales: '200000.00',
      purchases: { domestic_goods: '200000.00', domestic_services: '50000', not_directly_attributable: '100000.00', purchases_without_input_tax: '9999.99' },
      input_tax_carried_over: '5000.00',
      creditable_vat_withheld: '3000.00',
    });
    expect(result).toEqual({
      output_vat: '120000.00',
      line50_current_input_tax: '42000.00',
      line51_total_available: '47000.00',
      line53_attributable_to_exempt: '1600.00',
      line60_allowable_input_tax: '45400.00',
      line61_net_vat_payable: '74600.00',
      line21_tax_still_payable: '71600.00',
      excess_input_tax_carried_forward: '0.00',
    });
  });

  it('rounds each tax half-up to centavos and carries an excess forward', () => {
    const result = vat2550q({ vatable_sales: '100.125', purchases: { importations: '1000.04', capital_goods: '0.05' }, exempt_sales: '1', creditable_vat_withheld: '0' });
    // 12.015 → 12.02; 120.0048 → 120.00; 0.006 → 0.01.
    expect(result.output_vat).toBe('12.02');
    expect(result.line50_current_input_tax).toBe('120.01');
    expect(result.line61_net_vat_payable).toBe('-107.99');
    expect(result.excess_input_tax_carried_forward).toBe('107.99');
  });

  it('treats absent fields as zero', () => {
    expect(vat2550q({})).toMatchObject({ output_vat: '0.00', line61_net_vat_payable: '0.00', line53_attributable_to_exempt: '0.00' });
  });

  it('names every bad field, its value and what was expected', () => {
    expect(() => vat2550q({ vatable_sales: 'lots', purchases: { domestic_goods: '-5', rice: '1' } })).toThrow(
      /vatable_sales = "lots": must be a decimal string.*purchases\.domestic_goods = "-5": must not be negative.*unknown field\(s\) rice/,
    );
  });
});
