import { InvalidArgumentError, type Command } from 'commander';
import { loadSupabaseSettings, syncSupabaseTransactions } from '@odoo-ce/connectors/supabase';
import type { CliContext } from '../context.js';
import { formatTable } from '../format.js';
import { parsePositiveInt } from './query.js';

interface IngestSupabaseOptions {
  target?: string;
  dataDir?: string;
  pageSize?: number;
  overlap?: number;
  table?: string;
  json?: boolean;
}

/**
 * `etl ingest supabase [--target t] [--data-dir d] [--page-size n] [--overlap s] [--table s.t]
 * [--json]` — incremental sync of Scout transactions from Supabase's Postgres into
 * `bronze.scout.transactions` (keyset on updated_at, id). Connection from SUPABASE_DB_URL
 * (+ SUPABASE_DB_SSL, SUPABASE_DB_CA_CERT_FILE), validated before anything runs; the password is
 * never printed or logged.
 */
export function registerIngestSupabaseCommand(ingest: Command, ctx: CliContext): void {
  ingest
    .command('supabase')
    .description('sync Scout transactions from Supabase Postgres into bronze.scout.transactions (incremental on updated_at, id); settings from SUPABASE_DB_URL, SUPABASE_DB_SSL, SUPABASE_DB_CA_CERT_FILE')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--page-size <n>', 'rows per page', parsePositiveInt('--page-size'), 1000)
    .option('--overlap <seconds>', 'rewind the watermark by this many seconds to catch late commits', parseSeconds, 600)
    .option('--table <schema.table>', 'source table', parseTable, 'scout.transactions')
    .option('--json', 'print the result as JSON')
    .action(async (opts: IngestSupabaseOptions) => {
      const settings = loadSupabaseSettings(ctx.env);
      const config = ctx.loadConfig(opts);
      const logger = ctx.logger(config, { source: 'supabase' });
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const r = await syncSupabaseTransactions(settings, warehouse, {
          pageSize: opts.pageSize ?? 1000,
          overlapSeconds: opts.overlap ?? 600,
          table: opts.table ?? 'scout.transactions',
          logger,
        });
        const row = {
          table: r.table,
          mode: r.mode,
          pages: r.pages,
          rows_read: r.rowsRead,
          rows_written: r.rowsWritten,
          watermark: r.watermark ? `${r.watermark.updatedAt} #${r.watermark.id}` : null,
        };
        if (opts.json) {
          ctx.print(JSON.stringify({ batch_id: r.batchId, ...row }));
        } else {
          const columns = [
            { name: 'table', type: 'VARCHAR' }, { name: 'mode', type: 'VARCHAR' }, { name: 'pages', type: 'BIGINT' }, { name: 'rows_read', type: 'BIGINT' },
            { name: 'rows_written', type: 'BIGINT' }, { name: 'watermark', type: 'VARCHAR' },
          ];
          ctx.print(formatTable(columns, [row], 80));
        }
      } finally {
        await warehouse.close();
      }
    });
}

function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`--overlap must be a whole number of seconds, got "${value}"`);
  return Number(value);
}

function parseTable(value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/.test(value)) throw new InvalidArgumentError(`--table must be schema.table, got "${value}"`);
  return value;
}
