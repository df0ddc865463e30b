import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatTable, rowsToJson } from '../format.js';

/** `etl query --target <t> [--json] "<sql>"` — one statement on the target's warehouse. */
export function registerQueryCommand(program: Command, ctx: CliContext): void {
  program
    .command('query')
    .description("run one SQL statement on the target's warehouse and print the rows")
    .argument('<sql>', 'the SQL statement (catalog placeholders like {{catalog.bronze}} are resolved for the target)')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--json', 'print the rows as a JSON array')
    .option('--timeout <ms>', 'cancel the query after this many milliseconds', parsePositiveInt('--timeout'))
    .action(async (sql: string, opts: { target?: string; dataDir?: string; json?: boolean; timeout?: number }) => {
      const warehouse = await ctx.openWarehouse(opts);
      try {
        const result = await warehouse.query(warehouse.render(sql), opts.timeout ? { timeoutMs: opts.timeout } : {});
        if (opts.json) ctx.print(rowsToJson(result.rows));
        else if (result.numAffectedRows !== undefined) ctx.print(`${result.numAffectedRows} row(s) affected`);
        else ctx.print(formatTable(result.columns, result.rows as Record<string, unknown>[]));
      } finally {
        await warehouse.close();
      }
    });
}

/** A commander parser for `--port`: 1–65535. */
export function parsePort(value: string): number {
  const port = parsePositiveInt('--port')(value);
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${value}`);
  return port;
}

/** A commander argument parser for a positive integer that names the option in its error. */
export function parsePositiveInt(option: string): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) <= 0) {
      throw new InvalidArgumentError(`${option} must be a positive whole number, got "${value}"`);
    }
    return Number(value);
  };
}
