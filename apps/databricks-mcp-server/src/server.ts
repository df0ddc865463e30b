import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { auditLogger } from './audit.js';
import type { ServerContext } from './context.js';
import { registerTool } from './tool.js';
import { browseTools } from './tools/browse.js';
import { dqResultsTool } from './tools/dq-results.js';
import { executeSqlTool } from './tools/execute-sql.js';
import { jobTools } from './tools/jobs.js';
import { predictTool } from './tools/predict.js';

export const SERVER_NAME = 'databricks-mcp-server';
export const SERVER_VERSION = '0.1.0';

export interface BuildServerOptions {
  /** Principals allowed to call run_job and get_run (default: none — jobs are closed unless the operator names principals). */
  readonly jobPrincipals?: readonly string[];
}

/**
 * One MCP server for one principal (one per stdio process, one per HTTP session: the SDK allows a
 * single transport per server). Tools share the process-wide context: warehouse, grants, limits.
 */
export function buildServer(ctx: ServerContext, principal: string, options: BuildServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION, title: 'odoo-ce governed warehouse' },
    {
      capabilities: { tools: {}, logging: {} },
      // A cheap guard against huge argument objects (the largest legitimate call has a few fields).
      maxToolInputElements: 1000,
      instructions:
        'Governed, read-only access to the odoo-ce lakehouse (bronze/silver/gold/platinum/sandbox catalogs) under Unity Catalog grants. ' +
        'Browse with list_catalogs → list_schemas → list_tables → describe_table, then query with execute_sql (three-part names). ' +
        'Results are paged: follow next_cursor while truncated is true.',
    },
  );
  const plumbing = {
    principal,
    rateLimiter: ctx.rateLimiter,
    audit: auditLogger(ctx.logger),
    logError: (tool: string, error: unknown) => ctx.logger.error({ event: 'mcp.tool_error', tool, principal, err: error }, 'tool failed'),
  };
  registerTool(server, executeSqlTool(ctx), plumbing);
  const [listCatalogs, listSchemas, listTables, describeTable] = browseTools(ctx);
  registerTool(server, listCatalogs, plumbing);
  registerTool(server, listSchemas, plumbing);
  registerTool(server, listTables, plumbing);
  registerTool(server, describeTable, plumbing);
  const [runJob, getRun] = jobTools(ctx, options.jobPrincipals);
  registerTool(server, runJob, plumbing);
  registerTool(server, getRun, plumbing);
  registerTool(server, predictTool(ctx), plumbing);
  registerTool(server, dqResultsTool(ctx), plumbing);
  return server;
}
