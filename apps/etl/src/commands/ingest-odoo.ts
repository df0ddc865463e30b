import { InvalidArgumentError, type Command } from 'commander';
import { loadOdooSettings, OdooClient, syncOdoo } from '@odoo-ce/connectors/odoo';
import { CliExit, type CliContext } from '../context.js';
import { formatTable } from '../format.js';
import { parsePositiveInt } from './query.js';

interface IngestOdooOptions {
  target?: string;
  dataDir?: string;
  models?: string[];
  pageSize?: number;
  concurrency?: number;
  overlap?: number;
  fullReconcile?: boolean;
  json?: boolean;
}

/**
 * `etl ingest odoo [--target t] [--data-dir d] [--models a,b] [--page-size n] [--concurrency n]
 * [--overlap s] [--full-reconcile] [--json]` — incremental sync of Odoo models into
 * `bronze.odoo.<model>` over the external API. Connection from ODOO_URL, ODOO_DB, ODOO_USERNAME,
 * ODOO_API_KEY and ODOO_PROTOCOL (jsonrpc|json2), validated before anything runs. Exit code 1
 * when any model failed (the others still complete).
 */
export function registerIngestOdooCommand(ingest: Command, ctx: CliContext): void {
  ingest
    .command('odoo')
    .description('sync Odoo models into bronze.odoo.<model> over the external API (incremental on write_date, id); settings from ODOO_URL, ODOO_DB, ODOO_USERNAME, ODOO_API_KEY, ODOO_PROTOCOL')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--models <list>', 'comma-separated Odoo models (default: the accounting, partner and payroll models the pipeline reads)', parseModels)
    .option('--page-size <n>', 'records per search_read page', parsePositiveInt('--page-size'), 500)
    .option('--concurrency <n>', 'models synced at the same time', parsePositiveInt('--concurrency'), 2)
    .option('--overlap <seconds>', 'rewind the watermark by this many seconds to catch late commits', parseNonNegativeInt('--overlap'), 600)
    .option('--full-reconcile', 'also compare every id with Odoo now and tombstone deleted records')
    .option('--json', 'print the per-model results as JSON')
    .action(async (opts: IngestOdooOptions) => {
      const settings = loadOdooSettings(ctx.env);
      const config = ctx.loadConfig(opts);
      const logger = ctx.logger(config, { source: 'odoo' });
      const client = new OdooClient({ ...settings, logger });
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const result = await syncOdoo(client, warehouse, {
          ...(opts.models ? { models: opts.models } : {}),
          pageSize: opts.pageSize ?? 500,
          concurrency: opts.concurrency ?? 2,
          overlapSeconds: opts.overlap ?? 600,
          fullReconcile: opts.fullReconcile === true,
          logger,
        });
        const rows = result.models.map((m) => ({
          model: m.model,
          status: m.status,
          mode: m.mode,
          rows_read: m.rowsRead,
          rows_written: m.rowsWritten,
          rejected: m.rejected.length,
          tombstones: m.tombstones,
          watermark: m.watermark ? `${m.watermark.writeDate} #${m.watermark.id}` : null,
          error: m.error ? `[${m.error.code}] ${m.error.message}` : null,
        }));
        if (opts.json) {
          ctx.print(JSON.stringify({ batch_id: result.batchId, ok: result.ok, requests: client.stats.requests, retries: client.stats.retries, models: rows }));
        } else {
          const columns = [
            { name: 'model', type: 'VARCHAR' }, { name: 'status', type: 'VARCHAR' }, { name: 'mode', type: 'VARCHAR' }, { name: 'rows_read', type: 'BIGINT' },
            { name: 'rows_written', type: 'BIGINT' }, { name: 'rejected', type: 'BIGINT' }, { name: 'tombstones', type: 'BIGINT' }, { name: 'watermark', type: 'VARCHAR' },
            { name: 'error', type: 'VARCHAR' },
          ];
          ctx.print(formatTable(columns, rows, 80));
        }
        if (!result.ok) {
          const failed = result.models.filter((m) => m.status === 'failed').map((m) => m.model);
          throw new CliExit(`odoo sync failed for ${failed.join(', ')} (the other models completed)`, 1);
        }
      } finally {
        await warehouse.close();
      }
    });
}

function parseModels(value: string): string[] {
  const models = value.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const bad = models.filter((m) => !/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/.test(m));
  if (models.length === 0 || bad.length > 0) throw new InvalidArgumentError(`--models must be a comma-separated list of Odoo model names such as account.move, got "${value}"`);
  return models;
}

function parseNonNegativeInt(option: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${option} must be a whole number of seconds, got "${value}"`);
    return Number(value);
  };
}
