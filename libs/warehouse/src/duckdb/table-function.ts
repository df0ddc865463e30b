/**
 * Databricks SQL table functions on DuckDB. Unity Catalog's
 * `CREATE [OR REPLACE] FUNCTION c.s.f(p TYPE, …) RETURNS TABLE (…) [COMMENT '…'] RETURN <query>`
 * has no DuckDB spelling; DuckDB's table macro does the same job (`SELECT * FROM c.s.f(6)`), so the
 * statement becomes `CREATE [OR REPLACE] MACRO c.s.f(p, …) AS TABLE <query>`. DuckDB macros are
 * untyped: the declared parameter and column types are dropped (the query casts where it matters).
 * Returns undefined for any other statement.
 *
 * @example
 * tableFunctionAsMacro('CREATE OR REPLACE FUNCTION gold.ml.f(n INT) RETURNS TABLE (x INT) RETURN SELECT n AS x');
 * // → 'CREATE OR REPLACE MACRO gold.ml.f(n) AS TABLE SELECT n AS x'
 */
export function tableFunctionAsMacro(sql: string): string | undefined {
  const head = /^\s*CREATE\s+(OR\s+REPLACE\s+)?FUNCTION\s+(IF\s+NOT\s+EXISTS\s+)?((?:[A-Za-z_]\w*|"(?:[^"]|"")+"|`[^`]+`)(?:\s*\.\s*(?:[A-Za-z_]\w*|"(?:[^"]|"")+"|`[^`]+`)){0,2})\s*\(/i.exec(sql);
  if (!head) return undefined;
  const paramsEnd = closingParen(sql, head[0].length - 1);
  if (paramsEnd === undefined) return undefined;
  let rest = sql.slice(paramsEnd + 1);
  const returns = /^\s*RETURNS\s+TABLE\s*\(/i.exec(rest);
  if (!returns) return undefined;
  const columnsEnd = closingParen(rest, returns[0].length - 1);
  if (columnsEnd === undefined) return undefined;
  rest = rest.slice(columnsEnd + 1).replace(/^\s*COMMENT\s+'(?:[^'\\]|\\.|'')*'/i, '');
  const body = /^\s*RETURN\s+([\s\S]*?)\s*;?\s*$/i.exec(rest);
  if (!body) return undefined;
  const names = topLevelParts(sql.slice(head[0].length, paramsEnd))
    .map((p) => p.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
    .map((n) => n.replace(/^`(.*)`$/, '"$1"'));
  const name = (head[3] as string).replace(/`([^`]+)`/g, '"$1"');
  const create = head[1] ? 'CREATE OR REPLACE MACRO' : head[2] ? 'CREATE MACRO IF NOT EXISTS' : 'CREATE MACRO';
  return `${create} ${name}(${names.join(', ')}) AS TABLE ${body[1]}`;
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; undefined when unbalanced. */
function closingParen(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return undefined;
}

/** `a INT, b DECIMAL(10, 2)` → its top-level comma-separated parts. */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
