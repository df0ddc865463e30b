import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@odoo-ce/common';
import { openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { startLocalEndpoint, type LocalEndpoint, type LocalEndpointOptions } from '@odoo-ce/warehouse/endpoint';
import { removeTree } from './fixtures.js';

export interface EndpointTarget {
  readonly endpoint: LocalEndpoint;
  readonly dataDir: string;
  /** Environment that points the `dev` target at the endpoint (real `@databricks/sql` driver, dev_ catalogs). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the local Databricks SQL endpoint on a fresh data dir; `dev` with {@link EndpointTarget.env} talks to it. */
export async function startEndpointTarget(options: Partial<Pick<LocalEndpointOptions, 'intercept'>> = {}): Promise<EndpointTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'deploy-endpoint-'));
  const token = 'deploy-spec-token';
  const endpoint = await startLocalEndpoint({ token, dataDir, ...options });
  return {
    endpoint,
    dataDir,
    env: {
      DATABRICKS_HOST: `${endpoint.host}:${endpoint.port}`,
      DATABRICKS_HTTP_PATH: endpoint.httpPath,
      DATABRICKS_TOKEN: token,
      DATABRICKS_CA_CERT_FILE: endpoint.certFile,
    },
    close: async () => {
      await endpoint.close();
      removeTree(dataDir);
    },
  };
}

/** Opens a target's warehouse the way the CLI does, with a test's environment (and DuckDB data dir for `local`). */
export async function openTargetWarehouse(target: string, env: Record<string, string>, dataDir: string): Promise<Warehouse> {
  return openWarehouse(loadConfig({ target, env: { ...env, LOG_LEVEL: 'silent' }, dataDir, cwd: dataDir }).target);
}
