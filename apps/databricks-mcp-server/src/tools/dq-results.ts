import { securableInLayout } from '@odoo-ce/catalog';
import { readResults } from '@odoo-ce/data-quality';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { toJsonValue } from '../json-values.js';
import { defineTool } from '../tool.js';

const expectation = z.object({
  expectation: z.string(),
  type: z.string(),
  action: z.string(),
  success: z.boolean(),
  element_count: z.number().nullable(),
  unexpected_count: z.number().nullable(),
  unexpected_percent: z.number().nullable(),
});
const tableRun = z.object({ table: z.string(), suite: z.string(), run_id: z.string(), run_time: z.string(), success: z.boolean(), expectations: z.array(expectation) });

/**
 * `get_dq_results`: the latest data-quality run of each table from `<ops>.dq_results` (written by
 * `@odoo-ce/data-quality`), only for tables the caller may see. Counts and outcomes only: the
 * stored samples of unexpected values stay out, since they are row data.
 */
export function dqResultsTool(ctx: ServerContext) {
  return defineTool({
    name: 'get_dq_results',
    title: 'Latest data-quality results',
    description: 'The latest data-quality run per table (expectations, action, success, unexpected counts), for the tables you can see. Optionally one table (layer.schema.table, e.g. silver.scout.transactions).',
    input: z.object({ table: z.string().min(1).max(400).optional() }).strict(),
    output: z.object({ tables: z.array(tableRun) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      const rows = await readResults(ctx.warehouse, { latestPerTable: true, ...(args.table ? { table: args.table } : {}) }, { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs });
      if (rows.length === 0) return { data: { tables: [] }, summary: 'no data-quality results yet' };
      const byTable = new Map<string, z.infer<typeof tableRun>>();
      const visible = new Map<string, boolean>();
      for (const row of rows) {
        const name = row.table_name;
        if (!visible.has(name)) visible.set(name, await canSeeLogical(ctx, call.principal, name));
        if (!visible.get(name)) continue;
        const entry = byTable.get(name) ?? {
          table: name,
          suite: row.suite_name,
          run_id: row.run_id,
          run_time: String(toJsonValue(row.run_time)),
          success: true,
          expectations: [],
        };
        entry.success &&= row.success;
        entry.expectations.push({
          expectation: row.expectation_name,
          type: row.expectation_type,
          action: row.action,
          success: row.success,
          element_count: row.element_count,
          unexpected_count: row.unexpected_count,
          unexpected_percent: row.unexpected_percent,
        });
        byTable.set(name, entry);
      }
      const tables = [...byTable.values()];
      call.audit.tables = tables.map((t) => t.table);
      call.audit.rows = rows.length;
      const failing = tables.filter((t) => !t.success).length;
      return { data: { tables }, summary: `${tables.length} table${tables.length === 1 ? '' : 's'} with results, ${failing} failing` };
    },
  });
}

/** `silver.scout.transactions` (layer names) → the target's catalog, then the caller's grants. */
async function canSeeLogical(ctx: ServerContext, principal: string, logical: string): Promise<boolean> {
  const [catalog, schema, table] = securableInLayout({ type: 'TABLE', name: logical }, ctx.warehouse.layout).name.split('.');
  if (!catalog || !schema || !table) return false;
  return ctx.access.canSee(principal, { catalog, schema, table });
}
