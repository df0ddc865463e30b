/**
 * @odoo-ce/data-quality — Great Expectations-style expectation suites compiled to ONE SQL scan per
 * table, with Lakeflow's actions (warn / drop / fail), a quarantine split, results in the target's
 * ops schema, and the Philippine BIR rules as expectations and reference data.
 *
 * Engine-neutral: it talks to `@odoo-ce/warehouse` only, never to an engine SDK.
 */
export { Decimal } from './decimal.js';
export { DataQualityError, formatProblem, type DataQualityErrorCode, type Problem, type ProblemLocation } from './errors.js';

export { ACTIONS, ExpectationConfig, defaultExpectationName, expectationSuite, type Action, type ExpectationMeta, type ExpectationSuite } from './model/expectation-config.js';
export {
  DEFAULT_PARTIAL_UNEXPECTED_COUNT,
  MAX_RESULT_RECORDS,
  RESULT_FORMATS,
  ResultFormatSchema,
  normalizeResultFormat,
  sampleSize,
  type ResultFormat,
  type ResultFormatInput,
  type ResultFormatName,
} from './model/result-format.js';
export type { ExpectationResultDetail, ExpectationValidationResult, ResultValue, SuiteValidationResult } from './model/results.js';
export { evaluateSuiteParameter, isSuiteParameter, resolveSuiteParameters, type SuiteParameter } from './model/suite-parameters.js';

export { ROW_FAMILIES, type ExpectationDefinition, type Family } from './expectations/definition.js';
export { GX_EXPECTATION_TYPES, expectationDefinition, expectationTypes } from './expectations/registry.js';
export { compileStrftime, StrftimeFormatError, type StrftimePattern } from './expectations/strftime.js';

export {
  CheckCompilerBase,
  DatabricksCheckCompiler,
  DuckDbCheckCompiler,
  checkCompilerFor,
  type CompiledScan,
  type ScanInput,
  type ScanItem,
} from './compiler/check-compiler.js';
export { AggregateCheck, RowCheck, SchemaCheck, type CheckNode, type JoinHelper, type ValueField, type Verdict, type WindowHelper } from './compiler/checks.js';
export { baseTypeName, categoryOf, matchesSqlTypeName, type ColumnCategory, type TableColumn } from './compiler/column-types.js';
export { checkExpectationConfig, planSuite, type PlannedExpectation, type PlanInput, type SuitePlan } from './compiler/plan.js';

export { loadSuiteFile, parseSuite, type SuiteFile, type SuiteTable } from './suite/suite-file.js';

export { describeTable } from './runner/introspect.js';
export { DQ_RESULTS_TABLE, dqResultRows, dqResultsDdl, readResults, storeResults, type DqResultRow, type ResultsQuery } from './runner/results-store.js';
export type { RunOptions } from './runner/evaluate.js';
export { split, SPLIT_INVARIANT, type SplitOptions, type SplitResult, type SplitTables } from './runner/split.js';
export { resolveTableName, type ResolvedTableName } from './runner/table-name.js';
export { validate, type ValidateOptions } from './runner/validate.js';
export { loadSuites, qualityGates, type GateOutcome, type GateTaskContext } from './runner/quality-gates.js';

export { ATC_CODES, atcRate, expandedWithholding, type AtcCode } from './bir/atc.js';
export { isValidTin, normalizeTin, TIN_PATTERN } from './bir/tin.js';
export { isVatWithinTolerance, VAT_RATE, VAT_TOLERANCE } from './bir/vat.js';
export { vat2550q, Vat2550qInputSchema, type Vat2550qInput, type Vat2550qResult } from './bir/vat-return.js';
export {
  formatAmount,
  MAX_TAXABLE_SCALE,
  WITHHOLDING_PERIODS,
  WITHHOLDING_TAX_TABLE,
  parseTaxable,
  parseWithholdingPeriod,
  withholdingTax,
  type WithholdingBracket,
  type WithholdingPeriod,
  type WithholdingResult,
} from './bir/withholding.js';
export {
  WITHHOLDING_TAX_TABLE_NAME,
  installWithholdingTaxTable,
  withholdingTaxFromTable,
  withholdingTaxQuery,
  withholdingTaxTableStatements,
} from './bir/withholding-table.js';
