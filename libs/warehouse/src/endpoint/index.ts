/**
 * `@odoo-ce/warehouse/endpoint` — a local Databricks SQL endpoint: an HTTPS Thrift TCLIService
 * backed by DuckDB that the real `@databricks/sql` client talks to unchanged.
 */
export { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions, type LocalEndpointStats } from './local-endpoint.js';
export type { InterceptResult, StatementInterceptor } from './intercept.js';
