import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { reportCliFailure } from '@odoo-ce/common';
import { registerBirCommand } from './commands/bir.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDqCommand } from './commands/dq.js';
import { registerGrantsCommand } from './commands/grants.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerPredictCommand } from './commands/predict.js';
import { mlTaskHandlers } from '@odoo-ce/ml';
import { registerQueryCommand } from './commands/query.js';
import { registerReportCommand } from './commands/report.js';
import { registerRunCommand } from './commands/run.js';
import { registerStatusCommand } from './commands/status.js';
import { registerWarehouseCommand } from './commands/warehouse.js';
import { registerWebhooksCommand } from './commands/webhooks.js';
import { defaultContext, type CliContext } from './context.js';
import { runNotifier } from './notifications.js';
import { loadSuites, qualityGates } from '@odoo-ce/data-quality';

/** The repository root (apps/etl/src or apps/etl/dist → ../../..): databricks/ lives there. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds the `etl` program; every command gets the same context. */
export function buildProgram(ctx: CliContext, stderr: (text: string) => void): Command {
  const program = new Command('etl')
    .configureOutput({ writeErr: stderr })
    .description('odoo-ce data platform: Odoo CE + Scout + n8n → bronze/silver/gold/platinum on DuckDB or Databricks')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerDemoCommand(program, ctx, REPO_ROOT);
  registerQueryCommand(program, ctx);
  registerIngestCommand(program, ctx);
  registerRunCommand(program, {
    bundleRoot: join(REPO_ROOT, 'databricks', 'bundles'),
    env: ctx.env,
    ...(ctx.progressStream ? { progressStream: ctx.progressStream } : {}),
    openWarehouse: (o) => ctx.openWarehouse(o),
    print: (t) => ctx.print(t),
    logger: (base, minLevel) => {
      const config = ctx.loadConfig({});
      return ctx.logger(minLevel ? { ...config, log: { ...config.log, level: minLevel } } : config, base);
    },
    afterTask: (warehouse) => {
      const suites = loadSuites(join(REPO_ROOT, 'databricks', 'quality'));
      return async (context) => qualityGates(warehouse, await suites)(context);
    },
    taskHandlers: (logger) => mlTaskHandlers(logger),
    notifier: (warehouse, logger) => runNotifier(ctx.env, warehouse, logger),
  });
  registerStatusCommand(program, ctx);
  registerDqCommand(program, ctx);
  registerGrantsCommand(program, ctx);
  registerBirCommand(program, ctx);
  registerPredictCommand(program, ctx);
  registerReportCommand(program, ctx);
  registerWarehouseCommand(program, ctx);
  registerWebhooksCommand(program, ctx);
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
    return reportCliFailure(error, stderr, ctx.env);
  }
}
