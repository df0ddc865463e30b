/**
 * Structural validation of Quartz cron expressions (the syntax Databricks job schedules use):
 * `seconds minutes hours day-of-month month day-of-week [year]`, with `, - * /` everywhere,
 * `?` in exactly one of day-of-month / day-of-week, `L`, `W`, `LW`, `L-n` in day-of-month and
 * `L`, `nL`, `n#k` in day-of-week. It does not compute fire times.
 */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'seconds', min: 0, max: 59 },
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2099 },
];

/** The problems with a Quartz cron expression (empty when it is valid). */
export function quartzCronProblems(expression: string): string[] {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7) {
    return [`expected 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got ${fields.length}`];
  }
  const problems: string[] = [];
  fields.forEach((field, i) => {
    const spec = FIELDS[i] as FieldSpec;
    const problem = fieldProblem(field.toUpperCase(), spec, i);
    if (problem) problems.push(`${spec.name} "${field}": ${problem}`);
  });
  const dom = fields[3] as string;
  const dow = fields[5] as string;
  if ((dom === '?') === (dow === '?')) {
    problems.push(`exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be "?" (Quartz does not support both)`);
  }
  return problems;
}

function fieldProblem(field: string, spec: FieldSpec, index: number): string | undefined {
  if (field === '?') return index === 3 || index === 5 ? undefined : '"?" is only allowed in day-of-month and day-of-week';
  for (const item of field.split(',')) {
    if (item === '') return 'empty list item';
    const problem = itemProblem(item, spec, index);
    if (problem) return problem;
  }
  return undefined;
}

function itemProblem(item: string, spec: FieldSpec, index: number): string | undefined {
  if (index === 3) {
    if (item === 'L' || item === 'LW') return undefined;
    const offset = /^L-(\d+)$/.exec(item);
    if (offset) return Number(offset[1]) <= 30 ? undefined : `"L-n" offset must be at most 30`;
    const weekday = /^(\d+)W$/.exec(item);
    if (weekday) return rangeProblem(Number(weekday[1]), spec);
  }
  if (index === 5) {
    if (item === 'L') return undefined;
    const last = /^(\w+)L$/.exec(item);
    if (last) return valueProblem(last[1] as string, spec);
    const nth = /^(\w+)#(\d+)$/.exec(item);
    if (nth) return valueProblem(nth[1] as string, spec) ?? (Number(nth[2]) >= 1 && Number(nth[2]) <= 5 ? undefined : '"#n" must be 1..5');
  }
  const [range, step, extra] = item.split('/');
  if (extra !== undefined) return `"${item}" has more than one "/"`;
  if (step !== undefined && !/^\d+$/.test(step)) return `step "${step}" must be a positive whole number`;
  if (step !== undefined && Number(step) === 0) return 'step must be at least 1';
  if (range === '*') return undefined;
  const bounds = (range as string).split('-');
  if (bounds.length > 2) return `"${range}" is not a value or a range`;
  for (const b of bounds) {
    const problem = valueProblem(b, spec);
    if (problem) return problem;
  }
  return undefined;
}

function valueProblem(value: string, spec: FieldSpec): string | undefined {
  if (spec.names?.includes(value)) return undefined;
  if (!/^\d+$/.test(value)) {
    return `"${value}" is not a number${spec.names ? ` or one of ${spec.names.join(',')}` : ''}`;
  }
  return rangeProblem(Number(value), spec);
}

function rangeProblem(value: number, spec: FieldSpec): string | undefined {
  return value >= spec.min && value <= spec.max ? undefined : `${value} is outside ${spec.min}..${spec.max}`;
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
