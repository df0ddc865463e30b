/**
 * Python `strptime` formats as regular expressions, so `expect_column_values_to_match_strftime_format`
 * can run in SQL with Python's semantics (GX checks each value with `datetime.strptime`).
 *
 * The per-directive patterns are CPython's `_strptime.TimeRE` (C locale), anchored at both ends
 * and case-insensitive; numbered groups replace Python's named ones (RE2 and Java disagree on
 * named-group syntax). The date itself is checked separately (day within the month, Feb 29 only
 * in leap years; a format without a year uses 1900, as Python does).
 */
export interface StrftimePattern {
  readonly regex: string;
  /** 1-based group numbers of the parts needed to check the date, when the format has them. */
  readonly groups: { readonly Y?: number; readonly y?: number; readonly m?: number; readonly b?: number; readonly d?: number };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const alternatives = (names: readonly string[]) => [...names].sort((a, b) => b.length - a.length).join('|');

/** Directive → pattern. Captured directives are wrapped in a numbered group by the compiler. */
const DIRECTIVES: Record<string, string> = {
  d: '3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9]',
  f: '[0-9]{1,6}',
  H: '2[0-3]|[0-1]\\d|\\d',
  I: '1[0-2]|0[1-9]|[1-9]',
  G: '\\d\\d\\d\\d',
  j: '36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9]',
  m: '1[0-2]|0[1-9]|[1-9]',
  M: '[0-5]\\d|\\d',
  S: '6[0-1]|[0-5]\\d|\\d',
  U: '5[0-3]|[0-4]\\d|\\d',
  W: '5[0-3]|[0-4]\\d|\\d',
  w: '[0-6]',
  u: '[1-7]',
  V: '5[0-3]|0[1-9]|[1-4]\\d|\\d',
  y: '\\d\\d',
  Y: '\\d\\d\\d\\d',
  z: '[+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|(?-i:Z)',
  A: alternatives(DAYS),
  a: alternatives(DAYS.map((d) => d.slice(0, 3))),
  B: alternatives(MONTHS),
  b: alternatives(MONTHS.map((m) => m.slice(0, 3))),
  p: 'am|pm',
  Z: 'utc|gmt',
};

/** Locale composites, C locale. */
const COMPOSITES: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };

const REGEX_SPECIAL = /[.^$*+?()[\]{}|\\]/g;

/** An unusable format; the message follows Python's wording. */
export class StrftimeFormatError extends Error {}

/**
 * Compiles a Python strptime format.
 *
 * @throws StrftimeFormatError for a bad directive (`'D' is a bad directive in format '%D'`), a
 * stray `%`, a repeated directive, or ISO-week directives without their companions.
 * @example
 * compileStrftime('%Y-%m-%d').regex; // '(?i)^(\\d\\d\\d\\d)-(1[0-2]|0[1-9]|[1-9])-(3[0-1]|…)$'
 */
export function compileStrftime(format: string): StrftimePattern {
  const expanded = format.replace(/%([cxX])/g, (_, c: string) => COMPOSITES[c] as string);
  const seen = new Set<string>();
  const groups: Record<string, number> = {};
  let regex = '';
  let group = 0;
  for (let i = 0; i < expanded.length; i++) {
    const ch = expanded[i] as string;
    if (ch !== '%') {
      if (/\s/.test(ch)) {
        while (i + 1 < expanded.length && /\s/.test(expanded[i + 1] as string)) i++;
        regex += '\\s+';
      } else {
        regex += ch.replace(REGEX_SPECIAL, '\\$&');
      }
      continue;
    }
    const directive = expanded[++i];
    if (directive === undefined) throw new StrftimeFormatError(`stray % in format '${format}'`);
    if (directive === '%') {
      regex += '%';
      continue;
    }
    const pattern = DIRECTIVES[directive];
    if (pattern === undefined) throw new StrftimeFormatError(`'${directive}' is a bad directive in format '${format}'`);
    if (seen.has(directive)) throw new StrftimeFormatError(`redefinition of group name '${directive}' in format '${format}'`);
    seen.add(directive);
    group++;
    groups[directive === 'B' ? 'b' : directive] ??= group;
    regex += `(${pattern})`;
    // Groups inside the pattern are non-capturing, so numbering stays one per directive.
  }
  if (seen.has('G') && !(seen.has('V') && (seen.has('u') || seen.has('a') || seen.has('A') || seen.has('w')))) {
    throw new StrftimeFormatError("ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive");
  }
  if (seen.has('V') && !seen.has('G') && !seen.has('Y')) {
    throw new StrftimeFormatError("ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive");
  }
  const pick = (k: string) => (groups[k] !== undefined ? { [k]: groups[k] } : {});
  return Object.freeze({
    regex: `(?i)^${regex}$`,
    groups: Object.freeze({ ...pick('Y'), ...pick('y'), ...pick('m'), ...pick('b'), ...pick('d') }),
  });
}

/** Month number (1–12) from an English month name or abbreviation; used by tests of the SQL. */
export function monthFromName(name: string): number {
  return MONTHS.findIndex((m) => m.startsWith(name.trim().toLowerCase().slice(0, 3))) + 1;
}

/** English month-name prefixes, in order (for SQL CASE expressions). */
export const MONTH_PREFIXES: readonly string[] = Object.freeze(MONTHS.map((m) => m.slice(0, 3)));
