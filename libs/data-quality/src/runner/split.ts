import { compiledQuery, ensureOpsSchema, type QueryExecutor, type Warehouse } from '@odoo-ce/warehouse';
import { flagAlias, pickParameters, ROW_ID } from '../compiler/check-compiler.js';
import { RowCheck } from '../compiler/checks.js';
import { DataQualityError } from '../errors.js';
import type { ExpectationSuite } from '../model/expectation-config.js';
import type { ExpectationValidationResult, SuiteValidationResult } from '../model/results.js';
import { toCount } from '../model/values.js';
import { evaluate, failError, prepare, suiteResult, type RunOptions } from './evaluate.js';
import { dqResultRows, storeResults } from './results-store.js';
import { resolveTableName, type ResolvedTableName } from './table-name.js';

/** Where `split` reads and writes (logical names, mapped through the target's layout). */
export interface SplitTables {
  readonly source: string;
  readonly target: string;
  readonly quarantine: string;
}

/** Options of {@link split}. */
export interface SplitOptions extends RunOptions {
  /** `append` (default) adds the passing rows to the target; `overwrite` replaces its contents. */
  readonly mode?: 'append' | 'overwrite';
}

/** Row accounting of one split run; `invariantHolds` is `sourceRows === targetRows + quarantinedRows`. */
export interface SplitResult {
  readonly runId: string;
  readonly validation: SuiteValidationResult;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly quarantinedRows: number;
  readonly invariantHolds: boolean;
}

/** Joins failed names where an engine builds `_dq_failed` from text; names never contain it. */
const NAME_SEPARATOR = '\u001f';

/** Name of the pseudo-expectation recording the row-conservation invariant in `dq_results`. */
export const SPLIT_INVARIANT = 'expect_split_to_conserve_rows';

/**
 * Routes a source table's rows: rows failing any `drop` expectation go to `quarantine` (all source
 * columns plus `_dq_failed`, the names of every expectation the row failed, and `_dq_run_id`);
 * the rest go to `target`. Each row's failures are evaluated ONCE, into a stage table; the
 * results come from the same stage. When a `fail` expectation fails nothing is written (results are
 * stored, then `DataQualityError('EXPECTATION_FAILED')`). Every run checks and records
 * `source rows = target rows + quarantined rows` (`INVARIANT_VIOLATED` when it does not hold).
 * On engines with transactions (DuckDB) the writes are atomic.
 *
 * @example
 * const r = await split(warehouse, { source: 'bronze.scout.transactions', target: 'silver.scout.transactions',
 *   quarantine: 'silver.scout.transactions_quarantine' }, suite);
 * r.sourceRows === r.targetRows + r.quarantinedRows; // true
 */
export async function split(warehouse: Warehouse, tables: SplitTables, suite: ExpectationSuite, options: SplitOptions = {}): Promise<SplitResult> {
  const run = async (executor: QueryExecutor) => splitOn(executor, tables, suite, options);
  // Outside the transaction: DuckDB attaches the ops catalog, which it cannot do inside one.
  await ensureOpsSchema(warehouse);
  let outcome: Outcome;
  try {
    outcome = warehouse.adapter.supportsTransactions ? await warehouse.transaction(run) : await run(warehouse);
  } catch (error) {
    // Failing runs throw out of the transaction (rolling it back) and store their results here.
    if (error instanceof StopRun) {
      if (options.persist !== false) await storeResults(warehouse, dqResultRows(error.validation));
      throw error.error;
    }
    throw error;
  }
  if (options.persist !== false) await storeResults(warehouse, dqResultRows(outcome.result.validation));
  return outcome.result;
}

interface Outcome {
  readonly result: SplitResult;
}

/** Internal: carries the results of a run that must not commit. */
class StopRun extends Error {
  constructor(
    readonly validation: SuiteValidationResult,
    readonly error: DataQualityError,
  ) {
    super(error.message);
  }
}

function resolve(executor: QueryExecutor, name: string): ResolvedTableName {
  const r = resolveTableName(executor.adapter, executor.layout, name);
  if ('error' in r) throw DataQualityError.fromProblems('COMPILE_FAILED', [{ code: 'UNKNOWN_TABLE', severity: 'error', message: r.error, location: { table: name } }]);
  return r;
}

async function splitOn(executor: QueryExecutor, tables: SplitTables, suite: ExpectationSuite, options: SplitOptions): Promise<Outcome> {
  const prepared = await prepare(executor, tables.source, suite, { ...options, throwOnFail: false });
  const target = resolve(executor, tables.target);
  const quarantine = resolve(executor, tables.quarantine);
  const { plan, compiler } = prepared;
  const reserved = plan.columns.find((c) => c.name === '_dq_failed' || c.name === '_dq_run_id');
  if (reserved) throw DataQualityError.fromProblems('COMPILE_FAILED', [{ code: 'INVALID_SUITE', severity: 'error', message: `source column ${reserved.name} is reserved for the quarantine table`, location: { table: tables.source } }]);

  const a = executor.adapter;
  const stage = compiler.stageTableName(prepared.runId, [executor.layout.ops.catalog, executor.layout.ops.schema]);
  const items = plan.expectations.flatMap((e) => (e.item && RowCheck.is(e.item.node) ? [{ planned: e, item: e.item }] : []));
  const staging = compiler.stageSelect(plan.table.sql, items.map((i) => i.item));
  try {
    // The only place predicates run: each row's failures, once, into the stage.
    await executor.query(compiledQuery(compiler.createStageSql(stage, staging.sql), pickParameters(staging.sql, plan.parameters)), options);
    const results = await evaluate(executor, prepared, { kind: 'stage', stage, failuresOnly: staging.failuresOnly }, options);
    const validation = suiteResult(prepared, suite.name, results, a.dialect);
    if (validation.meta.failed_fail_expectations.length > 0 && options.throwOnFail !== false) throw new StopRun(validation, failError(validation));

    const cols = plan.columns.map((c) => a.quoteIdentifier(c.name)).join(', ');
    const flag = (index: number) => a.quoteIdentifier(flagAlias(index));
    const dropped = items.filter((i) => i.planned.config.meta.action === 'drop').map((i) => flag(i.planned.index));
    const isDropped = dropped.length > 0 ? `(${dropped.join(' OR ')})` : 'FALSE';
    const names: Record<string, string> = {};
    const cases = items.map((i, n) => {
      names[`dq_name${n}`] = i.planned.config.meta.name;
      return `CASE WHEN ${flag(i.planned.index)} THEN :dq_name${n} END`;
    });
    const failedNames = compiler.nonNullStringArray(cases.length > 0 ? cases : [`CAST(NULL AS ${a.typeName('string')})`], ':dq_sep');
    if (failedNames.includes(':dq_sep')) names['dq_sep'] = NAME_SEPARATOR;
    const str = a.typeName('string');
    for (const t of [target, quarantine]) if (t.parts.length === 3) await executor.query(a.createSchemaSql(t.parts[0] as string, t.parts[1] as string), options);
    await executor.query(`CREATE TABLE IF NOT EXISTS ${target.sql} AS SELECT ${cols} FROM ${plan.table.sql} WHERE 1 = 0`, options);
    await executor.query(
      compiledQuery(`CREATE TABLE IF NOT EXISTS ${quarantine.sql} AS SELECT ${cols}, ${failedNames} AS _dq_failed, CAST(NULL AS ${str}) AS _dq_run_id FROM ${stage} WHERE 1 = 0`, names),
      options,
    );
    const count = async (sql: string, params: Record<string, string> = {}) => toCount(Object.values((await executor.query(compiledQuery(sql, params), options)).rows[0] ?? {})[0]);
    const overwrite = options.mode === 'overwrite';
    const targetBefore = overwrite ? 0 : await count(`SELECT count(*) FROM ${target.sql}`);
    // Passing rows: from the flagged stage, or — when the stage holds only failing rows — from the
    // source minus the dropped row identities (no predicate is evaluated again).
    const rid = a.quoteIdentifier(ROW_ID);
    const passing = staging.failuresOnly
      ? `SELECT ${cols} FROM ${plan.table.sql} WHERE ${compiler.rowIdentity} NOT IN (SELECT ${rid} FROM ${stage} WHERE ${isDropped})`
      : `SELECT ${cols} FROM ${stage} WHERE NOT ${isDropped}`;
    await executor.query(overwrite ? compiler.overwriteSql(target.sql, cols, passing) : `INSERT INTO ${target.sql} (${cols}) ${passing}`, options);
    // The quarantine follows the target: replaced with it, by the same overwrite (so source = target +
    // quarantine holds for the tables as they stand, after any number of reruns), or appended to with it.
    const quarantineCols = `${cols}, _dq_failed, _dq_run_id`;
    const droppedRows = `SELECT ${cols}, ${failedNames} AS _dq_failed, CAST(:dq_run AS ${str}) AS _dq_run_id FROM ${stage} WHERE ${isDropped}`;
    await executor.query(
      compiledQuery(overwrite ? compiler.overwriteSql(quarantine.sql, quarantineCols, droppedRows) : `INSERT INTO ${quarantine.sql} (${quarantineCols}) ${droppedRows}`, { ...names, dq_run: prepared.runId }),
      options,
    );
    const sourceRows = await count(`SELECT count(*) FROM ${plan.table.sql}`);
    const targetRows = (await count(`SELECT count(*) FROM ${target.sql}`)) - targetBefore;
    const quarantinedRows = await count(`SELECT count(*) FROM ${quarantine.sql} WHERE _dq_run_id = :dq_run`, { dq_run: prepared.runId });
    const invariantHolds = sourceRows === targetRows + quarantinedRows;
    const finalValidation = suiteResult(prepared, suite.name, [...validation.results, invariantResult(sourceRows, targetRows, quarantinedRows, tables)], a.dialect);
    if (!invariantHolds) {
      throw new StopRun(
        finalValidation,
        new DataQualityError('INVARIANT_VIOLATED', `split of ${tables.source}: ${sourceRows} source rows but ${targetRows} target + ${quarantinedRows} quarantined rows; nothing was committed where the engine has transactions`, {
          data: { sourceRows, targetRows, quarantinedRows, runId: prepared.runId },
        }),
      );
    }
    return { result: { runId: prepared.runId, validation: finalValidation, sourceRows, targetRows, quarantinedRows, invariantHolds } };
  } finally {
    await executor.query(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
  }
}

/** The row-conservation invariant as a result row (recorded in dq_results on every run). */
function invariantResult(sourceRows: number, targetRows: number, quarantinedRows: number, tables: SplitTables): ExpectationValidationResult {
  return {
    success: sourceRows === targetRows + quarantinedRows,
    expectation_config: { type: SPLIT_INVARIANT, kwargs: { ...tables }, meta: { name: SPLIT_INVARIANT, action: 'fail' } },
    result: { element_count: sourceRows, observed_value: { source_rows: sourceRows, target_rows: targetRows, quarantined_rows: quarantinedRows } },
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
  };
}
