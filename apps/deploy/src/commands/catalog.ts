import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPolicy } from '@odoo-ce/catalog';
import type { DeployContext } from '../context.js';
import { applyCatalogPlan, formatCatalogPlan, planCatalogs } from '../catalog/catalog-plan.js';
import { targetOption } from './options.js';

/** `deploy catalog plan|apply -t <target>` — the catalogs and schemas of databricks/catalog/catalogs.yml, idempotently. */
export function registerCatalogCommand(program: Command, ctx: DeployContext): void {
  const catalog = program.command('catalog').description('Unity Catalog catalogs and schemas of databricks/catalog/catalogs.yml under the target\'s names');
  const defaultPolicy = join(ctx.repoRoot, 'databricks', 'catalog');
  for (const action of ['plan', 'apply'] as const) {
    targetOption(catalog.command(action), true)
      .description(action === 'plan' ? 'show the catalogs and schemas the target lacks' : 'create the catalogs and schemas the target lacks (CREATE … IF NOT EXISTS with comments); never drops anything')
      .option('--policy <dir>', `policy directory (default: ${defaultPolicy})`)
      .option('--data-dir <dir>', 'DuckDB data directory for the local target')
      .option('--json', 'print the plan as JSON')
      .action(async (opts: { target: string; policy?: string; dataDir?: string; json?: boolean }) => {
        const policy = await loadPolicy(opts.policy ?? defaultPolicy);
        const warehouse = await ctx.openWarehouse(opts.target, opts.dataDir);
        try {
          const plan = await planCatalogs(warehouse, policy.catalogs, warehouse.layout);
          if (action === 'apply') await applyCatalogPlan(warehouse, plan);
          if (opts.json) ctx.print(JSON.stringify({ target: opts.target, applied: action === 'apply', ...plan }, null, 2));
          else ctx.print(action === 'apply' && plan.create.length > 0 ? `${formatCatalogPlan(plan, opts.target)}\nApplied: ${plan.create.length} created.` : formatCatalogPlan(plan, opts.target));
        } finally {
          await warehouse.close();
        }
      });
  }
}
