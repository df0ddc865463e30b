import { PlatformError, parseRetryAfter, retry, type RetryOptions } from '@odoo-ce/common';
import type { EventLogger } from '../event-logger.js';
import { maskUrl } from './settings.js';
import { N8N_SIGNATURE_HEADER, signN8nPayload } from './signature.js';

/** A job event sent to n8n workflows. */
export interface N8nJobEvent {
  readonly event_type: 'job.started' | 'job.succeeded' | 'job.failed' | 'dq.failed' | (string & {});
  readonly run_id: string;
  readonly job: string;
  readonly target?: string;
  readonly occurred_at?: string;
  readonly [key: string]: unknown;
}

/** What happened to one workflow URL (shown masked). */
export interface N8nTriggerResult {
  readonly url: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Why a trigger failed. */
export type N8nTriggerErrorCode = 'HTTP_ERROR' | 'RATE_LIMITED' | 'NETWORK_ERROR' | 'TIMEOUT' | 'REJECTED';

/** A failed workflow trigger; never carries the webhook URL's path. */
export class N8nTriggerError extends PlatformError<N8nTriggerErrorCode> {
  constructor(
    code: N8nTriggerErrorCode,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(code, message, status !== undefined ? { data: { status } } : {});
  }

  /** Everything but a non-429 4xx is retried. */
  get retryable(): boolean {
    return this.code !== 'REJECTED';
  }
}

/** Options of {@link N8nWorkflowTrigger}. */
export interface N8nTriggerOptions {
  /** n8n Webhook-node URLs (`N8N_WORKFLOW_WEBHOOK_URLS`). */
  readonly urls: readonly string[];
  /** When set, requests carry `x-n8n-signature: sha256=<hex>` so workflows can verify them. */
  readonly secret?: string;
  readonly timeoutMs?: number;
  readonly retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxElapsedMs' | 'sleep' | 'random'>;
  readonly logger?: EventLogger;
}

/**
 * Triggers n8n workflows (Webhook nodes) on job events: one POST per URL with the event as JSON,
 * an `Idempotency-Key` of `<run_id>:<event_type>` (the same on every retry) and an HMAC
 * signature; 429 (honouring Retry-After), 5xx, network errors and timeouts are retried with
 * backoff. One URL failing does not stop the others: {@link trigger} reports each.
 */
export class N8nWorkflowTrigger {
  readonly #options: N8nTriggerOptions;

  constructor(options: N8nTriggerOptions) {
    this.#options = options;
  }

  /** Sends `event` to every URL; never throws for a URL's failure (see the results). */
  async trigger(event: N8nJobEvent, signal?: AbortSignal): Promise<N8nTriggerResult[]> {
    const payload = { occurred_at: new Date().toISOString(), ...event };
    const body = JSON.stringify(payload);
    const key = `${event.run_id}:${event.event_type}`;
    return Promise.all(this.#options.urls.map((url) => this.#send(url, body, key, signal)));
  }

  async #send(url: string, body: string, key: string, signal?: AbortSignal): Promise<N8nTriggerResult> {
    const shown = maskUrl(url);
    let attempts = 0;
    try {
      const status = await retry(
        async () => {
          attempts++;
          let response: Response;
          try {
            const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 10_000);
            response = await fetch(url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'idempotency-key': key,
                ...(this.#options.secret ? { [N8N_SIGNATURE_HEADER]: signN8nPayload(this.#options.secret, body) } : {}),
              },
              body,
              signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
            });
          } catch (error) {
            if (signal?.aborted) throw error;
            const name = (error as { name?: string }).name;
            throw name === 'TimeoutError' ? new N8nTriggerError('TIMEOUT', `${shown} timed out`) : new N8nTriggerError('NETWORK_ERROR', `${shown} unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? name ?? 'error'})`);
          }
          await response.arrayBuffer().catch(() => undefined);
          if (response.ok) return response.status;
          if (response.status === 429) throw new N8nTriggerError('RATE_LIMITED', `${shown} answered 429`, 429, parseRetryAfter(response.headers.get('retry-after')));
          if (response.status >= 500) throw new N8nTriggerError('HTTP_ERROR', `${shown} answered ${response.status}`, response.status);
          throw new N8nTriggerError('REJECTED', `${shown} rejected the event (${response.status})`, response.status);
        },
        {
          maxAttempts: 5,
          ...this.#options.retry,
          isRetryable: (e) => e instanceof N8nTriggerError && e.retryable,
          retryAfterMs: (e) => (e instanceof N8nTriggerError ? e.retryAfterMs : undefined),
          ...(signal ? { signal } : {}),
          onRetry: ({ attempt, delayMs, error }) => this.#options.logger?.warn({ event: 'n8n.trigger_retry', url: shown, attempt, delay_ms: delayMs, code: (error as N8nTriggerError).code }, 'retrying n8n trigger'),
        },
      );
      return { url: shown, ok: true, status, attempts };
    } catch (error) {
      const e = error instanceof N8nTriggerError ? error : new N8nTriggerError('NETWORK_ERROR', (error as Error).message);
      this.#options.logger?.error({ event: 'n8n.trigger_failed', url: shown, code: e.code }, e.message);
      return { url: shown, ok: false, attempts, ...(e.status !== undefined ? { status: e.status } : {}), error: { code: e.code, message: e.message } };
    }
  }
}
