import { z } from 'zod';
import { Decimal } from '../decimal.js';
import { DataQualityError } from '../errors.js';
import { VAT_RATE } from './vat.js';

const amount = z
  .string({ error: 'must be a decimal string such as "125000.00"' })
  .refine((v) => Decimal.isDecimal(v), { error: 'must be a decimal string such as "125000.00"' });
const nonNegative = amount.refine((v) => !Decimal.isDecimal(v) || !Decimal.parse(v).isNegative(), { error: 'must not be negative' });

/** Purchase bases of the quarter by 2550Q category; absent = 0. */
const PurchasesSchema = z.strictObject({
  domestic_goods: nonNegative.optional(),
  capital_goods: nonNegative.optional(),
  domestic_services: nonNegative.optional(),
  not_directly_attributable: nonNegative.optional(),
  services_by_nonresidents: nonNegative.optional(),
  importations: nonNegative.optional(),
  purchases_without_input_tax: nonNegative.optional(),
});

/** A quarter's totals, as decimal strings (bir-rules.md §3.2). */
export const Vat2550qInputSchema = z.strictObject({
  vatable_sales: nonNegative.optional(),
  zero_rated_sales: nonNegative.optional(),
  exempt_sales: nonNegative.optional(),
  purchases: PurchasesSchema.optional(),
  input_tax_carried_over: nonNegative.optional(),
  creditable_vat_withheld: nonNegative.optional(),
});
export type Vat2550qInput = z.infer<typeof Vat2550qInputSchema>;

/** The computed lines, each tax rounded half-up to centavos. */
export interface Vat2550qResult {
  readonly output_vat: string;
  readonly line50_current_input_tax: string;
  readonly line51_total_available: string;
  readonly line53_attributable_to_exempt: string;
  readonly line60_allowable_input_tax: string;
  readonly line61_net_vat_payable: string;
  readonly line21_tax_still_payable: string;
  readonly excess_input_tax_carried_forward: string;
}

const ZERO = Decimal.parse('0.00');
const rate = Decimal.parse(VAT_RATE);
const tax = (base: Decimal) => base.times(rate).roundHalfUp(2);
const get = (v: string | undefined) => (v === undefined ? ZERO : Decimal.parse(v));

/** `a × b ÷ c` rounded half-up to centavos, exactly (bigint arithmetic). */
function mulDivHalfUp(a: Decimal, b: Decimal, c: Decimal): Decimal {
  // Scale everything to centavos-of-centavos so the quotient lands on 2 fraction digits.
  const scale = Math.max(a.scale, b.scale, c.scale);
  const up = (d: Decimal) => d.units * 10n ** BigInt(scale - d.scale);
  const numerator = up(a) * up(b) * 100n;
  const denominator = up(c) * 10n ** BigInt(scale);
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return Decimal.of(negative ? -q : q, 2);
}

/**
 * BIR 2550Q (quarterly VAT) from a quarter's totals, per bir-rules.md §3.2: output VAT = 12% of
 * vatable sales; current input tax (line 50) = 12% of each purchase category that carries input
 * tax; line 51 = carried over + line 50; line 53 = exempt sales ÷ total sales × input tax on
 * purchases not directly attributable; line 60 = 51 − 53; line 61 = output − 60; line 21 =
 * 61 − creditable VAT withheld; a negative result is the excess carried forward. The gold task
 * `2550q_aggregation.sql` computes the same lines from tagged journal items.
 *
 * Bad input throws `DataQualityError('INVALID_INPUT')` naming every bad field, its value and what
 * was expected.
 */
export function vat2550q(input: unknown): Vat2550qResult {
  const parsed = Vat2550qInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const path = i.path.map(String).join('.') || '(input)';
      const value = i.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[String(k)] : undefined), input);
      return `${path} = ${JSON.stringify(value)}: ${i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message}`;
    });
    throw new DataQualityError('INVALID_INPUT', `invalid 2550Q input: ${problems.join('; ')}`);
  }
  const q = parsed.data;
  const p = q.purchases ?? {};
  const vatable = get(q.vatable_sales);
  const exempt = get(q.exempt_sales);
  const totalSales = vatable.plus(get(q.zero_rated_sales)).plus(exempt);
  const outputVat = tax(vatable);
  const notDirectlyAttributableTax = tax(get(p.not_directly_attributable));
  const line50 = [p.domestic_goods, p.capital_goods, p.domestic_services, p.services_by_nonresidents, p.importations]
    .map((v) => tax(get(v)))
    .reduce((a, b) => a.plus(b), notDirectlyAttributableTax);
  const line51 = get(q.input_tax_carried_over).plus(line50);
  const line53 = totalSales.compare(ZERO) === 0 ? ZERO : mulDivHalfUp(exempt, notDirectlyAttributableTax, totalSales);
  const line60 = line51.minus(line53);
  const line61 = outputVat.minus(line60);
  const line21 = line61.minus(get(q.creditable_vat_withheld));
  const fmt = (d: Decimal) => d.roundHalfUp(2).toString();
  return Object.freeze({
    output_vat: fmt(outputVat),
    line50_current_input_tax: fmt(line50),
    line51_total_available: fmt(line51),
    line53_attributable_to_exempt: fmt(line53),
    line60_allowable_input_tax: fmt(line60),
    line61_net_vat_payable: fmt(line61),
    line21_tax_still_payable: fmt(line21),
    excess_input_tax_carried_forward: fmt(line61.isNegative() ? line61.abs() : ZERO),
  });
}
