import { createLogger, loadConfig, type Logger, type PlatformConfig } from '@odoo-ce/common';
import { openWarehouse, type Warehouse } from '@odoo-ce/warehouse';

/** Options every command that touches a target accepts. */
export interface TargetOptions {
  readonly target?: string;
  readonly dataDir?: string;
}

/** What commands need from the outside world; tests pass their own. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Command output (tables, JSON). Logs go to stderr through the logger. */
  print(text: string): void;
  loadConfig(options: TargetOptions): PlatformConfig;
  openWarehouse(options: TargetOptions): Promise<Warehouse>;
  logger(config: PlatformConfig, base?: Record<string, unknown>): Logger;
  /** Where long commands draw a task list (a terminal); absent → structured logs only. */
  readonly progressStream?: NodeJS.WriteStream;
}

/** Commands fail with {@link CliExit} (one line, own exit code); it lives in @odoo-ce/common. */
export { CliExit } from '@odoo-ce/common';

export function defaultContext(overrides: Partial<Pick<CliContext, 'env' | 'cwd' | 'print'>> = {}): CliContext {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  const ctx: CliContext = {
    env,
    cwd,
    print: overrides.print ?? ((text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)),
    loadConfig: (o) => loadConfig({ env, cwd, ...(o.target !== undefined ? { target: o.target } : {}), ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}) }),
    openWarehouse: async (o) => openWarehouse(ctx.loadConfig(o).target),
    logger: (config, base = {}) => createLogger({ ...config.log, base: { target: config.target.name, ...base } }),
    ...(process.stderr.isTTY && !env['CI'] ? { progressStream: process.stderr } : {}),
  };
  return ctx;
}
