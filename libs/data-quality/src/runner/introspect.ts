import { compiledQuery, type ExecuteOptions, type QueryExecutor } from '@odoo-ce/warehouse';
import { categoryOf, type TableColumn } from '../compiler/column-types.js';

/**
 * The columns of a table as the engine reports them, from `SELECT * … LIMIT 0` (reads no rows;
 * same statement on every engine). Rejects when the table does not exist.
 */
export async function describeTable(executor: QueryExecutor, quotedTable: string, options: ExecuteOptions = {}): Promise<TableColumn[]> {
  const { columns } = await executor.query(compiledQuery(`SELECT * FROM ${quotedTable} LIMIT 0`), options);
  return columns.map((c) => Object.freeze({ name: c.name, type: c.type, category: categoryOf(c.type) }));
}
