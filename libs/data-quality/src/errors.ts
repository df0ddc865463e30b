import { PlatformError } from '@odoo-ce/common';

/** Codes of {@link DataQualityError}; callers branch on these, never on message text. */
export type DataQualityErrorCode =
  /** The suite file or object is malformed (YAML syntax, unknown expectation type, bad kwargs). */
  | 'INVALID_SUITE'
  /** The suite does not fit the table: missing table or column, wrong column type. */
  | 'COMPILE_FAILED'
  /** At least one expectation with action `fail` failed; results were stored first. */
  | 'EXPECTATION_FAILED'
  /** `source rows = target rows + quarantined rows` did not hold after a split. */
  | 'INVARIANT_VIOLATED'
  /** Bad input to a helper (a malformed decimal, an unknown withholding period). */
  | 'INVALID_INPUT';

/** Where a {@link Problem} was found. Every field is optional; fill what is known. */
export interface ProblemLocation {
  readonly file?: string;
  readonly table?: string;
  /** The expectation's name (suite files) or `#<index>` when it has none. */
  readonly expectation?: string;
  /** Path inside the expectation, e.g. `kwargs.min_value`. */
  readonly path?: string;
}

/**
 * One compile or validation problem. Problems are collected and reported together, never thrown
 * one at a time.
 */
export interface Problem {
  readonly code:
    | 'INVALID_SUITE'
    | 'UNKNOWN_EXPECTATION_TYPE'
    | 'INVALID_KWARGS'
    | 'UNKNOWN_TABLE'
    | 'UNKNOWN_COLUMN'
    | 'TYPE_MISMATCH'
    | 'NOT_SUPPORTED';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location: ProblemLocation;
}

/** `table bronze.x, expectation amount_positive, kwargs.min_value: <message>` */
export function formatProblem(problem: Problem): string {
  const { file, table, expectation, path } = problem.location;
  const where = [file, table && `table ${table}`, expectation && `expectation ${expectation}`, path].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/**
 * Every failure of the data-quality lib. `data.problems` holds the collected {@link Problem}s for
 * INVALID_SUITE / COMPILE_FAILED; `data.failed` the names of failing `fail` expectations and
 * `data.results` the validation results for EXPECTATION_FAILED.
 *
 * @example
 * try { await validate(wh, 'silver.finance.invoices', suite); }
 * catch (e) { if (e instanceof DataQualityError && e.code === 'EXPECTATION_FAILED') … }
 */
export class DataQualityError extends PlatformError<DataQualityErrorCode> {
  /** Builds an INVALID_SUITE / COMPILE_FAILED error whose message lists every problem. */
  static fromProblems(code: 'INVALID_SUITE' | 'COMPILE_FAILED', problems: readonly Problem[], data: Record<string, unknown> = {}): DataQualityError {
    const errors = problems.filter((p) => p.severity === 'error');
    const head = code === 'INVALID_SUITE' ? 'invalid expectation suite' : 'the suite does not fit the table';
    const lines = errors.map((p) => `  - ${formatProblem(p)}`).join('\n');
    return new DataQualityError(code, `${head} (${errors.length} problem${errors.length === 1 ? '' : 's'}):\n${lines}`, {
      data: { ...data, problems },
    });
  }
}
