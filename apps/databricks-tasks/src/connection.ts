import { CliExit } from '@odoo-ce/common';
import type { DatabricksConfig } from '@odoo-ce/warehouse/databricks';

/** Exit code when the environment cannot run the task at all (no credentials), like the Python side's. */
export const EXIT_ENVIRONMENT = 2;

/**
 * The SQL warehouse connection of one run, from the environment the Python entry point hands the
 * runner: `DATABRICKS_HOST` (scheme and trailing slash tolerated, `host:port` allowed),
 * `DATABRICKS_TOKEN` (a PAT, or the job compute's OAuth token), the warehouse's HTTP path
 * `/sql/1.0/warehouses/<warehouse_id>` unless `DATABRICKS_HTTP_PATH` overrides it, and
 * `DATABRICKS_CA_CERT_FILE` (an extra CA to trust, as in `loadConfig`: the local endpoint's
 * self-signed certificate in tests). Credentials are never taken from the command line.
 */
export function connectionFromEnv(env: Readonly<Record<string, string | undefined>>, warehouseId: string): DatabricksConfig {
  const rawHost = env['DATABRICKS_HOST']?.trim();
  const token = env['DATABRICKS_TOKEN'];
  const missing = [...(rawHost ? [] : ['DATABRICKS_HOST']), ...(token ? [] : ['DATABRICKS_TOKEN'])];
  if (missing.length > 0 || !rawHost || !token) {
    throw new CliExit(`no Databricks credentials: ${missing.join(' and ')} not set (the odoo_ce_tasks Python entry point sets them from the environment or the job compute's databricks-sdk Config)`, EXIT_ENVIRONMENT);
  }
  const hostPort = rawHost.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  const match = /^([^:/]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!match) throw new CliExit(`DATABRICKS_HOST = ${JSON.stringify(rawHost)}: expected a workspace hostname, optionally with https:// and :port`, EXIT_ENVIRONMENT);
  const [, host, port] = match as unknown as [string, string, string | undefined];
  const caCertFile = env['DATABRICKS_CA_CERT_FILE'];
  return {
    host,
    ...(port ? { port: Number(port) } : {}),
    httpPath: env['DATABRICKS_HTTP_PATH'] || `/sql/1.0/warehouses/${warehouseId}`,
    auth: { kind: 'pat', token },
    ...(caCertFile ? { caCertFile } : {}),
  };
}
