import type { Action } from './expectation-config.js';

/** A JSON-safe value as results report them (dates as ISO strings, big integers as strings). */
export type ResultValue = null | boolean | number | string | readonly ResultValue[] | { readonly [key: string]: ResultValue };

/** GX's `result` object; which keys are present depends on the family and the result format. */
export interface ExpectationResultDetail {
  element_count?: number;
  missing_count?: number;
  missing_percent?: number | null;
  unexpected_count?: number;
  unexpected_percent?: number | null;
  unexpected_percent_total?: number | null;
  unexpected_percent_nonmissing?: number | null;
  partial_unexpected_list?: ResultValue[];
  partial_unexpected_index_list?: Record<string, ResultValue>[];
  partial_unexpected_counts?: { value: ResultValue; count: number }[];
  unexpected_list?: ResultValue[];
  unexpected_index_list?: Record<string, ResultValue>[];
  unexpected_index_query?: string;
  observed_value?: ResultValue;
  details?: Record<string, ResultValue>;
}

/** GX's `ExpectationValidationResult`, plus the action we applied. */
export interface ExpectationValidationResult {
  success: boolean;
  expectation_config: {
    type: string;
    kwargs: Record<string, unknown>;
    meta: { name: string; action: Action; notes?: string };
  };
  result: ExpectationResultDetail;
  exception_info: { raised_exception: boolean; exception_message: string | null; exception_traceback: string | null };
}

/** GX's `ExpectationSuiteValidationResult`, with run metadata. */
export interface SuiteValidationResult {
  success: boolean;
  statistics: {
    evaluated_expectations: number;
    successful_expectations: number;
    unsuccessful_expectations: number;
    success_percent: number | null;
  };
  results: ExpectationValidationResult[];
  suite_name: string;
  meta: {
    run_id: string;
    run_time: string;
    table: string;
    dialect: string;
    /** Names of `fail` expectations that failed. */
    failed_fail_expectations: string[];
  };
}
