import { PlatformError } from '@odoo-ce/common';

/** What went wrong reading Scout from Supabase's Postgres. */
export type SupabaseErrorCode = 'INVALID_CONFIG' | 'AUTH_FAILED' | 'CONNECTION_FAILED' | 'QUERY_FAILED' | 'SYNC_FAILED';

/**
 * A failed Supabase/Postgres operation. `pgCode` is Postgres' SQLSTATE (e.g. `28P01`) or the
 * socket error code (`ECONNREFUSED`). Never carries the database password.
 */
export class SupabaseError extends PlatformError<SupabaseErrorCode> {
  readonly pgCode: string | undefined;

  constructor(code: SupabaseErrorCode, message: string, options: { cause?: unknown; pgCode?: string; data?: Record<string, unknown> } = {}) {
    super(code, message, {
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      data: { ...options.data, ...(options.pgCode ? { pgCode: options.pgCode } : {}) },
    });
    this.pgCode = options.pgCode;
  }

  /** True for transport trouble (refused, reset, timed out), worth another attempt. */
  get retryable(): boolean {
    return this.code === 'CONNECTION_FAILED';
  }
}

const AUTH_CODES = new Set(['28P01', '28000']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P03', '53300', '08000', '08001', '08003', '08006']);

/**
 * Turns whatever `pg` threw into a {@link SupabaseError}, with `secret` (the password) scrubbed
 * from the message. The original error is not kept as `cause` (its message may hold the secret).
 */
export function toSupabaseError(error: unknown, what: string, secret: string, where: string): SupabaseError {
  if (error instanceof SupabaseError) return error;
  const e = (error ?? {}) as { code?: unknown; message?: unknown };
  const pgCode = typeof e.code === 'string' ? e.code : undefined;
  const raw = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const message = scrub(raw, secret);
  if (pgCode && AUTH_CODES.has(pgCode)) return new SupabaseError('AUTH_FAILED', `${what}: authentication to ${where} failed (${message}); check the user and password in SUPABASE_DB_URL`, { pgCode });
  if ((pgCode && CONNECTION_CODES.has(pgCode)) || /timeout|terminated|Connection terminated|ECONN/i.test(raw)) {
    return new SupabaseError('CONNECTION_FAILED', `${what}: cannot reach ${where} (${message})`, pgCode ? { pgCode } : {});
  }
  if (pgCode === '3D000') return new SupabaseError('CONNECTION_FAILED', `${what}: ${message} on ${where}`, { pgCode });
  return new SupabaseError('QUERY_FAILED', `${what}: ${message}`, pgCode ? { pgCode } : {});
}

/** Removes every occurrence of `secret` (raw and URL-encoded) from `text`. */
export function scrub(text: string, secret: string): string {
  if (secret === '') return text;
  let out = text;
  for (const s of new Set([secret, encodeURIComponent(secret)])) out = out.split(s).join('***');
  return out;
}
