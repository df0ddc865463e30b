import { describe, expect, it } from 'vitest';
import { findParameterMarkers, hasCode, rewriteParameterMarkers, splitStatements } from './sql-scan.js';

describe('splitStatements', () => {
  it('splits on semicolons outside strings, identifiers and comments, with start lines', () => {
    const script = `-- header; not a statement
create table t (a varchar);
insert into t values ('a;b'), ("x;y"); /* c;omment */
select ';' as "semi;colon" -- trailing; comment
;
`;
    expect(splitStatements(script)).toEqual([
      { sql: 'create table t (a varchar)', line: 2 },
      { sql: `insert into t values ('a;b'), ("x;y")`, line: 3 },
      { sql: `select ';' as "semi;colon"`, line: 4 },
    ]);
  });

  it('drops comment-only and empty statements and handles escapes', () => {
    expect(splitStatements(";; -- nothing\n/* still nothing */;")).toEqual([]);
    expect(splitStatements(`select 'it''s; fine'; select 'back\\'slash; ok'`).map((s) => s.sql)).toEqual([
      `select 'it''s; fine'`,
      `select 'back\\'slash; ok'`,
    ]);
  });
});

describe('parameter markers', () => {
  it('finds :name in code only, not casts, strings or comments', () => {
    const sql = `select :a, x::int, ':b', "c:d" -- :e\n, /* :f */ :g_1 from t where y = :a`;
    expect(findParameterMarkers(sql).map((m) => m.name)).toEqual(['a', 'g_1', 'a']);
  });

  it('rewrites only bound names (Databricks JSON paths stay)', () => {
    expect(rewriteParameterMarkers('select raw:field, :p from t', new Set(['p']), (n) => `$${n}`)).toBe('select raw:field, $p from t');
  });

  it('hasCode tells comments from statements', () => {
    expect(hasCode('-- only\n/* comment */')).toBe(false);
    expect(hasCode('-- c\nselect 1')).toBe(true);
  });
});
