import type { ResultValue } from './results.js';

/** A timestamp as GX prints a naive datetime: `2001-01-01T12:00:01` (fraction only when non-zero). */
export function isoDateTime(date: Date): string {
  return date.toISOString().replace('Z', '').replace(/\.000$/, '');
}

/**
 * Engine value → JSON-safe result value: Dates become ISO strings, bigints numbers when exact
 * (strings otherwise), structs and lists recursively. DECIMAL values stay exact strings.
 */
export function toResultValue(value: unknown): ResultValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoDateTime(value);
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toResultValue);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toResultValue(v)]));
  return String(value);
}

/** A number for counts the engine returns as bigint or number. */
export function toCount(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}

/**
 * A comparison key that treats `1`, `1.0`, `1n` and (for numeric columns) `"1.00"` as equal,
 * and dates as instants. Used for value-set membership and value counts.
 */
export function valueKey(value: unknown, numeric: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `d:${value.getTime()}`;
  if (typeof value === 'bigint') return `n:${value.toString()}`;
  if (typeof value === 'number') return `n:${String(value)}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (typeof value === 'string' && numeric && value.trim() !== '' && !Number.isNaN(Number(value))) return `n:${String(Number(value))}`;
  return `s:${String(value)}`;
}

/** Ascending order for mixed engine values: numbers numerically, dates by instant, others as text. */
export function compareValues(a: unknown, b: unknown): number {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined && typeof a !== 'string' && typeof b !== 'string') return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
