/**
 * How the report writes values: pesos with thousands separators and centavos, months and times in
 * Asia/Manila (BIR periods and deadlines follow Philippine time), counts with separators.
 * Amounts arrive as exact decimal strings (DECIMAL columns) and are never rounded through a double.
 */

/** The time zone every month, date and time in the report is shown in. */
export const REPORT_TIME_ZONE = 'Asia/Manila';

const MISSING = '—';
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A canonical decimal string for a numeric value (DECIMAL strings kept exactly), or undefined. */
function decimalText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return Math.abs(value) < 1e21 ? value.toFixed(6) : undefined;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    return DECIMAL.test(text) ? text : undefined;
  }
  return undefined;
}

/** `text` (a decimal string) rounded half away from zero to `scale` fraction digits, exactly. */
function roundDecimal(text: string, scale: number): { negative: boolean; integer: string; fraction: string } {
  const [, sign, integer, fraction = ''] = DECIMAL.exec(text) as RegExpExecArray;
  const digits = BigInt(`${integer}${fraction.padEnd(scale, '0').slice(0, scale)}`);
  const roundUp = fraction.length > scale && Number(fraction[scale]) >= 5;
  const scaled = (digits + (roundUp ? 1n : 0n)).toString().padStart(scale + 1, '0');
  const intPart = scaled.slice(0, scaled.length - scale);
  const fracPart = scale > 0 ? scaled.slice(scaled.length - scale) : '';
  const negative = sign === '-' && /[1-9]/.test(intPart + fracPart);
  return { negative, integer: intPart, fraction: fracPart };
}

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * An amount in Philippine pesos: `₱` with thousands separators and exactly two decimals, from a
 * DECIMAL string (exact), a number or a bigint; `—` for null or non-numeric values.
 *
 * @example
 * formatPhp('6470818.005'); // → '₱6,470,818.01'
 * formatPhp('-4856.24');    // → '-₱4,856.24'
 * formatPhp(null);          // → '—'
 */
export function formatPhp(value: unknown): string {
  const text = decimalText(value);
  if (text === undefined) return MISSING;
  const { negative, integer, fraction } = roundDecimal(text, 2);
  return `${negative ? '-' : ''}₱${group(integer)}.${fraction}`;
}

/**
 * A count or plain number with thousands separators (`fractionDigits` decimals, default 0).
 *
 * @example
 * formatCount(19569n); // → '19,569'
 * formatCount('41.957', 2); // → '41.96'
 */
export function formatCount(value: unknown, fractionDigits = 0): string {
  const text = decimalText(value);
  if (text === undefined) return MISSING;
  const { negative, integer, fraction } = roundDecimal(text, fractionDigits);
  return `${negative ? '-' : ''}${group(integer)}${fractionDigits > 0 ? `.${fraction}` : ''}`;
}

/** A percentage with two decimals: `41.96%`. */
export function formatPercent(value: unknown): string {
  const text = formatCount(value, 2);
  return text === MISSING ? text : `${text}%`;
}

/** A number for a chart (amounts lose centavo exactness only in the drawing, never in tables). */
export function toChartNumber(value: unknown): number | null {
  const text = decimalText(value);
  return text === undefined ? null : Number(text);
}

const MONTH = new Intl.DateTimeFormat('en-PH', { timeZone: REPORT_TIME_ZONE, month: 'short', year: 'numeric' });
const DAY = new Intl.DateTimeFormat('en-PH', { timeZone: REPORT_TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric' });
const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Noon in Manila (04:00 UTC) of a calendar day: the same day in every time zone's reading. */
function manilaNoon(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day, 4));
}

/**
 * A reporting month (`YYYY-MM`, as the gold tables key them) as a Manila calendar month.
 *
 * @example
 * formatMonth('2025-03'); // → 'Mar 2025'
 */
export function formatMonth(period: unknown): string {
  const match = typeof period === 'string' ? /^(\d{4})-(\d{2})$/.exec(period) : null;
  if (!match) return period === null || period === undefined ? MISSING : String(period);
  return MONTH.format(manilaNoon(Number(match[1]), Number(match[2]), 1));
}

/**
 * A calendar date (`YYYY-MM-DD`, a DATE column) as a Manila date.
 *
 * @example
 * formatDate('2026-01-15'); // → 'Jan 15, 2026'
 */
export function formatDate(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return value === null || value === undefined ? MISSING : String(value);
  return DAY.format(manilaNoon(Number(match[1]), Number(match[2]), Number(match[3])));
}

function manilaParts(date: Date): Record<string, string> {
  return Object.fromEntries(PARTS.formatToParts(date).map((p) => [p.type, p.value]));
}

/**
 * An instant (a TIMESTAMP column) as Manila wall-clock time.
 *
 * @example
 * formatDateTime(new Date('2026-11-27T11:33:27Z')); // → '2026-11-27 19:33:27 PHT'
 */
export function formatDateTime(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined;
  if (!date) return value === null || value === undefined ? MISSING : String(value);
  const p = manilaParts(date);
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']} PHT`;
}

/**
 * Today's date in Manila as `YYYY-MM-DD` (the default as-of date of BIR filing status).
 *
 * @example
 * manilaDate(new Date('2026-01-14T17:00:00Z')); // → '2026-01-15'
 */
export function manilaDate(now: Date = new Date()): string {
  const p = manilaParts(now);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/**
 * A duration for people: `850 ms`, `2.4 s`, `3 min 05 s`.
 *
 * @example
 * formatDuration(2_370); // → '2.4 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Whether `text` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}
