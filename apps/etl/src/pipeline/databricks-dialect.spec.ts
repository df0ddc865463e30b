import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, runJob } from '@odoo-ce/bundle';
import { ingestDirectory } from '@odoo-ce/connectors/files';
import { loadSuites, qualityGates } from '@odoo-ce/data-quality';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { startLocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../main.js';
import { DEMO_JOBS, runDemoPipeline } from './demo-pipeline.js';

const SEED = 3;
const SCALE = 1_500;
const GOLD = [
  'select * from {{catalog.gold}}.finance.bir_monthly order by period',
  'select * from {{catalog.gold}}.finance.bir_quarterly order by period',
  'select * from {{catalog.gold}}.finance.month_end_close order by period',
  'select agency, period, transactions, total_php from {{catalog.gold}}.scout.agency_summary order by agency, period',
  'select count(*) as quarantined from {{catalog.silver}}.scout.transactions_quarantine',
];

async function goldOf(warehouse: Warehouse): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const sql of GOLD) out.push((await warehouse.query(warehouse.render(sql))).rows);
  return out;
}

describe('the same jobs through the Databricks SQL driver (local endpoint)', () => {
  it('run every task file of the bundle, quality gates included, and produce the gold DuckDB produces', async () => {
    // Reference: the whole pipeline on embedded DuckDB.
    const duckDir = mkdtempSync(join(tmpdir(), 'same-duck-'));
    const duck = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: duckDir } });
    let expected: unknown[][];
    try {
      await runDemoPipeline({ warehouse: duck, repoRoot: REPO_ROOT, exportDir: join(duckDir, 'exports'), seed: SEED, scale: SCALE });
      expected = await goldOf(duck);
    } finally {
      await duck.close();
    }

    // The same export files in bronze (file ingestion reads local files, so it runs on the embedded
    // engine), then every job through @databricks/sql → HTTPS Thrift → the local endpoint.
    const dir = mkdtempSync(join(tmpdir(), 'same-dbx-'));
    const loader = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: join(dir, 'data') } });
    await ingestDirectory(loader, join(duckDir, 'exports'));
    await loader.close();

    const token = 'same-jobs-token';
    const endpoint = await startLocalEndpoint({ port: 0, token, dataDir: join(dir, 'data') });
    const warehouse = await openWarehouse({
      layout: DEFAULT_LAYOUT,
      warehouse: { engine: 'databricks', host: `${endpoint.host}:${endpoint.port}`, httpPath: endpoint.httpPath, auth: { kind: 'pat', token }, caCertFile: endpoint.certFile },
    });
    try {
      expect(warehouse.adapter.dialect).toBe('databricks');
      const bundle = await loadBundle(join(REPO_ROOT, 'databricks', 'bundles'), { env: {} });
      const afterTask = qualityGates(warehouse, await loadSuites(join(REPO_ROOT, 'databricks', 'quality')));
      for (const job of DEMO_JOBS) {
        const summary = await runJob(warehouse, bundle, job, { target: 'local', afterTask });
        expect(summary.status, `${job}: ${summary.error ?? ''}`).toBe('succeeded');
      }
      expect(await goldOf(warehouse)).toEqual(expected);
    } finally {
      await warehouse.close();
      await endpoint.close();
    }
  }, 180_000);
});
