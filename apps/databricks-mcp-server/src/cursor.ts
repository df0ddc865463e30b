import { McpToolError } from './errors.js';

/**
 * Opaque pagination cursors (MCP 2025-11-25 style): base64url of `{v, k, o}` where `k` binds the
 * cursor to what it pages (a statement hash, a schema) and `o` is the row offset. Stateless, so a
 * cursor works across sessions; it grants nothing: the statement is gated again on every page.
 */
export function encodeCursor(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, k: key, o: offset }), 'utf8').toString('base64url');
}

/** The offset a cursor points at; INVALID_ARGUMENT when it is malformed or belongs to something else. */
export function decodeCursor(cursor: string | undefined, key: string): number {
  if (cursor === undefined || cursor === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const value = parsed as { v?: unknown; k?: unknown; o?: unknown } | undefined;
  if (!value || value.v !== 1 || typeof value.k !== 'string' || !Number.isSafeInteger(value.o) || (value.o as number) < 0) {
    throw new McpToolError('INVALID_ARGUMENT', 'cursor: expected the next_cursor value of a previous page, unchanged');
  }
  if (value.k !== key) throw new McpToolError('INVALID_ARGUMENT', 'cursor: it belongs to a different statement or listing; send the same arguments as the call that returned it');
  return value.o as number;
}
