import type { Command } from 'commander';
import { ingestDirectory } from '@odoo-ce/connectors/files';
import type { CliContext } from '../context.js';
import { formatTable } from '../format.js';
import { registerIngestOdooCommand } from './ingest-odoo.js';
import { registerIngestSupabaseCommand } from './ingest-supabase.js';
import { registerIngestWebhooksCommand } from './webhooks.js';

/** `etl ingest files|odoo|supabase|webhooks` — source data → bronze; `files <dir>`: exports (NDJSON/CSV/Parquet), skipping files already ingested. */
export function registerIngestCommand(program: Command, ctx: CliContext): void {
  const ingest = program.command('ingest').description('load source data into bronze');
  ingest
    .command('files')
    .description('ingest an export directory (odoo/<model>.ndjson, scout/<table>.ndjson, …) into bronze; files already ingested (same content) are skipped')
    .argument('<dir>', 'the export directory')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--source <name>', 'value of the _source lineage column', 'google_drive_exports')
    .option('--json', 'print the results as JSON')
    .action(async (dir: string, opts: { target?: string; dataDir?: string; source: string; json?: boolean }) => {
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const results = await ingestDirectory(warehouse, dir, { source: opts.source });
        if (opts.json) {
          ctx.print(JSON.stringify(results.map(({ file, table, status, rows, batchId }) => ({ file, table, status, rows, batch_id: batchId }))));
        } else {
          const rows = results.map((r) => ({ table: r.table, status: r.status, rows: r.rows, file: r.file }));
          ctx.print(formatTable([{ name: 'table', type: 'VARCHAR' }, { name: 'status', type: 'VARCHAR' }, { name: 'rows', type: 'BIGINT' }, { name: 'file', type: 'VARCHAR' }], rows, 80));
        }
      } finally {
        await warehouse.close();
      }
    });
  registerIngestOdooCommand(ingest, ctx);
  registerIngestSupabaseCommand(ingest, ctx);
  registerIngestWebhooksCommand(ingest, ctx);
}
