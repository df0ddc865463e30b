/**
 * @odoo-ce/databricks-mcp-server — the MCP server for AI agents: governed read-only SQL
 * (`execute_sql` behind `@odoo-ce/catalog`'s gate), catalog browsing, bundle jobs, forecasts and
 * data-quality results, over stdio or Streamable HTTP.
 */
export type { AccessControl, SecurableRef, StatementDecision } from './access.js';
export { auditLogger, statementHash, type AuditDetails, type AuditOutcome, type AuditRecord } from './audit.js';
export { loadTokens, TokenMap } from './auth.js';
export { CatalogAccess, physicalSecurable, type CatalogAccessOptions, type GrantsSource } from './catalog-access.js';
export { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.js';
export { McpToolError, toToolError, type McpToolErrorCode } from './errors.js';
export { DatabricksJobs, LocalJobs, type JobsBackend, type RunView } from './jobs.js';
export { main, type MainIo } from './main.js';
export { openServerContext, REPO_ROOT, type OpenedContext, type OpenOptions } from './open.js';
export { parseRateLimit, RateLimiter, type RateLimit } from './rate-limit.js';
export { buildServer, SERVER_NAME, SERVER_VERSION, type BuildServerOptions } from './server.js';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './transports/http.js';
export { serveStdio } from './transports/stdio.js';
