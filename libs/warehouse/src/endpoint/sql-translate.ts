import { WarehouseError } from '../core/errors.js';
import { scanSql, splitStatements, type Segment } from '../core/sql-scan.js';
import { compiledQuery, type CompiledQuery, type ParameterType, type ParameterValue } from '../core/types.js';
import type { TSparkParameter } from './thrift.js';

/**
 * Databricks SQL text + wire parameters → a {@link CompiledQuery} the DuckDB driver runs.
 * A thin shim, not a dialect converter: it rewrites only lexical differences (identifier and
 * string-literal quoting, `?` markers, `TIMESTAMP_NTZ`/`_LTZ`) and a few Unity Catalog statements
 * DuckDB lacks. Spark functions the adapter emits are DuckDB macros (see session.ts).
 */

/** Spark parameter types (as `DBSQLParameter` sends them) → the types the DuckDB driver casts to. */
const SPARK_TYPES: Readonly<Record<string, ParameterType>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'INTEGER',
  SMALLINT: 'INTEGER',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  FLOAT: 'DOUBLE',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL',
  STRING: 'STRING',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMP',
  TIMESTAMP_NTZ: 'TIMESTAMP',
};

/** Name given to the n-th `?` marker (1-based). Ordinal and named parameters never mix (the driver refuses). */
export function ordinalName(n: number): string {
  return `_p${n}`;
}

/**
 * Translates one ExecuteStatement request. Throws `WarehouseError('INVALID_SQL')` (with
 * `data.sqlState`) for what Databricks itself rejects: empty and multi-statement strings.
 *
 * @example
 * translateStatement('select `a b` from t where x = ?', [{ type: 'INTEGER', value: { stringValue: '1' } }]);
 * // → { sql: 'select "a b" from t where x = :_p1', parameters: { _p1: { type: 'INTEGER', value: '1' } } }
 */
export function translateStatement(statement: string, parameters: readonly TSparkParameter[] = []): TranslatedStatement {
  const statements = splitStatements(statement);
  if (statements.length === 0) throw syntaxError('the statement is empty');
  if (statements.length > 1) {
    throw syntaxError(`only one statement per request is supported, got ${statements.length} (split scripts client-side)`);
  }
  const values: Record<string, ParameterValue> = {};
  let ordinal = 0;
  for (const p of parameters) {
    values[p.name ?? ordinalName(++ordinal)] = parameterValue(p);
  }
  const sql = rewrite((statements[0] as { sql: string }).sql, ordinal > 0);
  // Spark's INSERT OVERWRITE has no DuckDB twin: run it as DELETE + INSERT INTO in one transaction.
  const overwrite = INSERT_OVERWRITE.exec(sql);
  if (overwrite) {
    const target = overwrite[1] as string;
    return { ...compiledQuery(`INSERT INTO ${target}${sql.slice(overwrite[0].length)}`, values), replaceTable: target };
  }
  return compiledQuery(sql, values);
}

/** A translated statement; `replaceTable` asks the session to empty that table first, atomically. */
export type TranslatedStatement = CompiledQuery & { readonly replaceTable?: string };

const INSERT_OVERWRITE = /^\s*INSERT\s+OVERWRITE\s+(?:TABLE\s+)?((?:"(?:[^"]|"")*"|\w+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|\w+)){0,2})/i;

function syntaxError(message: string): WarehouseError {
  return new WarehouseError('INVALID_SQL', `[PARSE_SYNTAX_ERROR] ${message}`, { data: { sqlState: '42601' } });
}

/** A wire parameter → a typed parameter (every value arrives as a string); no type and no value is NULL. */
export function parameterValue(p: TSparkParameter): ParameterValue {
  const raw = p.value?.stringValue ?? p.value?.doubleValue ?? p.value?.booleanValue;
  if (raw === undefined || raw === null || !p.type || p.type.toUpperCase() === 'VOID') return null;
  return { type: SPARK_TYPES[p.type.toUpperCase()] ?? 'STRING', value: String(raw) };
}

const USE_NAMESPACE = /^(\s*USE)\s+(?:CATALOG|SCHEMA|DATABASE|NAMESPACE)\b/i;
const CREATE_SCHEMA = /^\s*CREATE\s+(?:SCHEMA|DATABASE)\b/i;
const COMMENT_CLAUSE = /\bCOMMENT\s*$/i;
const USING_DELTA = /\bUSING\s+DELTA\b/gi;
/** Spark's explicit timestamp flavours → DuckDB's naive and zoned timestamps. */
const TIMESTAMP_TYPES = /\bTIMESTAMP_(NTZ|LTZ)\b/gi;

function rewrite(sql: string, ordinals: boolean): string {
  const segments = [...scanSql(sql)];
  const isCreateSchema = CREATE_SCHEMA.test(sql);
  let ordinal = 0;
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as Segment;
    const next = segments[i + 1];
    switch (seg.kind) {
      case 'code': {
        let code = seg.text.replace(USING_DELTA, '').replace(TIMESTAMP_TYPES, (_, kind: string) => (kind.toUpperCase() === 'NTZ' ? 'TIMESTAMP' : 'TIMESTAMPTZ'));
        if (i === 0) code = code.replace(USE_NAMESPACE, '$1');
        // DuckDB's CREATE SCHEMA has no COMMENT clause: drop `COMMENT '<text>'`.
        if (isCreateSchema && next?.kind === 'string' && COMMENT_CLAUSE.test(code)) {
          code = code.replace(COMMENT_CLAUSE, '');
          i++;
        }
        out += ordinals ? code.replace(/\?/g, () => `:${ordinalName(++ordinal)}`) : code;
        break;
      }
      case 'identifier':
        out += seg.text.startsWith('`') ? `"${seg.text.slice(1, -1).replace(/``/g, '`').replace(/"/g, '""')}"` : seg.text;
        break;
      case 'string':
        out += stringLiteral(seg.text);
        break;
      case 'comment':
        out += seg.text;
        break;
    }
  }
  return out;
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

/**
 * A Spark string literal (backslash escapes: `'it\'s'`) → a DuckDB one (doubled quotes:
 * `'it''s'`). `\%` and `\_` keep their backslash, as in Spark, for LIKE patterns.
 */
function stringLiteral(literal: string): string {
  if (!literal.includes('\\')) return literal;
  const body = literal.slice(1, literal.endsWith("'") && literal.length > 1 ? -1 : undefined);
  const unescaped = body.replace(/\\(.)/gs, (_, c: string) => (c === '%' || c === '_' ? `\\${c}` : (ESCAPES[c] ?? c)));
  return `'${unescaped.replace(/''/g, "'").replace(/'/g, "''")}'`;
}
