import type { ColumnInfo } from '@odoo-ce/warehouse';

/**
 * JSON for result rows: BIGINT as a number when it is a safe integer, else as a string (never a
 * silently rounded number); Date as ISO-8601; binary as base64.
 */
export function rowsToJson(rows: readonly unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    return value;
  });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'object') return rowsToJson([value]).slice(1, -1);
  return String(value);
}

/** A plain-text table for a terminal: header, rule, rows, and a row count. */
export function formatTable(columns: readonly ColumnInfo[], rows: readonly Record<string, unknown>[], maxWidth = 60): string {
  if (columns.length === 0) return `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  const names = columns.map((c) => c.name);
  const body = rows.map((r) => names.map((n) => truncate(cell(r[n]), maxWidth)));
  const widths = names.map((n, i) => Math.max(n.length, ...body.map((b) => (b[i] as string).length)));
  const numeric = columns.map((c) => /INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL/i.test(c.type));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' │ ').trimEnd();
  return [line(names), widths.map((w) => '─'.repeat(w)).join('─┼─'), ...body.map(line), `(${rows.length} row${rows.length === 1 ? '' : 's'})`].join('\n');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
