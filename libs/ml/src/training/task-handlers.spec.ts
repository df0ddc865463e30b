import { readFileSync } from 'node:fs';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { describe, expect, it } from 'vitest';
import { mlTaskHandlers } from './task-handlers.js';

describe('mlTaskHandlers', () => {
  it('implements every python_wheel_task entry point of the ml_training job', () => {
    const yml = readFileSync(new URL('../../../../databricks/bundles/resources/ml_jobs.yml', import.meta.url), 'utf8');
    const entryPoints = [...yml.matchAll(/entry_point:\s*(\w+)/g)].map((m) => m[1]).sort();
    expect(entryPoints.length).toBeGreaterThan(0);
    expect(Object.keys(mlTaskHandlers()).sort()).toEqual(entryPoints);
  });

  it('rejects a bad job parameter naming it, before touching the warehouse', async () => {
    const warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['platinum', 'gold'] }));
    try {
      await expect(mlTaskHandlers().train({ warehouse, runId: 'r1', params: { seed: '-1' } })).rejects.toMatchObject({
        code: 'INVALID_INPUT', message: 'job parameter seed: got "-1", expected a whole number ≥ 0',
      });
      await expect(mlTaskHandlers().score({ warehouse, runId: 'r1', params: { forecast_months: 'x' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await warehouse.close();
    }
  });
});
