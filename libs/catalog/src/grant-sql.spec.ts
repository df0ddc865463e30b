import { describe, expect, it } from 'vitest';
import { parseGrantStatement, parseMetadataStatement } from './grant-sql.js';

const ns = { catalog: 'gold', schema: 'finance' };

describe('parseGrantStatement', () => {
  it('reads GRANT with multi-word privileges, backtick principals and comments', () => {
    expect(parseGrantStatement('/* x */ grant use schema, SELECT on schema silver.finance to `finance_analysts`;', ns)).toEqual({
      kind: 'GRANT',
      allPrivileges: false,
      change: { action: 'GRANT', principal: 'finance_analysts', securable: { type: 'SCHEMA', name: 'silver.finance' }, privileges: ['USE SCHEMA', 'SELECT'] },
    });
  });

  it('resolves short names against the session and reads REVOKE ALL PRIVILEGES', () => {
    expect(parseGrantStatement('REVOKE ALL PRIVILEGES ON TABLE t FROM `9e2f4a6b-3c5d-4e7f-8a9b-4c6d8e0f2a93`', ns)).toMatchObject({
      kind: 'REVOKE',
      allPrivileges: true,
      change: { securable: { type: 'TABLE', name: 'gold.finance.t' }, privileges: ['ALL PRIVILEGES'] },
    });
    expect(parseGrantStatement('GRANT SELECT ON VIEW `Executive_Dashboard` TO x', ns)).toMatchObject({ change: { securable: { type: 'TABLE', name: 'gold.finance.executive_dashboard' } } });
    expect(parseGrantStatement('GRANT USE CATALOG ON CATALOG TO x', ns)).toMatchObject({ change: { securable: { type: 'CATALOG', name: 'gold' } } });
  });

  it('reads SHOW GRANTS with and without a principal', () => {
    expect(parseGrantStatement('SHOW GRANTS ON SCHEMA gold.finance', ns)).toEqual({ kind: 'SHOW GRANTS', securable: { type: 'SCHEMA', name: 'gold.finance' } });
    expect(parseGrantStatement('show grant `a@b.ph` on table gold.finance.t', ns)).toEqual({ kind: 'SHOW GRANTS', principal: 'a@b.ph', securable: { type: 'TABLE', name: 'gold.finance.t' } });
  });

  it('is not interested in other statements', () => {
    expect(parseGrantStatement('SELECT 1', ns)).toBeUndefined();
    expect(parseGrantStatement('SHOW TABLES', ns)).toBeUndefined();
  });

  it('rejects invalid grants with a reason', () => {
    expect(() => parseGrantStatement('GRANT SELECT ON FUNCTION gold.ml.f TO x', ns)).toThrow(/SELECT cannot be granted on a FUNCTION/);
    expect(() => parseGrantStatement('GRANT READ ON TABLE t TO x', ns)).toThrow(/"READ" is not a Unity Catalog privilege/);
    expect(() => parseGrantStatement('GRANT SELECT ON CATALOG silver.finance TO x', ns)).toThrow(/CATALOG name "silver.finance" has too many parts/);
    expect(() => parseGrantStatement('GRANT SELECT ON TABLE t TO x; DROP TABLE t', ns)).toThrow(/unexpected "DROP"/);
    expect(() => parseGrantStatement('GRANT SELECT ON TABLE t', ns)).toThrow(/expected TO at the end/);
  });
});

describe('parseMetadataStatement', () => {
  it('reads the allowed DESCRIBE and SHOW forms', () => {
    expect(parseMetadataStatement('DESCRIBE TABLE EXTENDED gold.finance.bir_monthly', ns)).toEqual({ kind: 'DESCRIBE', securable: { type: 'TABLE', name: 'gold.finance.bir_monthly' } });
    expect(parseMetadataStatement('desc bir_monthly', ns)).toEqual({ kind: 'DESCRIBE', securable: { type: 'TABLE', name: 'gold.finance.bir_monthly' } });
    expect(parseMetadataStatement('SHOW CATALOGS', ns)).toEqual({ kind: 'SHOW', what: 'CATALOGS' });
    expect(parseMetadataStatement('SHOW SCHEMAS IN silver', ns)).toEqual({ kind: 'SHOW', what: 'SCHEMAS', catalog: 'silver' });
    expect(parseMetadataStatement('SHOW TABLES FROM silver.scout', ns)).toEqual({ kind: 'SHOW', what: 'TABLES', schema: 'silver.scout' });
    expect(parseMetadataStatement('SHOW TABLES', ns)).toEqual({ kind: 'SHOW', what: 'TABLES', schema: 'gold.finance' });
  });

  it('anything else is not a metadata statement', () => {
    for (const sql of ['SHOW TABLES LIKE "x"', 'SHOW FUNCTIONS', 'DESCRIBE gold.finance.t; DROP TABLE x', 'SHOW CATALOGS; SELECT 1', 'DESCRIBE (SELECT 1)', 'SHOW TBLPROPERTIES t']) {
      expect(parseMetadataStatement(sql, ns), sql).toBeUndefined();
    }
  });
});
