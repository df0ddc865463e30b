import { compiledQuery, Warehouse } from '@odoo-ce/warehouse';
import { databricksDialect } from '@odoo-ce/warehouse/databricks';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { startLocalEndpoint, type LocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeToSql, diffGrants } from './diff.js';
import { CatalogError } from './errors.js';
import { grantsStatementHandler } from './grants-handler.js';
import { governedQuery } from './governed.js';
import { grantKey, type Grant } from './model.js';
import { loadPolicy, type Policy } from './policy.js';
import { SqlParser } from './sql-parser.js';
import { MemoryGrantsStore, OpsGrantsStore, SqlGrantsStore, syncGrants } from './stores.js';
import { REPO_POLICY_DIR } from './repo-policy.js';

const keys = (grants: readonly Grant[]) => grants.map(grantKey).sort();
let policy: Policy;
beforeAll(async () => {
  policy = await loadPolicy(REPO_POLICY_DIR);
});

describe('OpsGrantsStore (embedded engine) and governedQuery', () => {
  let warehouse: Warehouse;
  let parser: SqlParser;
  beforeAll(async () => {
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['gold', 'silver', 'ops'], threads: 1 }));
    parser = new SqlParser();
    await warehouse.executeScript(`
      CREATE SCHEMA gold.finance;
      CREATE TABLE gold.finance.bir_monthly AS SELECT '2026-01' AS period, 1250.5 AS tax_required;
      CREATE SCHEMA silver.finance;
      CREATE TABLE silver.finance.moves AS SELECT 1 AS id;`);
  });
  afterAll(async () => {
    await parser.close();
    await warehouse.close();
  });

  it('applies the policy as a diff into <ops>.grants and lists it back', async () => {
    const store = new OpsGrantsStore(warehouse);
    expect(await store.list()).toEqual([]);
    const planned = await syncGrants(store, policy.grants, { dryRun: true });
    expect(await store.list()).toEqual([]);
    expect(await syncGrants(store, policy.grants)).toEqual(planned);
    expect(keys(await store.list())).toEqual(keys(policy.grants));
    expect(await syncGrants(store, policy.grants)).toEqual([]);
    const schema = await store.list([{ type: 'SCHEMA', name: 'gold.finance' }]);
    expect(new Set(schema.map((g) => g.principal))).toEqual(new Set(['finance_analysts', 'executives']));
  });

  it('governedQuery runs what the caller may read, from the grants in the ops table', async () => {
    const result = await governedQuery(warehouse, 'odoo-ce-mcp', 'SELECT period, tax_required FROM `gold`.finance.bir_monthly', { principals: policy.principals, parser });
    expect(result.rows).toEqual([{ period: '2026-01', tax_required: '1250.5' }]);
    expect(result.gate.tables).toEqual(['gold.finance.bir_monthly']);
  });

  it('governedQuery refuses what the caller may not read, and follows grant changes', async () => {
    const attempt = () => governedQuery(warehouse, 'odoo-ce-mcp', 'SELECT count(*) AS n FROM silver.finance.moves', { principals: policy.principals, parser });
    const error = await attempt().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    expect(error).toMatchObject({ code: 'STATEMENT_REFUSED', data: { code: 'NO_PRIVILEGE' } });
    expect((error as Error).message).toContain('odoo-ce-mcp lacks USE CATALOG on CATALOG silver');

    const store = new OpsGrantsStore(warehouse);
    const mcp = policy.principals.find((p) => p.name === 'odoo-ce-mcp')?.id as string;
    await store.apply([{ action: 'GRANT', principal: mcp, securable: { type: 'SCHEMA', name: 'silver.finance' }, privileges: ['USE SCHEMA', 'SELECT'] }]);
    await store.apply([{ action: 'GRANT', principal: mcp, securable: { type: 'CATALOG', name: 'silver' }, privileges: ['USE CATALOG'] }]);
    expect((await attempt()).rows).toEqual([{ n: 1n }]);
    await store.apply([{ action: 'REVOKE', principal: mcp, securable: { type: 'CATALOG', name: 'silver' }, privileges: ['USE CATALOG'] }]);
    await expect(attempt()).rejects.toMatchObject({ code: 'STATEMENT_REFUSED' });
  });

  it('governedQuery answers DESCRIBE and SHOW with only what the caller may see', async () => {
    const opts = { principals: policy.principals, parser };
    const described = await governedQuery(warehouse, 'odoo-ce-mcp', 'DESCRIBE TABLE gold.finance.bir_monthly', opts);
    expect(described.rows.map((r) => (r as { column_name: string }).column_name)).toEqual(['period', 'tax_required']);
    expect((await governedQuery(warehouse, 'odoo-ce-mcp', 'SHOW CATALOGS', opts)).rows).toEqual([{ catalog: 'gold' }]);
    expect((await governedQuery(warehouse, 'databricks_admins', 'SHOW CATALOGS', opts)).rows).toEqual([{ catalog: 'gold' }, { catalog: 'ops' }, { catalog: 'silver' }]);
    expect((await governedQuery(warehouse, 'odoo-ce-mcp', 'SHOW SCHEMAS IN gold', opts)).rows).toEqual([{ databaseName: 'finance' }, { databaseName: 'main' }]);
    expect((await governedQuery(warehouse, 'odoo-ce-mcp', 'SHOW TABLES IN gold.finance', opts)).rows).toEqual([{ database: 'finance', tableName: 'bir_monthly', isTemporary: false }]);
    expect((await governedQuery(warehouse, 'databricks_admins', 'SHOW GRANTS `executives` ON TABLE gold.finance.executive_dashboard', opts)).rows).toEqual([
      { Principal: 'executives', ActionType: 'USE CATALOG', ObjectType: 'CATALOG', ObjectKey: 'gold' },
      { Principal: 'executives', ActionType: 'USE SCHEMA', ObjectType: 'SCHEMA', ObjectKey: 'gold.finance' },
      { Principal: 'executives', ActionType: 'SELECT', ObjectType: 'TABLE', ObjectKey: 'gold.finance.executive_dashboard' },
    ]);
    await expect(governedQuery(warehouse, 'executives', 'SHOW TABLES IN silver.finance', opts)).rejects.toMatchObject({ code: 'STATEMENT_REFUSED', data: { code: 'NO_PRIVILEGE' } });
  });

  it('governedQuery never runs a write', async () => {
    await expect(governedQuery(warehouse, 'databricks_admins', 'DROP TABLE gold.finance.bir_monthly', { principals: policy.principals, parser })).rejects.toMatchObject({
      code: 'STATEMENT_REFUSED',
      data: { code: 'NOT_READ_ONLY' },
    });
    expect((await warehouse.query('SELECT count(*) AS n FROM gold.finance.bir_monthly')).rows).toEqual([{ n: 1n }]);
  });
});

describe('SqlGrantsStore through the real @databricks/sql driver and the local endpoint', () => {
  const TOKEN = 'catalog-grants-spec';
  let endpoint: LocalEndpoint;
  let warehouse: Warehouse;
  const backing = new MemoryGrantsStore();

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', catalogs: ['gold'], threads: 1, intercept: grantsStatementHandler(backing) });
    warehouse = new Warehouse(
      databricksDialect({ host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, auth: { kind: 'pat', token: TOKEN }, caCertPem: endpoint.certPem, catalog: 'gold', schema: 'main' }),
    );
  }, 20_000);
  afterAll(async () => {
    await warehouse?.close();
    await endpoint?.close();
  });

  it('GRANT and REVOKE statements change the store; SHOW GRANTS reads it in Databricks columns', async () => {
    const store = new SqlGrantsStore(warehouse);
    const desired = policy.grants.filter((g) => g.securable.name.startsWith('gold'));
    await store.apply(diffGrants(desired, []));
    expect(keys(await backing.list())).toEqual(keys(desired));

    const securables = [{ type: 'CATALOG', name: 'gold' }, { type: 'SCHEMA', name: 'gold.finance' }, { type: 'TABLE', name: 'gold.finance.executive_dashboard' }, { type: 'FUNCTION', name: 'gold.ml_features.get_bir_forecast' }] as const;
    expect(keys(await store.list(securables))).toEqual(keys(desired));

    const { rows } = await warehouse.query('SHOW GRANTS `executives` ON TABLE gold.finance.executive_dashboard');
    expect(rows).toEqual([
      { Principal: 'executives', ActionType: 'USE CATALOG', ObjectType: 'CATALOG', ObjectKey: 'gold' },
      { Principal: 'executives', ActionType: 'USE SCHEMA', ObjectType: 'SCHEMA', ObjectKey: 'gold.finance' },
      { Principal: 'executives', ActionType: 'SELECT', ObjectType: 'TABLE', ObjectKey: 'gold.finance.executive_dashboard' },
    ]);

    const fewer = desired.filter((g) => g.principal !== 'executives');
    const changes = await syncGrants(store, fewer, { securables });
    expect(changes.map(changeToSql)).toEqual([
      'REVOKE USE CATALOG ON CATALOG gold FROM `executives`',
      'REVOKE USE SCHEMA ON SCHEMA gold.finance FROM `executives`',
      'REVOKE SELECT ON TABLE gold.finance.executive_dashboard FROM `executives`',
    ]);
    expect(keys(await store.list(securables))).toEqual(keys(fewer));
  });

  it('short names resolve against the session; invalid grants fail as statement errors', async () => {
    await warehouse.query('GRANT USE SCHEMA ON SCHEMA main TO `someone@x.ph`');
    expect(await backing.list([{ type: 'SCHEMA', name: 'gold.main' }])).toEqual([{ principal: 'someone@x.ph', securable: { type: 'SCHEMA', name: 'gold.main' }, privilege: 'USE SCHEMA' }]);
    await expect(warehouse.query('GRANT SELECT ON FUNCTION gold.ml_features.get_bir_forecast TO `x`')).rejects.toThrow(/SELECT cannot be granted on a FUNCTION/);
    // Other statements still reach DuckDB.
    expect((await warehouse.query(compiledQuery('SELECT :n + 1 AS n', { n: 41 }))).rows).toEqual([{ n: 42 }]);
  });

  it('the Databricks store needs the securables to look at', async () => {
    await expect(new SqlGrantsStore(warehouse).list()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
