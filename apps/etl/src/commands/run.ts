import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { BundleError, loadBundle, runJob, type Bundle, type RunEvent, type RunJobOptions, type RunLogger, type RunSummary } from '@odoo-ce/bundle';
import type { Warehouse } from '@odoo-ce/warehouse';
import { formatTable } from '../format.js';
import type { RunNotifier } from '../notifications.js';
import { TaskListProgress } from '../progress.js';
import { parsePositiveInt } from './query.js';

/** What `etl run` and `etl status` need from the outside world (the CLI context provides it; tests pass their own). */
export interface RunCliDeps {
  /** The bundle root: the directory holding databricks.yml (`--bundle` overrides it). */
  readonly bundleRoot: string;
  /** Where `BUNDLE_VAR_<name>` and `ETL_TARGET` are read from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Opens the warehouse of a platform target (local, dev, staging, prod). */
  openWarehouse(options: { readonly target?: string; readonly dataDir?: string }): Promise<Warehouse>;
  /** Command output (tables, JSON); logs go elsewhere. */
  print(text: string): void;
  /** Structured run logs (a pino logger fits), at `minLevel` or above when given; default: none. */
  logger?(base: Record<string, unknown>, minLevel?: 'warn'): RunLogger;
  /** Cancels the run (default: the first SIGINT/SIGTERM while it runs). */
  readonly signal?: AbortSignal;
  /** Work a task's SQL cannot express, run after it as part of the task (the data-quality gates). */
  afterTask?(warehouse: Warehouse): RunJobOptions['afterTask'];
  /** Local handlers of non-SQL tasks by entry point (the ml_training job's model steps). */
  taskHandlers?(logger?: RunLogger): RunJobOptions['taskHandlers'];
  /** Where to draw the job's task list (a terminal); absent → structured logs only. */
  readonly progressStream?: NodeJS.WriteStream;
  /** Job-event notifications (Mattermost, n8n) of one run: flushed before the warehouse closes; a failed delivery never fails the job. */
  notifier?(warehouse: Warehouse, logger?: RunLogger): RunNotifier | undefined;
}

interface RunOptions {
  readonly target?: string;
  readonly bundleTarget?: string;
  readonly bundle?: string;
  readonly dataDir?: string;
  readonly only?: string[];
  readonly resume?: boolean;
  readonly var: Record<string, string>;
  readonly param: Record<string, string>;
  readonly maxParallel?: number;
  readonly json?: boolean;
}

/**
 * `etl run <job> [--target t] [--only a,b] [--resume] [--var k=v …] [--param k=v …] [--json]` — runs a
 * bundle job's SQL tasks in dependency order on the target's warehouse, recording runs in the ops
 * schema. Exits non-zero (a BundleError JOB_FAILED / JOB_CANCELLED) when the job does not succeed.
 */
export function registerRunCommand(program: Command, deps: RunCliDeps): void {
  program
    .command('run')
    .description("run a bundle job (databricks/bundles) on the target's warehouse: its SQL tasks in dependency order")
    .argument('<job>', 'the job key under resources.jobs, e.g. bir_etl')
    .option('-t, --target <target>', 'platform target whose warehouse runs the SQL: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--bundle-target <name>', "bundle target for variables and overrides (default: --target if the bundle declares it, else the bundle's default target)")
    .option('--bundle <dir>', `bundle root holding databricks.yml (default: ${deps.bundleRoot})`)
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--only <tasks>', 'run only these task keys, comma-separated (their other dependencies count as done)', parseList)
    .option('--resume', 'continue the latest failed or interrupted run of the job: keep its run id, skip tasks that succeeded')
    .option('--var <name=value>', 'set a bundle variable (repeatable; beats BUNDLE_VAR_<name> and defaults)', collectPair('--var'), {})
    .option('--param <name=value>', 'set a job parameter, {{params.<name>}} in the SQL (repeatable)', collectPair('--param'), {})
    .option('--max-parallel <n>', 'tasks executing at once (default 2)', parsePositiveInt('--max-parallel'))
    .option('--json', 'print the run summary as JSON')
    .action(async (job: string, opts: RunOptions) => {
      const env = deps.env ?? process.env;
      const bundle = await loadForTarget(deps, opts, env);
      const warehouse = await deps.openWarehouse({ ...(opts.target !== undefined ? { target: opts.target } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
      const stop = deps.signal ? undefined : cancelOnSignals();
      const signal = deps.signal ?? stop?.signal;
      let summary: RunSummary;
      let notifier: RunNotifier | undefined;
      // On a terminal the task list replaces the runner's info logs; warnings and errors still reach stderr.
      const progress = deps.progressStream && !opts.json ? new TaskListProgress([{ key: 'job', title: `Run job ${job} (${bundle.target})` }], { stream: deps.progressStream }) : undefined;
      try {
        const logger = deps.logger?.({ bundle_target: bundle.target }, progress ? 'warn' : undefined);
        const afterTask = deps.afterTask?.(warehouse);
        const notify = (notifier = deps.notifier?.(warehouse, logger));
        const listeners = [notify && ((event: RunEvent) => notify.onEvent(event)), progress && ((event: RunEvent) => progress.event('job', event))].filter((l) => l !== undefined);
        summary = await runJob(warehouse, bundle, job, {
          ...(afterTask ? { afterTask } : {}),
          ...(deps.taskHandlers ? { taskHandlers: deps.taskHandlers(logger) } : {}),
          ...(listeners.length > 0 ? { onEvent: (event: RunEvent) => listeners.forEach((l) => l(event)) } : {}),
          params: opts.param,
          resume: opts.resume === true,
          ...(opts.only ? { only: opts.only } : {}),
          ...(opts.maxParallel ? { maxParallel: opts.maxParallel } : {}),
          ...(logger ? { logger } : {}),
          ...(signal ? { signal } : {}),
        });
        if (summary.status === 'succeeded') progress?.finish('job');
        else progress?.fail('job', new Error(`${summary.status}: ${summary.error ?? ''}`));
      } catch (error) {
        progress?.fail('job', error);
        throw error;
      } finally {
        stop?.dispose();
        await progress?.close();
        await notifier?.flush();
        await warehouse.close();
      }
      deps.print(opts.json ? JSON.stringify(summary) : formatSummary(summary));
      if (summary.status !== 'succeeded') {
        const resumeHint = `etl run ${job} --resume${opts.target ? ` --target ${opts.target}` : ''}`;
        throw new BundleError(summary.status === 'cancelled' ? 'JOB_CANCELLED' : 'JOB_FAILED', `job ${job} ${summary.status} (run ${summary.runId}): ${summary.error ?? ''}; to continue it: ${resumeHint}`, {
          data: { runId: summary.runId, status: summary.status },
        });
      }
    });
}

/**
 * Loads the bundle for the requested target. The platform target `local` (or any target the bundle
 * does not declare) falls back to the bundle's default target unless --bundle-target was given.
 */
async function loadForTarget(deps: RunCliDeps, opts: RunOptions, env: Readonly<Record<string, string | undefined>>): Promise<Bundle> {
  const root = resolve(opts.bundle ?? deps.bundleRoot);
  const options = { vars: opts.var, env };
  if (opts.bundleTarget !== undefined) return loadBundle(root, { ...options, target: opts.bundleTarget });
  const requested = opts.target ?? env['ETL_TARGET'];
  if (requested === undefined) return loadBundle(root, options);
  try {
    return await loadBundle(root, { ...options, target: requested });
  } catch (error) {
    if (error instanceof BundleError && error.code === 'UNKNOWN_TARGET') return loadBundle(root, options);
    throw error;
  }
}

/** A text report: one header line, then a table of tasks in dependency order. */
export function formatSummary(summary: RunSummary): string {
  const resumed = summary.resumed ? `, resumed (attempt ${summary.attempt})` : '';
  const header = `run ${summary.runId} of ${summary.job} on ${summary.target}${resumed}: ${summary.status}`;
  const rows = summary.tasks.map((t) => ({
    task: t.taskKey,
    status: t.reused ? 'succeeded (earlier attempt)' : t.status,
    rows: t.rowsAffected,
    seconds: t.startedAt && t.endedAt && !t.reused ? Number(((t.endedAt.getTime() - t.startedAt.getTime()) / 1000).toFixed(1)) : null,
    error: t.error === null ? '' : (t.error.split('\n')[0] as string),
  }));
  const columns = [
    { name: 'task', type: 'VARCHAR' },
    { name: 'status', type: 'VARCHAR' },
    { name: 'rows', type: 'BIGINT' },
    { name: 'seconds', type: 'DOUBLE' },
    { name: 'error', type: 'VARCHAR' },
  ];
  return `${header}\n${formatTable(columns, rows, 80)}`;
}

/** `a,b , c` → ['a', 'b', 'c'] */
function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError(`expected comma-separated task keys, got "${value}"`);
  return items;
}

/** A commander collector for repeatable `name=value` options. */
function collectPair(option: string): (value: string, previous: Record<string, string>) => Record<string, string> {
  return (value, previous) => {
    const at = value.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`${option} expects name=value, got "${value}"`);
    return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
  };
}

/** An AbortSignal fired by the first SIGINT/SIGTERM (a second one kills as usual once disposed). */
function cancelOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
