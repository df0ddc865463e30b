import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openWarehouse, type QueryResult, type Warehouse } from '@odoo-ce/warehouse';
import { CliExit, type CliContext } from '../context.js';
import { formatTable } from '../format.js';

const SETUP = `
CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.scout;
CREATE OR REPLACE TABLE {{catalog.bronze}}.scout.smoke_transactions (
  id BIGINT, agency VARCHAR, vendor VARCHAR, category VARCHAR, amount DECIMAL(18, 2), txn_date DATE
);
INSERT INTO {{catalog.bronze}}.scout.smoke_transactions VALUES
  (1, 'RIM',  'Jollibee Foods',    'meals',      1250.50, DATE '2025-01-06'),
  (2, 'RIM',  'Grab Philippines',  'transport',   385.00, DATE '2025-01-07'),
  (3, 'CKVC', 'National Bookstore','supplies',   2199.75, DATE '2025-01-09'),
  (4, 'BOM',  'Petron',            'fuel',       3400.00, DATE '2025-01-10'),
  (5, 'CKVC', 'Globe Telecom',     'utilities',  1899.00, DATE '2025-01-15'),
  (6, 'JPAL', 'Cebu Pacific',      'travel',    12850.00, DATE '2025-01-20');
`;

const REPORT = `
SELECT agency, count(*) AS transactions, sum(amount) AS total_php, min(txn_date) AS first_date
FROM {{catalog.bronze}}.scout.smoke_transactions
GROUP BY agency
ORDER BY agency`;

/**
 * `etl demo` — until the medallion pipeline lands: creates the catalogs, loads a tiny table
 * through the embedded engine, then queries it through both drivers (DuckDB in-process, and the
 * real Databricks SQL driver via the local endpoint) and checks they agree.
 */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('smoke flow: create the catalogs, load a tiny table, query it through both drivers, print the result')
    .option('--data-dir <dir>', 'DuckDB data directory (default: .data/demo)')
    .action(async (opts: { dataDir?: string }) => {
      const dataDir = opts.dataDir ?? join(ctx.cwd, '.data', 'demo');
      const config = ctx.loadConfig({ target: 'local', dataDir });
      const log = ctx.logger(config, { job: 'demo' });

      // 1. Embedded DuckDB: one file per catalog, attached under its Unity Catalog name.
      const local = await openWarehouse(config.target);
      let viaDuckDb: QueryResult;
      try {
        await local.executeScript(SETUP, { file: 'demo/setup.sql' });
        viaDuckDb = await local.query(local.render(REPORT));
      } finally {
        await local.close();
      }
      log.info({ event: 'demo.duckdb.done', rows: viaDuckDb.rows.length });
      ctx.print(`DuckDB (in-process, ${dataDir}):\n${formatTable(viaDuckDb.columns, viaDuckDb.rows as Record<string, unknown>[])}\n`);

      // 2. The same files behind the local Databricks SQL endpoint, read by the real @databricks/sql driver.
      const token = randomBytes(18).toString('base64url');
      const { startLocalEndpoint } = await import('@odoo-ce/warehouse/endpoint');
      const endpoint = await startLocalEndpoint({ port: 0, token, dataDir });
      let remote: Warehouse | undefined;
      let viaDatabricks: QueryResult;
      try {
        remote = await openWarehouse({
          layout: config.target.layout,
          warehouse: {
            engine: 'databricks',
            host: `${endpoint.host}:${endpoint.port}`,
            httpPath: endpoint.httpPath,
            auth: { kind: 'pat', token },
            caCertFile: endpoint.certFile,
          },
        });
        viaDatabricks = await remote.query(remote.render(REPORT));
      } finally {
        await remote?.close();
        await endpoint.close();
      }
      log.info({ event: 'demo.databricks.done', rows: viaDatabricks.rows.length });
      ctx.print(
        `Databricks SQL driver → local endpoint (https://${endpoint.host}:${endpoint.port}${endpoint.httpPath}):\n` +
          `${formatTable(viaDatabricks.columns, viaDatabricks.rows as Record<string, unknown>[])}\n`,
      );
      if (!isDeepStrictEqual(viaDuckDb.rows, viaDatabricks.rows)) {
        throw new CliExit('the two drivers returned different rows (see above)', 1);
      }
      ctx.print('Both drivers returned identical rows.');
    });
}
