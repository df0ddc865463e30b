import { WarehouseError } from '../core/errors.js';

/**
 * Driver failures → `WarehouseError` codes. The driver's error classes are matched by shape
 * (it does not export them all): `OperationStateError` has `errorCode` + `response`,
 * `THTTPException` a numeric `statusCode`, `StatusError` a `name` of 'Status Error'.
 * Every message passes through {@link redact}, so a credential never reaches a message.
 */

/** Where the failure happened: opening the connection/session, or running a statement. */
export type FailurePhase = 'connect' | 'query';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EPROTO']);
const TLS_CODE = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

const OPERATION_STATES = new Set(['CANCELED', 'CLOSED', 'ERROR', 'TIMEOUT', 'UNKNOWN']);

interface OperationStateLike {
  readonly errorCode: string;
  readonly response?: { readonly displayMessage?: string | null; readonly errorMessage?: string | null; readonly sqlState?: string | null };
}

function isOperationStateError(error: object): error is OperationStateLike & Error {
  return error instanceof Error && 'errorCode' in error && typeof error.errorCode === 'string' && OPERATION_STATES.has(error.errorCode);
}

/**
 * Replaces every occurrence of a secret with `***`. Secrets shorter than 4 characters are left
 * alone: they would shred ordinary words and are not secret in any useful sense.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** The system error code of an error or of any error in its `cause` chain (node-fetch wraps them). */
function systemCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || TLS_CODE.test(code))) return code;
  }
  return undefined;
}

/**
 * Maps anything the driver throws to a `WarehouseError`:
 * AUTH_FAILED (HTTP 401/403, OAuth failures), CONNECTION_FAILED (refused, DNS, TLS, other HTTP
 * statuses, failures while opening the session), QUERY_CANCELLED / QUERY_TIMEOUT (operation
 * cancelled, closed or timed out on the server) and QUERY_FAILED (the engine's own message, with
 * `data.sqlState`).
 */
export function warehouseErrorFrom(error: unknown, phase: FailurePhase, secrets: readonly string[]): WarehouseError {
  if (error instanceof WarehouseError) return error;
  const raw = error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error) ? String((error as { message: unknown }).message) : String(error);
  const message = redact(raw, secrets);
  const base = { data: { engine: 'databricks' } };
  if (typeof error !== 'object' || error === null) {
    return new WarehouseError(phase === 'connect' ? 'CONNECTION_FAILED' : 'QUERY_FAILED', message, base);
  }

  if (isOperationStateError(error)) {
    const response = error.response ?? {};
    const text = redact(response.displayMessage ?? response.errorMessage ?? error.message, secrets);
    const sqlState = response.sqlState ?? undefined;
    const data = { engine: 'databricks', operationState: error.errorCode, ...(sqlState ? { sqlState } : {}) };
    switch (error.errorCode) {
      case 'CANCELED':
      case 'CLOSED':
        return new WarehouseError('QUERY_CANCELLED', 'query cancelled', { cause: error, data });
      case 'TIMEOUT':
        return new WarehouseError('QUERY_TIMEOUT', `the warehouse timed the query out: ${text}`, { cause: error, data });
      default:
        return new WarehouseError('QUERY_FAILED', text, { cause: error, data });
    }
  }

  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number') {
    // No cause: the HTTP exception carries the response object, which is not ours to log.
    if (status === 401 || status === 403) {
      return new WarehouseError('AUTH_FAILED', `the SQL warehouse rejected the credentials (HTTP ${status})`, { data: { engine: 'databricks', httpStatus: status } });
    }
    return new WarehouseError('CONNECTION_FAILED', `the SQL warehouse answered HTTP ${status}`, { data: { engine: 'databricks', httpStatus: status } });
  }

  const name = (error as { name?: unknown }).name;
  if (name === 'AuthenticationError') return new WarehouseError('AUTH_FAILED', `authentication failed: ${message}`, base);

  const code = systemCode(error);
  if (code) return new WarehouseError('CONNECTION_FAILED', `cannot reach the SQL warehouse (${code}): ${message}`, { cause: error, data: { engine: 'databricks', code } });

  if (name === 'Status Error') {
    // The server refused a request (e.g. OpenSession on an unknown catalog, an unknown handle).
    return new WarehouseError(phase === 'connect' ? 'CONNECTION_FAILED' : 'QUERY_FAILED', message, base);
  }
  return new WarehouseError(phase === 'connect' ? 'CONNECTION_FAILED' : 'QUERY_FAILED', message, { cause: error, ...base });
}

/** True when the server no longer knows the session (expired, or the server restarted). */
export function isInvalidSession(error: unknown): boolean {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : '';
  return /invalid sessionhandle|session (handle )?(is )?(invalid|expired|closed|not found)/i.test(message);
}
