import type { TargetConfig, WarehouseConnectionConfig } from '@odoo-ce/common';
import type { WarehouseDialect } from './dialect.js';
import { layoutCatalogNames } from './layout.js';
import { Warehouse } from './warehouse.js';

/**
 * Opens the warehouse a target's config points at. Engine modules are loaded on demand, so a
 * process that only uses DuckDB never loads the Databricks driver (and vice versa).
 *
 * @example
 * const wh = await openWarehouse(loadConfig({ target: 'local' }).target);
 */
export async function openWarehouse(target: Pick<TargetConfig, 'warehouse' | 'layout'>): Promise<Warehouse> {
  const dialect = await dialectFor(target.warehouse, layoutCatalogNames(target.layout));
  const warehouse = new Warehouse(dialect, { layout: target.layout });
  await warehouse.init();
  return warehouse;
}

async function dialectFor(config: WarehouseConnectionConfig, catalogs: string[]): Promise<WarehouseDialect> {
  if (config.engine === 'duckdb') {
    const { duckDbDialect } = await import('../duckdb/index.js');
    return duckDbDialect({
      dataDir: config.dataDir,
      catalogs,
      ...(config.threads ? { threads: config.threads } : {}),
      ...(config.memoryLimit ? { memoryLimit: config.memoryLimit } : {}),
    });
  }
  const { databricksDialect } = await import('../databricks/index.js');
  const [host, port] = config.host.split(':');
  return databricksDialect({
    host: host as string,
    ...(port ? { port: Number(port) } : {}),
    httpPath: config.httpPath,
    auth: config.auth,
    ...(config.caCertFile ? { caCertFile: config.caCertFile } : {}),
  });
}
