/**
 * `@odoo-ce/connectors/n8n` — n8n both ways: an inbound webhook receiver (HMAC-signed events,
 * validated per event type, stored idempotently in `bronze.external_sources.n8n_webhooks` before
 * the 2xx) and outbound workflow triggers on job events.
 */
export { isoMicros, N8N_EVENT_ROUTES, processN8nWebhooks, type N8nProcessResult } from './process.js';
export { N8N_BRONZE, startN8nWebhookReceiver, type N8nReceiver, type N8nReceiverOptions } from './receiver.js';
export { N8N_ENVELOPE, N8N_EVENT_SCHEMAS, type N8nEvent } from './schemas.js';
export { loadN8nSettings, maskUrl, type N8nSettings } from './settings.js';
export { N8N_SIGNATURE_HEADER, signN8nPayload, verifyN8nSignature } from './signature.js';
export { N8nTriggerError, N8nWorkflowTrigger, type N8nJobEvent, type N8nTriggerErrorCode, type N8nTriggerOptions, type N8nTriggerResult } from './trigger.js';
