import { ConfigError, errorMessage, type ConfigIssue } from '@odoo-ce/common';
import type { EventLogger } from '../event-logger.js';
import { loadMattermostSettings, MattermostNotifier, type FailingExpectation, type MattermostNotifierOptions } from '../mattermost/notifier.js';
import { loadN8nSettings } from '../n8n/settings.js';
import { N8nWorkflowTrigger, type N8nJobEvent, type N8nTriggerOptions } from '../n8n/trigger.js';

/** The notifications a run can send. */
export const JOB_NOTIFICATION_KINDS = ['job.succeeded', 'job.failed', 'dq.failed'] as const;
export type JobNotificationKind = (typeof JOB_NOTIFICATION_KINDS)[number];

/**
 * The runner events the notifier reads: structurally a subset of `@odoo-ce/bundle`'s `RunEvent`
 * (this lib does not depend on the bundle lib). Other event types are ignored.
 */
export type JobRunEvent =
  | { readonly type: 'run.started'; readonly runId: string; readonly job: string; readonly target: string; readonly tasks: readonly string[] }
  | { readonly type: 'task.finished'; readonly runId: string; readonly task: string; readonly status: string; readonly error: string | null }
  | { readonly type: 'run.finished'; readonly runId: string; readonly status: string }
  | { readonly type: 'task.started'; readonly runId: string };

/** A failing expectation of a run, as the data-quality gates recorded it (table, action, counts). */
export type RunDataQualityFailure = FailingExpectation;

/** Options of {@link JobEventNotifier}. */
export interface JobEventNotifierOptions {
  readonly logger?: EventLogger;
  /**
   * The run's failing expectations, read when the run finishes (the app reads `<ops>.dq_results`,
   * which the gates write before they fail a task). A throw is a logged warning: the job and the
   * other notifications are not affected.
   */
  readonly dataQualityFailures?: (runId: string) => Promise<readonly RunDataQualityFailure[]>;
  readonly now?: () => number;
}

/** Which notifications go where. Secrets (the Mattermost key, n8n paths) come from the environment only. */
export interface JobNotificationConfig {
  /** Notifications to send (default: `job.failed`, `dq.failed`). */
  readonly events: ReadonlySet<JobNotificationKind>;
  /** Only these jobs (default: every job). */
  readonly jobs?: ReadonlySet<string>;
  readonly mattermost?: MattermostNotifierOptions;
  readonly n8n?: N8nTriggerOptions;
}

/** What one delivery did (for tests and the CLI's log). */
export interface NotificationOutcome {
  readonly channel: 'mattermost' | 'n8n';
  readonly kind: JobNotificationKind;
  readonly runId: string;
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * Reads the notification config from the environment; `undefined` when no channel is configured
 * (neither `MATTERMOST_WEBHOOK_URL` nor `N8N_WORKFLOW_WEBHOOK_URLS`), so runs without it send nothing.
 * - `ETL_NOTIFY_EVENTS`: comma-separated `job.succeeded`, `job.failed`, `dq.failed` (default `job.failed,dq.failed`).
 * - `ETL_NOTIFY_JOBS`: comma-separated job keys to notify about (default: all).
 * - `MATTERMOST_WEBHOOK_URL` (+ `MATTERMOST_CHANNEL`, `MATTERMOST_USERNAME`);
 *   `N8N_WORKFLOW_WEBHOOK_URLS` (+ `N8N_WEBHOOK_SECRET` to sign them).
 * Throws one {@link ConfigError} naming every bad value (URLs masked).
 */
export function loadJobNotificationConfig(env: Readonly<Record<string, string | undefined>>): JobNotificationConfig | undefined {
  const hasMattermost = (env['MATTERMOST_WEBHOOK_URL'] ?? '') !== '';
  const hasN8n = (env['N8N_WORKFLOW_WEBHOOK_URLS'] ?? '').trim() !== '';
  if (!hasMattermost && !hasN8n) return undefined;
  const issues: ConfigIssue[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
      return undefined;
    }
  };
  const listed = (name: string): string[] | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  };
  const kinds = listed('ETL_NOTIFY_EVENTS') ?? ['job.failed', 'dq.failed'];
  const unknown = kinds.filter((k) => !(JOB_NOTIFICATION_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) issues.push({ field: 'ETL_NOTIFY_EVENTS', value: env['ETL_NOTIFY_EVENTS'] ?? '', expected: `comma-separated ${JOB_NOTIFICATION_KINDS.join(', ')}` });
  const mattermost = hasMattermost ? collect(() => loadMattermostSettings(env)) : undefined;
  // The secret only signs outbound calls here; it is optional (required by the receiver).
  const n8n = hasN8n ? collect(() => loadN8nSettings(env, { requireSecret: false })) : undefined;
  if (issues.length > 0) throw new ConfigError(issues);
  const jobs = listed('ETL_NOTIFY_JOBS');
  return Object.freeze({
    events: new Set(kinds as JobNotificationKind[]),
    ...(jobs ? { jobs: new Set(jobs) } : {}),
    ...(mattermost ? { mattermost } : {}),
    ...(n8n ? { n8n: { urls: n8n.workflowUrls, ...(n8n.secret !== '' ? { secret: n8n.secret } : {}) } } : {}),
  });
}

interface RunState {
  job: string;
  target: string;
  tasks: number;
  startedAt: number;
  readonly failedTasks: { task: string; error: string | null }[];
}

/**
 * Turns runner events into Mattermost messages and n8n workflow triggers, batched per run: nothing is
 * sent until `run.finished`; then one `job.succeeded` / `job.failed` notification (failed tasks and
 * their errors) and, when any expectation failed in the run (`fail` gates that stopped a task, and
 * `drop` / `warn` ones that quarantined or flagged rows), one `dq.failed` with the run id, the job
 * and every failing expectation with its counts. Only the configured kinds and jobs are sent.
 *
 * Delivery never fails the job: {@link onEvent} returns at once, sends run in the background with
 * the channels' own bounded retries (429 Retry-After honoured), a failure is a logged warning
 * (URLs masked), and {@link flush} — which the CLI awaits before exiting — never throws.
 *
 * @example
 * const notifier = new JobEventNotifier(loadJobNotificationConfig(process.env)!, { logger });
 * await runJob(warehouse, bundle, job, { onEvent: notifier.onEvent });
 * await notifier.flush();
 */
export class JobEventNotifier {
  readonly #config: JobNotificationConfig;
  readonly #log: EventLogger | undefined;
  readonly #mattermost: MattermostNotifier | undefined;
  readonly #n8n: N8nWorkflowTrigger | undefined;
  readonly #runs = new Map<string, RunState>();
  readonly #pending = new Set<Promise<void>>();
  readonly #now: () => number;
  readonly #dqFailures: JobEventNotifierOptions['dataQualityFailures'];
  /** Every delivery attempted so far, in completion order. */
  readonly outcomes: NotificationOutcome[] = [];

  constructor(config: JobNotificationConfig, options: JobEventNotifierOptions = {}) {
    this.#config = config;
    this.#dqFailures = options.dataQualityFailures;
    this.#log = options.logger;
    this.#now = options.now ?? Date.now;
    this.#mattermost = config.mattermost ? new MattermostNotifier({ ...config.mattermost, ...(options.logger ? { logger: options.logger } : {}) }) : undefined;
    this.#n8n = config.n8n && config.n8n.urls.length > 0 ? new N8nWorkflowTrigger({ ...config.n8n, ...(options.logger ? { logger: options.logger } : {}) }) : undefined;
  }

  /** The runner's `onEvent` (bound; never throws). */
  readonly onEvent = (event: JobRunEvent | { readonly type: string }): void => {
    try {
      this.#handle(event as JobRunEvent);
    } catch (error) {
      this.#log?.warn({ event: 'notify.event_failed', error: errorMessage(error) }, 'could not process a run event for notifications');
    }
  };

  /** Waits for every notification in flight. Never throws (failures are logged warnings and in {@link outcomes}). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #handle(event: JobRunEvent): void {
    if (event.type === 'run.started') {
      this.#runs.set(event.runId, { job: event.job, target: event.target, tasks: event.tasks.length, startedAt: this.#now(), failedTasks: [] });
    } else if (event.type === 'task.finished') {
      if (event.status === 'failed') this.#runs.get(event.runId)?.failedTasks.push({ task: event.task, error: event.error });
    } else if (event.type === 'run.finished') {
      const run = this.#runs.get(event.runId);
      if (!run) return;
      this.#runs.delete(event.runId);
      if (this.#config.jobs && !this.#config.jobs.has(run.job)) return;
      this.#track(this.#send(event.runId, event.status, run));
    }
  }

  #track(work: Promise<void>): void {
    const tracked = work.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async #send(runId: string, status: string, run: RunState): Promise<void> {
    const wanted = this.#config.events;
    const sends: Promise<void>[] = [];
    const durationMs = this.#now() - run.startedAt;
    if (status === 'succeeded' && wanted.has('job.succeeded')) {
      sends.push(this.#deliver('job.succeeded', runId, (mm) => mm.notifyJobSucceeded({ runId, job: run.job, target: run.target, durationMs, tasks: run.tasks }), { job: run.job, target: run.target, status, duration_ms: durationMs }));
    }
    if (status !== 'succeeded' && wanted.has('job.failed')) {
      const error = run.failedTasks.map((t) => `${t.task}: ${firstLine(t.error ?? 'failed')}`).join('\n') || `run ${status}`;
      const failedTasks = run.failedTasks.map((t) => t.task);
      sends.push(this.#deliver('job.failed', runId, (mm) => mm.notifyJobFailed({ runId, job: run.job, target: run.target, error, failedTasks }), { job: run.job, target: run.target, status, failed_tasks: failedTasks, error }));
    }
    if (wanted.has('dq.failed') && this.#dqFailures) {
      let failures: readonly RunDataQualityFailure[] = [];
      try {
        failures = await this.#dqFailures(runId);
      } catch (error) {
        this.#log?.warn({ event: 'notify.dq_lookup_failed', run_id: runId, error: errorMessage(error) }, 'could not read the run\'s data-quality results; no dq.failed notification');
      }
      if (failures.length > 0) {
        sends.push(this.#deliver('dq.failed', runId, (mm) => mm.notifyDataQualityFailed({ runId, job: run.job, failures }), { job: run.job, target: run.target, failures }));
      }
    }
    await Promise.all(sends);
  }

  async #deliver(kind: JobNotificationKind, runId: string, toMattermost: (mm: MattermostNotifier) => Promise<void>, n8nPayload: Omit<N8nJobEvent, 'event_type' | 'run_id'> & { job: string }): Promise<void> {
    const sends: Promise<void>[] = [];
    const mm = this.#mattermost;
    if (mm) {
      sends.push(
        toMattermost(mm).then(
          () => this.#outcome({ channel: 'mattermost', kind, runId, ok: true }),
          (error: unknown) => this.#outcome({ channel: 'mattermost', kind, runId, ok: false, error: errorMessage(error) }),
        ),
      );
    }
    const n8n = this.#n8n;
    if (n8n) {
      sends.push(
        n8n.trigger({ ...n8nPayload, event_type: kind, run_id: runId }).then(
          (results) => {
            const failed = results.filter((r) => !r.ok);
            this.#outcome({ channel: 'n8n', kind, runId, ok: failed.length === 0, ...(failed.length > 0 ? { error: failed.map((r) => r.error?.message ?? r.url).join('; ') } : {}) });
          },
          (error: unknown) => this.#outcome({ channel: 'n8n', kind, runId, ok: false, error: errorMessage(error) }),
        ),
      );
    }
    await Promise.all(sends);
  }

  #outcome(outcome: NotificationOutcome): void {
    this.outcomes.push(outcome);
    if (outcome.ok) this.#log?.info({ event: 'notify.sent', channel: outcome.channel, kind: outcome.kind, run_id: outcome.runId }, `${outcome.kind} notification sent to ${outcome.channel}`);
    else this.#log?.warn({ event: 'notify.failed', channel: outcome.channel, kind: outcome.kind, run_id: outcome.runId, error: outcome.error }, `could not send the ${outcome.kind} notification to ${outcome.channel}; the job is not affected`);
  }
}

function firstLine(text: string): string {
  return (text.split('\n')[0] as string).slice(0, 500);
}
