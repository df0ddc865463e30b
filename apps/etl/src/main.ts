import { Command, CommanderError } from 'commander';
import { errorMessage } from '@odoo-ce/common';
import { registerDemoCommand } from './commands/demo.js';
import { registerQueryCommand } from './commands/query.js';
import { registerWarehouseCommand } from './commands/warehouse.js';
import { CliExit, defaultContext, type CliContext } from './context.js';

/** Builds the `etl` program; every command gets the same context. */
export function buildProgram(ctx: CliContext, stderr: (text: string) => void): Command {
  const program = new Command('etl')
    .configureOutput({ writeErr: stderr })
    .description('odoo-ce data platform: Odoo CE + Scout + n8n → bronze/silver/gold/platinum on DuckDB or Databricks')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerQueryCommand(program, ctx);
  registerWarehouseCommand(program, ctx);
  registerDemoCommand(program, ctx);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * Runs the CLI and returns the exit code. User mistakes and engine errors print one line
 * (`error: [CODE] message`) on stderr — never a stack trace; set DEBUG=1 to see stacks.
 */
export async function main(argv: readonly string[], ctx: CliContext = defaultContext(), stderr: (text: string) => void = (t) => void process.stderr.write(t)): Promise<number> {
  const program = buildProgram(ctx, stderr);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliExit) {
      if (error.message) stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    stderr(`error: ${errorMessage(error)}\n`);
    if (ctx.env['DEBUG'] && error instanceof Error && error.stack) stderr(`${error.stack}\n`);
    return 1;
  }
}
