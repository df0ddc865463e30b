import { PlatformError } from '@odoo-ce/common';

/**
 * What went wrong talking to Odoo. Odoo exceptions map by `data.name`
 * (`odoo.exceptions.AccessDenied` → ACCESS_DENIED, …); transport failures by kind.
 */
export type OdooErrorCode =
  | 'AUTH_FAILED'
  | 'ACCESS_DENIED'
  | 'ACCESS_ERROR'
  | 'VALIDATION_ERROR'
  | 'MISSING_ERROR'
  | 'USER_ERROR'
  | 'SERVER_ERROR'
  | 'SESSION_EXPIRED'
  | 'HTTP_ERROR'
  | 'RATE_LIMITED'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'INVALID_CONFIG'
  | 'SYNC_FAILED';

/** Codes worth another attempt: the transport or the server was briefly unwell. */
const RETRYABLE: ReadonlySet<OdooErrorCode> = new Set(['HTTP_ERROR', 'RATE_LIMITED', 'NETWORK_ERROR', 'TIMEOUT', 'BAD_RESPONSE', 'SESSION_EXPIRED']);

/** Odoo exception class names → codes; anything else from Odoo is SERVER_ERROR (not retried). */
const ODOO_EXCEPTIONS: Readonly<Record<string, OdooErrorCode>> = {
  'odoo.exceptions.AccessDenied': 'ACCESS_DENIED',
  'odoo.exceptions.AccessError': 'ACCESS_ERROR',
  'odoo.exceptions.ValidationError': 'VALIDATION_ERROR',
  'odoo.exceptions.MissingError': 'MISSING_ERROR',
  'odoo.exceptions.UserError': 'USER_ERROR',
  'odoo.exceptions.RedirectWarning': 'USER_ERROR',
  'odoo.http.SessionExpiredException': 'SESSION_EXPIRED',
  'werkzeug.exceptions.Unauthorized': 'ACCESS_DENIED',
};

/**
 * A failed Odoo call. `odooName` and `odooMessage` are Odoo's `data.name` / `data.message` when
 * the server answered with an error envelope; `retryable` tells the retry loop whether to try again.
 * Never carries the API key.
 */
export class OdooRpcError extends PlatformError<OdooErrorCode> {
  readonly odooName: string | undefined;
  readonly odooMessage: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    code: OdooErrorCode,
    message: string,
    options: { cause?: unknown; odooName?: string; odooMessage?: string; status?: number; retryAfterMs?: number; data?: Record<string, unknown> } = {},
  ) {
    super(code, message, {
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      data: { ...options.data, ...(options.odooName ? { odooName: options.odooName } : {}), ...(options.status !== undefined ? { status: options.status } : {}) },
    });
    this.odooName = options.odooName;
    this.odooMessage = options.odooMessage;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True for transport trouble, 5xx, 429, timeouts and session expiry; false for Odoo business/ACL errors. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** The error code for an Odoo exception class name (`data.name`). */
export function codeForOdooException(name: string | undefined): OdooErrorCode {
  return (name !== undefined ? ODOO_EXCEPTIONS[name] : undefined) ?? 'SERVER_ERROR';
}
