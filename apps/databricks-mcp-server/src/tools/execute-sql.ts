import { z } from 'zod';
import { statementHash } from '../audit.js';
import type { ServerContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { McpToolError } from '../errors.js';
import { toJsonRow } from '../json-values.js';
import { defineTool } from '../tool.js';

const input = z
  .object({
    sql: z.string().min(1).max(100_000).describe('One read-only statement: SELECT, WITH, VALUES, DESCRIBE or SHOW. Three-part names (catalog.schema.table).'),
    limit: z.number().int().min(1).optional().describe('Rows per page (capped by the server).'),
    cursor: z.string().optional().describe('next_cursor from the previous page of the same statement.'),
    timeout_ms: z.number().int().min(100).optional().describe('Cancel the statement after this many ms (capped by the server).'),
  })
  .strict();

const output = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
  row_count: z.number().int(),
  truncated: z.boolean().describe('True when more rows exist; fetch them with next_cursor.'),
  next_cursor: z.string().optional(),
  tables: z.array(z.string()).describe('Tables the statement reads.'),
});

/**
 * `execute_sql`: the gate decides (one statement, read-only kinds, every table and function against
 * the caller's grants), then the statement is streamed and reading stops after one page: a huge
 * result is never materialised. Pages past the first re-run the statement and skip rows, so use an
 * ORDER BY for stable pages. The timeout and a client cancel both stop the statement on the engine.
 */
export function executeSqlTool(ctx: ServerContext) {
  return defineTool({
    name: 'execute_sql',
    title: 'Run a read-only SQL statement',
    description:
      'Runs one read-only SQL statement (SELECT/WITH/VALUES/DESCRIBE/SHOW) on the warehouse under your Unity Catalog grants. ' +
      `Returns at most ${ctx.limits.maxRows} rows per page with a truncated flag and next_cursor. Writes, DDL, file readers and tables you have no SELECT on are refused.`,
    input,
    output,
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      const hash = statementHash(args.sql);
      call.audit.statementSha256 = hash;
      const offset = decodeCursor(args.cursor, hash.slice(0, 16));
      const decision = await ctx.access.checkStatement(call.principal, args.sql);
      call.audit.tables = decision.tables;
      if (!decision.allowed) throw new McpToolError('REFUSED', decision.reason);

      const limit = Math.min(args.limit ?? ctx.limits.maxRows, ctx.limits.maxRows);
      const timeoutMs = Math.min(args.timeout_ms ?? ctx.limits.defaultTimeoutMs, ctx.limits.maxTimeoutMs);
      const rows: Record<string, unknown>[] = [];
      let skipped = 0;
      let more = false;
      let columns: string[] | undefined;
      if (decision.answer) {
        // Computed answers (SHOW/DESCRIBE on DuckDB) are small: page them in memory.
        const answer = await decision.answer({ signal: call.signal, timeoutMs });
        columns = answer.columns.map((c) => c.name);
        rows.push(...answer.rows.slice(offset, offset + limit).map((r) => toJsonRow(r as Record<string, unknown>)));
        more = answer.rows.length > offset + limit;
      } else {
        // Stop reading as soon as one row beyond the page has been seen: returning from the loop
        // closes the stream and releases the engine's result.
        reading: for await (const batch of ctx.warehouse.stream<Record<string, unknown>>(decision.sql, { signal: call.signal, timeoutMs, chunkSize: Math.min(offset + limit + 1, 10_000) })) {
          for (const row of batch) {
            if (skipped < offset) {
              skipped++;
              continue;
            }
            if (rows.length === limit) {
              more = true;
              break reading;
            }
            rows.push(toJsonRow(row));
          }
        }
      }
      if (columns === undefined && rows.length === 0) columns = await emptyResultColumns(ctx, decision.sql, { signal: call.signal, timeoutMs });
      call.audit.rows = rows.length;
      const data = {
        columns: columns ?? (rows[0] ? Object.keys(rows[0]) : []),
        rows,
        row_count: rows.length,
        truncated: more,
        ...(more ? { next_cursor: encodeCursor(hash.slice(0, 16), offset + rows.length) } : {}),
        tables: [...decision.tables],
      };
      return { data, summary: `${rows.length} row${rows.length === 1 ? '' : 's'}${more ? ' (truncated: more rows with next_cursor)' : ''}` };
    },
  });
}

/**
 * The columns of a result with no rows on this page: streamed rows carry their names, an empty page
 * has none. The same gated statement as a subquery with LIMIT 0 (it is exactly one statement, and
 * its comments are gone, so wrapping it cannot change what it reads).
 */
async function emptyResultColumns(ctx: ServerContext, sql: string, run: { signal: AbortSignal; timeoutMs: number }): Promise<string[]> {
  const { columns } = await ctx.warehouse.query(`SELECT * FROM (${sql.replace(/;\s*$/, '')}\n) AS empty_page LIMIT 0`, run);
  return columns.map((c) => c.name);
}
