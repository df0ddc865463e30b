/**
 * `@odoo-ce/connectors/notifications` — job-event notifications composed from the Mattermost
 * notifier and the n8n workflow trigger, configured from the environment and batched per run.
 */
export {
  JOB_NOTIFICATION_KINDS,
  JobEventNotifier,
  loadJobNotificationConfig,
  type JobEventNotifierOptions,
  type JobNotificationConfig,
  type JobNotificationKind,
  type JobRunEvent,
  type NotificationOutcome,
  type RunDataQualityFailure,
} from './job-events.js';
export type { FailingExpectation } from '../mattermost/notifier.js';
export type { EventLogger } from '../event-logger.js';
