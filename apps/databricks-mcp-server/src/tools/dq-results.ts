import { compiledQuery, LAYERS, opsTable, type Layer } from '@odoo-ce/warehouse';
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
      const { catalog, schema } = ctx.warehouse.layout.ops;
      const exists = await ctx.warehouse.query(
        compiledQuery("SELECT 1 AS x FROM system.information_schema.tables WHERE table_catalog = :c AND table_schema = :s AND table_name = 'dq_results'", { c: catalog, s: schema }),
        { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs },
      );
      if (exists.rows.length === 0) return { data: { tables: [] }, summary: 'no data-quality results yet' };
      const table = opsTable(ctx.warehouse, 'dq_results');
      const { rows } = await ctx.warehouse.query<Record<string, unknown>>(
        compiledQuery(
          `SELECT r.run_id, r.run_time, r.suite_name, r.table_name, r.expectation_name, r.expectation_type, r.action, r.success, r.element_count, r.unexpected_count, r.unexpected_percent ` +
            `FROM ${table} r JOIN (SELECT table_name, max(run_time) AS latest FROM ${table} ${args.table ? 'WHERE table_name = :t ' : ''}GROUP BY table_name) l ` +
            `ON r.table_name = l.table_name AND r.run_time = l.latest ORDER BY r.table_name, r.expectation_name`,
          args.table ? { t: args.table } : {},
        ),
        { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs },
      );
      const byTable = new Map<string, z.infer<typeof tableRun>>();
      const visible = new Map<string, boolean>();
      for (const row of rows) {
        const name = String(row['table_name']);
        if (!visible.has(name)) visible.set(name, await canSeeLogical(ctx, call.principal, name));
        if (!visible.get(name)) continue;
        const entry = byTable.get(name) ?? {
          table: name,
          suite: String(row['suite_name']),
          run_id: String(row['run_id']),
          run_time: String(toJsonValue(row['run_time'])),
          success: true,
          expectations: [],
        };
        const success = row['success'] === true;
        entry.success &&= success;
        entry.expectations.push({
          expectation: String(row['expectation_name']),
          type: String(row['expectation_type']),
          action: String(row['action']),
          success,
          element_count: num(row['element_count']),
          unexpected_count: num(row['unexpected_count']),
          unexpected_percent: num(row['unexpected_percent']),
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

function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** `silver.scout.transactions` (layer names) → the target's catalog, then the caller's grants. */
async function canSeeLogical(ctx: ServerContext, principal: string, logical: string): Promise<boolean> {
  const [layer, schema, table] = logical.split('.');
  if (!layer || !schema || !table) return false;
  const catalog = (LAYERS as readonly string[]).includes(layer) ? ctx.warehouse.layout.catalogs[layer as Layer] : layer;
  return ctx.access.canSee(principal, { catalog, schema, table });
}
