import { randomUUID } from 'node:crypto';
import { compiledQuery, type ExecuteOptions, type QueryExecutor } from '@odoo-ce/warehouse';
import { checkCompilerFor, flagAlias, SCAN_ROW_KEY, scanAlias, type CheckCompilerBase, type CompiledScan, type ScanItem } from '../compiler/check-compiler.js';
import { AggregateCheck, RowCheck, SchemaCheck } from '../compiler/checks.js';
import { planSuite, type PlannedExpectation, type SuitePlan } from '../compiler/plan.js';
import { DataQualityError, type Problem } from '../errors.js';
import type { ExpectationSuite } from '../model/expectation-config.js';
import type { ResultFormatInput } from '../model/result-format.js';
import type { ExpectationValidationResult, SuiteValidationResult } from '../model/results.js';
import { toCount } from '../model/values.js';
import { exceptionResult, rowResult, verdictResult, type RowMetrics } from './format-result.js';
import { describeTable } from './introspect.js';
import { resolveTableName } from './table-name.js';

/** Options shared by `validate` and `split`. */
export interface RunOptions extends ExecuteOptions {
  /** Result format for expectations whose kwargs give none (default SUMMARY). */
  readonly resultFormat?: ResultFormatInput;
  /** Report configuration problems inside each expectation's result instead of throwing (GX `catch_exceptions`). */
  readonly catchExceptions?: boolean;
  /** Write results to `<ops>.dq_results` (default true). */
  readonly persist?: boolean;
  /** Throw `DataQualityError('EXPECTATION_FAILED')` when a `fail` expectation fails (default true). */
  readonly throwOnFail?: boolean;
  readonly runId?: string;
  /** Clock for suite parameters such as `now()` and for `run_time` (tests). */
  readonly now?: Date;
}

/** A suite planned against a table, ready to scan. */
export interface Prepared {
  readonly plan: SuitePlan;
  readonly compiler: CheckCompilerBase;
  readonly runId: string;
  readonly runTime: Date;
}

const problem = (code: Problem['code'], message: string, location: Problem['location']): Problem => ({ code, severity: 'error', message, location });

/**
 * Resolves and describes the table, plans the suite and bind-checks user SQL — all before any
 * row is read. Uncaught problems are thrown together.
 */
export async function prepare(executor: QueryExecutor, table: string, suite: ExpectationSuite, options: RunOptions): Promise<Prepared> {
  const compiler = checkCompilerFor(executor.adapter);
  const resolved = resolveTableName(executor.adapter, executor.layout, table);
  if ('error' in resolved) throw DataQualityError.fromProblems('COMPILE_FAILED', [problem('UNKNOWN_TABLE', resolved.error, { table })]);
  let columns;
  try {
    columns = await describeTable(executor, resolved.sql, options);
  } catch (error) {
    throw DataQualityError.fromProblems('COMPILE_FAILED', [
      problem('UNKNOWN_TABLE', `table ${table}${resolved.parts.join('.') === table ? '' : ` (${resolved.parts.join('.')})`} does not exist or cannot be read: ${firstLine(error)}`, { table }),
    ]);
  }
  let plan = planSuite({
    suite,
    table: resolved,
    columns,
    compiler,
    layout: executor.layout,
    ...(options.resultFormat !== undefined ? { resultFormat: options.resultFormat } : {}),
    ...(options.catchExceptions !== undefined ? { catchExceptions: options.catchExceptions } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  plan = await preflight(executor, plan, options);
  const uncaught = [...plan.problems, ...plan.expectations.filter((e) => !e.catchExceptions).flatMap((e) => e.problems)];
  if (uncaught.length > 0) {
    const onlySuite = uncaught.every((p) => p.code === 'INVALID_SUITE' || p.code === 'UNKNOWN_EXPECTATION_TYPE' || p.code === 'INVALID_KWARGS');
    throw DataQualityError.fromProblems(onlySuite ? 'INVALID_SUITE' : 'COMPILE_FAILED', uncaught, { table });
  }
  return { plan, compiler, runId: options.runId ?? randomUUID().replace(/-/g, ''), runTime: options.now ?? new Date() };
}

/** Bind-checks user-written conditions and reference tables with zero-row queries. */
async function preflight(executor: QueryExecutor, plan: SuitePlan, options: ExecuteOptions): Promise<SuitePlan> {
  const badReferences = new Map<string, string>();
  for (const ref of plan.references) {
    try {
      await describeTable(executor, ref, options);
    } catch (error) {
      badReferences.set(ref, firstLine(error));
    }
  }
  const expectations = [];
  let changed = badReferences.size > 0;
  for (const e of plan.expectations) {
    const extra: Problem[] = [];
    if (RowCheck.is(e.node)) {
      for (const ref of e.node.joins.map((j) => j.table)) {
        const why = badReferences.get(ref);
        if (why) extra.push(problem('UNKNOWN_TABLE', `reference table ${ref} does not exist or cannot be read: ${why}`, { table: plan.table.logical, expectation: e.config.meta.name }));
      }
      for (const expr of e.node.preflight) {
        try {
          await executor.query(compiledQuery(`SELECT ${expr} AS ${executor.adapter.quoteIdentifier('_dq_x')} FROM ${plan.table.sql} LIMIT 0`), options);
        } catch (error) {
          extra.push(problem('INVALID_KWARGS', `the condition does not compile on ${plan.table.logical}: ${firstLine(error)}`, { table: plan.table.logical, expectation: e.config.meta.name, path: 'kwargs.condition' }));
        }
      }
    }
    if (extra.length > 0) changed = true;
    expectations.push(extra.length > 0 ? { ...e, node: undefined, item: undefined, problems: [...e.problems, ...extra] } : e);
  }
  return changed ? { ...plan, expectations } : plan;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** In a stage, a row check's failures are already computed: its flag column replaces the predicate. */
function stagedItem(item: ScanItem): ScanItem {
  if (!RowCheck.is(item.node)) return item;
  const node = RowCheck.create({
    considered: item.node.considered,
    ...(item.node.consideredCount !== undefined ? { consideredCount: item.node.consideredCount } : {}),
    passes: `NOT ${flagAlias(item.index)}`,
    values: item.node.values,
    shape: item.node.shape,
    reportsMissing: item.node.reportsMissing,
    valuesAreNull: item.node.valuesAreNull,
    nullFree: true, // flags are never NULL
  });
  return { ...item, node };
}

/**
 * Where the checks read: the table itself (`validate`), or `split`'s stage — a flagged copy of
 * the table (`full`), or only its failing rows (`failures`, row counts and statistics then come
 * from the source table).
 */
export type ScanSource =
  | { readonly kind: 'table' }
  | { readonly kind: 'stage'; readonly stage: string; readonly failuresOnly: boolean };

/**
 * Runs the single scan and turns its one result row into GX-shaped results, in suite order.
 * For a `failures` stage, a second aggregate over the source supplies the row and non-null
 * counts and the statistics — it evaluates no predicate.
 */
export async function evaluate(executor: QueryExecutor, prepared: Prepared, source: ScanSource, options: ExecuteOptions): Promise<ExpectationValidationResult[]> {
  const { plan, compiler } = prepared;
  const items = plan.expectations.map((e) => e.item).filter((i): i is ScanItem => i !== undefined && !SchemaCheck.is(i.node));
  const staged = source.kind === 'stage';
  const scanItems = staged ? items.map(stagedItem) : items;
  const byIndex = new Map(scanItems.map((i) => [i.index, i]));
  const failureTable = source.kind === 'stage' ? source.stage : plan.table.sql;
  let row: Record<string, unknown> = {};
  let outside: readonly number[] = [];
  if (scanItems.length > 0) {
    if (source.kind === 'stage' && source.failuresOnly) {
      const counts = compiler.compileScan({ table: plan.table.sql, items: scanItems, parameters: plan.parameters, parts: { counts: true, failures: false, aggregates: true } });
      const failures = compiler.compileScan({ table: source.stage, items: scanItems, parameters: plan.parameters, parts: { counts: false, failures: true, aggregates: false } });
      const failureRow = (await executor.query(failures.query, options)).rows[0] ?? {};
      row = { ...failureRow, ...((await executor.query(counts.query, options)).rows[0] ?? {}) };
      outside = failures.samplesOutsideScan;
      for (const extra of counts.queriesOutsideScan) row[extra.alias] = (await executor.query(extra.query, options)).rows;
      await fetchSampledRows(executor, compiler, source.stage, failures, row, options);
    } else {
      const baseColumns = source.kind === 'table' ? new Set(plan.columns.map((c) => executor.adapter.quoteIdentifier(c.name))) : undefined;
      const scan = compiler.compileScan({ table: failureTable, items: scanItems, parameters: plan.parameters, ...(baseColumns ? { baseColumns } : {}) });
      row = (await executor.query(scan.query, options)).rows[0] ?? {};
      outside = scan.samplesOutsideScan;
      for (const extra of scan.queriesOutsideScan) row[extra.alias] = (await executor.query(extra.query, options)).rows;
      await fetchSampledRows(executor, compiler, failureTable, scan, row, options);
    }
  }
  const elementCount = toCount(row['_dq_n']);
  const results: ExpectationValidationResult[] = [];
  for (const planned of plan.expectations) {
    results.push(await resultOf(executor, prepared, planned, byIndex.get(planned.index), row, elementCount, outside, failureTable, options));
  }
  return results;
}

/**
 * Replaces each `_dq_<i>_rowids` list of the scan row with the sampled rows' values (as a
 * `_dq_<i>_sample` list), fetched in ONE query by row identity (a lookup; no predicate runs again).
 */
async function fetchSampledRows(executor: QueryExecutor, compiler: CheckCompilerBase, table: string, scan: CompiledScan, row: Record<string, unknown>, options: ExecuteOptions): Promise<void> {
  const wanted = scan.samplesByRowId.map((s) => ({ ...s, ids: ((row[scanAlias(s.index, 'rowids')] as unknown[] | null) ?? []).map((id) => String(id)) })).filter((s) => s.ids.length > 0);
  if (wanted.length === 0) return;
  const fields = new Map<string, string>();
  for (const s of wanted) for (const f of s.fields) if (!fields.has(f.sql)) fields.set(f.sql, `f${fields.size}`);
  const ids = [...new Set(wanted.flatMap((s) => s.ids))];
  const sql = compiler.fetchRowsSql(table, [...fields].map(([sql, key]) => ({ key, sql })));
  const { rows } = await executor.query<Record<string, unknown>>(compiledQuery(sql, { dq_rows: `[${ids.join(',')}]` }), options);
  const byId = new Map(rows.map((r) => [String(r[SCAN_ROW_KEY]), r]));
  for (const s of wanted) {
    row[scanAlias(s.index, 'sample')] = s.ids.flatMap((id) => {
      const fetched = byId.get(id);
      return fetched ? [Object.fromEntries(s.fields.map((f) => [f.key, fetched[fields.get(f.sql) as string]]))] : [];
    });
  }
}

/** The sampled rows of a check as `{v*, i*}` objects, whichever form the scan returned them in. */
function samplesOf(row: Record<string, unknown>, index: number, node: RowCheck, item: ScanItem, unexpected: number): Record<string, unknown>[] {
  const structs = row[scanAlias(index, 'sample')] as Record<string, unknown>[] | null | undefined;
  if (structs) return structs;
  const values = row[scanAlias(index, 'values')] as unknown[] | null | undefined;
  if (values) return values.map((v0) => ({ v0 }));
  if (node.valuesAreNull && item.indexColumns.length === 0) return Array.from({ length: Math.min(unexpected, item.sampleSize) }, () => ({ v0: null }));
  return [];
}

async function resultOf(
  executor: QueryExecutor,
  prepared: Prepared,
  planned: PlannedExpectation,
  item: ScanItem | undefined,
  row: Record<string, unknown>,
  elementCount: number,
  outside: readonly number[],
  failureTable: string,
  options: ExecuteOptions,
): Promise<ExpectationValidationResult> {
  const node = planned.node;
  if (!node || planned.problems.length > 0) return exceptionResult(planned);
  if (SchemaCheck.is(node)) return verdictResult(planned, node.verdict);
  if (AggregateCheck.is(node)) {
    const values = Object.fromEntries(node.selects.map((s) => [s.key, row[scanAlias(planned.index, s.key)]]));
    try {
      return verdictResult(planned, node.evaluate(values));
    } catch (error) {
      if (!(error instanceof DataQualityError)) throw error;
      return exceptionResult(planned, error.message);
    }
  }
  const rowItem = item as ScanItem;
  const unexpected = toCount(row[scanAlias(planned.index, 'unexpected')]);
  const considered = node.considered === null ? elementCount : toCount(row[scanAlias(planned.index, 'considered')]);
  let samples = samplesOf(row, planned.index, rowItem.node as RowCheck, rowItem, unexpected);
  if (outside.includes(planned.index) && unexpected > 0) {
    const query = prepared.compiler.compileFailingRows(failureTable, rowItem, prepared.plan.parameters, rowItem.sampleSize);
    samples = (await executor.query(query, options)).rows;
  }
  const metrics: RowMetrics = { elementCount, considered, unexpected, samples };
  const indexQuery = planned.resultFormat.result_format === 'COMPLETE' ? prepared.compiler.failingRowsSql(prepared.plan.table.sql, node) : undefined;
  return rowResult(planned, node, metrics, indexQuery);
}

/** Assembles GX's suite result. */
export function suiteResult(prepared: Prepared, suiteName: string, results: ExpectationValidationResult[], dialect: string): SuiteValidationResult {
  const successful = results.filter((r) => r.success).length;
  return {
    success: successful === results.length,
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: successful,
      unsuccessful_expectations: results.length - successful,
      success_percent: results.length > 0 ? (successful / results.length) * 100 : null,
    },
    results,
    suite_name: suiteName,
    meta: {
      run_id: prepared.runId,
      run_time: prepared.runTime.toISOString(),
      table: prepared.plan.table.logical,
      dialect,
      failed_fail_expectations: results.filter((r) => !r.success && r.expectation_config.meta.action === 'fail').map((r) => r.expectation_config.meta.name),
    },
  };
}

/** The EXPECTATION_FAILED error for a validation whose `fail` expectations failed. */
export function failError(validation: SuiteValidationResult): DataQualityError {
  const failed = validation.meta.failed_fail_expectations;
  return new DataQualityError(
    'EXPECTATION_FAILED',
    `${failed.length} expectation${failed.length === 1 ? '' : 's'} with action fail failed on ${validation.meta.table}: ${failed.join(', ')} (results stored under run ${validation.meta.run_id})`,
    { data: { failed, table: validation.meta.table, runId: validation.meta.run_id, validation } },
  );
}
