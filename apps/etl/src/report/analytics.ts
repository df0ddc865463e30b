import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { param, type CompiledQuery, type ParameterValue, type QueryExecutor, type Row } from '@odoo-ce/warehouse';

/** The repository root (apps/etl/src/report or apps/etl/dist/report → ../../../..): databricks/ lives there. */
export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** Where the analytics SQL templates live, relative to the repository root. */
export const ANALYTICS_SQL_DIR = join('databricks', 'sql', 'analytics');

/** The parameters an analytics query can take; each file lists the ones it uses in its header. */
export type AnalyticsParameter = 'as_of' | 'run_id';

/** One analytics query: a portable SQL template in databricks/sql/analytics. */
export interface AnalyticsQuery {
  /** Path under databricks/sql/analytics without `.sql`, e.g. `bir/1601c_monthly`. */
  readonly key: string;
  readonly title: string;
  readonly params: readonly AnalyticsParameter[];
}

/**
 * Every analytics query behind the report and the Lakeview dashboards, by view. Each is one
 * SELECT in the shared SQL subset of DuckDB and Spark SQL, with `{{catalog.x}}` / `{{ops}}`
 * placeholders and `{{params.x}}` parameters.
 */
export const ANALYTICS_QUERIES = {
  bir1601c: { key: 'bir/1601c_monthly', title: 'BIR 1601-C per month', params: ['as_of'] },
  bir2550q: { key: 'bir/2550q_quarterly', title: 'BIR 2550Q per quarter', params: ['as_of'] },
  filingCalendar: { key: 'bir/filing_calendar', title: 'BIR filing calendar', params: ['as_of'] },
  filingStatus: { key: 'bir/filing_status_summary', title: 'BIR filing status', params: ['as_of'] },
  agencySpend: { key: 'scout/spend_by_agency', title: 'Spend by agency', params: [] },
  agencySpendMonthly: { key: 'scout/spend_by_agency_monthly', title: 'Spend by agency and month', params: [] },
  categorySpendMonthly: { key: 'scout/spend_by_category_monthly', title: 'Spend by category and month', params: [] },
  topVendors: { key: 'scout/top_vendors', title: 'Top vendors', params: [] },
  vendorSpendMonthly: { key: 'scout/vendor_spend_monthly', title: 'Spend with the largest vendors by month', params: [] },
  scoutQuality: { key: 'scout/quality_monthly', title: 'Scout data quality by month', params: [] },
  quarantineReasons: { key: 'scout/quarantine_reasons', title: 'Quarantine reasons', params: [] },
  executiveMonthly: { key: 'executive/monthly_summary', title: 'Executive summary by month', params: [] },
  executiveKpis: { key: 'executive/kpis', title: 'Headline figures', params: [] },
  monthEndClose: { key: 'executive/month_end_close', title: 'Month-end close', params: [] },
  jobRuns: { key: 'ops/job_runs', title: 'Job runs', params: [] },
  taskRuns: { key: 'ops/task_runs', title: 'Task runs', params: ['run_id'] },
  dqResults: { key: 'ops/dq_results', title: 'Data-quality results', params: [] },
} as const satisfies Record<string, AnalyticsQuery>;

/** The name of an analytics query in {@link ANALYTICS_QUERIES}. */
export type AnalyticsQueryName = keyof typeof ANALYTICS_QUERIES;

/** Values for the parameters of analytics queries. */
export interface AnalyticsParams {
  /** As-of date of BIR filing status, `YYYY-MM-DD`. */
  readonly as_of?: string;
  readonly run_id?: string;
}

const cache = new Map<string, Promise<string>>();

/**
 * The SQL template of an analytics query, read from databricks/sql/analytics (cached).
 *
 * @example
 * const sql = await loadAnalyticsSql(ANALYTICS_QUERIES.bir1601c);
 */
export async function loadAnalyticsSql(query: AnalyticsQuery, repoRoot: string = REPO_ROOT): Promise<string> {
  const file = analyticsSqlPath(query, repoRoot);
  let text = cache.get(file);
  if (!text) {
    text = readFile(file, 'utf8');
    cache.set(file, text);
    text.catch(() => cache.delete(file));
  }
  return text;
}

/** The absolute path of an analytics query's SQL file. */
export function analyticsSqlPath(query: AnalyticsQuery, repoRoot: string = REPO_ROOT): string {
  return join(repoRoot, ANALYTICS_SQL_DIR, `${query.key}.sql`);
}

/** Typed parameter values for a query: `as_of` travels as a DATE, `run_id` as a string. */
export function analyticsParameters(query: AnalyticsQuery, params: AnalyticsParams): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = {};
  for (const name of query.params) {
    const value = params[name];
    if (value === undefined) throw new Error(`analytics query ${query.key} needs the parameter ${name}`);
    values[name] = name === 'as_of' ? param.date(value) : param.string(value);
  }
  return values;
}

/**
 * Renders an analytics query for a warehouse (its dialect and catalogs), with parameters bound.
 *
 * @example
 * const q = await renderAnalyticsQuery(warehouse, ANALYTICS_QUERIES.filingCalendar, { as_of: '2026-01-20' });
 */
export async function renderAnalyticsQuery(executor: Pick<QueryExecutor, 'render'>, query: AnalyticsQuery, params: AnalyticsParams = {}, repoRoot?: string): Promise<CompiledQuery> {
  const sql = await loadAnalyticsSql(query, repoRoot);
  return executor.render(sql, analyticsParameters(query, params), `${ANALYTICS_SQL_DIR}/${query.key}.sql`);
}

/**
 * Runs an analytics query and returns its rows.
 *
 * @example
 * const rows = await runAnalyticsQuery(warehouse, ANALYTICS_QUERIES.topVendors);
 */
export async function runAnalyticsQuery<R = Row>(executor: Pick<QueryExecutor, 'render' | 'query'>, query: AnalyticsQuery, params: AnalyticsParams = {}, repoRoot?: string): Promise<R[]> {
  const compiled = await renderAnalyticsQuery(executor, query, params, repoRoot);
  return (await executor.query<R>(compiled)).rows;
}
