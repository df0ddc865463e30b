import { describe, expect, it } from 'vitest';
import { adapterFor, type DialectName } from './adapter.js';

/** Per-dialect expectations: adding a dialect breaks this table until it is covered. */
const EXPECTED: Record<DialectName, { ident: string; literal: string; qualified: string; regexp: string; string: string }> = {
  duckdb: {
    ident: '"we""ird"',
    literal: `'it''s'`,
    qualified: '"bronze"."scout"."transactions"',
    regexp: 'regexp_matches(x, p)',
    string: 'VARCHAR',
  },
  databricks: {
    ident: '`we``ird`',
    literal: `'it\\'s'`,
    qualified: '`bronze`.`scout`.`transactions`',
    regexp: 'regexp_like(x, p)',
    string: 'STRING',
  },
};

describe.each(Object.keys(EXPECTED) as DialectName[])('%s adapter', (dialect) => {
  const adapter = adapterFor(dialect);
  const expected = EXPECTED[dialect];

  it('quotes identifiers and literals byte-exactly', () => {
    expect(adapter.quoteIdentifier(dialect === 'duckdb' ? 'we"ird' : 'we`ird')).toBe(expected.ident);
    expect(adapter.literalString("it's")).toBe(expected.literal);
    expect(adapter.quoteQualified(['bronze', 'scout', 'transactions'])).toBe(expected.qualified);
    expect(adapter.regexpMatches('x', 'p')).toBe(expected.regexp);
    expect(adapter.typeName('string')).toBe(expected.string);
    expect(adapter.typeName({ decimal: [18, 2] })).toBe('DECIMAL(18, 2)');
  });

  it.each(["';DROP TABLE x;--", 'a\\', "\\'; select 1; --", '`"\'', 'line\nbreak'])('contains the adversarial literal %j', (value) => {
    const literal = adapter.literalString(value);
    expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
    // Every quote inside the literal is escaped, so the literal cannot end early.
    const inner = literal.slice(1, -1);
    const unescaped = dialect === 'duckdb' ? inner.replace(/''/g, '') : inner.replace(/\\\\/g, '').replace(/\\'/g, '');
    expect(unescaped).not.toContain("'");
  });

  it('validates table names', () => {
    expect(adapter.validateTableName('bronze.scout.transactions')).toEqual({ ok: true, parts: ['bronze', 'scout', 'transactions'], canonical: expected.qualified });
    for (const bad of ['a;b', 'a.b.c.d', 'x--', '', '1abc', 'a. b', 'gold.finance.t; drop table x']) {
      const result = adapter.validateTableName(bad);
      expect(result.ok, bad).toBe(false);
    }
  });

  it('refuses empty identifiers and NUL', () => {
    expect(() => adapter.quoteIdentifier('')).toThrow(/empty/);
    expect(() => adapter.literalString('a\u0000b')).toThrow(/NUL/);
  });
});
