import { DataQualityError } from './errors.js';

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * An exact decimal number: an integer `units` scaled by 10^-`scale`. Used for money and tax rates,
 * where binary floating point would be wrong (0.15 × 20834 must be exactly 3125.10).
 *
 * @example
 * Decimal.parse('20834.00').minus(Decimal.parse('20833')).times(Decimal.parse('0.15')).roundHalfUp(2).toString(); // '0.15'
 */
export class Decimal {
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {
    Object.freeze(this);
  }

  /** Parses `123`, `-4.50`, `+0.125`. Throws INVALID_INPUT for anything else (no exponents, no commas). */
  static parse(text: string): Decimal {
    const m = DECIMAL.exec(text.trim());
    if (!m) throw new DataQualityError('INVALID_INPUT', `"${text}" is not a decimal number (expected digits with an optional . and fraction, e.g. 25000.00)`);
    const fraction = m[3] ?? '';
    const units = BigInt(`${m[2]}${fraction}`);
    return new Decimal(m[1] === '-' ? -units : units, fraction.length);
  }

  /** True when `text` would parse. */
  static isDecimal(text: string): boolean {
    return DECIMAL.test(text.trim());
  }

  static of(units: bigint, scale: number): Decimal {
    return new Decimal(units, scale);
  }

  static readonly ZERO = new Decimal(0n, 0);

  #aligned(other: Decimal): [bigint, bigint, number] {
    const scale = Math.max(this.scale, other.scale);
    return [this.units * 10n ** BigInt(scale - this.scale), other.units * 10n ** BigInt(scale - other.scale), scale];
  }

  plus(other: Decimal): Decimal {
    const [a, b, scale] = this.#aligned(other);
    return new Decimal(a + b, scale);
  }

  minus(other: Decimal): Decimal {
    const [a, b, scale] = this.#aligned(other);
    return new Decimal(a - b, scale);
  }

  times(other: Decimal): Decimal {
    return new Decimal(this.units * other.units, this.scale + other.scale);
  }

  /** -1, 0 or 1. */
  compare(other: Decimal): number {
    const [a, b] = this.#aligned(other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  isNegative(): boolean {
    return this.units < 0n;
  }

  abs(): Decimal {
    return this.units < 0n ? new Decimal(-this.units, this.scale) : this;
  }

  /** Rounds to `digits` fraction digits, halves away from zero (ROUND_HALF_UP as BIR and Databricks' round do). */
  roundHalfUp(digits: number): Decimal {
    if (digits >= this.scale) return new Decimal(this.units * 10n ** BigInt(digits - this.scale), digits);
    const divisor = 10n ** BigInt(this.scale - digits);
    const negative = this.units < 0n;
    const magnitude = negative ? -this.units : this.units;
    let quotient = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
    return new Decimal(negative ? -quotient : quotient, digits);
  }

  /** Plain notation with exactly `scale` fraction digits: `3125.10`, `-0.05`, `0`. */
  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const int = digits.slice(0, digits.length - this.scale);
    const frac = this.scale > 0 ? `.${digits.slice(digits.length - this.scale)}` : '';
    return `${negative ? '-' : ''}${int}${frac}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
