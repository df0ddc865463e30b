import { join } from 'node:path';
import type { Command } from 'commander';
import type { DeployContext } from '../context.js';
import { migrate } from '../migrate/migrations.js';
import { targetOption } from './options.js';

/** `deploy migrate -t <target> [--dry-run]` — numbered SQL migrations with a ledger in the ops schema. */
export function registerMigrateCommand(program: Command, ctx: DeployContext): void {
  const defaultDir = join(ctx.repoRoot, 'databricks', 'migrations');
  targetOption(program.command('migrate'), true)
    .description("apply databricks/migrations/NNN_*.sql not yet in the target's ledger (<ops>.schema_migrations), in order; refuses when an applied file changed")
    .option('--dry-run', 'list the pending migrations without running them')
    .option('--dir <dir>', `migrations directory (default: ${defaultDir})`)
    .option('--data-dir <dir>', 'DuckDB data directory for the local target')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { target: string; dryRun?: boolean; dir?: string; dataDir?: string; json?: boolean }) => {
      const warehouse = await ctx.openWarehouse(opts.target, opts.dataDir);
      try {
        const result = await migrate(warehouse, opts.dir ?? defaultDir, { dryRun: opts.dryRun === true });
        if (opts.json) {
          ctx.print(JSON.stringify({ target: opts.target, dryRun: opts.dryRun === true, ...result }, null, 2));
          return;
        }
        const list = opts.dryRun ? result.pending : result.applied;
        if (list.length === 0) ctx.print(`target ${opts.target}: migrations up to date`);
        for (const m of list) ctx.print(`${opts.dryRun ? 'pending' : 'applied'} ${m.file} (${m.statements} statement${m.statements === 1 ? '' : 's'}${m.transactional ? ', one transaction' : ''})`);
      } finally {
        await warehouse.close();
      }
    });
}
