/**
 * @odoo-ce/connectors — getting data into bronze. Each source lives behind its own subpath:
 * `@odoo-ce/connectors/files` (NDJSON/CSV/Parquet exports).
 */
export { IngestError, type IngestErrorCode } from './files/index.js';
