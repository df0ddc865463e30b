import { Decimal } from '../decimal.js';
import { DataQualityError } from '../errors.js';

/** Pay periods of the BIR withholding tables, plus `annual` (the annual income tax table used at year end). */
export const WITHHOLDING_PERIODS = ['daily', 'weekly', 'semi_monthly', 'monthly', 'annual'] as const;
export type WithholdingPeriod = (typeof WITHHOLDING_PERIODS)[number];

/** One bracket: tax = fixed + rate × (taxable − lower), for lower ≤ taxable < next bracket's lower. */
export interface WithholdingBracket {
  readonly period: WithholdingPeriod;
  readonly bracket: number;
  readonly lower: string;
  readonly fixed: string;
  readonly rate: string;
}

const RATES = ['0', '0.15', '0.20', '0.25', '0.30', '0.35'];

function brackets(period: WithholdingPeriod, lowers: readonly string[], fixed: readonly string[]): WithholdingBracket[] {
  return lowers.map((lower, i) => Object.freeze({ period, bracket: i + 1, lower, fixed: fixed[i] as string, rate: RATES[i] as string }));
}

/**
 * The revised withholding tax table on compensation, effective 2023-01-01 (RR 11-2018 Annex "E"),
 * and the annual income tax table for individuals from 2023 (NIRC §24(A)(2)(a) as amended by TRAIN).
 * Lower bounds are whole pesos; the function is continuous at every bound (see the spec).
 * Source: ../shared/domain/bir-rules.md §1.1–1.2.
 */
export const WITHHOLDING_TAX_TABLE: readonly WithholdingBracket[] = Object.freeze([
  ...brackets('daily', ['0', '685', '1096', '2192', '5479', '21918'], ['0.00', '0.00', '61.65', '280.85', '1102.60', '6034.30']),
  ...brackets('weekly', ['0', '4808', '7692', '15385', '38462', '153846'], ['0.00', '0.00', '432.60', '1971.20', '7740.45', '42355.65']),
  ...brackets('semi_monthly', ['0', '10417', '16667', '33333', '83333', '333333'], ['0.00', '0.00', '937.50', '4270.70', '16770.70', '91770.70']),
  ...brackets('monthly', ['0', '20833', '33333', '66667', '166667', '666667'], ['0.00', '0.00', '1875.00', '8541.80', '33541.80', '183541.80']),
  ...brackets('annual', ['0', '250000', '400000', '800000', '2000000', '8000000'], ['0.00', '0.00', '22500.00', '102500.00', '402500.00', '2202500.00']),
]);

/** Taxable amounts carry at most this many fraction digits (the SQL side casts to DECIMAL(24, 6)). */
export const MAX_TAXABLE_SCALE = 6;

/** Checks a period name; throws INVALID_INPUT naming the valid ones. */
export function parseWithholdingPeriod(value: string): WithholdingPeriod {
  if ((WITHHOLDING_PERIODS as readonly string[]).includes(value)) return value as WithholdingPeriod;
  throw new DataQualityError('INVALID_INPUT', `period "${value}" is not a withholding period; expected one of ${WITHHOLDING_PERIODS.join(', ')}`);
}

/** Parses a taxable amount: a non-negative decimal with at most 6 fraction digits. */
export function parseTaxable(value: string): Decimal {
  if (!Decimal.isDecimal(value)) throw new DataQualityError('INVALID_INPUT', `taxable compensation "${value}" is not a decimal amount (expected e.g. 25000.00)`);
  const amount = Decimal.parse(value);
  if (amount.isNegative()) throw new DataQualityError('INVALID_INPUT', `taxable compensation "${value}" is negative; expected an amount >= 0`);
  if (amount.scale > MAX_TAXABLE_SCALE) throw new DataQualityError('INVALID_INPUT', `taxable compensation "${value}" has more than ${MAX_TAXABLE_SCALE} decimal places`);
  return amount;
}

/** An amount with at least 2 fraction digits (`25000` → `25000.00`), never rounded. */
export function formatAmount(amount: Decimal): string {
  return amount.roundHalfUp(Math.max(2, amount.scale)).toString();
}

/** The result of {@link withholdingTax}. */
export interface WithholdingResult {
  readonly period: WithholdingPeriod;
  readonly taxable_compensation: string;
  readonly bracket: number;
  /** Decimal string with 2 fraction digits. */
  readonly tax: string;
}

/**
 * Withholding tax on compensation for one pay period: the highest bracket whose lower bound is
 * ≤ the amount, exact decimal arithmetic, rounded half-up to centavos. Gives the same results as
 * the SQL over `silver.shared.withholding_tax_table` ({@link withholdingTaxQuery}).
 *
 * @example
 * withholdingTax('monthly', '25000.00').tax; // '625.05'
 */
export function withholdingTax(period: WithholdingPeriod | string, taxable: string | Decimal): WithholdingResult {
  const p = parseWithholdingPeriod(period);
  const amount = typeof taxable === 'string' ? parseTaxable(taxable) : taxable;
  let chosen: WithholdingBracket | undefined;
  for (const b of WITHHOLDING_TAX_TABLE) if (b.period === p && Decimal.parse(b.lower).compare(amount) <= 0) chosen = b;
  if (!chosen) throw new DataQualityError('INVALID_INPUT', `no ${p} bracket for ${amount.toString()}`);
  const tax = Decimal.parse(chosen.fixed).plus(Decimal.parse(chosen.rate).times(amount.minus(Decimal.parse(chosen.lower)))).roundHalfUp(2);
  return Object.freeze({ period: p, taxable_compensation: formatAmount(amount), bracket: chosen.bracket, tax: tax.toString() });
}
