import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { grantsStatementHandler, OpsGrantsStore } from '@odoo-ce/catalog';
import { DEFAULT_LAYOUT, openWarehouse } from '@odoo-ce/warehouse';
import { waitForStopSignal } from '@odoo-ce/common';
import type { CliContext } from '../context.js';
import { parsePort } from './query.js';

/** `etl warehouse serve` — the local Databricks SQL endpoint, for any Databricks SQL client. */
export function registerWarehouseCommand(program: Command, ctx: CliContext, waitForStop: () => Promise<void> = waitForStopSignal): void {
  const warehouse = program.command('warehouse').description('warehouse utilities');
  warehouse
    .command('serve')
    .description(
      'serve a local Databricks SQL endpoint (HTTPS Thrift, backed by DuckDB) on 127.0.0.1; prints one JSON line ' +
        '{host, port, httpPath, certFile, token?} and runs until SIGINT/SIGTERM',
    )
    .option('--port <n>', 'port to listen on (default: a free port)', parsePort)
    .option('--token <token>', 'bearer token clients must send (default: $ETL_ENDPOINT_TOKEN, else a random one that is printed)')
    .option('--data-dir <dir>', 'directory of <catalog>.duckdb files to serve (default: .data/endpoint)')
    .option('--cert-file <file>', 'where to write the self-signed certificate (PEM) clients should trust')
    .option('--result-format <format>', 'arrow (like a real warehouse) or column', 'arrow')
    .action(async (opts: { port?: number; token?: string; dataDir?: string; certFile?: string; resultFormat: string }) => {
      if (opts.resultFormat !== 'arrow' && opts.resultFormat !== 'column') {
        throw new Error(`--result-format must be arrow or column, got "${opts.resultFormat}"`);
      }
      const given = opts.token ?? ctx.env['ETL_ENDPOINT_TOKEN'];
      const token = given ?? randomBytes(18).toString('base64url');
      const { startLocalEndpoint } = await import('@odoo-ce/warehouse/endpoint');
      const dataDir = opts.dataDir ?? join(ctx.cwd, '.data', 'endpoint');
      // GRANT / REVOKE / SHOW GRANTS are answered from the ops grants table of the same files (the
      // store the embedded engine enforces), in Databricks' SHOW GRANTS shape.
      const grantsWarehouse = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir } });
      const endpoint = await startLocalEndpoint({
        port: opts.port ?? 0,
        token,
        dataDir,
        resultFormat: opts.resultFormat,
        intercept: grantsStatementHandler(new OpsGrantsStore(grantsWarehouse)),
        ...(opts.certFile ? { certFile: opts.certFile } : {}),
      }).catch(async (error: unknown) => {
        await grantsWarehouse.close();
        throw error;
      });
      ctx.print(
        JSON.stringify({
          host: endpoint.host,
          port: endpoint.port,
          httpPath: endpoint.httpPath,
          certFile: endpoint.certFile,
          // Only a token this command made up is printed; a token the user gave stays unprinted.
          ...(given === undefined ? { token } : {}),
        }),
      );
      try {
        await waitForStop();
      } finally {
        await endpoint.close();
        await grantsWarehouse.close();
      }
    });
}
