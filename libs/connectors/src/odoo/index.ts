/**
 * `@odoo-ce/connectors/odoo` — Odoo's external API (JSON-RPC `/jsonrpc` or Odoo 19 JSON-2) into
 * bronze: a retrying, typed client and an incremental `(write_date, id)` keyset sync.
 */
export {
  OdooClient,
  type OdooClientConfig,
  type OdooClientStats,
  type OdooContext,
  type OdooDomain,
  type OdooProtocol,
  type OdooRecord,
  type OdooVersion,
  type SearchReadOptions,
} from './client.js';
export { codeForOdooException, OdooRpcError, type OdooErrorCode } from './errors.js';
export { DEFAULT_ODOO_MODELS, describeZodError, kindForOdooType, ODOO_MODEL_FIELDS, recordSchema, type OdooFieldKind } from './schemas.js';
export {
  bronzeTableForModel,
  keysetDomain,
  rewindOdooDatetime,
  syncOdoo,
  type ModelSyncResult,
  type OdooSyncOptions,
  type OdooSyncResult,
  type OdooWatermark,
  type RejectedRecord,
} from './sync.js';
export { loadOdooSettings, type OdooSettings } from './settings.js';
