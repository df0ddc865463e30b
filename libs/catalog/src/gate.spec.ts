import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrantEvaluator } from './evaluator.js';
import { FORBIDDEN_FUNCTIONS, gateSql, type GateResult } from './gate.js';
import { loadPolicy } from './policy.js';
import { SqlParser } from './sql-parser.js';
import { REPO_POLICY_DIR } from './repo-policy.js';

let evaluator: GrantEvaluator;
let parser: SqlParser;
beforeAll(async () => {
  const policy = await loadPolicy(REPO_POLICY_DIR);
  evaluator = new GrantEvaluator(policy.principals, policy.grants);
  parser = new SqlParser();
});
afterAll(async () => {
  await parser.close();
});

const gate = (sql: string, principal = 'odoo-ce-mcp', namespace = { catalog: 'gold', schema: 'finance' }): Promise<GateResult> =>
  gateSql(sql, principal, { evaluator, parser, namespace });

async function refused(sql: string, principal?: string): Promise<{ code: string; reason: string }> {
  const result = await gate(sql, principal);
  if (result.allowed) throw new Error(`the gate allowed: ${sql}`);
  return result;
}

describe('gateSql allows read-only statements on granted objects', () => {
  it('a SELECT with joins, CTEs, subqueries and built-in functions, listing the tables read', async () => {
    const result = await gate(`
      WITH recent AS (SELECT period, tax_required FROM gold.finance.bir_monthly WHERE period >= '2026-01')
      SELECT r.period, upper(s.agency), sum(s.amount) OVER (PARTITION BY s.agency)
      FROM recent r JOIN gold.scout.agency_summary s ON s.period = r.period
      WHERE r.tax_required > (SELECT avg(tax_required) FROM bir_monthly)`);
    expect(result).toMatchObject({ allowed: true, kind: 'WITH', tables: ['gold.finance.bir_monthly', 'gold.scout.agency_summary'], functions: [] });
  });

  it('VALUES, FROM-first, parameters, safe table functions', async () => {
    expect(await gate('VALUES (1, 2), (3, 4)')).toMatchObject({ allowed: true, kind: 'VALUES', tables: [] });
    expect(await gate('FROM gold.finance.bir_monthly SELECT period')).toMatchObject({ allowed: true, kind: 'SELECT' });
    expect(await gate('select * from gold.finance.bir_monthly where period = :period and amount::decimal(18,2) > 0')).toMatchObject({ allowed: true });
    expect(await gate('SELECT * FROM range(10) r, generate_series(1, 3) g, unnest([1, 2]) u')).toMatchObject({ allowed: true, tables: [] });
  });

  it('backtick identifiers and Spark strings', async () => {
    const result = await gate("SELECT `period` FROM `gold`.`finance`.`bir_monthly` WHERE period <> 'it\\'s; DROP TABLE x'");
    expect(result).toMatchObject({ allowed: true, tables: ['gold.finance.bir_monthly'] });
  });

  it('a Unity Catalog function with EXECUTE', async () => {
    expect(await gate('SELECT gold.ml_features.get_bir_forecast(6)')).toMatchObject({ allowed: true, functions: ['gold.ml_features.get_bir_forecast'] });
    expect(await gate('SELECT * FROM gold.ml_features.get_bir_forecast(6)')).toMatchObject({ allowed: true, functions: ['gold.ml_features.get_bir_forecast'] });
  });

  it('CTE names are not tables, and recursive CTEs see themselves', async () => {
    expect(await gate('WITH moves AS (SELECT 1 AS x) SELECT * FROM moves')).toMatchObject({ allowed: true, tables: [] });
    expect(await gate('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r')).toMatchObject({ allowed: true, tables: [] });
  });

  it('DESCRIBE and SHOW through the strict path', async () => {
    expect(await gate('DESCRIBE TABLE gold.finance.bir_monthly')).toMatchObject({ allowed: true, kind: 'DESCRIBE', tables: ['gold.finance.bir_monthly'] });
    expect(await gate('SHOW TABLES IN gold.scout')).toMatchObject({ allowed: true, kind: 'SHOW', securable: { type: 'SCHEMA', name: 'gold.scout' } });
    expect(await gate('SHOW CATALOGS')).toMatchObject({ allowed: true, kind: 'SHOW' });
  });
});

describe('gateSql refuses', () => {
  it.each([
    ['INSERT', 'INSERT INTO gold.finance.bir_monthly VALUES (1)'],
    ['UPDATE', 'UPDATE gold.finance.bir_monthly SET period = 1'],
    ['DELETE', 'DELETE FROM gold.finance.bir_monthly'],
    ['MERGE', 'MERGE INTO gold.finance.bir_monthly t USING gold.finance.x s ON t.id = s.id WHEN MATCHED THEN DELETE'],
    ['CREATE', 'CREATE TABLE gold.finance.copy AS SELECT * FROM gold.finance.bir_monthly'],
    ['DROP', 'DROP TABLE gold.finance.bir_monthly'],
    ['ALTER', 'ALTER TABLE gold.finance.bir_monthly ADD COLUMN x INT'],
    ['GRANT', 'GRANT SELECT ON SCHEMA silver.finance TO `odoo-ce-mcp`'],
    ['REVOKE', 'REVOKE SELECT ON SCHEMA gold.finance FROM `finance_analysts`'],
    ['TRUNCATE', 'TRUNCATE gold.finance.bir_monthly'],
  ])('%s (a write)', async (_kind, sql) => {
    expect((await refused(sql)).code).toBe('NOT_READ_ONLY');
  });

  it('COPY', async () => {
    expect(await refused("COPY gold.finance.bir_monthly TO '/tmp/out.csv'")).toMatchObject({ code: 'NOT_READ_ONLY', reason: expect.stringContaining('COPY statements are not allowed') });
    expect((await refused("COPY (SELECT 1) TO '/tmp/x.csv'")).code).toBe('NOT_READ_ONLY');
  });

  it('ATTACH / DETACH', async () => {
    expect((await refused("ATTACH '/tmp/other.duckdb' AS other")).code).toBe('NOT_READ_ONLY');
    expect((await refused('DETACH gold')).code).toBe('NOT_READ_ONLY');
  });

  it('INSTALL / LOAD', async () => {
    expect((await refused('INSTALL httpfs')).code).toBe('NOT_READ_ONLY');
    expect((await refused('LOAD httpfs')).code).toBe('NOT_READ_ONLY');
  });

  it('PRAGMA / SET / RESET / CALL / USE / EXPLAIN', async () => {
    for (const sql of ["PRAGMA enable_external_access = 'true'", "SET enable_external_access = true", 'RESET threads', "CALL pragma_version()", 'USE silver.finance', 'EXPLAIN SELECT 1', 'SUMMARIZE gold.finance.bir_monthly']) {
      expect((await refused(sql)).code, sql).toBe('NOT_READ_ONLY');
    }
  });

  it('SELECT 1; DROP TABLE x', async () => {
    expect((await refused('SELECT 1; DROP TABLE x')).code).toBe('MULTIPLE_STATEMENTS');
    expect((await refused('SELECT 1; SELECT 2')).code).toBe('MULTIPLE_STATEMENTS');
  });

  it('COMMIT; DROP TABLE x', async () => {
    expect((await refused('COMMIT; DROP TABLE x')).code).toBe('MULTIPLE_STATEMENTS');
    expect((await refused('COMMIT')).code).toBe('NOT_READ_ONLY');
  });

  it('comment and casing tricks', async () => {
    expect((await refused('/* SELECT */ DrOp TaBlE gold.finance.bir_monthly')).code).toBe('NOT_READ_ONLY');
    expect((await refused('-- SELECT 1\nDELETE FROM gold.finance.bir_monthly')).code).toBe('NOT_READ_ONLY');
    expect((await refused('WITH x AS (SELECT 1) INSERT INTO gold.finance.t SELECT * FROM x')).code).toBe('NOT_READ_ONLY');
    expect((await refused('SELECT 1 /* ; */ ; /**/ dRoP TABLE x')).code).toBe('MULTIPLE_STATEMENTS');
    expect((await refused('(SELECT 1); DELETE FROM t')).code).toBe('MULTIPLE_STATEMENTS');
    // Nested block comments (Spark and DuckDB nest them) and raw strings (no backslash escapes) read as Databricks reads them.
    expect((await refused('/* /* */ SELECT 1 */ DROP TABLE x')).code).toBe('NOT_READ_ONLY');
    expect((await refused("SELECT r'\\' ; DROP TABLE t --'")).code).toBe('MULTIPLE_STATEMENTS');
    // A ";" hidden in a comment or a string is not a statement separator; those run as one SELECT.
    expect(await gate("SELECT ';DROP TABLE x' AS s -- ; DROP TABLE x")).toMatchObject({ allowed: true });
  });

  it.each(['read_csv', 'read_csv_auto', 'read_parquet', 'parquet_scan', 'read_json', 'read_json_auto', 'read_text', 'read_blob', 'glob', 'query', 'duckdb_settings', 'sniff_csv'])(
    'the table function %s()',
    async (fn) => {
      const result = await refused(`SELECT * FROM ${fn}('/etc/passwd')`);
      expect(result.code).toBe('FORBIDDEN_TABLE_FUNCTION');
      expect(result.reason).toContain(`${fn}()`);
    },
  );

  it('built-in table functions spelled with DuckDB system qualifiers, even for an admin with EXECUTE everywhere', async () => {
    for (const sql of ["SELECT * FROM main.read_text('/etc/hostname')", "SELECT * FROM system.main.read_csv('/etc/passwd')", "SELECT * FROM pg_catalog.glob('/tmp/*')"]) {
      expect((await refused(sql, 'databricks_admins')).code, sql).toBe('FORBIDDEN_TABLE_FUNCTION');
    }
    expect((await refused("SELECT system.main.nextval('s')", 'databricks_admins')).code).toBe('FORBIDDEN_FUNCTION');
    expect(await gate('SELECT * FROM main.range(3)')).toMatchObject({ allowed: true, functions: [] });
  });

  it('file-reading table functions hidden in subqueries, CTEs and joins', async () => {
    expect((await refused("WITH f AS (SELECT * FROM read_csv('/etc/passwd')) SELECT * FROM f")).code).toBe('FORBIDDEN_TABLE_FUNCTION');
    expect((await refused("SELECT (SELECT count(*) FROM read_text('/etc/hosts'))")).code).toBe('FORBIDDEN_TABLE_FUNCTION');
    expect((await refused("SELECT * FROM gold.finance.bir_monthly WHERE period IN (SELECT * FROM glob('/tmp/*'))")).code).toBe('FORBIDDEN_TABLE_FUNCTION');
  });

  it('file paths as table names (replacement scans)', async () => {
    expect((await refused("SELECT * FROM '/etc/passwd'")).code).toBe('INVALID_NAME');
    expect((await refused('SELECT * FROM gold.finance.`data.csv`')).code).toBe('INVALID_NAME');
  });

  it('side-effecting built-ins', async () => {
    expect((await refused("SELECT nextval('s')")).code).toBe('FORBIDDEN_FUNCTION');
    expect((await refused("SELECT current_setting('home_directory')")).code).toBe('FORBIDDEN_FUNCTION');
  });

  it('tables the principal has no grant on: odoo-ce-mcp cannot read silver', async () => {
    const result = await refused('SELECT * FROM silver.finance.moves');
    expect(result).toMatchObject({
      code: 'NO_PRIVILEGE',
      reason: 'odoo-ce-mcp lacks USE CATALOG on CATALOG silver, USE SCHEMA on SCHEMA silver.finance, SELECT on TABLE silver.finance.moves',
    });
    expect((await refused('SELECT * FROM gold.finance.bir_monthly b JOIN `bronze`.scout.transactions t ON true')).code).toBe('NO_PRIVILEGE');
    expect((await refused('DESCRIBE silver.finance.moves')).code).toBe('NO_PRIVILEGE');
    expect((await refused('SHOW TABLES IN silver.finance')).code).toBe('NO_PRIVILEGE');
  });

  it('a CTE name shadows a table only inside its own query', async () => {
    const sql = 'SELECT * FROM (WITH moves AS (SELECT 1) SELECT * FROM moves) a, moves';
    expect((await gate(sql, 'odoo-ce-mcp', { catalog: 'silver', schema: 'finance' })).allowed).toBe(false);
  });

  it('narrow grants stay narrow: executives read the dashboard and nothing else', async () => {
    expect((await gate('SELECT * FROM gold.finance.executive_dashboard', 'executives')).allowed).toBe(true);
    expect((await refused('SELECT * FROM gold.finance.bir_monthly', 'executives')).code).toBe('NO_PRIVILEGE');
    expect((await refused('SELECT gold.ml_features.get_bir_forecast(3)', 'finance_analysts')).code).toBe('NO_PRIVILEGE');
  });

  it('unqualified names resolve to the namespace, ambiguous 2-part names are refused', async () => {
    expect(await gate('SELECT * FROM bir_monthly')).toMatchObject({ allowed: true, tables: ['gold.finance.bir_monthly'] });
    expect(await gate('SELECT * FROM scout.agency_summary')).toMatchObject({ allowed: true, tables: ['gold.scout.agency_summary'] });
    expect(await gate('SELECT * FROM moves', 'odoo-ce-mcp', { catalog: 'silver', schema: 'finance' })).toMatchObject({ allowed: false, code: 'NO_PRIVILEGE' });
    expect((await refused('SELECT * FROM gold.bir_monthly')).code).toBe('AMBIGUOUS_NAME');
  });

  it('unparseable, empty, unknown principal', async () => {
    expect((await refused('SELECT FROM WHERE')).code).toBe('UNPARSEABLE');
    expect((await refused('SHOW TABLES LIKE "x%"')).code).toBe('UNPARSEABLE');
    expect((await refused('   -- nothing\n')).code).toBe('EMPTY');
    expect((await refused('SELECT 1', 'mallory')).code).toBe('UNKNOWN_PRINCIPAL');
  });
});

describe('gateSql and comments: one canonical text for the gate and the engine', () => {
  it('a -- comment ends at CR as in DuckDB and Spark: the hidden FROM is seen and checked', async () => {
    const sql = "SELECT 1 AS x --\r, 'a\\', ' FROM silver.finance.u --'";
    expect(await refused(sql)).toMatchObject({ code: 'NO_PRIVILEGE', reason: expect.stringContaining('silver.finance.u') });
    // With a grant the statement passes, and what the engine gets has no comment left.
    const admin = await gate(sql, 'databricks_admins');
    expect(admin).toMatchObject({ allowed: true, tables: ['silver.finance.u'] });
    if (admin.allowed) {
      expect(admin.canonicalSql).toBe("SELECT 1 AS x  \r, 'a\\', ' FROM silver.finance.u  ");
      expect(admin.canonicalSql).not.toContain('--');
    }
  });

  it.each([
    ['LF', 'SELECT * -- \\\n, \'\nFROM silver.finance.moves\n-- \' AS y'],
    ['CRLF', 'SELECT * -- \\\r\n, \'\r\nFROM silver.finance.moves\r\n-- \' AS y'],
    ['at the end', 'SELECT 1 -- \\'],
  ])('a -- comment ending in a backslash (Spark continues it onto the next line) is refused: %s', async (_k, sql) => {
    expect(await refused(sql, 'databricks_admins')).toMatchObject({ code: 'UNPARSEABLE', reason: expect.stringContaining('backslash') });
  });

  it('block and line comments become single spaces in both spellings', async () => {
    const result = await gate("SELECT /* a /* b */ c */ `period` -- x\nFROM gold.finance.bir_monthly WHERE period <> 'it\\'s'");
    expect(result).toMatchObject({
      allowed: true,
      canonicalSql: "SELECT   `period`  \nFROM gold.finance.bir_monthly WHERE period <> 'it\\'s'",
      parsedSql: 'SELECT   "period"  \nFROM gold.finance.bir_monthly WHERE period <> \'it\'\'s\'',
    });
  });
});

describe('gateSql refuses denylisted functions (secrets, network, paid services, JVM, host)', () => {
  it.each([...FORBIDDEN_FUNCTIONS])('%s', async (fn) => {
    const result = await refused(`SELECT ${fn}('s', 'k')`, 'databricks_admins');
    expect(result.code).toBe('FORBIDDEN_FUNCTION');
    expect(result.reason).toContain(`${fn}()`);
  });

  it.each(['ai_query', 'ai_generate_text', 'AI_Summarize'])('the ai_ prefix: %s', async (fn) => {
    expect((await refused(`SELECT ${fn}('endpoint', 'hello')`, 'databricks_admins')).code).toBe('FORBIDDEN_FUNCTION');
  });

  it('as table functions and nested in queries', async () => {
    expect((await refused("SELECT * FROM read_files('s3://b/x')", 'databricks_admins')).code).toBe('FORBIDDEN_FUNCTION');
    expect((await refused("SELECT * FROM gold.finance.bir_monthly WHERE period = (SELECT secret('s', 'k'))", 'databricks_admins')).code).toBe('FORBIDDEN_FUNCTION');
  });

  it('any denylisted name in any casing and qualification (fast-check)', async () => {
    const names = [...FORBIDDEN_FUNCTIONS, 'ai_query', 'ai_forecast'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('', 'system.builtin.', 'builtin.', 'gold.finance.', 'main.', '`system`.`builtin`.', 'x.'),
        fc.constantFrom('', '`'),
        fc.boolean(),
        async (name, flips, qualifier, tick, asTable) => {
          const cased = [...name].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');
          const call = `${qualifier}${tick}${cased}${tick}('a', 'b')`;
          const result = await gateSql(asTable ? `SELECT * FROM ${call}` : `SELECT ${call}`, 'databricks_admins', { evaluator, parser, namespace: { catalog: 'gold', schema: 'finance' } });
          expect(result, call).toMatchObject({ allowed: false, code: 'FORBIDDEN_FUNCTION' });
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('gateSql fuzzing (fast-check): no write statement passes', () => {
  const writes = [
    'INSERT INTO gold.finance.bir_monthly VALUES (1)',
    'INSERT INTO gold.finance.bir_monthly SELECT * FROM gold.finance.bir_monthly',
    'UPDATE gold.finance.bir_monthly SET period = 1',
    'DELETE FROM gold.finance.bir_monthly',
    'MERGE INTO gold.finance.bir_monthly t USING gold.finance.x s ON t.id = s.id WHEN MATCHED THEN DELETE',
    'CREATE TABLE gold.finance.x AS SELECT 1',
    'CREATE OR REPLACE VIEW gold.finance.v AS SELECT 1',
    'CREATE MACRO m(x) AS x',
    'DROP TABLE gold.finance.bir_monthly',
    'DROP SCHEMA gold.finance CASCADE',
    'ALTER TABLE gold.finance.bir_monthly RENAME TO x',
    'GRANT SELECT ON CATALOG silver TO `odoo-ce-mcp`',
    "COPY gold.finance.bir_monthly TO '/tmp/x.csv'",
    "ATTACH '/tmp/x.duckdb' AS x",
    'DETACH gold',
    'INSTALL httpfs',
    'LOAD httpfs',
    'PRAGMA threads = 1',
    'SET threads = 1',
    'CALL pragma_version()',
    'CHECKPOINT',
    'VACUUM',
    "EXPORT DATABASE '/tmp/db'",
    'TRUNCATE gold.finance.bir_monthly',
    'WITH x AS (SELECT 1) DELETE FROM gold.finance.bir_monthly',
    'COMMIT',
  ];
  const reads = ['SELECT 1', 'SELECT * FROM gold.finance.bir_monthly', 'VALUES (1)', 'WITH a AS (SELECT 1) SELECT * FROM a'];
  const noise = fc.constantFrom(' ', '\n', '\t', '  ', ' /* select */ ', ' -- select 1\n', '/**/', ' /* ; */ ');
  const casing = (text: string, flips: boolean[]) =>
    [...text].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c.toLowerCase())).join('');
  /** A write statement with random casing, comments and whitespace between words, optionally stacked after a read. */
  const writeStatement = fc
    .record({
      write: fc.constantFrom(...writes),
      flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
      gaps: fc.array(noise, { minLength: 1, maxLength: 8 }),
      lead: fc.option(noise, { nil: undefined }),
      stackAfter: fc.option(fc.constantFrom(...reads), { nil: undefined }),
      trailing: fc.constantFrom('', ';', ' ;', ';\n-- end'),
    })
    .map(({ write, flips, gaps, lead, stackAfter, trailing }) => {
      // Keep string literals and backticked names intact; re-case and re-space only the words between them.
      const parts = write.split(/('[^']*'|`[^`]*`)/);
      let gap = 0;
      const body = parts
        .map((p, i) => (i % 2 === 1 ? p : casing(p, flips).replace(/ /g, () => gaps[gap++ % gaps.length] as string)))
        .join('');
      return `${lead ?? ''}${stackAfter ? `${stackAfter};${gaps[0]}` : ''}${body}${trailing}`;
    });

  it('write statements in any casing, spacing and comments, alone or stacked', async () => {
    await fc.assert(
      fc.asyncProperty(writeStatement, async (sql) => {
        const result = await gateSql(sql, 'databricks_admins', { evaluator, parser, namespace: { catalog: 'gold', schema: 'finance' } });
        expect(result.allowed, sql).toBe(false);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('the same noise around a read keeps it allowed (the gate is not refusing everything)', async () => {
    const read = fc
      .record({
        sql: fc.constantFrom(...reads),
        flips: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
        gaps: fc.array(noise, { minLength: 1, maxLength: 8 }),
        lead: fc.option(noise, { nil: undefined }),
        trailing: fc.constantFrom('', ';', ' ;', ';\n-- end'),
      })
      .map(({ sql, flips, gaps, lead, trailing }) => {
        let gap = 0;
        return `${lead ?? ''}${casing(sql, flips).replace(/ /g, () => gaps[gap++ % gaps.length] as string)}${trailing}`;
      });
    await fc.assert(
      fc.asyncProperty(read, async (sql) => {
        const result = await gateSql(sql, 'odoo-ce-mcp', { evaluator, parser, namespace: { catalog: 'gold', schema: 'finance' } });
        expect(result.allowed, sql).toBe(true);
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('a read followed by anything else is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), fc.string({ minLength: 1, maxLength: 30 }), async (read, tail) => {
        fc.pre(/[A-Za-z0-9]/.test(tail) && !/['"`]|--|\/\*/.test(tail));
        const result = await gateSql(`${read}; ${tail}`, 'databricks_admins', { evaluator, parser, namespace: { catalog: 'gold', schema: 'finance' } });
        expect(result.allowed).toBe(false);
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
