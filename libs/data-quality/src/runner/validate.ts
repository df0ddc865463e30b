import type { QueryExecutor } from '@odoo-ce/warehouse';
import type { ExpectationSuite } from '../model/expectation-config.js';
import type { SuiteValidationResult } from '../model/results.js';
import { evaluate, failError, prepare, suiteResult, type RunOptions } from './evaluate.js';
import { dqResultRows, storeResults } from './results-store.js';

/** Options of {@link validate}. */
export type ValidateOptions = RunOptions;

/**
 * Validates a table against a suite in ONE scan and returns GX's validation result. Results are
 * appended to `<ops>.dq_results` (one row per expectation); when an expectation with action
 * `fail` fails, `DataQualityError('EXPECTATION_FAILED')` is thrown after they are stored.
 *
 * Bad suites (unknown type, wrong kwarg type, missing table or column) fail with
 * `DataQualityError('INVALID_SUITE' | 'COMPILE_FAILED')` listing every problem, before any row is read.
 *
 * @example
 * const suite = expectationSuite('bronze', [ExpectationConfig.create('expect_column_values_to_not_be_null', { column: 'id' })]);
 * const result = await validate(warehouse, 'bronze.scout.transactions', suite);
 * result.statistics.success_percent;
 */
export async function validate(warehouse: QueryExecutor, table: string, suite: ExpectationSuite, options: ValidateOptions = {}): Promise<SuiteValidationResult> {
  const prepared = await prepare(warehouse, table, suite, options);
  const results = await evaluate(warehouse, prepared, { kind: 'table' }, options);
  const validation = suiteResult(prepared, suite.name, results, warehouse.adapter.dialect);
  if (options.persist !== false) await storeResults(warehouse, dqResultRows(validation));
  if (options.throwOnFail !== false && validation.meta.failed_fail_expectations.length > 0) throw failError(validation);
  return validation;
}
