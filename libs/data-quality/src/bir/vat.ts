import { Decimal } from '../decimal.js';

/** The VAT rate (NIRC §106/§108). */
export const VAT_RATE = '0.12';
/** Allowed difference per document between the VAT amount and rate × vatable base. */
export const VAT_TOLERANCE = '0.01';

/**
 * Whether a document's VAT is the rate times its vatable base within ± tolerance, exactly.
 *
 * @example
 * isVatWithinTolerance('1000.00', '120.01'); // true
 */
export function isVatWithinTolerance(base: string, vat: string, rate = VAT_RATE, tolerance = VAT_TOLERANCE): boolean {
  const diff = Decimal.parse(vat).minus(Decimal.parse(base).times(Decimal.parse(rate))).abs();
  return diff.compare(Decimal.parse(tolerance)) <= 0;
}
