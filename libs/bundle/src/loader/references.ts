/**
 * The bundle interpolation grammar, as in the Databricks CLI (`libs/dyn/dynvar/ref.go`):
 * `${a.b.c}` with optional `[n]` indexes, each segment `\p{L}+([-_]*[\p{L}\p{N}]+)*`.
 * No operators, comparisons, functions, defaults or ternaries.
 */
const SEG = String.raw`\p{L}+(?:[-_]*[\p{L}\p{N}]+)*`;
const PATH = String.raw`${SEG}(?:\.${SEG}(?:\[[0-9]+\])*)*(?:\[[0-9]+\])*`;
const REFERENCE = new RegExp(String.raw`\$\{(${PATH})\}`, 'gu');
const REFERENCE_AT = new RegExp(String.raw`\$\{(${PATH})\}`, 'uy');

/** One `${…}` reference found in a string. */
export interface Reference {
  /** The whole match, e.g. `${var.catalog}`. */
  readonly text: string;
  /** The dotted path inside, e.g. `var.catalog`. */
  readonly path: string;
  /** The path split into keys and indexes: `var.tasks[0]` → `['var', 'tasks', 0]`. */
  readonly parts: readonly (string | number)[];
  readonly start: number;
  readonly end: number;
}

/** Every valid reference in `text`, in order. */
export function findReferences(text: string): Reference[] {
  const out: Reference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const path = m[1] as string;
    out.push({ text: m[0], path, parts: splitPath(path), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** True when `text` is exactly one reference (a "pure" reference, which keeps the referenced value's type). */
export function isPureReference(text: string): boolean {
  const refs = findReferences(text);
  return refs.length === 1 && refs[0]?.start === 0 && refs[0].end === text.length;
}

/**
 * The `${…}` expressions in `text` that are NOT valid references — ternaries such as
 * `${bundle.target == "dev" ? "a" : "b"}`, `${env.X:-y}`, `${ var.x }`. The CLI silently keeps these
 * as literal text; the loader rejects them.
 */
export function findInvalidExpressions(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('${', from);
    if (at < 0) return out;
    REFERENCE_AT.lastIndex = at;
    const m = REFERENCE_AT.exec(text);
    if (m) {
      from = at + m[0].length;
      continue;
    }
    const close = text.indexOf('}', at);
    out.push(close < 0 ? text.slice(at) : text.slice(at, close + 1));
    from = close < 0 ? text.length : close + 1;
  }
}

/** `var.tasks[0].x` → `['var', 'tasks', 0, 'x']` */
export function splitPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const segment of path.split('.')) {
    const m = /^([^[]+)((?:\[\d+\])*)$/u.exec(segment);
    if (!m) {
      parts.push(segment);
      continue;
    }
    parts.push(m[1] as string);
    for (const idx of (m[2] as string).matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}
