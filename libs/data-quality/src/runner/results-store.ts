import { compiledQuery, ensureOpsSchema, opsTable, opsTableExists, param, type ExecuteOptions, type ParameterValue, type QueryExecutor } from '@odoo-ce/warehouse';
import type { SuiteValidationResult } from '../model/results.js';

/** Name of the results table in the target's ops schema. */
export const DQ_RESULTS_TABLE = 'dq_results';

/** One row of `<ops>.dq_results`: one expectation in one run. */
export interface DqResultRow {
  readonly run_id: string;
  readonly run_time: Date;
  readonly suite_name: string;
  readonly table_name: string;
  readonly expectation_name: string;
  readonly expectation_type: string;
  readonly action: string;
  readonly success: boolean;
  readonly raised_exception: boolean;
  readonly element_count: number | null;
  readonly missing_count: number | null;
  readonly unexpected_count: number | null;
  readonly unexpected_percent: number | null;
  /** JSON text. */
  readonly observed_value: string | null;
  /** JSON text of the expectation's kwargs. */
  readonly kwargs: string;
  /** JSON text of the whole GX `result` object. */
  readonly result: string;
}

/** `CREATE TABLE IF NOT EXISTS <ops>.dq_results (…)` in the executor's dialect. */
export function dqResultsDdl(executor: QueryExecutor): string {
  const a = executor.adapter;
  const s = a.typeName('string');
  return (
    `CREATE TABLE IF NOT EXISTS ${opsTable(executor, DQ_RESULTS_TABLE)} (run_id ${s}, run_time ${a.typeName('timestamp')}, suite_name ${s}, table_name ${s}, ` +
    `expectation_name ${s}, expectation_type ${s}, action ${s}, success ${a.typeName('boolean')}, raised_exception ${a.typeName('boolean')}, ` +
    `element_count ${a.typeName('bigint')}, missing_count ${a.typeName('bigint')}, unexpected_count ${a.typeName('bigint')}, unexpected_percent ${a.typeName('double')}, ` +
    `observed_value ${s}, kwargs ${s}, result ${s})`
  );
}

const json = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Flattens a validation result into `dq_results` rows. */
export function dqResultRows(validation: SuiteValidationResult): DqResultRow[] {
  const runTime = new Date(validation.meta.run_time);
  return validation.results.map((r) => ({
    run_id: validation.meta.run_id,
    run_time: runTime,
    suite_name: validation.suite_name,
    table_name: validation.meta.table,
    expectation_name: r.expectation_config.meta.name,
    expectation_type: r.expectation_config.type,
    action: r.expectation_config.meta.action,
    success: r.success,
    raised_exception: r.exception_info.raised_exception,
    element_count: r.result.element_count ?? null,
    missing_count: r.result.missing_count ?? null,
    unexpected_count: r.result.unexpected_count ?? null,
    unexpected_percent: r.result.unexpected_percent ?? null,
    observed_value: r.result.observed_value === undefined ? null : json(r.result.observed_value),
    kwargs: json(r.expectation_config.kwargs),
    result: json(r.result),
  }));
}

/**
 * Appends one row per expectation to `<ops>.dq_results` (creating the ops schema and table on
 * first use), with one multi-row INSERT of named parameters.
 */
export async function storeResults(executor: QueryExecutor, rows: readonly DqResultRow[]): Promise<void> {
  if (rows.length === 0) return;
  await ensureOpsSchema(executor);
  await executor.query(dqResultsDdl(executor));
  const a = executor.adapter;
  const params: Record<string, ParameterValue> = {};
  const values = rows.map((row, i) => {
    const cols: string[] = [];
    const put = (name: string, value: ParameterValue, type?: string) => {
      params[`${name}${i}`] = value;
      cols.push(type ? `CAST(:${name}${i} AS ${type})` : `:${name}${i}`);
    };
    put('rid', row.run_id);
    put('rt', param.timestamp(row.run_time));
    put('sn', row.suite_name);
    put('tn', row.table_name);
    put('en', row.expectation_name);
    put('et', row.expectation_type);
    put('ac', row.action);
    put('ok', row.success);
    put('rx', row.raised_exception);
    put('ec', param.bigint(row.element_count === null ? null : BigInt(row.element_count)));
    put('mc', param.bigint(row.missing_count === null ? null : BigInt(row.missing_count)));
    put('uc', param.bigint(row.unexpected_count === null ? null : BigInt(row.unexpected_count)));
    put('up', row.unexpected_percent, a.typeName('double'));
    put('ov', param.string(row.observed_value));
    put('kw', row.kwargs);
    put('rs', row.result);
    return `(${cols.join(', ')})`;
  });
  await executor.query(
    compiledQuery(
      `INSERT INTO ${opsTable(executor, DQ_RESULTS_TABLE)} (run_id, run_time, suite_name, table_name, expectation_name, expectation_type, action, success, raised_exception, element_count, missing_count, unexpected_count, unexpected_percent, observed_value, kwargs, result) VALUES ${values.join(', ')}`,
      params,
    ),
  );
}

/** Which stored results {@link readResults} returns. */
export interface ResultsQuery {
  /** One run's rows (the gates store them under the job run's id). */
  readonly runId?: string;
  /** One table's rows (logical name, as recorded). */
  readonly table?: string;
  /** Only each table's latest run. */
  readonly latestPerTable?: boolean;
}

const nullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Reads `<ops>.dq_results` — the one reader of the table this module writes (notifications, the
 * smoke test and the MCP server use it). Ordered by table and expectation; empty when nothing has
 * been recorded yet (the table is not created by reading).
 */
export async function readResults(executor: QueryExecutor, query: ResultsQuery = {}, options: ExecuteOptions = {}): Promise<DqResultRow[]> {
  if (!(await opsTableExists(executor, DQ_RESULTS_TABLE, options))) return [];
  const table = opsTable(executor, DQ_RESULTS_TABLE);
  const where = [...(query.runId !== undefined ? ['r.run_id = :run_id'] : []), ...(query.table !== undefined ? ['r.table_name = :table'] : [])];
  const latest = query.latestPerTable
    ? ` JOIN (SELECT table_name, max(run_time) AS latest FROM ${table} GROUP BY table_name) l ON r.table_name = l.table_name AND r.run_time = l.latest`
    : '';
  const params: Record<string, ParameterValue> = {
    ...(query.runId !== undefined ? { run_id: query.runId } : {}),
    ...(query.table !== undefined ? { table: query.table } : {}),
  };
  const { rows } = await executor.query<Record<string, unknown>>(
    compiledQuery(`SELECT r.* FROM ${table} r${latest}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.table_name, r.expectation_name`, params),
    options,
  );
  return rows.map((r) => ({
    run_id: String(r['run_id']),
    run_time: r['run_time'] instanceof Date ? r['run_time'] : new Date(String(r['run_time'])),
    suite_name: String(r['suite_name']),
    table_name: String(r['table_name']),
    expectation_name: String(r['expectation_name']),
    expectation_type: String(r['expectation_type']),
    action: String(r['action']),
    success: r['success'] === true,
    raised_exception: r['raised_exception'] === true,
    element_count: nullableNumber(r['element_count']),
    missing_count: nullableNumber(r['missing_count']),
    unexpected_count: nullableNumber(r['unexpected_count']),
    unexpected_percent: nullableNumber(r['unexpected_percent']),
    observed_value: r['observed_value'] === null ? null : String(r['observed_value']),
    kwargs: String(r['kwargs']),
    result: String(r['result']),
  }));
}
