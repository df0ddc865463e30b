import { PlatformError } from '@odoo-ce/common';

/**
 * Why an ML call could not give an answer. Every one is a user-facing condition with a reason,
 * never a crash: `NO_MODEL` (nothing registered/in production), `UNKNOWN_SERIES`, `SERIES_TOO_SHORT`,
 * `INVALID_INPUT` (names the field, the value and what was expected), `NO_FEATURES` (the feature
 * table is missing or empty), `INVALID_ARTIFACT` (a stored model that does not parse).
 */
export type MlErrorCode = 'NO_MODEL' | 'UNKNOWN_SERIES' | 'SERIES_TOO_SHORT' | 'INVALID_INPUT' | 'NO_FEATURES' | 'INVALID_ARTIFACT';

export class MlError extends PlatformError<MlErrorCode> {}

/** `INVALID_INPUT` naming the field, the value received and what was expected. */
export function invalidInput(field: string, value: unknown, expected: string): MlError {
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value);
  return new MlError('INVALID_INPUT', `${field}: got ${shown}, expected ${expected}`, { data: { field, expected } });
}
