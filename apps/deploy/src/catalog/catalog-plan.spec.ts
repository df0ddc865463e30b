import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTargetWarehouse, startEndpointTarget, type EndpointTarget } from '../testing/endpoint.js';
import { removeTree, runCli, writeTree } from '../testing/fixtures.js';

describe.each([
  ['local (DuckDB: catalogs are attached files)', 'local'],
  ['dev (the @databricks/sql driver → local endpoint, dev_ catalogs)', 'dev'],
])('deploy catalog plan|apply on %s', (_label, target) => {
  let endpoint: EndpointTarget | undefined;
  let env: Record<string, string> = {};
  let dataDir: string;
  const cli = (...args: string[]) => runCli(['catalog', ...args, '-t', target, ...(target === 'local' ? ['--data-dir', dataDir] : [])], env);
  const prefix = target === 'dev' ? 'dev_' : '';

  beforeAll(async () => {
    dataDir = writeTree({});
    if (target === 'dev') {
      endpoint = await startEndpointTarget();
      env = endpoint.env;
    }
  }, 30_000);
  afterAll(async () => {
    await endpoint?.close();
    removeTree(dataDir);
  });

  it('plan lists every declared catalog and schema under the target names; apply creates them; then nothing is left', async () => {
    const plan = JSON.parse((await cli('plan', '--json')).stdout) as { create: { kind: string; name: string; sql: string }[] };
    const schemas = plan.create.filter((s) => s.kind === 'schema').map((s) => s.name);
    expect(schemas).toEqual(expect.arrayContaining([`${prefix}bronze.odoo`, `${prefix}silver.finance`, `${prefix}gold.finance`, `${prefix}platinum.predictions`, `${prefix}sandbox.scratch`, `${prefix}ops.ops`]));
    expect(schemas).toHaveLength(13);
    if (target === 'dev') {
      // The endpoint starts with no catalogs: all six are created, with their comments.
      expect(plan.create.filter((s) => s.kind === 'catalog').map((s) => s.name)).toEqual(['dev_bronze', 'dev_silver', 'dev_gold', 'dev_platinum', 'dev_sandbox', 'dev_ops']);
      expect(plan.create[0]?.sql).toBe("CREATE CATALOG IF NOT EXISTS `dev_bronze` COMMENT 'Raw landing data, as ingested'");
    }
    const applied = await cli('apply');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toMatch(/Applied: \d+ created\./);
    const again = await cli('plan');
    expect(again.stdout).toBe('No changes. Target ' + target + ' has every declared catalog and schema (19).\n');
    // apply is idempotent
    expect((await cli('apply')).stdout).toContain('No changes.');
  }, 60_000);

  it('a schema created by hand is reported, never dropped', async () => {
    const warehouse = await openTargetWarehouse(target, env, dataDir);
    try {
      await warehouse.query(warehouse.adapter.createSchemaSql(`${prefix}gold`, 'adhoc'));
    } finally {
      await warehouse.close();
    }
    const plan = await cli('plan');
    expect(plan.stdout).toContain(`? schema  ${prefix}gold.adhoc  # not in databricks/catalog/catalogs.yml (left alone)`);
    expect(plan.stdout).toContain('No changes.');
  }, 30_000);
});
