import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { DataQualityError } from './errors.js';

describe('Decimal', () => {
  it('does exact arithmetic where floats would not', () => {
    expect(Decimal.parse('0.1').plus(Decimal.parse('0.2')).toString()).toBe('0.3');
    expect(Decimal.parse('20834.00').minus(Decimal.parse('20833')).times(Decimal.parse('0.15')).toString()).toBe('0.1500');
    expect(Decimal.parse('-4.5').times(Decimal.parse('2')).toString()).toBe('-9.0');
  });

  it('rounds half away from zero (half-up) to centavos', () => {
    expect(Decimal.parse('0.125').roundHalfUp(2).toString()).toBe('0.13');
    expect(Decimal.parse('0.124999').roundHalfUp(2).toString()).toBe('0.12');
    expect(Decimal.parse('-0.125').roundHalfUp(2).toString()).toBe('-0.13');
    expect(Decimal.parse('7').roundHalfUp(2).toString()).toBe('7.00');
  });

  it('compares across scales', () => {
    expect(Decimal.parse('1.10').compare(Decimal.parse('1.1'))).toBe(0);
    expect(Decimal.parse('1.09').compare(Decimal.parse('1.1'))).toBe(-1);
  });

  it('rejects what is not a plain decimal, naming the value', () => {
    for (const bad of ['abc', '1e5', '1,000', '', '.5']) {
      expect(() => Decimal.parse(bad)).toThrow(DataQualityError);
    }
    expect(() => Decimal.parse('abc')).toThrow(/"abc" is not a decimal number/);
  });
});
