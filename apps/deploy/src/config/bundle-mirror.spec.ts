import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '@odoo-ce/bundle';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { clusterProblems, loadClusterConfig } from './cluster-policy.js';

/**
 * databricks/config is the reviewed source of cluster and warehouse settings; the bundle carries
 * copies because the CLI cannot read JSON files into resources. These tests keep the copies equal.
 */
const bundleRoot = join(REPO_ROOT, 'databricks', 'bundles');
const configDir = join(REPO_ROOT, 'databricks', 'config');
const json = (path: string) => JSON.parse(readFileSync(join(configDir, path), 'utf8')) as Record<string, unknown>;

describe('the bundle mirrors databricks/config', () => {
  it.each([
    ['etl_cluster', 'clusters/etl.json', 'etl_cluster_policy_id'],
    ['ml_cluster', 'clusters/ml.json', 'ml_cluster_policy_id'],
  ])('variable %s is %s, under the policy its lookup names, and conforms to it', async (variable, file, policyVariable) => {
    const bundle = await loadBundle(bundleRoot, { target: 'prod', env: {} });
    const { policy_id: policyId, apply_policy_default_values: applyDefaults, ...cluster } = bundle.variables[variable]?.value as Record<string, unknown>;
    const spec = json(file) as { policy: string; new_cluster: Record<string, unknown> };
    expect(cluster).toEqual(spec.new_cluster);
    expect(policyId).toBe(`\${var.${policyVariable}}`);
    expect(applyDefaults).toBe(true);
    expect(bundle.variables[policyVariable]?.lookup).toEqual({ cluster_policy: spec.policy });
    const policy = loadClusterConfig(configDir).policies.get(spec.policy);
    expect(policy && clusterProblems(cluster, policy)).toEqual([]);
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
