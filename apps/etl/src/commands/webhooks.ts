import type { Command } from 'commander';
import { loadN8nSettings, processN8nWebhooks, startN8nWebhookReceiver } from '@odoo-ce/connectors/n8n';
import { waitForStopSignal } from '@odoo-ce/common';
import type { CliContext } from '../context.js';
import { formatTable } from '../format.js';
import { parsePort, parsePositiveInt } from './query.js';

/**
 * `etl webhooks serve [--port N] [--target t] [--data-dir d] [--path p] [--max-body-bytes n]` —
 * the inbound n8n webhook receiver on 127.0.0.1: HMAC-signed events (secret from
 * N8N_WEBHOOK_SECRET, never printed) stored in `bronze.external_sources.n8n_webhooks` before the
 * 2xx. Prints one JSON line `{host, port, url}` and runs until SIGINT/SIGTERM.
 */
export function registerWebhooksCommand(program: Command, ctx: CliContext, waitForStop: () => Promise<void> = waitForStopSignal): void {
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
          ...faultInjection(ctx.env),
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

/**
 * Test-only fault injection, read only when set: ETL_FAULT_PAUSE_AFTER_STORE=1 makes the receiver
 * stop after an event's durable write, before answering (it says so on stderr and waits to be
 * killed), so a test can kill the process between landing and responding.
 */
function faultInjection(env: Readonly<Record<string, string | undefined>>): { afterStore?: (info: { id: string; inserted: boolean }) => Promise<void> } {
  if (env['ETL_FAULT_PAUSE_AFTER_STORE'] !== '1') return {};
  return {
    afterStore: async ({ id, inserted }) => {
      if (!inserted) return;
      process.stderr.write(`fault: paused after storing ${id}\n`);
      await new Promise<never>(() => undefined);
    },
  };
}

/**
 * `etl ingest webhooks [--target t] [--data-dir d] [--json]` — moves the n8n events landed by
 * `etl webhooks serve` to their downstream bronze tables (Scout transactions → bronze.scout.transactions,
 * …); events already processed are skipped, so it can run after every delivery or on a schedule.
 */
export function registerIngestWebhooksCommand(ingest: Command, ctx: CliContext): void {
  ingest
    .command('webhooks')
    .description('process the n8n events landed in bronze.external_sources.n8n_webhooks into their downstream bronze tables (scout.transaction.submitted → bronze.scout.transactions, …); idempotent')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { target?: string; dataDir?: string; json?: boolean }) => {
      const config = ctx.loadConfig(opts);
      const logger = ctx.logger(config, { source: 'n8n' });
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const result = await processN8nWebhooks(warehouse, { logger });
        const rows = result.types.map((t) => ({ event_type: t.eventType, table: t.table, events: t.events, rows_written: t.rowsWritten, rejected: t.rejected }));
        if (opts.json) {
          ctx.print(JSON.stringify({ batch_id: result.batchId, pending: result.pending, types: rows }));
        } else {
          const columns = [{ name: 'event_type', type: 'VARCHAR' }, { name: 'table', type: 'VARCHAR' }, { name: 'events', type: 'BIGINT' }, { name: 'rows_written', type: 'BIGINT' }, { name: 'rejected', type: 'BIGINT' }];
          ctx.print(result.pending === 0 ? 'no new n8n events to process' : formatTable(columns, rows, 80));
        }
      } finally {
        await warehouse.close();
      }
    });
}
