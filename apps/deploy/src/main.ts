import { Command, CommanderError } from 'commander';
import { reportCliFailure } from '@odoo-ce/common';
import { registerBundleCommand } from './commands/bundle.js';
import { registerCatalogCommand } from './commands/catalog.js';
import { registerGrantsCommand } from './commands/grants.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerOpsCommands } from './commands/ops.js';
import { defaultContext, type DeployContext } from './context.js';

/** Exit codes of the CLI (also in `deploy --help` and CONTEXT.md). */
export const EXIT = { ok: 0, failure: 1, drift: 2, usage: 64 } as const;

const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   failure (invalid bundle, refused migration, failed smoke, stale grants.tf.json, …)
  2   drift: \`grants plan\` found changes to apply
  64  usage error (unknown command or option, missing or invalid argument; EX_USAGE)`;

/** Builds the `deploy` program; every command gets the same context. */
export function buildProgram(ctx: DeployContext, stderr: (text: string) => void): Command {
  const program = new Command('deploy')
    .configureOutput({ writeErr: stderr, writeOut: (t) => ctx.print(t.replace(/\n$/, '')) })
    .description('odoo-ce deployment: Databricks bundle validate/render, Unity Catalog catalogs and grants, migrations, smoke tests, cost')
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  registerBundleCommand(program, ctx);
  registerCatalogCommand(program, ctx);
  registerGrantsCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerOpsCommands(program, ctx);
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeErr: stderr, writeOut: (t) => ctx.print(t.replace(/\n$/, '')) });
    command.commands.forEach(exitOverride);
  };
  program.commands.forEach(exitOverride);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 ok, 1 failure, 2 drift (`grants plan`), 64 usage error
 * (EX_USAGE, so CI can tell drift from a typo in the command line). Failures print one line (`error: [CODE] message`) on stderr, never a stack trace (set
 * DEBUG=1 to see stacks).
 */
export async function main(argv: readonly string[], ctx: DeployContext = defaultContext(), stderr: (text: string) => void = (t) => void process.stderr.write(t)): Promise<number> {
  const program = buildProgram(ctx, stderr);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return reportCliFailure(error, stderr, ctx.env);
  }
}
