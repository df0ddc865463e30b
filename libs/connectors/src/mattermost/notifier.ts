import { ConfigError, PlatformError, parseRetryAfter, retry, type ConfigIssue, type RetryOptions } from '@odoo-ce/common';
import type { EventLogger } from '../event-logger.js';
import { z } from 'zod';

/** What went wrong posting to Mattermost. */
export type MattermostErrorCode = 'HTTP_ERROR' | 'RATE_LIMITED' | 'NETWORK_ERROR' | 'TIMEOUT' | 'REJECTED';

/** A failed webhook post. Never carries the webhook URL (its path is the secret). */
export class MattermostError extends PlatformError<MattermostErrorCode> {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: MattermostErrorCode, message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(code, message, { data: options.status !== undefined ? { status: options.status } : {} });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** 429, 5xx, network trouble and timeouts are retried; other 4xx (`REJECTED`) are not. */
  get retryable(): boolean {
    return this.code !== 'REJECTED';
  }
}

/** Mattermost incoming-webhook settings. */
export interface MattermostSettings {
  readonly webhookUrl: string;
  readonly channel?: string;
  readonly username?: string;
}

/** `https://chat.example.ph/hooks/***` — the webhook URL without its secret key. */
export function maskWebhookUrl(value: string): string {
  try {
    const u = new URL(value);
    return `${u.protocol}//${u.host}${u.pathname.replace(/[^/]+$/, '***')}`;
  } catch {
    return '<unparseable URL>';
  }
}

const URL_SCHEMA = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname.length > 1;
  } catch {
    return false;
  }
}, 'an http(s) incoming-webhook URL, e.g. https://chat.example.ph/hooks/<key>');

/**
 * Reads `MATTERMOST_WEBHOOK_URL` (required), `MATTERMOST_CHANNEL` and `MATTERMOST_USERNAME`
 * (optional overrides). Throws one {@link ConfigError}; the URL's key is masked.
 */
export function loadMattermostSettings(env: Readonly<Record<string, string | undefined>>): MattermostSettings {
  const url = env['MATTERMOST_WEBHOOK_URL'];
  const issues: ConfigIssue[] = [];
  if (url === undefined || url === '') issues.push({ field: 'MATTERMOST_WEBHOOK_URL', value: '(unset)', expected: 'to be set (Integrations → Incoming Webhooks)' });
  else {
    const r = URL_SCHEMA.safeParse(url);
    if (!r.success) issues.push({ field: 'MATTERMOST_WEBHOOK_URL', value: maskWebhookUrl(url), expected: r.error.issues[0]?.message ?? 'an http(s) URL' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const channel = env['MATTERMOST_CHANNEL'];
  const username = env['MATTERMOST_USERNAME'];
  return Object.freeze({ webhookUrl: url as string, ...(channel ? { channel } : {}), ...(username ? { username } : {}) });
}

/** One failing data-quality expectation. */
export interface FailingExpectation {
  readonly expectation: string;
  /** Rows that failed; null for table-level expectations (row counts, schema, statistics). */
  readonly failedRows: number | null;
  readonly totalRows?: number;
  /** `fail`, `drop` or `warn`. */
  readonly action?: string;
  readonly table?: string;
}

/** Options of {@link MattermostNotifier}. */
export interface MattermostNotifierOptions extends MattermostSettings {
  /** Per-request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
  readonly retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'maxElapsedMs' | 'sleep' | 'random'>;
  readonly logger?: EventLogger;
}

/** A Mattermost incoming-webhook payload. */
export interface MattermostMessage {
  readonly text: string;
  readonly channel?: string;
  readonly username?: string;
  readonly props?: Record<string, unknown>;
}

/**
 * Posts job and data-quality notifications to a Mattermost incoming webhook, retrying 429 (after
 * the server's `Retry-After`), 5xx, network errors and timeouts with backoff and jitter; other
 * 4xx fail at once with {@link MattermostError} `REJECTED`. The webhook URL is never logged.
 *
 * @example
 * const mm = new MattermostNotifier(loadMattermostSettings(process.env));
 * await mm.notifyDataQualityFailed({ runId, job: 'scout_daily_sync', failures });
 */
export class MattermostNotifier {
  readonly #options: MattermostNotifierOptions;
  /** Requests sent, including retries. */
  attempts = 0;

  constructor(options: MattermostNotifierOptions) {
    this.#options = options;
  }

  /** Posts a message as is. */
  async post(message: MattermostMessage, signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify({
      ...(this.#options.channel ? { channel: this.#options.channel } : {}),
      ...(this.#options.username ? { username: this.#options.username } : {}),
      ...message,
    });
    const log = this.#options.logger;
    await retry(
      async () => {
        this.attempts++;
        let response: Response;
        try {
          const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 10_000);
          response = await fetch(this.#options.webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
        } catch (error) {
          const name = (error as { name?: string }).name;
          if (signal?.aborted) throw error;
          throw name === 'TimeoutError' ? new MattermostError('TIMEOUT', 'Mattermost webhook timed out') : new MattermostError('NETWORK_ERROR', `Mattermost webhook unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? name ?? 'error'})`);
        }
        const text = await response.text().catch(() => '');
        if (response.ok) return;
        const detail = text.slice(0, 200).replace(/\s+/g, ' ');
        if (response.status === 429) {
          const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
          throw new MattermostError('RATE_LIMITED', `Mattermost rate-limited the webhook (429)`, { status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
        }
        if (response.status >= 500) throw new MattermostError('HTTP_ERROR', `Mattermost answered ${response.status}: ${detail}`, { status: response.status });
        throw new MattermostError('REJECTED', `Mattermost rejected the message (${response.status}): ${detail}`, { status: response.status });
      },
      {
        maxAttempts: 5,
        ...this.#options.retry,
        isRetryable: (e) => e instanceof MattermostError && e.retryable,
        retryAfterMs: (e) => (e instanceof MattermostError ? e.retryAfterMs : undefined),
        ...(signal ? { signal } : {}),
        onRetry: ({ error, attempt, delayMs }) => log?.warn({ event: 'mattermost.retry', attempt, delay_ms: delayMs, code: (error as MattermostError).code }, 'retrying Mattermost webhook'),
      },
    );
  }

  /** `✅ job succeeded` with the run id, duration and task count. */
  async notifyJobSucceeded(info: { runId: string; job: string; target?: string; durationMs?: number; tasks?: number }, signal?: AbortSignal): Promise<void> {
    const details = [`run \`${info.runId}\``, info.target ? `target \`${info.target}\`` : '', info.tasks !== undefined ? `${info.tasks} task(s)` : '', info.durationMs !== undefined ? `${(info.durationMs / 1000).toFixed(1)} s` : ''].filter((d) => d !== '');
    await this.post({ text: `:white_check_mark: **${info.job}** succeeded — ${details.join(' · ')}`, props: { event: 'job.succeeded', run_id: info.runId, job: info.job } }, signal);
  }

  /** `❌ job failed` with the run id, the failed tasks and the error. */
  async notifyJobFailed(info: { runId: string; job: string; target?: string; error: string; failedTasks?: readonly string[] }, signal?: AbortSignal): Promise<void> {
    const lines = [
      `:x: **${info.job}** failed — run \`${info.runId}\`${info.target ? ` · target \`${info.target}\`` : ''}`,
      ...(info.failedTasks && info.failedTasks.length > 0 ? [`failed task(s): ${info.failedTasks.map((t) => `\`${t}\``).join(', ')}`] : []),
      '```',
      info.error.slice(0, 2000),
      '```',
    ];
    await this.post({ text: lines.join('\n'), props: { event: 'job.failed', run_id: info.runId, job: info.job } }, signal);
  }

  /** `⚠️ data quality failed` with a table of failing expectations and their counts. */
  async notifyDataQualityFailed(info: { runId: string; job?: string; suite?: string; failures: readonly FailingExpectation[] }, signal?: AbortSignal): Promise<void> {
    const head = `:warning: **data quality failed**${info.job ? ` in **${info.job}**` : ''} — run \`${info.runId}\`${info.suite ? ` · suite \`${info.suite}\`` : ''} · ${info.failures.length} expectation(s)`;
    const table = [
      '| expectation | table | action | failing rows |',
      '|---|---|---|---:|',
      ...info.failures.map((f) => `| ${cell(f.expectation)} | ${cell(f.table ?? '')} | ${cell(f.action ?? '')} | ${f.failedRows === null ? 'table-level' : `${f.failedRows}${f.totalRows !== undefined ? ` / ${f.totalRows}` : ''}`} |`),
    ];
    await this.post({ text: [head, '', ...table].join('\n'), props: { event: 'dq.failed', run_id: info.runId, ...(info.job ? { job: info.job } : {}) } }, signal);
  }
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
