/** How many calls a principal may make: a burst, refilled at a steady rate. */
export interface RateLimit {
  /** Calls allowed at once (bucket size). */
  readonly burst: number;
  /** Calls added back per minute. */
  readonly perMinute: number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * A token bucket per principal, shared by every session of that principal (opening a second
 * session does not double the budget). Time comes from `now` so tests need no sleeping.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit.burst >= 1) || !(limit.perMinute > 0)) {
      throw new RangeError(`rate limit: burst must be ≥ 1 and perMinute > 0, got burst=${limit.burst} perMinute=${limit.perMinute}`);
    }
  }

  /** Takes one call from `principal`'s budget, or says how long until one is available. */
  take(principal: string): RateDecision {
    const now = this.now();
    const perMs = this.limit.perMinute / 60_000;
    const bucket = this.#buckets.get(principal) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(principal, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }
}

/** Parses `60/min`, `10/s` or `600/h` (optionally `,burst=N`) into a {@link RateLimit}. */
export function parseRateLimit(text: string): RateLimit {
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(s|sec|m|min|h|hour)\s*(?:,\s*burst\s*=\s*(\d+))?\s*$/i.exec(text);
  if (!match) throw new RangeError(`--rate-limit: expected N/s, N/min or N/h with an optional ",burst=N" (e.g. "120/min,burst=20"), got ${JSON.stringify(text)}`);
  const n = Number(match[1]);
  const unit = (match[2] as string).toLowerCase();
  const perMinute = unit.startsWith('s') ? n * 60 : unit.startsWith('h') ? n / 60 : n;
  const burst = match[3] !== undefined ? Number(match[3]) : Math.max(1, Math.ceil(Math.min(n, perMinute)));
  if (perMinute <= 0 || burst < 1) throw new RangeError(`--rate-limit: the rate and the burst must be positive, got ${JSON.stringify(text)}`);
  return { burst, perMinute };
}
