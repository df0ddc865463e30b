import { DataQualityError } from '../errors.js';

/**
 * A GX suite parameter: a kwarg written `{"$PARAMETER": "<expression>"}` and evaluated when the
 * suite runs. Supported expressions (GX evaluates them with Python's `datetime`):
 * `now()`, `datetime(Y, M, D[, h, m, s])`, `timedelta(weeks=…, days=…, hours=…, minutes=…, seconds=…)`,
 * integer products such as `52*100`, and `+` / `-` between them.
 */
export interface SuiteParameter {
  readonly $PARAMETER: string;
}

/** True for `{"$PARAMETER": "…"}`. */
export function isSuiteParameter(value: unknown): value is SuiteParameter {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as Record<string, unknown>)['$PARAMETER'] === 'string';
}

type Value = { readonly kind: 'datetime'; readonly ms: number } | { readonly kind: 'delta'; readonly ms: number } | { readonly kind: 'number'; readonly value: number };

const DELTA_UNITS: Record<string, number> = { weeks: 7 * 86_400_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000, milliseconds: 1 };

/**
 * Evaluates a suite-parameter expression to a naive datetime: a `Date` whose UTC fields hold the
 * wall-clock time (GX's `now()` is naive local time), which binds as a TIMESTAMP without zone.
 *
 * @example
 * evaluateSuiteParameter('datetime(2003, 1, 1)').toISOString(); // '2003-01-01T00:00:00.000Z'
 */
export function evaluateSuiteParameter(expression: string, now: Date = new Date()): Date {
  const tokens = expression.match(/\s*([A-Za-z_]\w*|\d+(?:\.\d+)?|[()+\-*,=])\s*/gy);
  if (!tokens || tokens.join('').length !== expression.length) throw bad(expression, 'unexpected characters');
  const list = tokens.map((t) => t.trim());
  let i = 0;
  const peek = () => list[i];
  const take = (want?: string) => {
    const t = list[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw bad(expression, `expected ${want ?? 'more input'} at token ${i}`);
    return t;
  };
  const localNow = now.getTime() - now.getTimezoneOffset() * 60_000;

  function primary(): Value {
    const t = take();
    if (/^\d/.test(t)) return { kind: 'number', value: Number(t) };
    if (t === '(') {
      const v = sum();
      take(')');
      return v;
    }
    take('(');
    if (t === 'now') {
      take(')');
      return { kind: 'datetime', ms: localNow };
    }
    if (t === 'datetime') {
      const args: number[] = [];
      while (peek() !== ')') {
        args.push(asNumber(sum()));
        if (peek() === ',') take(',');
      }
      take(')');
      if (args.length < 3) throw bad(expression, 'datetime() needs year, month and day');
      const [y, mo, d, h = 0, mi = 0, s = 0] = args as [number, number, number, ...number[]];
      return { kind: 'datetime', ms: Date.UTC(y, mo - 1, d, h, mi, s) };
    }
    if (t === 'timedelta') {
      let ms = 0;
      while (peek() !== ')') {
        const unit = take();
        take('=');
        const factor = DELTA_UNITS[unit];
        if (factor === undefined) throw bad(expression, `timedelta() has no argument "${unit}"`);
        ms += asNumber(sum()) * factor;
        if (peek() === ',') take(',');
      }
      take(')');
      return { kind: 'delta', ms };
    }
    throw bad(expression, `unknown function ${t}()`);
  }

  function product(): Value {
    let v = primary();
    while (peek() === '*') {
      take('*');
      v = { kind: 'number', value: asNumber(v) * asNumber(primary()) };
    }
    return v;
  }

  function sum(): Value {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const r = product();
      const sign = op === '+' ? 1 : -1;
      if (v.kind === 'number' && r.kind === 'number') v = { kind: 'number', value: v.value + sign * r.value };
      else if (v.kind === 'datetime' && r.kind === 'delta') v = { kind: 'datetime', ms: v.ms + sign * r.ms };
      else if (v.kind === 'delta' && r.kind === 'delta') v = { kind: 'delta', ms: v.ms + sign * r.ms };
      else throw bad(expression, `cannot apply ${op} to ${v.kind} and ${r.kind}`);
    }
    return v;
  }

  function asNumber(v: Value): number {
    if (v.kind !== 'number') throw bad(expression, `expected a number, got a ${v.kind}`);
    return v.value;
  }

  const result = sum();
  if (i !== list.length) throw bad(expression, `unexpected "${list[i]}"`);
  if (result.kind !== 'datetime') throw bad(expression, 'the expression must evaluate to a datetime');
  return new Date(result.ms);
}

function bad(expression: string, why: string): DataQualityError {
  return new DataQualityError('INVALID_SUITE', `suite parameter "${expression}": ${why}`);
}

/** Replaces every `{"$PARAMETER": …}` value in kwargs (one level deep) with its evaluated Date. */
export function resolveSuiteParameters(kwargs: Readonly<Record<string, unknown>>, now?: Date): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) out[key] = isSuiteParameter(value) ? evaluateSuiteParameter(value.$PARAMETER, now) : value;
  return out;
}
