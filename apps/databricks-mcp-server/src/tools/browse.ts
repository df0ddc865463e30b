import { compiledQuery, LAYERS } from '@odoo-ce/warehouse';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { McpToolError } from '../errors.js';
import { defineTool, type ToolCall } from '../tool.js';

const name = z.string().min(1).max(255).regex(/^[A-Za-z0-9_-]+$/, 'a catalog, schema or table name: letters, digits, _ and -');
const PAGE = 200;

/**
 * The browse tools read `system.information_schema` (the same views on DuckDB and on Databricks)
 * with the names as parameters, and show only what the caller may see: a securable the caller has
 * no privilege on, directly or below it, is absent — as if it did not exist.
 */
export function browseTools(ctx: ServerContext) {
  const listCatalogs = defineTool({
    name: 'list_catalogs',
    title: 'List catalogs',
    description: 'Lists the catalogs of this target that you can see (bronze, silver, gold, platinum, sandbox with their per-target names).',
    input: z.object({}).strict(),
    output: z.object({ catalogs: z.array(z.object({ name: z.string(), layer: z.string() })) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(_args, call) {
      const all = LAYERS.map((layer) => ({ name: ctx.warehouse.layout.catalogs[layer], layer }));
      const catalogs = [];
      for (const c of all) if (await ctx.access.canSee(call.principal, { catalog: c.name })) catalogs.push(c);
      return { data: { catalogs }, summary: `${catalogs.length} catalog${catalogs.length === 1 ? '' : 's'}` };
    },
  });

  const listSchemas = defineTool({
    name: 'list_schemas',
    title: 'List schemas of a catalog',
    description: 'Lists the schemas of one catalog that you can see.',
    input: z.object({ catalog: name }).strict(),
    output: z.object({ catalog: z.string(), schemas: z.array(z.string()) }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      await requireVisible(ctx, call, { catalog: args.catalog }, `catalog ${args.catalog}`);
      const { rows } = await ctx.warehouse.query<{ schema_name: string }>(
        compiledQuery(
          "SELECT schema_name FROM system.information_schema.schemata WHERE catalog_name = :catalog AND schema_name NOT IN ('information_schema', 'main', 'default') ORDER BY schema_name",
          { catalog: args.catalog },
        ),
        { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs },
      );
      const schemas = [];
      for (const r of rows) if (await ctx.access.canSee(call.principal, { catalog: args.catalog, schema: r.schema_name })) schemas.push(r.schema_name);
      return { data: { catalog: args.catalog, schemas }, summary: `${schemas.length} schema${schemas.length === 1 ? '' : 's'} in ${args.catalog}` };
    },
  });

  const listTables = defineTool({
    name: 'list_tables',
    title: 'List tables of a schema',
    description: `Lists the tables and views of one schema that you can see, ${PAGE} per page (next_cursor for more).`,
    input: z.object({ catalog: name, schema: name, cursor: z.string().optional() }).strict(),
    output: z.object({
      catalog: z.string(),
      schema: z.string(),
      tables: z.array(z.object({ name: z.string(), full_name: z.string(), type: z.string() })),
      next_cursor: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      await requireVisible(ctx, call, { catalog: args.catalog, schema: args.schema }, `schema ${args.catalog}.${args.schema}`);
      const key = `tables:${args.catalog}.${args.schema}`;
      const offset = decodeCursor(args.cursor, key);
      const { rows } = await ctx.warehouse.query<{ table_name: string; table_type: string }>(
        compiledQuery('SELECT table_name, table_type FROM system.information_schema.tables WHERE table_catalog = :catalog AND table_schema = :schema ORDER BY table_name', {
          catalog: args.catalog,
          schema: args.schema,
        }),
        { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs },
      );
      const visible = [];
      for (const r of rows) {
        if (await ctx.access.canSee(call.principal, { catalog: args.catalog, schema: args.schema, table: r.table_name })) {
          visible.push({ name: r.table_name, full_name: `${args.catalog}.${args.schema}.${r.table_name}`, type: r.table_type.includes('VIEW') ? 'VIEW' : 'TABLE' });
        }
      }
      const tables = visible.slice(offset, offset + PAGE);
      const more = offset + PAGE < visible.length;
      return {
        data: { catalog: args.catalog, schema: args.schema, tables, ...(more ? { next_cursor: encodeCursor(key, offset + PAGE) } : {}) },
        summary: `${tables.length} table${tables.length === 1 ? '' : 's'} in ${args.catalog}.${args.schema}${more ? ' (more with next_cursor)' : ''}`,
      };
    },
  });

  const describeTable = defineTool({
    name: 'describe_table',
    title: 'Describe a table',
    description: 'Columns (name, type, nullable) of one table or view you can see, by its three-part name catalog.schema.table.',
    input: z.object({ table: z.string().min(1).max(800).describe('catalog.schema.table') }).strict(),
    output: z.object({
      table: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean() })),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      const parts = args.table.split('.');
      if (parts.length !== 3 || parts.some((p) => !name.safeParse(p).success)) {
        throw new McpToolError('INVALID_ARGUMENT', `table: expected a three-part name catalog.schema.table (letters, digits, _ and -), got ${JSON.stringify(args.table)}`);
      }
      const [catalog, schema, table] = parts as [string, string, string];
      call.audit.tables = [args.table];
      await requireVisible(ctx, call, { catalog, schema, table }, `table ${args.table}`);
      const { rows } = await ctx.warehouse.query<{ column_name: string; data_type: string; is_nullable: string }>(
        compiledQuery(
          'SELECT column_name, data_type, is_nullable FROM system.information_schema.columns WHERE table_catalog = :catalog AND table_schema = :schema AND table_name = :table ORDER BY ordinal_position',
          { catalog, schema, table },
        ),
        { signal: call.signal, timeoutMs: ctx.limits.defaultTimeoutMs },
      );
      if (rows.length === 0) throw notFound(`table ${args.table}`);
      const columns = rows.map((r) => ({ name: r.column_name, type: r.data_type, nullable: r.is_nullable === 'YES' }));
      return { data: { table: args.table, columns }, summary: `${args.table}: ${columns.length} column${columns.length === 1 ? '' : 's'}` };
    },
  });

  return [listCatalogs, listSchemas, listTables, describeTable] as const;
}

function notFound(what: string): McpToolError {
  return new McpToolError('NOT_FOUND', `${what} does not exist or you have no privilege on it`);
}

/** One message for "absent" and "not yours", so an agent cannot probe for names it may not see. */
async function requireVisible(ctx: ServerContext, call: ToolCall, securable: { catalog: string; schema?: string; table?: string }, what: string): Promise<void> {
  if (!(await ctx.access.canSee(call.principal, securable))) throw notFound(what);
}
