import { describe, expect, it } from 'vitest';
import { WarehouseError } from '../core/errors.js';
import { parameterValue, translateStatement } from './sql-translate.js';

describe('translateStatement (Databricks SQL → DuckDB)', () => {
  it('rewrites backtick identifiers to double quotes, outside strings and comments', () => {
    expect(translateStatement("select `a``b`, `c\"d` from `bronze`.`scout`.t -- `kept`\nwhere s = '`kept`'").sql).toBe(
      'select "a`b", "c""d" from "bronze"."scout".t -- `kept`\nwhere s = \'`kept`\'',
    );
  });

  it('turns Spark backslash escapes into doubled quotes, keeping \\% and \\_ for LIKE', () => {
    expect(translateStatement("select 'it\\'s', 'a\\\\b', 'tab\\there', 'x\\%y', 'plain'").sql).toBe("select 'it''s', 'a\\b', 'tab\there', 'x\\%y', 'plain'");
  });

  it('names ? markers in code only, and maps wire parameters to typed parameters', () => {
    const q = translateStatement("select ?, '?' /* ? */, ? -- ?", [
      { type: 'INTEGER', value: { stringValue: '1' } },
      { type: 'STRING', value: { stringValue: 'x' } },
    ]);
    expect(q.sql).toBe("select :_p1, '?' /* ? */, :_p2"); // trailing comments are trimmed with the statement
    expect(q.parameters).toEqual({ _p1: { type: 'INTEGER', value: '1' }, _p2: { type: 'STRING', value: 'x' } });
  });

  it('keeps named markers and their wire types; a parameter without type and value is NULL', () => {
    const q = translateStatement('select :a, :b, :c, :d', [
      { name: 'a', type: 'TIMESTAMP_NTZ', value: { stringValue: '2025-01-01T00:00:00Z' } },
      { name: 'b', type: 'SMALLINT', value: { stringValue: '3' } },
      { name: 'c' },
      { name: 'd', type: 'INTERVAL DAY', value: { stringValue: '1' } },
    ]);
    expect(q.sql).toBe('select :a, :b, :c, :d');
    expect(q.parameters).toEqual({ a: { type: 'TIMESTAMP', value: '2025-01-01T00:00:00Z' }, b: { type: 'INTEGER', value: '3' }, c: null, d: { type: 'STRING', value: '1' } });
    expect(parameterValue({ name: 'v', type: 'VOID' })).toBeNull();
  });

  it('rewrites the Unity Catalog statements DuckDB lacks', () => {
    expect(translateStatement('USE CATALOG bronze').sql).toBe('USE bronze');
    expect(translateStatement('use schema scout;').sql).toBe('use scout');
    expect(translateStatement("CREATE SCHEMA IF NOT EXISTS `b`.`s` COMMENT 'it\\'s'").sql).toBe('CREATE SCHEMA IF NOT EXISTS "b"."s" ');
    expect(translateStatement('CREATE TABLE t (id INT) USING DELTA').sql).toBe('CREATE TABLE t (id INT) ');
    expect(translateStatement("select 'USING DELTA' as s").sql).toBe("select 'USING DELTA' as s");
    expect(translateStatement("select cast(x as timestamp_ntz), cast(y as TIMESTAMP_LTZ), 'timestamp_ntz'").sql).toBe(
      "select cast(x as TIMESTAMP), cast(y as TIMESTAMPTZ), 'timestamp_ntz'",
    );
  });

  it('rejects what Databricks rejects: empty and multi-statement strings', () => {
    for (const sql of ['  -- nothing\n', 'select 1; select 2']) {
      expect(() => translateStatement(sql)).toThrow(WarehouseError);
      expect(() => translateStatement(sql)).toThrow(/PARSE_SYNTAX_ERROR/);
    }
    expect(translateStatement('select 1;').sql).toBe('select 1');
  });
  it('turns INSERT OVERWRITE into INSERT INTO plus a table to empty first', () => {
    const t = translateStatement('INSERT OVERWRITE `silver`.`scout`.`transactions` (id, amount) SELECT id, amount FROM s');
    expect(t.sql).toBe('INSERT INTO "silver"."scout"."transactions" (id, amount) SELECT id, amount FROM s');
    expect(t.replaceTable).toBe('"silver"."scout"."transactions"');
    expect(translateStatement('insert into t select 1').replaceTable).toBeUndefined();
  });
});
