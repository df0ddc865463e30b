/**
 * A small lexer for the statements this lib reads itself (GRANT, REVOKE, SHOW, DESCRIBE) and for
 * the gate's identifier translation. It knows Databricks quoting: `'…'`/`"…"` strings with
 * backslash escapes, raw strings `r'…'`, backtick identifiers, `--` and nested `/* *\/` comments.
 * Not a parser.
 */

export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'punct' | 'comment' | 'space';
  /** The source text. */
  readonly text: string;
  /** Words upper-cased; quoted identifiers unquoted; strings unescaped. */
  readonly value: string;
}

/** Splits SQL into tokens; joining every `text` gives the input back. Unterminated quotes run to the end. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const start = i;
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i] as string)) i++;
      out.push({ kind: 'space', text: sql.slice(start, i), value: ' ' });
    } else if (c === '-' && sql[i + 1] === '-') {
      // DuckDB and Spark both end a line comment at CR or LF (reading only LF would let a CR hide
      // code from the gate that the engine runs).
      while (i < sql.length && sql[i] !== '\n' && sql[i] !== '\r') i++;
      out.push({ kind: 'comment', text: sql.slice(start, i), value: '' });
    } else if (c === '/' && sql[i + 1] === '*') {
      // Block comments nest in Spark SQL and in DuckDB: `/* a /* b */ c */` is one comment.
      let depth = 0;
      while (i < sql.length) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      out.push({ kind: 'comment', text: sql.slice(start, i), value: '' });
    } else if ((c === 'r' || c === 'R') && (sql[i + 1] === "'" || sql[i + 1] === '"') && !/[A-Za-z0-9_@$]/.test(sql[i - 1] ?? ' ')) {
      // Spark raw string literal r'…': no backslash escapes.
      const quote = sql[i + 1] as string;
      const close = sql.indexOf(quote, i + 2);
      i = close === -1 ? sql.length : close + 1;
      out.push({ kind: 'string', text: sql.slice(start, i), value: sql.slice(start + 2, close === -1 ? sql.length : close) });
    } else if (c === '`') {
      let value = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      out.push({ kind: 'quoted', text: sql.slice(start, i), value });
    } else if (c === "'" || c === '"') {
      let value = '';
      i++;
      while (i < sql.length) {
        const d = sql[i] as string;
        if (d === '\\' && i + 1 < sql.length) {
          value += sql[i + 1];
          i += 2;
          continue;
        }
        if (d === c) {
          if (sql[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += d;
        i++;
      }
      out.push({ kind: 'string', text: sql.slice(start, i), value });
    } else if (/[A-Za-z0-9_@$]/.test(c)) {
      while (i < sql.length && /[A-Za-z0-9_@$]/.test(sql[i] as string)) i++;
      const text = sql.slice(start, i);
      out.push({ kind: 'word', text, value: text.toUpperCase() });
    } else {
      i++;
      out.push({ kind: 'punct', text: c, value: c });
    }
  }
  return out;
}

/** Tokens that carry meaning (no spaces, no comments). */
export function codeTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/**
 * Databricks → DuckDB lexical translation for parsing: backtick identifiers become `"…"`, and
 * Spark string literals (either quote, backslash escapes) become standard `'…'` literals, so the
 * DuckDB parser sees the same identifiers and values Databricks would. Everything else is copied.
 */
export function toDuckDbSpelling(sql: string): string {
  return tokenize(sql)
    .map((t) => {
      if (t.kind === 'quoted') return `"${t.value.replace(/"/g, '""')}"`;
      if (t.kind === 'string') return `'${t.value.replace(/'/g, "''")}'`;
      return t.text;
    })
    .join('');
}

/** The one text the gate judges and the engine runs, or why there is none. */
export type CanonicalSql = { readonly ok: true; readonly sql: string } | { readonly ok: false; readonly reason: string };

/**
 * Removes every comment (each becomes one space), so the gate's reading and the engine's cannot
 * differ on where a comment ends: the engine receives this text, never the original. A `--` comment
 * whose line ends in a backslash is refused, because Spark continues it onto the next line
 * (`SIMPLE_COMMENT: '--' ('\\\n' | ~[\r\n])*`) where DuckDB and this lexer end it.
 */
export function canonicalSql(sql: string): CanonicalSql {
  const tokens = tokenize(sql);
  for (const t of tokens) {
    if (t.kind === 'comment' && t.text.startsWith('--') && t.text.endsWith('\\')) {
      return { ok: false, reason: 'a -- comment may not end with a backslash (Databricks would continue it onto the next line)' };
    }
  }
  return { ok: true, sql: tokens.map((t) => (t.kind === 'comment' ? ' ' : t.text)).join('') };
}
