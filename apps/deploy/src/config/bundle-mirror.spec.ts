import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '@odoo-ce/bundle';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';

/**
 * databricks/config is the reviewed source of cluster and warehouse settings; the bundle carries
 * copies because the CLI cannot read JSON files into resources. These tests keep the copies equal,
 * and keep the bundle from declaring variables (with lookups that must resolve) that nothing uses.
 */
const bundleRoot = join(REPO_ROOT, 'databricks', 'bundles');
const configDir = join(REPO_ROOT, 'databricks', 'config');
const json = (path: string) => JSON.parse(readFileSync(join(configDir, path), 'utf8')) as Record<string, unknown>;

describe('the bundle mirrors databricks/config', () => {
  it('declares no variable that nothing uses: every variable (and so every lookup, resolved on each deploy) is referenced', async () => {
    const bundle = await loadBundle(bundleRoot, { target: 'prod', env: {} });
    const yaml = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [readFileSync(join(dir, e.name), 'utf8')] : []));
    const text = yaml(bundleRoot).join('\n');
    const referenced = new Set([...text.matchAll(/\$\{var\.([A-Za-z_][\w-]*)/g)].map((m) => m[1] as string));
    const declared = Object.keys(bundle.variables);
    expect(declared.length).toBeGreaterThan(5);
    // layoutOf (src/bundle/validate.ts) reads the catalog variables to render {{catalog.x}} / {{ops}} in SQL.
    const readByLayout = (v: string) => /^([a-z]+_catalog|catalog_prefix|ops_schema)$/.test(v);
    expect(declared.filter((v) => !referenced.has(v) && !readByLayout(v))).toEqual([]);
    // The job clusters of databricks/config/clusters are not deployed through the bundle (no job uses one).
    expect(declared.filter((v) => /cluster/.test(v))).toEqual([]);
  });

  it('resources.sql_warehouses.analytics is config/warehouses/analytics.json (prod may scale out further)', async () => {
    const warehouse = json('warehouses/analytics.json');
    delete warehouse['description'];
    for (const target of ['dev', 'staging', 'prod']) {
      const bundle = await loadBundle(bundleRoot, { target, env: {} });
      const resources = bundle.config['resources'] as { sql_warehouses: Record<string, Record<string, unknown>> };
      const deployed = resources.sql_warehouses['analytics'];
      expect(deployed).toEqual({ ...warehouse, ...(target === 'prod' ? { max_num_clusters: 4 } : {}) });
    }
  });
});
