import { RowCheck, type CheckNode, type Verdict } from '../compiler/checks.js';
import type { PlannedExpectation } from '../compiler/plan.js';
import type { ExpectationResultDetail, ExpectationValidationResult, ResultValue } from '../model/results.js';
import { toResultValue } from '../model/values.js';
import { formatProblem } from '../errors.js';

/** Counts and samples a row check produced. */
export interface RowMetrics {
  readonly elementCount: number;
  /** Rows taking part (non-null values for column-map expectations). */
  readonly considered: number;
  readonly unexpected: number;
  /** Sampled unexpected rows: struct objects with `v*` value keys and `i*` index keys. */
  readonly samples: readonly Record<string, unknown>[];
}

function baseResult(planned: PlannedExpectation): Pick<ExpectationValidationResult, 'expectation_config' | 'exception_info'> {
  const { config } = planned;
  return {
    expectation_config: { type: config.type, kwargs: { ...config.kwargs }, meta: { ...config.meta } },
    exception_info: { raised_exception: false, exception_message: null, exception_traceback: null },
  };
}

/** A result for an expectation that could not be evaluated (`catch_exceptions`). */
export function exceptionResult(planned: PlannedExpectation, message?: string): ExpectationValidationResult {
  const text = message ?? planned.problems.map(formatProblem).join('; ');
  return { ...baseResult(planned), success: false, result: {}, exception_info: { raised_exception: true, exception_message: text, exception_traceback: null } };
}

/** The result of an aggregate or schema check. */
export function verdictResult(planned: PlannedExpectation, verdict: Verdict): ExpectationValidationResult {
  const result: ExpectationResultDetail = planned.resultFormat.result_format === 'BOOLEAN_ONLY' ? {} : { observed_value: verdict.observed_value, ...(verdict.details ? { details: verdict.details } : {}) };
  return { ...baseResult(planned), success: verdict.success, result };
}

const pct = (part: number, whole: number): number | null => (whole > 0 ? (part / whole) * 100 : null);

/** How one sampled row is reported: the value, `[a, b]` or `{col: value}`. */
function sampleValue(node: RowCheck, sample: Record<string, unknown>): ResultValue {
  if (node.shape === 'scalar') return toResultValue(sample['v0']);
  if (node.shape === 'pair') return node.values.map((v) => toResultValue(sample[v.key]));
  return Object.fromEntries(node.values.map((v) => [v.label, toResultValue(sample[v.key])]));
}

function sampleIndex(node: RowCheck, planned: PlannedExpectation, sample: Record<string, unknown>): Record<string, ResultValue> {
  const entry: Record<string, ResultValue> = {};
  for (const v of node.values) entry[v.label] = toResultValue(sample[v.key]);
  planned.item?.indexColumns.forEach((c, i) => (entry[c.label] = toResultValue(sample[`i${i}`])));
  return entry;
}

/**
 * GX's map-expectation result (`_format_map_output`): success from `mostly` over the considered
 * rows (vacuously true when none), and the fields of the requested result format.
 */
export function rowResult(planned: PlannedExpectation, node: RowCheck, metrics: RowMetrics, unexpectedIndexQuery?: string): ExpectationValidationResult {
  const { elementCount, considered, unexpected } = metrics;
  const nonnull = node.reportsMissing ? considered : elementCount;
  const success = nonnull === 0 ? true : (nonnull - unexpected) / nonnull >= planned.mostly;
  const format = planned.resultFormat;
  const result: ExpectationResultDetail = {};
  if (format.result_format !== 'BOOLEAN_ONLY') {
    const values = metrics.samples.map((s) => sampleValue(node, s));
    const partial = values.slice(0, format.partial_unexpected_count);
    const hasIndex = (planned.item?.indexColumns.length ?? 0) > 0;
    result.element_count = elementCount;
    result.unexpected_count = unexpected;
    result.unexpected_percent = pct(unexpected, nonnull);
    result.partial_unexpected_list = partial;
    if (node.reportsMissing) {
      result.missing_count = elementCount - considered;
      result.missing_percent = pct(elementCount - considered, elementCount);
      result.unexpected_percent_total = pct(unexpected, elementCount);
      result.unexpected_percent_nonmissing = pct(unexpected, nonnull);
    }
    if (format.result_format === 'SUMMARY' || format.result_format === 'COMPLETE') {
      if (node.shape === 'scalar') result.partial_unexpected_counts = valueCounts(partial);
      if (hasIndex) result.partial_unexpected_index_list = metrics.samples.slice(0, format.partial_unexpected_count).map((s) => sampleIndex(node, planned, s));
    }
    if (format.result_format === 'COMPLETE') {
      result.unexpected_list = values;
      if (hasIndex) result.unexpected_index_list = metrics.samples.map((s) => sampleIndex(node, planned, s));
      if (format.return_unexpected_index_query && unexpectedIndexQuery) result.unexpected_index_query = unexpectedIndexQuery;
    }
  }
  return { ...baseResult(planned), success, result };
}

/** Value counts, most frequent first, then by value (GX's `partial_unexpected_counts`). */
function valueCounts(values: readonly ResultValue[]): { value: ResultValue; count: number }[] {
  const counts = new Map<string, { value: ResultValue; count: number }>();
  for (const v of values) {
    const key = JSON.stringify(v);
    const entry = counts.get(key) ?? { value: v, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (JSON.stringify(a.value) < JSON.stringify(b.value) ? -1 : 1));
}

/** True for checks that produce a `mostly`-style map result. */
export function isRowNode(node: CheckNode | undefined): node is RowCheck {
  return RowCheck.is(node);
}
