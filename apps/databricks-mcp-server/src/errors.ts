import { isPlatformError, PlatformError } from '@odoo-ce/common';

/** Codes of {@link McpToolError}: what an agent can be told about a failed call. */
export type McpToolErrorCode =
  /** The SQL gate or the caller's grants refused the statement or securable. */
  | 'REFUSED'
  /** The arguments are well-formed JSON but make no sense (unknown table, stale cursor…). */
  | 'INVALID_ARGUMENT'
  /** The caller exceeded its call budget. */
  | 'RATE_LIMITED'
  /** The statement ran longer than its timeout and was cancelled on the engine. */
  | 'TIMEOUT'
  /** The client cancelled the call (or closed the connection); the statement was stopped on the engine. */
  | 'CANCELLED'
  /** The engine rejected the statement (syntax, unknown column…). */
  | 'QUERY_FAILED'
  /** A thing the tool needs is not there (no model registered, unknown run, unknown job). */
  | 'NOT_FOUND'
  /** A backend (warehouse, Jobs API) could not be reached or failed. */
  | 'UNAVAILABLE'
  /** Anything else: the message is generic and the details stay in the server log. */
  | 'INTERNAL';

/**
 * An error whose message is safe to show to the calling agent. Everything else a tool throws is
 * turned into one of these by {@link toToolError} before it leaves the server.
 */
export class McpToolError extends PlatformError<McpToolErrorCode> {}

/**
 * Maps anything a tool threw to an error safe for the agent: our own messages pass through; engine
 * errors keep a short first line with SQL internals stripped (no stack, no driver names, no
 * connection details); unknown errors become a generic INTERNAL message.
 */
export function toToolError(error: unknown): McpToolError {
  if (error instanceof McpToolError) return error;
  if (isPlatformError(error)) {
    const code = String(error.code);
    if (code === 'QUERY_TIMEOUT') return new McpToolError('TIMEOUT', firstLine(error.message), { cause: error });
    if (code === 'QUERY_CANCELLED' || code === 'ABORTED') return new McpToolError('CANCELLED', 'the call was cancelled; the statement was stopped on the engine', { cause: error });
    if (code === 'QUERY_FAILED') return new McpToolError('QUERY_FAILED', `the warehouse rejected the statement: ${engineMessage(error.message)}`, { cause: error });
    if (code === 'CONNECTION_FAILED' || code === 'AUTH_FAILED' || code === 'CLOSED') {
      return new McpToolError('UNAVAILABLE', 'the warehouse is not reachable right now; try again later', { cause: error });
    }
  }
  return new McpToolError('INTERNAL', 'the call failed inside the server; the operator can find the details in its log', { cause: error });
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? '';
}

/**
 * Keeps the engine's one-line explanation (what the agent needs to fix its SQL) and drops what it
 * does not: file:line prefixes of scripts, "LINE n:" excerpts, caret markers, driver prefixes.
 */
export function engineMessage(message: string): string {
  const line = firstLine(message)
    // Script positions name files on the server (`/srv/…/fail.sql:1 (statement 1 of 1):`), wherever they appear.
    .replace(/(^|\s)[^\s:]+\.sql:\d+ \(statement \d+ of \d+\):\s*/g, '$1')
    .replace(/^(Error|DBSQLError|HiveServer2Error|OperationStateError)[:\s]+/i, '')
    .replace(/\s+at\s+\S+:\d+:\d+.*$/, '');
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
