import { z } from 'zod';

/** GX's four result formats, least to most detailed. */
export const RESULT_FORMATS = ['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE'] as const;
export type ResultFormatName = (typeof RESULT_FORMATS)[number];

/** GX 1.x caps the "full" COMPLETE lists at this many records (`MAX_RESULT_RECORDS`). */
export const MAX_RESULT_RECORDS = 200;
/** GX's default `partial_unexpected_count`. */
export const DEFAULT_PARTIAL_UNEXPECTED_COUNT = 20;

/** A normalized `result_format`: GX accepts a bare name or an object; this is always the object. */
export interface ResultFormat {
  readonly result_format: ResultFormatName;
  readonly partial_unexpected_count: number;
  /** Columns identifying unexpected rows (`unexpected_index_list`); empty = no index lists. */
  readonly unexpected_index_column_names: readonly string[];
  readonly return_unexpected_index_query: boolean;
}

/** The zod schema of a `result_format` kwarg (GX spelling). */
export const ResultFormatSchema = z.union([
  z.enum(RESULT_FORMATS),
  z
    .object({
      result_format: z.enum(RESULT_FORMATS),
      partial_unexpected_count: z.number().int().min(0).optional(),
      unexpected_index_column_names: z.array(z.string().min(1)).optional(),
      return_unexpected_index_query: z.boolean().optional(),
      include_unexpected_rows: z.boolean().optional(),
      exclude_unexpected_values: z.boolean().optional(),
    })
    .strict(),
]);
export type ResultFormatInput = z.input<typeof ResultFormatSchema>;

/**
 * Normalizes a validated `result_format` value; `fallback` applies when `input` is undefined.
 *
 * @example
 * normalizeResultFormat('COMPLETE').partial_unexpected_count; // 20
 */
export function normalizeResultFormat(input: ResultFormatInput | undefined, fallback: ResultFormatName = 'SUMMARY'): ResultFormat {
  const value = input ?? fallback;
  const object = typeof value === 'string' ? { result_format: value } : value;
  return Object.freeze({
    result_format: object.result_format,
    partial_unexpected_count: 'partial_unexpected_count' in object && object.partial_unexpected_count !== undefined ? object.partial_unexpected_count : DEFAULT_PARTIAL_UNEXPECTED_COUNT,
    unexpected_index_column_names: Object.freeze([...('unexpected_index_column_names' in object ? (object.unexpected_index_column_names ?? []) : [])]),
    return_unexpected_index_query: 'return_unexpected_index_query' in object ? (object.return_unexpected_index_query ?? true) : true,
  });
}

/** How many unexpected rows to sample for a result format: 0 for BOOLEAN_ONLY, up to 200 for COMPLETE. */
export function sampleSize(format: ResultFormat): number {
  switch (format.result_format) {
    case 'BOOLEAN_ONLY':
      return 0;
    case 'COMPLETE':
      return Math.max(MAX_RESULT_RECORDS, format.partial_unexpected_count);
    default:
      return format.partial_unexpected_count;
  }
}
