import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScheduleSchema } from './schema.js';
import { quartzCronProblems } from './quartz.js';

const BUNDLES = join(import.meta.dirname, '../../../../databricks/bundles');

/** Every `quartz_cron_expression` in the repository's bundle, so a new schedule is checked too. */
function repoCronExpressions(dir = BUNDLES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return repoCronExpressions(path);
    if (!/\.ya?ml$/.test(entry.name)) return [];
    return [...readFileSync(path, 'utf8').matchAll(/quartz_cron_expression:\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
  });
}

describe('quartzCronProblems accepts Quartz', () => {
  it.each([
    ['platform-facts.md (jobs API, Terraform)', '0 0 2 * * ?'],
    ['a day of the month', '0 0 6 1 * ?'],
    ['weekday names in a range', '0 30 2 ? * MON-FRI'],
    ['lower-case names', '0 0 12 ? * sun'],
    ['last day of the month', '0 0 0 L * ?'],
    ['third-to-last day', '0 0 0 L-3 * ?'],
    ['last weekday of the month', '0 0 5 LW * ?'],
    ['nearest weekday, month list', '0 0 1 1W JAN,APR,JUL,OCT ?'],
    ['last Friday (SUN=1)', '0 0 8 ? * 6L'],
    ['third Friday', '0 15 10 ? * 6#3'],
    ['year field with a step', '0 0/15 * * * ? 2026'],
    ['year range with a step', '0 0 0 1 * ? 2026-2030/2'],
    ['year wildcard', '0 0 0 1 * ? *'],
    ['seconds step', '*/5 * * * * ?'],
    ['Saturday and Sunday as 7 and 1', '0 0 9 ? * 7,1'],
    ['a range wrapping midnight (Quartz wraps)', '0 0 22-2 ? * MON'],
    ['a step longer than its range', '0 10-20/11 * * * ?'],
    ['extra spaces between fields', '0  0   2 * * ?'],
  ])('%s: %s', (_what, expression) => {
    expect(quartzCronProblems(expression)).toEqual([]);
  });

  it('every schedule in databricks/bundles', () => {
    const expressions = repoCronExpressions();
    expect(expressions.length).toBeGreaterThanOrEqual(3);
    for (const expression of expressions) expect(quartzCronProblems(expression), expression).toEqual([]);
  });
});

describe('quartzCronProblems rejects', () => {
  const FIELDS = 'expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year])';
  it.each([
    ['a 5-field Unix cron', '0 6 1 * *', [`${FIELDS}, got 5`]],
    ['8 fields', '0 0 1 1 * ? 2026 x', [`${FIELDS}, got 8`]],
    ['an empty expression', ' ', [`${FIELDS}, got 0`]],
    ["the seed's ternary", '${bundle.target == "prod" ? "0 0 2 * * ?" : "0 0 2 1 * ?"}', [`${FIELDS}, got 17`]],
    [
      'both day fields set',
      '0 0 1 * * *',
      ['exactly one of day-of-month ("*") and day-of-week ("*") must be "?" (Quartz cannot combine a day of the month with a day of the week)'],
    ],
    ['"?" in both day fields', '0 0 1 ? * ?', ['exactly one of day-of-month ("?") and day-of-week ("?") must be "?" (both are)']],
    ['hour 25', '0 0 25 1 * ?', [`hours "25": Number '25' of hours field is bigger than upper limit '23'; expected 0-23 (with , - * /)`]],
    ['second 60', '60 0 0 1 * ?', [`seconds "60": Number '60' of seconds field is bigger than upper limit '59'; expected 0-59 (with , - * /)`]],
    [
      'day of month 32',
      '0 0 0 32 * ?',
      [`day-of-month "32": Number '32' of day-of-month field is bigger than upper limit '31'; expected 1-31, L, L-n, nW, LW or ? (with , - * /)`],
    ],
    ['month 0', '0 0 0 1 0 ?', [`month "0": Number '0' of month field is smaller than lower limit '1'; expected 1-12 or JAN-DEC (with , - * /)`]],
    [
      'day of week 0 (Unix Sunday)',
      '0 0 0 ? * 0',
      [`day-of-week "0": Number '0' of day-of-week field is smaller than lower limit '1'; expected 1-7 (SUN=1), SUN-SAT, L, nL, n#k or ? (with , - * /)`],
    ],
    ['year 2100', '0 0 0 1 * ? 2100', [`year "2100": Number '2100' of year field is bigger than upper limit '2099'; expected 1970-2099 (with , - * /)`]],
    ['a year range backwards', '0 0 0 1 * ? 2030-2026', [`year "2030-2026": Lower range end '2030' is bigger than upper range end '2026' of year field; expected 1970-2099 (with , - * /)`]],
    [
      'a bad month name (and "?" twice)',
      '0 0 1 ? FOO ?',
      [
        `month "FOO": Element 'FOO' of month field is invalid; expected 1-12 or JAN-DEC (with , - * /)`,
        'exactly one of day-of-month ("?") and day-of-week ("?") must be "?" (both are)',
      ],
    ],
    [
      'a bad day name in a range',
      '0 0 0 ? * MON-FOO',
      [`day-of-week "MON-FOO": Element 'FOO' of day-of-week field is invalid; expected 1-7 (SUN=1), SUN-SAT, L, nL, n#k or ? (with , - * /)`],
    ],
    ['a step of 0', '0 */0 1 1 * ?', [`minutes "*/0": Second step element '0' of '*/0' cannot be zero; expected 0-59 (with , - * /)`]],
    ['"?" outside the day fields', '? 0 0 1 * ?', [`seconds "?": blank notation is not allowed in seconds field; expected 0-59 (with , - * /)`]],
    ['a hexadecimal number', '0 0 0x10 * * ?', [`hours "0x10": '0x10' is not a whole number written in digits; expected 0-23 (with , - * /)`]],
    ['a decimal number', '0 0 1.0 * * ?', [`hours "1.0": '1.0' is not a whole number written in digits; expected 0-23 (with , - * /)`]],
    [
      'an L offset over 30',
      '0 0 0 L-31 * ?',
      [`day-of-month "L-31": the offset from the last day 'L-31' is more than 30; expected 1-31, L, L-n, nW, LW or ? (with , - * /)`],
    ],
    ['W without a day', '0 0 0 W * ?', [`day-of-month "W": The 'W' must be preceded by a day; expected 1-31, L, L-n, nW, LW or ? (with , - * /)`]],
    [
      '#0',
      '0 0 0 ? * 2#0',
      [`day-of-week "2#0": the occurrence after '#' must be 1-5, got 0; expected 1-7 (SUN=1), SUN-SAT, L, nL, n#k or ? (with , - * /)`],
    ],
    [
      '#6',
      '0 0 0 ? * 2#6',
      [`day-of-week "2#6": Number of occurrence of the day of the week cannot be greater than 5; expected 1-7 (SUN=1), SUN-SAT, L, nL, n#k or ? (with , - * /)`],
    ],
  ])('%s: %s', (_what, expression, expected) => {
    expect(quartzCronProblems(expression)).toEqual(expected);
  });
});

describe('schedule validation', () => {
  it('names the expression, the field and what was expected', () => {
    const result = ScheduleSchema.safeParse({ quartz_cron_expression: '0 0 25 1 * ?', timezone_id: 'UTC' }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['quartz_cron_expression'],
        input: '0 0 25 1 * ?',
        message: `invalid Quartz cron expression: hours "25": Number '25' of hours field is bigger than upper limit '23'; expected 0-23 (with , - * /)`,
      }),
    ]);
  });
});
