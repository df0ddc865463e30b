import { errorMessage } from '@odoo-ce/common';
import type { QueryExecutor, Row } from '@odoo-ce/warehouse';
import { ANALYTICS_QUERIES, runAnalyticsQuery, type AnalyticsParams, type AnalyticsQuery } from './analytics.js';

/** What the report says about the run it describes. */
export interface RunInfo {
  /** The platform target (`local`, `dev`, …). */
  readonly target: string;
  /** Where the data lives, shown as is, e.g. `DuckDB · .data/demo`. */
  readonly warehouse?: string;
  /** A one-line description of the run, e.g. `demo · seed 42 · 20,000 Scout transactions`. */
  readonly label?: string;
  /** The job runs to describe (ops.job_runs run ids); default: the latest run of every job. */
  readonly runIds?: readonly string[];
  /** Durations of steps outside the jobs (generate, ingest, …) in milliseconds, in order. */
  readonly stepDurationsMs?: Readonly<Record<string, number>>;
}

/** A query the report could not run; the report says so instead of failing. */
export interface ReportProblem {
  readonly query: string;
  readonly message: string;
}

/** One job run with its tasks, from ops.job_runs and ops.task_runs. */
export interface JobRunData {
  readonly run: Row;
  readonly tasks: readonly Row[];
}

/**
 * Everything the report shows, as rows of the analytics queries. A list is `undefined` when its
 * query failed (the failure is in `problems`).
 */
export interface ReportData {
  readonly asOf: string;
  readonly generatedAt: Date;
  readonly runInfo: RunInfo;
  readonly kpis: Row | undefined;
  readonly executiveMonthly: readonly Row[] | undefined;
  readonly monthEndClose: readonly Row[] | undefined;
  readonly filingStatus: Row | undefined;
  readonly filingCalendar: readonly Row[] | undefined;
  readonly bir1601c: readonly Row[] | undefined;
  readonly bir2550q: readonly Row[] | undefined;
  readonly agencySpend: readonly Row[] | undefined;
  readonly agencySpendMonthly: readonly Row[] | undefined;
  readonly categorySpendMonthly: readonly Row[] | undefined;
  readonly topVendors: readonly Row[] | undefined;
  readonly vendorSpendMonthly: readonly Row[] | undefined;
  readonly scoutQuality: readonly Row[] | undefined;
  readonly quarantineReasons: readonly Row[] | undefined;
  readonly dqResults: readonly Row[] | undefined;
  readonly jobRuns: readonly JobRunData[] | undefined;
  readonly problems: readonly ReportProblem[];
}

/** Options of {@link loadReportData}. */
export interface LoadReportDataOptions {
  readonly runInfo: RunInfo;
  readonly asOf: string;
  readonly generatedAt: Date;
}

/**
 * Runs every analytics query the report needs, one after the other, on the given warehouse.
 * A failing query (a table not built yet, an ops schema without runs) is recorded in `problems`
 * and leaves its section empty; the others still run.
 */
export async function loadReportData(warehouse: Pick<QueryExecutor, 'render' | 'query'>, options: LoadReportDataOptions): Promise<ReportData> {
  const problems: ReportProblem[] = [];
  const load = async (query: AnalyticsQuery, params: AnalyticsParams = {}): Promise<Row[] | undefined> => {
    try {
      return await runAnalyticsQuery(warehouse, query, params);
    } catch (error) {
      problems.push({ query: query.key, message: errorMessage(error) });
      return undefined;
    }
  };
  const asOf = { as_of: options.asOf };
  const Q = ANALYTICS_QUERIES;
  const kpis = await load(Q.executiveKpis);
  const executiveMonthly = await load(Q.executiveMonthly);
  const monthEndClose = await load(Q.monthEndClose);
  const filingStatus = await load(Q.filingStatus, asOf);
  const filingCalendar = await load(Q.filingCalendar, asOf);
  const bir1601c = await load(Q.bir1601c, asOf);
  const bir2550q = await load(Q.bir2550q, asOf);
  const agencySpend = await load(Q.agencySpend);
  const agencySpendMonthly = await load(Q.agencySpendMonthly);
  const categorySpendMonthly = await load(Q.categorySpendMonthly);
  const topVendors = await load(Q.topVendors);
  const vendorSpendMonthly = await load(Q.vendorSpendMonthly);
  const scoutQuality = await load(Q.scoutQuality);
  const quarantineReasons = await load(Q.quarantineReasons);
  const dqResults = await load(Q.dqResults);
  const recentRuns = await load(Q.jobRuns);
  let jobRuns: JobRunData[] | undefined;
  if (recentRuns) {
    jobRuns = [];
    for (const run of selectRuns(recentRuns, options.runInfo.runIds)) {
      const tasks = await load(Q.taskRuns, { run_id: String(run['run_id']) });
      jobRuns.push({ run, tasks: tasks ?? [] });
    }
  }
  return {
    asOf: options.asOf,
    generatedAt: options.generatedAt,
    runInfo: options.runInfo,
    kpis: kpis?.[0],
    executiveMonthly,
    monthEndClose,
    filingStatus: filingStatus?.[0],
    filingCalendar,
    bir1601c,
    bir2550q,
    agencySpend,
    agencySpendMonthly,
    categorySpendMonthly,
    topVendors,
    vendorSpendMonthly,
    scoutQuality,
    quarantineReasons,
    dqResults,
    jobRuns,
    problems,
  };
}

/**
 * The runs to describe from the recent ones (newest first, one row per attempt): the given run
 * ids, or else the latest run of every job; each run's latest attempt; oldest first.
 */
function selectRuns(recent: readonly Row[], runIds: readonly string[] | undefined): Row[] {
  const latestAttempt = new Map<string, Row>();
  for (const row of recent) {
    const id = String(row['run_id']);
    const seen = latestAttempt.get(id);
    if (!seen || Number(row['attempt']) > Number(seen['attempt'])) latestAttempt.set(id, row);
  }
  let runs = [...latestAttempt.values()];
  if (runIds) {
    const wanted = new Set(runIds);
    runs = runs.filter((r) => wanted.has(String(r['run_id'])));
  } else {
    const latestByJob = new Map<string, Row>();
    for (const run of runs) {
      const job = String(run['job']);
      const seen = latestByJob.get(job);
      if (!seen || startedAt(run) > startedAt(seen)) latestByJob.set(job, run);
    }
    runs = [...latestByJob.values()];
  }
  return runs.sort((a, b) => startedAt(a) - startedAt(b));
}

function startedAt(row: Row): number {
  const value = row['started_at'];
  return value instanceof Date ? value.getTime() : Date.parse(String(value));
}
