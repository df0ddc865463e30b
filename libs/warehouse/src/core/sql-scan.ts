/**
 * A small SQL lexer that knows where strings, quoted identifiers and comments are, so that
 * statement splitting and parameter-marker rewriting never touch their contents.
 * It is not a parser: it only separates "code" from "not code".
 */

/**
 * A run of the input: `code` is SQL text; `string` a quoted literal, `identifier` a `"…"` or
 * backtick-quoted identifier, `comment` a `--` or `/* … *\/` comment, each with its quotes.
 */
export interface Segment {
  readonly kind: 'code' | 'string' | 'identifier' | 'comment';
  readonly text: string;
  readonly start: number;
}

function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let codeStart = 0;
  const flushCode = (end: number) => {
    if (end > codeStart) out.push({ kind: 'code', text: sql.slice(codeStart, end), start: codeStart });
  };
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    let end = -1;
    let kind: Segment['kind'] | undefined;
    if (c === '-' && next === '-') {
      kind = 'comment';
      const nl = sql.indexOf('\n', i);
      end = nl === -1 ? sql.length : nl;
    } else if (c === '/' && next === '*') {
      kind = 'comment';
      const close = sql.indexOf('*/', i + 2);
      end = close === -1 ? sql.length : close + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      kind = c === "'" ? 'string' : 'identifier';
      let j = i + 1;
      while (j < sql.length) {
        if (c === "'" && sql[j] === '\\') {
          j += 2; // backslash escape (Spark SQL); harmless for DuckDB strings without backslashes
          continue;
        }
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            j += 2; // doubled quote
            continue;
          }
          break;
        }
        j++;
      }
      end = Math.min(j + 1, sql.length);
    }
    if (kind) {
      flushCode(i);
      out.push({ kind, text: sql.slice(i, end), start: i });
      i = end;
      codeStart = i;
    } else {
      i++;
    }
  }
  flushCode(sql.length);
  return out;
}

/** One statement of a script, with the 1-based line on which it starts. */
export interface ScriptStatement {
  readonly sql: string;
  readonly line: number;
}

/**
 * Splits a multi-statement script on `;` outside strings and comments. Leading and trailing
 * comments are trimmed from each statement; statements that hold only whitespace and comments
 * are dropped. `line` is where the statement's first code character stands.
 */
export function splitStatements(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = [];
  let pieces: Segment[] = [];
  const push = () => {
    const isBlank = (p: Segment) => p.kind === 'comment' || (p.kind === 'code' && p.text.trim() === '');
    while (pieces.length > 0 && isBlank(pieces[0] as Segment)) pieces.shift();
    while (pieces.length > 0 && isBlank(pieces[pieces.length - 1] as Segment)) pieces.pop();
    const first = pieces[0];
    if (first) {
      const offset = first.start + (first.text.length - first.text.trimStart().length);
      statements.push({ sql: pieces.map((p) => p.text).join('').trim(), line: script.slice(0, offset).split('\n').length });
    }
    pieces = [];
  };
  for (const seg of segments(script)) {
    if (seg.kind !== 'code') {
      pieces.push(seg);
      continue;
    }
    let from = 0;
    for (let k = 0; k <= seg.text.length; k++) {
      if (k === seg.text.length || seg.text[k] === ';') {
        if (k > from) pieces.push({ kind: 'code', text: seg.text.slice(from, k), start: seg.start + from });
        if (k < seg.text.length) push();
        from = k + 1;
      }
    }
  }
  push();
  return statements;
}

/** A `:name` parameter marker found in code (not in strings/comments, not a `::` cast). */
export interface ParameterMarker {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const MARKER = /(?<![:\w])(?::)([A-Za-z_][A-Za-z0-9_]*)/g;

/** Finds every `:name` marker in code segments. */
export function findParameterMarkers(sql: string): ParameterMarker[] {
  const markers: ParameterMarker[] = [];
  for (const seg of segments(sql)) {
    if (seg.kind !== 'code') continue;
    for (const m of seg.text.matchAll(MARKER)) {
      const name = m[1] as string;
      const start = seg.start + (m.index ?? 0);
      // `a::int` — the regex look-behind rules out the second colon; rule out the first one too.
      if (seg.text[(m.index ?? 0) + 1] === ':') continue;
      markers.push({ name, start, end: start + 1 + name.length });
    }
  }
  return markers;
}

/**
 * Rewrites the `:name` markers whose name is in `names` with `replace(name)`; other markers
 * (for example Databricks JSON paths `col:field`) are left untouched.
 */
export function rewriteParameterMarkers(sql: string, names: ReadonlySet<string>, replace: (name: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of findParameterMarkers(sql)) {
    if (!names.has(m.name)) continue;
    out += sql.slice(last, m.start) + replace(m.name);
    last = m.end;
  }
  return out + sql.slice(last);
}

/** True when the SQL has at least one code character (not only whitespace and comments). */
export function hasCode(sql: string): boolean {
  return segments(sql).some((s) => s.kind !== 'comment' && s.text.trim() !== '');
}

/**
 * Splits SQL into runs of code, string literals, quoted identifiers and comments. Joining every
 * `text` gives the input back, so callers can rewrite code runs and copy the rest verbatim.
 *
 * @example
 * scanSql("select `a` from t -- x").map((s) => s.kind); // ['code', 'identifier', 'code', 'comment']
 */
export function scanSql(sql: string): readonly Segment[] {
  return segments(sql);
}
