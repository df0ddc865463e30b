import { describe, expect, it } from 'vitest';
import { codeTokens, toDuckDbSpelling } from './sql-lexer.js';

describe('sql-lexer', () => {
  it('nests block comments like Spark SQL and DuckDB', () => {
    expect(codeTokens('/* a /* b */ SELECT */ DROP TABLE t').map((t) => t.value)).toEqual(['DROP', 'TABLE', 'T']);
  });

  it('reads backslash escapes in strings and none in raw strings', () => {
    expect(codeTokens("SELECT 'it\\'s', \"a\\\"b\", r'C:\\dir'").filter((t) => t.kind === 'string').map((t) => t.value)).toEqual(["it's", 'a"b', 'C:\\dir']);
    // With the raw string read as Spark reads it, the ";" after it is code: two statements.
    expect(codeTokens("SELECT r'\\' ; DROP TABLE t --'").map((t) => t.text)).toContain(';');
  });

  it('translates backticks to double quotes and Spark strings to standard literals', () => {
    expect(toDuckDbSpelling("SELECT `a``b` FROM `gold`.t WHERE x = \"it's\" AND y = 'a\\\\b'")).toBe(`SELECT "a\`b" FROM "gold".t WHERE x = 'it''s' AND y = 'a\\b'`);
  });
});
