import type { Command } from 'commander';
import { loadN8nSettings, startN8nWebhookReceiver } from '@odoo-ce/connectors/n8n';
import type { CliContext } from '../context.js';
import { parsePositiveInt } from './query.js';

/**
 * `etl webhooks serve [--port N] [--target t] [--data-dir d] [--path p] [--max-body-bytes n]` —
 * the inbound n8n webhook receiver on 127.0.0.1: HMAC-signed events (secret from
 * N8N_WEBHOOK_SECRET, never printed) stored in `bronze.external_sources.n8n_webhooks` before the
 * 2xx. Prints one JSON line `{host, port, url}` and runs until SIGINT/SIGTERM.
 */
export function registerWebhooksCommand(program: Command, ctx: CliContext, waitForStop: () => Promise<void> = waitForSignal): void {
  const webhooks = program.command('webhooks').description('inbound webhooks (n8n)');
  webhooks
    .command('serve')
    .description('receive signed n8n events on 127.0.0.1 into bronze.external_sources.n8n_webhooks; prints one JSON line {host, port, url} and runs until SIGINT/SIGTERM; secret from N8N_WEBHOOK_SECRET')
    .option('--port <n>', 'port to listen on (default: a free port)', parsePort)
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--path <path>', 'the path events are POSTed to', '/webhooks/n8n')
    .option('--max-body-bytes <n>', 'largest accepted body', parsePositiveInt('--max-body-bytes'), 1024 * 1024)
    .action(async (opts: { port?: number; target?: string; dataDir?: string; path: string; maxBodyBytes: number }) => {
      const settings = loadN8nSettings(ctx.env);
      const config = ctx.loadConfig(opts);
      const logger = ctx.logger(config, { component: 'webhooks' });
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const receiver = await startN8nWebhookReceiver(warehouse, {
          secret: settings.secret,
          port: opts.port ?? 0,
          path: opts.path.startsWith('/') ? opts.path : `/${opts.path}`,
          maxBodyBytes: opts.maxBodyBytes,
          logger,
        });
        ctx.print(JSON.stringify({ host: receiver.host, port: receiver.port, url: receiver.url }));
        try {
          await waitForStop();
        } finally {
          await receiver.close();
        }
      } finally {
        await warehouse.close();
      }
    });
}

function parsePort(value: string): number {
  const port = parsePositiveInt('--port')(value);
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${value}`);
  return port;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
