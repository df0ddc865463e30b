import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { TargetConfig } from '@odoo-ce/common';
import { CliExit, type CliContext } from '../context.js';
import { DASHBOARD_TARGETS, staleDashboards, writeDashboards } from '../report/dashboards.js';
import { isIsoDate } from '../report/format.js';
import { writeReport } from '../report/report.js';

interface ReportOptions {
  readonly target?: string;
  readonly dataDir?: string;
  readonly out?: string;
  readonly asOf?: string;
}

/** A commander parser for `--as-of`: a real calendar date written YYYY-MM-DD. */
function parseAsOf(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError(`--as-of must be a date written YYYY-MM-DD, e.g. 2026-01-20; got "${value}"`);
  return value;
}

/** `DuckDB · .data/local` or `Databricks SQL · host/sql/1.0/warehouses/abc`. */
function describeWarehouse(target: TargetConfig): string {
  const w = target.warehouse;
  return w.engine === 'duckdb' ? `DuckDB · ${w.dataDir}` : `Databricks SQL · ${w.host}${w.httpPath}`;
}

/**
 * `etl report [--target t] [--data-dir d] [--out file.html] [--as-of YYYY-MM-DD]` — writes the HTML
 * report of the target (executive summary, BIR compliance with filing status on the as-of date,
 * Scout expenses, data quality and the latest job runs) and prints the file's path.
 *
 * `etl report dashboards [--target t] [--check]` — generates the Lakeview dashboards
 * (databricks/dashboards/<target>/*.lvdash.json) from the same analytics queries for the bundle
 * targets (default: dev, staging and prod) and prints the paths; with `--check` writes nothing and
 * fails (exit 1) when a committed file is out of date.
 *
 * Exit codes: 0 ok; 1 stale dashboards (`--check`) or an engine error; 2 bad input.
 */
export function registerReportCommand(program: Command, ctx: CliContext): void {
  const report = program
    .command('report')
    .description('write the HTML report of a target: executive summary, BIR filing status, Scout expenses, data quality, latest runs')
    .option('-t, --target <target>', 'target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--out <file>', 'the HTML file to write (default: report.html in the current directory)')
    .option('--as-of <date>', 'as-of date of the BIR filing status, YYYY-MM-DD (default: today in Asia/Manila)', parseAsOf)
    .action(async (opts: ReportOptions) => {
      const target = { ...(opts.target !== undefined ? { target: opts.target } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) };
      const config = ctx.loadConfig(target);
      const warehouse = await ctx.openWarehouse(target);
      let path: string;
      try {
        path = await writeReport(warehouse, {
          out: resolve(ctx.cwd, opts.out ?? 'report.html'),
          ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
          runInfo: { target: config.target.name, warehouse: describeWarehouse(config.target) },
          onProblems: (problems) => {
            const log = ctx.logger(config, { command: 'report' });
            for (const p of problems) log.warn({ event: 'report.query_failed', query: p.query, error: p.message }, `report section left empty: ${p.query} failed`);
          },
        });
      } finally {
        await warehouse.close();
      }
      ctx.print(path);
    });

  report
    .command('dashboards')
    .description('generate the Lakeview dashboards (databricks/dashboards/<target>/*.lvdash.json) from the analytics queries')
    .option('-t, --target <target>', `bundle target: ${DASHBOARD_TARGETS.join(', ')} (default: all of them)`)
    .option('--check', 'write nothing; fail when a committed dashboard differs from a freshly generated one')
    .action(async (_opts: unknown, command: Command) => {
      // --target may be parsed by `report` itself when it follows the subcommand: read both levels.
      const opts = command.optsWithGlobals<{ target?: string; check?: boolean }>();
      if (opts.target !== undefined && !(DASHBOARD_TARGETS as readonly string[]).includes(opts.target)) {
        throw new CliExit(`--target "${opts.target}" has no dashboards; expected one of ${DASHBOARD_TARGETS.join(', ')}`, 2);
      }
      const targets = opts.target !== undefined ? [opts.target] : DASHBOARD_TARGETS;
      if (opts.check) {
        const stale = await staleDashboards({ targets });
        if (stale.length > 0) throw new CliExit(`dashboards out of date (run: npx etl report dashboards): ${stale.join(', ')}`, 1);
        ctx.print(`dashboards up to date for ${targets.join(', ')}`);
        return;
      }
      for (const path of await writeDashboards({ targets })) ctx.print(path);
    });
}
