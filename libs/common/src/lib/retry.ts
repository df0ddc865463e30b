import { PlatformError } from './errors.js';

export interface RetryOptions {
  /** Total attempts including the first (default 5). */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff window in ms (default 200). */
  readonly baseDelayMs?: number;
  /** Cap of any single wait in ms (default 30 000). */
  readonly maxDelayMs?: number;
  /** Give up when the next wait would end after this many ms since the first attempt. */
  readonly maxElapsedMs?: number;
  /** Whether an error is worth another attempt (default: every error). */
  readonly isRetryable?: (error: unknown, attempt: number) => boolean;
  /** A server-requested wait (e.g. HTTP Retry-After) in ms, honoured instead of the backoff. */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: { error: unknown; attempt: number; delayMs: number }) => void;
  /** Injected for tests: random in [0, 1) and sleep. */
  readonly random?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Calls `fn` until it succeeds, with exponential backoff and full jitter
 * (`wait = random(0, min(maxDelay, base · 2^(attempt-1)))`), honouring Retry-After, an overall
 * time budget and an AbortSignal. The last error is rethrown unchanged when attempts run out or
 * the error is not retryable.
 *
 * @example
 * const rows = await retry(() => client.searchRead(model, domain), {
 *   isRetryable: (e) => e instanceof OdooRpcError && e.retryable,
 * });
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts) throw error;
      if (options.isRetryable && !options.isRetryable(error, attempt)) throw error;
      const requested = options.retryAfterMs?.(error);
      const delayMs = requested !== undefined ? Math.min(Math.max(0, requested), cap) : Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      if (options.maxElapsedMs !== undefined && Date.now() - started + delayMs > options.maxElapsedMs) throw error;
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * Parses an HTTP `Retry-After` header (delta-seconds or an HTTP date) into milliseconds.
 * Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function abortError(signal: AbortSignal): PlatformError<'ABORTED'> {
  return new PlatformError('ABORTED', 'operation aborted', { cause: signal.reason });
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
