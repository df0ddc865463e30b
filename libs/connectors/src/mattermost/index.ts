/**
 * `@odoo-ce/connectors/mattermost` — job and data-quality notifications through a Mattermost
 * incoming webhook (`MATTERMOST_WEBHOOK_URL`), with retries that honour 429 Retry-After.
 */
export {
  loadMattermostSettings,
  maskWebhookUrl,
  MattermostError,
  MattermostNotifier,
  type FailingExpectation,
  type MattermostErrorCode,
  type MattermostMessage,
  type MattermostNotifierOptions,
  type MattermostSettings,
} from './notifier.js';
