import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { loadBundle } from '@odoo-ce/bundle';
import { CliExit, type DeployContext } from '../context.js';
import { billedCost, estimateCost, WAREHOUSE_DBU_PER_HOUR } from '../ops/cost.js';
import { smoke, smokeDeployedJob } from '../ops/smoke.js';
import { DEPLOY_TARGETS, targetOption } from './options.js';

const positiveNumber = (option: string) => (value: string) => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0) throw new InvalidArgumentError(`${option} must be a positive number, got "${value}"`);
  return n;
};

/** `deploy smoke` and `deploy cost`. */
export function registerOpsCommands(program: Command, ctx: DeployContext): void {
  const bundleRoot = join(ctx.repoRoot, 'databricks', 'bundles');
  targetOption(program.command('smoke'), true)
    .description(
      "run a small job, then check (read-only) that its gold tables have rows and that this run's data-quality results passed; on Databricks targets the deployed job is triggered through the Jobs API and awaited, on local the runner executes it",
    )
    .option('--job <job>', 'the job to run', 'scout_daily_sync')
    .option('--job-name <name>', "Databricks: the deployed job's name (default: the bundle job's name for the target; development mode prefixes it with [dev <user>])")
    .option('--poll-interval <seconds>', 'Databricks: seconds between two runs/get polls', positiveNumber('--poll-interval'), 10)
    .option('--timeout <minutes>', "Databricks: give up waiting after this many minutes (default: the job's timeout_seconds)", positiveNumber('--timeout'))
    .option('--bundle <dir>', `bundle root (default: ${bundleRoot})`)
    .option('--bundle-target <name>', 'bundle target for variables (default: the target; dev for local)')
    .option('--quality <dir>', 'expectation suites (default: databricks/quality)')
    .option('--data-dir <dir>', 'DuckDB data directory for the local target')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { target: string; job: string; jobName?: string; pollInterval: number; timeout?: number; bundle?: string; bundleTarget?: string; quality?: string; dataDir?: string; json?: boolean }) => {
      const bundleTarget = opts.bundleTarget ?? (DEPLOY_TARGETS.includes(opts.target) ? opts.target : 'dev');
      const bundle = await loadBundle(opts.bundle ?? bundleRoot, { target: bundleTarget, env: ctx.env });
      const remote = ctx.loadConfig(opts.target, opts.dataDir).target.warehouse.engine === 'databricks';
      const jobs = remote ? await ctx.jobsApi() : undefined;
      const warehouse = await ctx.openWarehouse(opts.target, opts.dataDir);
      try {
        const result = jobs
          ? await smokeDeployedJob(warehouse, bundle, opts.job, jobs, opts.target, {
              pollMs: opts.pollInterval * 1000,
              ...(opts.jobName ? { jobName: opts.jobName } : {}),
              ...(opts.timeout ? { timeoutMs: opts.timeout * 60_000 } : {}),
            })
          : await smoke(warehouse, bundle, opts.job, opts.quality ?? join(ctx.repoRoot, 'databricks', 'quality'), opts.target);
        if (opts.json) ctx.print(JSON.stringify(result, null, 2));
        else {
          ctx.print(`job ${result.job}: ${result.jobStatus} (run ${result.runId}, ${result.via === 'jobs-api' ? 'deployed job via the Jobs API' : 'local runner'})`);
          for (const t of result.goldTables) ctx.print(`  ${t.rows > 0 ? 'ok  ' : 'EMPTY'} ${t.table}: ${t.rows} rows`);
          ctx.print(`  data quality of run ${result.dq.runId}: ${result.dq.expectations} expectations, ${result.dq.failed.length} failed`);
        }
        if (!result.ok) throw new CliExit(`[SMOKE_FAILED] smoke test on ${opts.target}: ${result.problems.join('; ')}`, 1);
      } finally {
        await warehouse.close();
      }
    });

  targetOption(program.command('cost'), true)
    .description('estimated cost per job from <ops>.job_runs (run hours × warehouse DBU/h × DBU price); --billing reads system.billing.usage on Databricks')
    .option('--days <n>', 'look back this many days', positiveNumber('--days'), 30)
    .option('--warehouse-size <size>', `SQL warehouse size: ${Object.keys(WAREHOUSE_DBU_PER_HOUR).join(', ')}`, '2X-Small')
    .option('--dbu-price <price>', 'price of one DBU (default: 0.70, a Serverless SQL list price; use your contract rate)', positiveNumber('--dbu-price'), 0.7)
    .option('--billing', 'Databricks only: what was billed, from system.billing.usage (databricks/config/cost/billing_usage_by_job.sql)')
    .option('--data-dir <dir>', 'DuckDB data directory for the local target')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { target: string; days: number; warehouseSize: string; dbuPrice: number; billing?: boolean; dataDir?: string; json?: boolean }) => {
      const config = ctx.loadConfig(opts.target, opts.dataDir);
      if (opts.billing && config.target.warehouse.engine !== 'databricks') throw new CliExit(`--billing needs a Databricks target; ${opts.target} runs on ${config.target.warehouse.engine}`, 1);
      const warehouse = await ctx.openWarehouse(opts.target, opts.dataDir);
      try {
        if (opts.billing) {
          const rows = await billedCost(warehouse, join(ctx.repoRoot, 'databricks', 'config', 'cost', 'billing_usage_by_job.sql'), opts.days);
          ctx.print(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
          return;
        }
        const estimate = await estimateCost(warehouse, opts.target, { sinceDays: opts.days, warehouseSize: opts.warehouseSize, dbuPrice: opts.dbuPrice });
        if (opts.json) {
          ctx.print(JSON.stringify(estimate, null, 2));
          return;
        }
        ctx.print(`estimated cost on ${estimate.target}, last ${estimate.sinceDays} days (${estimate.warehouseSize}: ${WAREHOUSE_DBU_PER_HOUR[estimate.warehouseSize]} DBU/h × ${estimate.dbuPrice} per DBU)`);
        for (const j of estimate.jobs) ctx.print(`  ${j.job.padEnd(24)} ${String(j.runs).padStart(5)} runs ${j.hours.toFixed(2).padStart(8)} h ${j.dbus.toFixed(2).padStart(9)} DBU ${j.cost.toFixed(2).padStart(10)}`);
        ctx.print(`  ${'total'.padEnd(24)} ${estimate.total.toFixed(2).padStart(46)}`);
      } finally {
        await warehouse.close();
      }
    });
}
