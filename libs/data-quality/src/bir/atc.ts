import { Decimal } from '../decimal.js';

/** An Alphanumeric Tax Code for expanded (creditable) withholding and its rate. */
export interface AtcCode {
  readonly code: string;
  /** Decimal string, e.g. `0.05`. */
  readonly rate: string;
  readonly payee: 'individual' | 'juridical';
  readonly description: string;
}

const atc = (code: string, rate: string, payee: AtcCode['payee'], description: string): AtcCode => Object.freeze({ code, rate, payee, description });

/**
 * Common EWT ATCs and rates (RR 11-2018 §2.57.2 as amended by RR 14-2018);
 * source: ../shared/domain/bir-rules.md §2.1.
 */
export const ATC_CODES: readonly AtcCode[] = Object.freeze([
  atc('WI010', '0.05', 'individual', 'Professional/talent fees, payee gross income <= 3M'),
  atc('WI011', '0.10', 'individual', 'Professional/talent fees, payee gross income > 3M or VAT-registered'),
  atc('WC010', '0.10', 'juridical', 'Professional fees, payee gross income <= 720,000'),
  atc('WC011', '0.15', 'juridical', 'Professional fees, payee gross income > 720,000'),
  atc('WI100', '0.05', 'individual', 'Rentals of real/personal property'),
  atc('WC100', '0.05', 'juridical', 'Rentals of real/personal property'),
  atc('WI120', '0.02', 'individual', 'Prime contractors / sub-contractors'),
  atc('WC120', '0.02', 'juridical', 'Prime contractors / sub-contractors'),
  atc('WI158', '0.01', 'individual', 'Purchase of goods from regular suppliers by Top Withholding Agents'),
  atc('WC158', '0.01', 'juridical', 'Purchase of goods from regular suppliers by Top Withholding Agents'),
  atc('WI160', '0.02', 'individual', 'Purchase of services from regular suppliers by Top Withholding Agents'),
  atc('WC160', '0.02', 'juridical', 'Purchase of services from regular suppliers by Top Withholding Agents'),
  atc('WI640', '0.01', 'individual', 'Government payors: goods'),
  atc('WC640', '0.01', 'juridical', 'Government payors: goods'),
  atc('WI157', '0.02', 'individual', 'Government payors: services'),
  atc('WC157', '0.02', 'juridical', 'Government payors: services'),
]);

/** The rate of an ATC, or undefined for an unknown code. */
export function atcRate(code: string): string | undefined {
  return ATC_CODES.find((a) => a.code === code.trim().toUpperCase())?.rate;
}

/** Expanded withholding: base × the ATC's rate, half-up to centavos. */
export function expandedWithholding(code: string, base: string): string | undefined {
  const rate = atcRate(code);
  return rate === undefined ? undefined : Decimal.parse(base).times(Decimal.parse(rate)).roundHalfUp(2).toString();
}
