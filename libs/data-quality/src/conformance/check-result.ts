import type { ExpectationValidationResult } from '../model/results.js';
import type { ConformanceTest } from './cases.js';

/** Pass, or fail with a reason. */
export type Verdict = { readonly pass: true } | { readonly pass: false; readonly reason: string };

const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const asInstant = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !DATETIME.test(v)) return undefined;
  const t = Date.parse(`${v.replace(' ', 'T')}Z`);
  return Number.isNaN(t) ? undefined : t;
};
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);

/** GX's equality for result values: `1` = `1.0`, timestamps as instants, lists and objects deep. */
export function sameValue(expected: unknown, actual: unknown, tolerant = false): boolean {
  if (expected === null || actual === null || expected === undefined || actual === undefined) return (expected ?? null) === (actual ?? null);
  const te = asInstant(expected);
  const ta = asInstant(actual);
  if (te !== undefined && ta !== undefined) return te === ta;
  if (typeof expected === 'number') {
    const a = asNumber(actual);
    if (a === undefined) return false;
    // np.allclose(actual, expected, rtol=1e-7, atol=0.05) for non-integer expected numbers
    if (tolerant && !Number.isInteger(expected)) return Math.abs(a - expected) <= 0.05 + 1e-7 * Math.abs(expected);
    return Math.abs(a - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => sameValue(e, actual[i], tolerant));
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) return false;
    const ek = Object.keys(expected);
    const ak = Object.keys(actual as object);
    return ek.length === ak.length && ek.every((k) => sameValue((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], tolerant));
  }
  return expected === actual;
}

/** GX's sort key for unexpected lists: the string form (numbers normalized, timestamps as instants). */
function sortKey(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    const t = asInstant(x);
    if (t !== undefined) return `t:${t}`;
    if (typeof x === 'number') return `n:${x}`;
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) return Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)));
    return x;
  });
}

function sameUnordered(expected: unknown[], actual: unknown[]): boolean {
  if (expected.length !== actual.length) return false;
  const e = [...expected].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const a = [...actual].sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : 1));
  return e.every((v, i) => sameValue(v, a[i]));
}

const byPk = (list: unknown[]) => [...list].sort((a, b) => Number((a as Record<string, unknown>)['pk_index']) - Number((b as Record<string, unknown>)['pk_index']));
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 300);

/** Count/percent keys compared as numbers. */
const NUMERIC_KEYS = ['element_count', 'missing_count', 'missing_percent', 'unexpected_count', 'unexpected_percent', 'unexpected_percent_total', 'unexpected_percent_nonmissing'];

/**
 * Compares a result with a test's `expected` the way GX's `check_json_test_result` does (see the
 * conformance README), plus the counts in `derived` where the result reports them.
 */
export function checkResult(test: ConformanceTest, result: ExpectationValidationResult): Verdict {
  const expected = test.expected;
  const raised = result.exception_info.raised_exception;
  if ('traceback_substring' in expected) {
    return raised ? { pass: true } : { pass: false, reason: `expected an error ("${String(expected['traceback_substring'])}"), got success=${result.success}` };
  }
  if (Object.keys(expected).length === 0) return { pass: true }; // advisory: GX asserts nothing
  if (raised) return { pass: false, reason: `raised: ${result.exception_info.exception_message ?? ''}` };
  const r = result.result as Record<string, unknown>;
  const fail = (key: string, want: unknown, got: unknown): Verdict => ({ pass: false, reason: `${key}: expected ${show(want)}, got ${show(got)}` });

  for (const [key, want] of Object.entries(expected)) {
    switch (key) {
      case 'success':
        if (result.success !== want) return fail(key, want, result.success);
        break;
      case 'observed_value':
        if (!sameValue(want, r['observed_value'], true)) return fail(key, want, r['observed_value']);
        break;
      case 'observed_value_list':
        // GX: the observed value is one of the listed values
        if (!(want as unknown[]).some((w) => sameValue(w, r['observed_value'], true))) return fail(key, want, r['observed_value']);
        break;
      case 'unexpected_list':
      case 'partial_unexpected_list': {
        const got = r[key];
        if (test.exact_match_out && got === undefined) break;
        if (!Array.isArray(got) || !sameUnordered(want as unknown[], got)) return fail(key, want, got);
        break;
      }
      case 'unexpected_index_list': {
        const got = r[key];
        if (!Array.isArray(got) || got.length === 0) break; // GX checks it only when the actual list is non-empty
        if (!sameValue(byPk(want as unknown[]), byPk(got))) return fail(key, want, got);
        break;
      }
      case 'value_counts': {
        const counts = ((r['details'] as Record<string, unknown> | undefined)?.['value_counts'] ?? []) as unknown[];
        for (const vc of want as unknown[]) if (!counts.some((c) => sameValue(vc, c))) return fail(key, vc, counts);
        break;
      }
      case 'details': {
        const got = (r['details'] ?? {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(want as Record<string, unknown>)) if (k in got && !sameValue(v, got[k])) return fail(`details.${k}`, v, got[k]);
        break;
      }
      default:
        if (NUMERIC_KEYS.includes(key)) {
          if (test.exact_match_out && !(key in r)) break;
          if (!sameValue(want, r[key])) return fail(key, want, r[key]);
        }
    }
  }
  for (const [key, want] of Object.entries(test.derived ?? {})) {
    if (key === 'rows_considered' || !(key in r) || r[key] === null) continue;
    if (!sameValue(want, r[key])) return fail(`derived.${key}`, want, r[key]);
  }
  return { pass: true };
}
