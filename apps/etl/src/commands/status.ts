import type { Command } from 'commander';
import { listJobRuns, type JobRunOverview } from '@odoo-ce/bundle';
import { formatTable } from '../format.js';
import { parsePositiveInt } from './query.js';
import type { RunCliDeps } from './run.js';

/** What `etl status` needs: a warehouse and somewhere to print. */
export type StatusCliDeps = Pick<RunCliDeps, 'openWarehouse' | 'print'>;

/**
 * `etl status [--target t] [--job name] [--limit n] [--json]` — the most recent job runs recorded in
 * the target's ops schema, newest first, with how many tasks ended in each state.
 */
export function registerStatusCommand(program: Command, deps: StatusCliDeps): void {
  program
    .command('status')
    .description("recent job runs in the target's ops schema, with task counts")
    .option('-t, --target <target>', 'platform target: local, dev, staging or prod (default: $ETL_TARGET or local)')
    .option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)')
    .option('--job <job>', 'only runs of this job')
    .option('--limit <n>', 'how many runs (default 20)', parsePositiveInt('--limit'), 20)
    .option('--json', 'print the runs as a JSON array')
    .action(async (opts: { target?: string; dataDir?: string; job?: string; limit: number; json?: boolean }) => {
      const warehouse = await deps.openWarehouse({ ...(opts.target !== undefined ? { target: opts.target } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
      let runs: JobRunOverview[];
      try {
        runs = await listJobRuns(warehouse, { limit: opts.limit, ...(opts.job !== undefined ? { job: opts.job } : {}) });
      } finally {
        await warehouse.close();
      }
      deps.print(opts.json ? JSON.stringify(runs) : formatRuns(runs));
    });
}

/** A table of runs; `running` means in progress, or interrupted (then `etl run <job> --resume`). */
export function formatRuns(runs: readonly JobRunOverview[]): string {
  if (runs.length === 0) return 'no job runs recorded yet (start one with: etl run <job>)';
  const rows = runs.map((r) => ({
    run_id: r.runId,
    job: r.job,
    target: r.target,
    status: r.status,
    attempt: r.attempt,
    started_at: r.startedAt.toISOString().replace('T', ' ').slice(0, 19),
    seconds: r.endedAt ? Number(((r.endedAt.getTime() - r.startedAt.getTime()) / 1000).toFixed(1)) : null,
    succeeded: r.taskCounts.succeeded,
    failed: r.taskCounts.failed,
    upstream_failed: r.taskCounts.upstream_failed,
    skipped: r.taskCounts.skipped,
    running: r.taskCounts.running,
  }));
  const text = new Set(['run_id', 'job', 'target', 'status', 'started_at']);
  const columns = Object.keys(rows[0] as object).map((name) => ({ name, type: text.has(name) ? 'VARCHAR' : name === 'seconds' ? 'DOUBLE' : 'INTEGER' }));
  return formatTable(columns, rows);
}
