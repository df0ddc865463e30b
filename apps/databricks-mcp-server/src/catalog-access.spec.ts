import { join } from 'node:path';
import { loadPolicy, OpsGrantsStore } from '@odoo-ce/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogAccess } from './catalog-access.js';
import { REPO_ROOT } from './open.js';
import { openFixture, type Fixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(() => fx.close());

describe('CatalogAccess on <ops>.grants (local enforcement)', () => {
  it('sees a GRANT and a REVOKE once the cache expires', async () => {
    const policy = await loadPolicy(join(REPO_ROOT, 'databricks', 'catalog'));
    const access = new CatalogAccess({ warehouse: fx.ctx.warehouse, policy, source: 'ops', cacheMs: 0 });
    const store = new OpsGrantsStore(fx.ctx.warehouse);
    const sql = 'SELECT count(*) AS n FROM silver.finance.moves';
    expect(await access.checkStatement('odoo-ce-mcp', sql)).toMatchObject({ allowed: false });

    await store.apply([
      { action: 'GRANT', principal: policy.principals.find((p) => p.name === 'odoo-ce-mcp')?.id as string, securable: { type: 'CATALOG', name: 'silver' }, privileges: ['USE CATALOG'] },
      { action: 'GRANT', principal: policy.principals.find((p) => p.name === 'odoo-ce-mcp')?.id as string, securable: { type: 'SCHEMA', name: 'silver.finance' }, privileges: ['USE SCHEMA', 'SELECT'] },
    ]);
    expect(await access.checkStatement('odoo-ce-mcp', sql)).toMatchObject({ allowed: true, tables: ['silver.finance.moves'] });
    expect(await access.canSee('odoo-ce-mcp', { catalog: 'silver', schema: 'finance', table: 'moves' })).toBe(true);
    expect(await access.canSee('odoo-ce-mcp', { catalog: 'silver', schema: 'scout' })).toBe(false);

    await store.apply([{ action: 'REVOKE', principal: policy.principals.find((p) => p.name === 'odoo-ce-mcp')?.id as string, securable: { type: 'SCHEMA', name: 'silver.finance' }, privileges: ['SELECT'] }]);
    const refused = await access.checkStatement('odoo-ce-mcp', sql);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.allowed ? '' : refused.reason).toContain('SELECT on TABLE silver.finance.moves');
  });

  it('knows only the principals of the policy, and an unknown one sees nothing', async () => {
    const policy = await loadPolicy(join(REPO_ROOT, 'databricks', 'catalog'));
    const access = new CatalogAccess({ warehouse: fx.ctx.warehouse, policy, source: 'policy' });
    expect(await access.knows('odoo-ce-mcp')).toBe(true);
    expect(await access.knows('mallory')).toBe(false);
    expect(await access.canSee('mallory', { catalog: 'gold' })).toBe(false);
    expect(await access.checkStatement('mallory', 'SELECT 1')).toMatchObject({ allowed: false });
    expect(await access.canExecute('odoo-ce-mcp', 'gold.ml_features.get_bir_forecast')).toBe(true);
    expect(await access.canExecute('odoo-ce-n8n', 'gold.ml_features.get_bir_forecast')).toBe(false);
  });
});
