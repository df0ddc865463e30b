import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, errorMessage, reportCliFailure, type Logger } from '@odoo-ce/common';
import { Warehouse } from '@odoo-ce/warehouse';
import { databricksDialect } from '@odoo-ce/warehouse/databricks';
import { parseTaskArgs } from './args.js';
import { connectionFromEnv } from './connection.js';
import { runTask } from './run-task.js';

/** Where a run's output goes (tests capture it). */
export interface MainIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * The suites directory when neither `--quality-dir` nor `ODOO_CE_QUALITY_DIR` names one: `quality/`
 * next to this module, i.e. next to runner.mjs inside the installed wheel.
 */
function defaultQualityDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'quality');
}

/**
 * The runner: `<entry point> --key=value …` → one task step against the target's SQL warehouse
 * through `@databricks/sql`. Returns the exit code: 0 ok, 1 the task failed (one line on stderr, no
 * stack unless DEBUG is set), 2 no credentials, 64 usage. Logs are pino JSON lines on stderr with
 * `event`, `job`/`task`, `run_id`, `target`; the last is `task.finished` with rows and seconds.
 */
export async function main(argv: readonly string[], io: MainIo = { env: process.env, stderr: process.stderr }): Promise<number> {
  const write = (text: string): void => void io.stderr.write(text);
  let warehouse: Warehouse | undefined;
  let logger: Logger | undefined;
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) / 10) / 100;
  try {
    const args = parseTaskArgs(argv);
    const connection = connectionFromEnv(io.env, args.warehouseId);
    const task = args.gate?.task ?? args.entryPoint;
    logger = createLogger({
      level: 'info',
      format: 'json',
      destination: io.stderr,
      base: { target: args.target, run_id: args.runId, ...(args.job ? { job: args.job } : {}), task, entry_point: args.entryPoint },
    });
    logger.info({ event: 'task.started', warehouse_id: args.warehouseId, layout: args.layout, ...(args.gate ? { table: args.gate.table } : {}), params: args.mlParams });
    warehouse = new Warehouse(databricksDialect(connection), { layout: args.layout });
    await warehouse.init();
    const qualityDir = args.qualityDir ?? io.env['ODOO_CE_QUALITY_DIR'] ?? defaultQualityDir();
    const summary = await runTask(warehouse, args, logger, qualityDir);
    const gate = summary.gate && 'source' in summary.gate ? { table: summary.gate.table, source_rows: summary.gate.source, target_rows: summary.gate.target, quarantined_rows: summary.gate.quarantined } : summary.gate;
    logger.info({ event: 'task.finished', status: 'succeeded', rows: summary.rows, seconds: elapsed(), ...(gate ? { gate } : {}) }, `${args.entryPoint} finished`);
    return 0;
  } catch (error) {
    logger?.error({ event: 'task.finished', status: 'failed', seconds: elapsed(), error: errorMessage(error) }, 'task failed');
    return reportCliFailure(error, write, io.env);
  } finally {
    await warehouse?.close().catch(() => undefined);
  }
}
