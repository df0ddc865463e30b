import { describe, expect, it } from 'vitest';
import { DataQualityError } from '../errors.js';
import { evaluateSuiteParameter, isSuiteParameter, resolveSuiteParameters } from './suite-parameters.js';

describe('suite parameters', () => {
  const now = new Date('2025-06-15T10:00:00Z');

  it('evaluates GX expressions to naive datetimes', () => {
    expect(evaluateSuiteParameter('datetime(2003, 1, 1)', now).toISOString()).toBe('2003-01-01T00:00:00.000Z');
    const local = now.getTime() - now.getTimezoneOffset() * 60_000;
    expect(evaluateSuiteParameter('now()', now).getTime()).toBe(local);
    expect(evaluateSuiteParameter('now() - timedelta(weeks=52)', now).getTime()).toBe(local - 52 * 7 * 86_400_000);
    expect(evaluateSuiteParameter('now() - timedelta(weeks=52*100)', now).getTime()).toBe(local - 5200 * 7 * 86_400_000);
  });

  it('replaces {"$PARAMETER": …} kwargs and leaves others', () => {
    expect(isSuiteParameter({ $PARAMETER: 'now()' })).toBe(true);
    expect(isSuiteParameter({ $PARAMETER: 'now()', x: 1 })).toBe(false);
    const out = resolveSuiteParameters({ column: 'ts', max_value: { $PARAMETER: 'datetime(1969, 1, 1)' } }, now);
    expect(out['column']).toBe('ts');
    expect((out['max_value'] as Date).toISOString()).toBe('1969-01-01T00:00:00.000Z');
  });

  it('rejects unknown functions and non-datetime results', () => {
    expect(() => evaluateSuiteParameter('today()')).toThrow(DataQualityError);
    expect(() => evaluateSuiteParameter('52*100')).toThrow(/must evaluate to a datetime/);
    expect(() => evaluateSuiteParameter('now(); drop table x')).toThrow(/unexpected characters/);
  });
});
