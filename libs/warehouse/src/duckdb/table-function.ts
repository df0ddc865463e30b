import { splitArguments } from '../core/template.js';

/**
 * Databricks SQL table functions on DuckDB. Unity Catalog's
 * `CREATE [OR REPLACE] FUNCTION c.s.f(p TYPE [DEFAULT v] [COMMENT '…'], …) RETURNS TABLE (col TYPE, …)
 * [COMMENT '…' | LANGUAGE SQL | [NOT] DETERMINISTIC | CONTAINS SQL | READS SQL DATA]… RETURN <query>`
 * has no DuckDB spelling; DuckDB's table macro does the same job (`SELECT * FROM c.s.f(6)`), so the
 * statement becomes `CREATE [OR REPLACE] MACRO c.s.f(p [:= v], …) AS TABLE SELECT CAST(col AS TYPE)
 * AS col, … FROM (<query>) AS _f(col, …)`: like on Databricks the result has the declared column
 * names and (scalar) types, taken by position. Parameters are untyped in a macro (their types are
 * dropped). Unlike Databricks, DuckDB does not refuse a query with more columns than declared (the
 * extra ones are dropped).
 * Returns undefined for any other statement.
 *
 * @example
 * tableFunctionAsMacro('CREATE OR REPLACE FUNCTION gold.ml.f(n INT) RETURNS TABLE (x INT) RETURN SELECT n + 1');
 * // → 'CREATE OR REPLACE MACRO gold.ml.f(n) AS TABLE SELECT CAST("x" AS INT) AS "x" FROM (SELECT n + 1) AS _f("x")'
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
  const columns = splitArguments(rest.slice(returns[0].length, columnsEnd)).map(declaration);
  rest = rest.slice(columnsEnd + 1);
  for (let c = CHARACTERISTIC.exec(rest); c; c = CHARACTERISTIC.exec(rest)) rest = rest.slice(c[0].length);
  const body = /^\s*RETURN\s+([\s\S]*?)\s*;?\s*$/i.exec(rest);
  if (!body || columns.some((c) => c.name === '')) return undefined;
  const parameters = splitArguments(sql.slice(head[0].length, paramsEnd)).map(declaration);
  const name = (head[3] as string).replace(/`([^`]+)`/g, '"$1"');
  const create = head[1] ? 'CREATE OR REPLACE MACRO' : head[2] ? 'CREATE MACRO IF NOT EXISTS' : 'CREATE MACRO';
  const macroParameters = parameters.map((p) => {
    const id = /^[A-Za-z_]\w*$/.test(p.name) ? p.name : p.quoted;
    return p.defaultValue !== undefined ? `${id} := ${p.defaultValue}` : id;
  });
  // Scalar types are cast as declared; ARRAY<…>, MAP<…>, STRUCT<…> (spelled differently in DuckDB) keep the query's type.
  const select = columns.map((c) => (/[<>]/.test(c.type) ? c.quoted : `CAST(${c.quoted} AS ${c.type}) AS ${c.quoted}`)).join(', ');
  // The body on lines of its own: a trailing `-- comment` in it must not swallow the `)`.
  return `${create} ${name}(${macroParameters.join(', ')}) AS TABLE SELECT ${select} FROM (\n${body[1]}\n) AS _f(${columns.map((c) => c.quoted).join(', ')})`;
}

/** Routine characteristics between RETURNS TABLE (…) and RETURN; none changes what DuckDB runs. */
const CHARACTERISTIC = /^\s*(?:COMMENT\s+'(?:[^'\\]|\\.|'')*'|LANGUAGE\s+SQL|NOT\s+DETERMINISTIC|DETERMINISTIC|CONTAINS\s+SQL|READS\s+SQL\s+DATA)/i;

/** `name TYPE [DEFAULT expr] [COMMENT '…']` → its parts (type as DuckDB spells it). */
function declaration(text: string): { name: string; quoted: string; type: string; defaultValue: string | undefined } {
  const m = /^\s*(`[^`]+`|"(?:[^"]|"")+"|[A-Za-z_]\w*)\s*([\s\S]*?)\s*(?:\bDEFAULT\s+([\s\S]*?))?\s*(?:\bCOMMENT\s+'(?:[^'\\]|\\.|'')*')?\s*$/i.exec(text);
  if (!m) return { name: '', quoted: '', type: '', defaultValue: undefined };
  const raw = m[1] as string;
  const name = raw.startsWith('`') ? raw.slice(1, -1) : raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
  return { name, quoted: `"${name.replace(/"/g, '""')}"`, type: (m[2] ?? '').replace(/\bTIMESTAMP_NTZ\b/gi, 'TIMESTAMP'), defaultValue: m[3] };
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; undefined when unbalanced. */
function closingParen(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\' && quote === "'") i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return undefined;
}
