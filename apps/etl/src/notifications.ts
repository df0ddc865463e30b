import type { RunEvent, RunLogger } from '@odoo-ce/bundle';
import { JobEventNotifier, loadJobNotificationConfig, type RunDataQualityFailure } from '@odoo-ce/connectors/notifications';
import { readResults } from '@odoo-ce/data-quality';
import type { Warehouse } from '@odoo-ce/warehouse';

/** What `etl run` needs from a notifier: the runner's `onEvent`, and a `flush` awaited before the command ends. */
export interface RunNotifier {
  onEvent(event: RunEvent): void;
  /** Waits for notifications in flight; never throws (a failed delivery is a logged warning). */
  flush(): Promise<void>;
}

/**
 * The job-event notifier of one `etl run`, or undefined when no channel is configured
 * (`MATTERMOST_WEBHOOK_URL`, `N8N_WORKFLOW_WEBHOOK_URLS`; which events: `ETL_NOTIFY_EVENTS`, which
 * jobs: `ETL_NOTIFY_JOBS` — see `loadJobNotificationConfig`). A bad setting fails the command
 * before the job starts (a ConfigError naming the variable, URLs masked). Data-quality failures
 * are read from `<ops>.dq_results`, which the quality gates write before they fail a task.
 */
export function runNotifier(env: Readonly<Record<string, string | undefined>>, warehouse: Warehouse, logger?: RunLogger): RunNotifier | undefined {
  const config = loadJobNotificationConfig(env);
  if (!config) return undefined;
  return new JobEventNotifier(config, {
    ...(logger ? { logger } : {}),
    dataQualityFailures: (runId) => failingExpectations(warehouse, runId),
  });
}

/** The expectations that failed in a run (any action), with their counts, from `<ops>.dq_results`. */
async function failingExpectations(warehouse: Warehouse, runId: string): Promise<RunDataQualityFailure[]> {
  return (await readResults(warehouse, { runId }))
    .filter((r) => !r.success)
    .map((r) => ({
      expectation: r.expectation_name,
      table: r.table_name,
      action: r.action,
      failedRows: r.unexpected_count,
      ...(r.element_count !== null ? { totalRows: r.element_count } : {}),
    }));
}
