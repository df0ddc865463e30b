import { createRequire } from 'node:module';
import type CronValidateModule from 'cron-validate' with { 'resolution-mode': 'require' };
import type { InputOptions, OptionPreset } from 'cron-validate/lib/types.js' with { 'resolution-mode': 'require' };

/**
 * Quartz cron validation (the syntax Databricks job schedules use), delegated to `cron-validate`:
 * `seconds minutes hours day-of-month month day-of-week [year]`, with `, - * /` everywhere, `?` in
 * exactly one of day-of-month / day-of-week, `L`, `W`, `LW`, `L-n` in day-of-month, `L`, `nL`,
 * `n#k` in day-of-week, `JAN-DEC` / `SUN-SAT` names (SUN=1). It does not compute fire times.
 *
 * Where cron-validate and Quartz (`org.quartz.CronExpression`, the reference) disagree:
 * - Stricter in Quartz, checked by `quartzOnlyProblem`: numbers are decimal digits (cron-validate
 *   uses `Number()`, which takes `0x10`, `1e1`, `1.0`); the `L-n` offset is at most 30; the `#k`
 *   occurrence is 1-5 (cron-validate takes `#0`).
 * - Allowed by Quartz, so cron-validate's complaints are dropped (`QUARTZ_ALLOWS`): ranges that
 *   wrap around (`22-2` hours, except years) and steps longer than their range (`10-20/11`).
 */

/**
 * cron-validate is CommonJS with `exports.default`: loaded through `require` so Node and vitest
 * (which unwraps `default` for ESM imports of CommonJS) see the same module. The type import's
 * default is that whole `module.exports`, hence `.default` for the function.
 */
type CronValidate = typeof CronValidateModule.default;
const cronValidate = (createRequire(import.meta.url)('cron-validate') as { default: CronValidate }).default;

type FieldKey = 'seconds' | 'minutes' | 'hours' | 'daysOfMonth' | 'months' | 'daysOfWeek' | 'years';

interface Field {
  readonly key: FieldKey;
  readonly name: string;
  readonly expected: string;
  /** A value that is valid on its own; used to check one field at a time. */
  readonly neutral: string;
}

const FIELDS: readonly Field[] = [
  { key: 'seconds', name: 'seconds', expected: '0-59', neutral: '0' },
  { key: 'minutes', name: 'minutes', expected: '0-59', neutral: '0' },
  { key: 'hours', name: 'hours', expected: '0-23', neutral: '0' },
  { key: 'daysOfMonth', name: 'day-of-month', expected: '1-31, L, L-n, nW, LW or ?', neutral: '1' },
  { key: 'months', name: 'month', expected: '1-12 or JAN-DEC', neutral: '1' },
  { key: 'daysOfWeek', name: 'day-of-week', expected: '1-7 (SUN=1), SUN-SAT, L, nL, n#k or ?', neutral: '?' },
  { key: 'years', name: 'year', expected: '1970-2099', neutral: '2000' },
];
const FIELD_NAMES = new Map<string, string>(FIELDS.map((f) => [f.key, f.name]));
const DAY_OF_MONTH = 3;
const DAY_OF_WEEK = 5;

/** Quartz's grammar as a cron-validate preset (bounds from Quartz `CronExpression`). */
const QUARTZ: OptionPreset = {
  presetId: 'quartz',
  useSeconds: true,
  useYears: false,
  useAliases: true,
  useBlankDay: true,
  allowOnlyOneBlankDayField: true,
  mustHaveBlankDayField: true,
  allowStepping: true,
  useLastDayOfMonth: true,
  useLastDayOfWeek: true,
  useNearestWeekday: true,
  useNthWeekdayOfMonth: true,
  seconds: { minValue: 0, maxValue: 59 },
  minutes: { minValue: 0, maxValue: 59 },
  hours: { minValue: 0, maxValue: 23 },
  daysOfMonth: { minValue: 1, maxValue: 31 },
  months: { minValue: 1, maxValue: 12 },
  daysOfWeek: { minValue: 1, maxValue: 7 },
  years: { minValue: 1970, maxValue: 2099 },
};

/**
 * The problems with a Quartz cron expression (empty when it is valid), each naming the field, its
 * text and what was expected. cron-validate answers with one flat list of messages for the whole
 * expression; to say which field a message is about, an invalid expression is checked again one
 * field at a time (the others neutral); the day-field pairing rule is taken from the whole run.
 */
export function quartzCronProblems(expression: string): string[] {
  const fields = expression.trim() === '' ? [] : expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) {
    return [`expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got ${fields.length}`];
  }
  const options: InputOptions = { preset: QUARTZ, override: { useYears: fields.length === 7 } };
  const whole = libraryProblems(fields.join(' '), options);
  const quartzOnly = fields.map((text, i) => quartzOnlyProblem(text, i));
  if (whole.length === 0 && quartzOnly.every((p) => p === undefined)) return [];

  const fieldProblems = fields.flatMap((text, i) => {
    const field = FIELDS[i] as Field;
    const quartzProblem = quartzOnly[i];
    const problems = quartzProblem !== undefined ? [quartzProblem] : libraryProblems(probe(fields, i), options);
    return problems.map((p) => `${field.name} "${text}": ${p}; expected ${field.expected} (with , - * /)`);
  });
  const dom = fields[DAY_OF_MONTH] as string;
  const dow = fields[DAY_OF_WEEK] as string;
  const pairing = whole.some((p) => p.includes('day-of-month and day-of-week'))
    ? [`exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be "?" (${dom === '?' ? 'both are' : 'Quartz cannot combine a day of the month with a day of the week'})`]
    : [];
  const problems = [...fieldProblems, ...pairing];
  // Whatever cron-validate rejects that neither explains is still reported, in its words.
  return problems.length > 0 ? problems : whole;
}

/** The expression with every field but `index` replaced by a neutral value, keeping one day field `?`. */
function probe(fields: readonly string[], index: number): string {
  const probed = fields.map((text, i) => (i === index ? text : (FIELDS[i] as Field).neutral));
  if (index === DAY_OF_WEEK) probed[DAY_OF_MONTH] = fields[DAY_OF_WEEK] === '?' ? '1' : '?';
  if (index === DAY_OF_MONTH && fields[DAY_OF_MONTH] === '?') probed[DAY_OF_WEEK] = '1';
  return probed.join(' ');
}

/** cron-validate messages about what Quartz accepts (see the file comment). */
const QUARTZ_ALLOWS = [
  /^Lower range end '\d+' is bigger than upper range end '\d+' of (?!years)/,
  /^Step value '\d+' is too large for the range/,
];

/** cron-validate's messages without the `(Input cron: '…')` suffix, with our field names. */
function libraryProblems(expression: string, options: InputOptions): string[] {
  const result = cronValidate(expression, options);
  if (result.isValid()) return [];
  const messages = result
    .getError()
    .filter((message) => !QUARTZ_ALLOWS.some((allowed) => allowed.test(message)))
    .map((message) =>
      message
        .replace(/ \(Input cron: '.*'\)$/, '')
        .replace(/\.$/, '')
        .replace(/\b(seconds|minutes|hours|daysOfMonth|months|daysOfWeek|years)\b/g, (key) => FIELD_NAMES.get(key) ?? key),
    );
  return [...new Set(messages)];
}

/** The Quartz rules cron-validate lacks (see the file comment), for one field. */
function quartzOnlyProblem(field: string, index: number): string | undefined {
  for (const item of field.split(',')) {
    const bad = item.split(/[-/#]/).find((token) => /^[\d+.]/.test(token) && !/^\d+[LW]?$/i.test(token));
    if (bad !== undefined) return `'${bad}' is not a whole number written in digits`;
    const offset = index === DAY_OF_MONTH ? /^L-(\d+)$/i.exec(item) : null;
    if (offset && Number(offset[1]) > 30) return `the offset from the last day 'L-${offset[1]}' is more than 30`;
    const nth = index === DAY_OF_WEEK ? /#(\d+)$/.exec(item) : null;
    if (nth && Number(nth[1]) < 1) return `the occurrence after '#' must be 1-5, got ${nth[1]}`;
  }
  return undefined;
}

/** True when `id` is a time zone the runtime knows (IANA names such as `Asia/Manila`, or `UTC`). */
export function isKnownTimeZone(id: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
    return true;
  } catch {
    return false;
  }
}
