import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';
import { DeployError } from '../errors.js';
import { removeTree, writeTree } from '../testing/fixtures.js';
import { clusterProblems, loadClusterConfig, policyProblems, type ClusterPolicy } from './cluster-policy.js';

const configDir = join(REPO_ROOT, 'databricks', 'config');
const policy = (definition: Record<string, unknown>) => ({ name: 'p', definition });

describe('the repository cluster policies and clusters', () => {
  it('both seed policies exist, follow the definition rules, and every cluster conforms to its policy', () => {
    const { policies, clusters } = loadClusterConfig(configDir);
    expect([...policies.keys()].sort()).toEqual(['Cost-Optimized ETL', 'ML Training - GPU']);
    expect(clusters.map((c) => [c.file, c.policy])).toEqual([
      ['clusters/etl.json', 'Cost-Optimized ETL'],
      ['clusters/ml.json', 'ML Training - GPU'],
    ]);
  });

  it('the GPU policy admits only GPU node types and the ETL policy none of them', () => {
    const { policies } = loadClusterConfig(configDir);
    const gpu = policies.get('ML Training - GPU')?.definition['node_type_id'] as { values: string[] };
    const etl = policies.get('Cost-Optimized ETL')?.definition['node_type_id'] as { values: string[] };
    expect(gpu.values.every((n) => /^Standard_N/.test(n))).toBe(true);
    expect(etl.values.some((n) => /^Standard_N/.test(n))).toBe(false);
  });

  it('the ETL cluster spec breaks its policy when it asks for too many workers or a fixed num_workers', () => {
    const { policies } = loadClusterConfig(configDir);
    const spec = JSON.parse(readFileSync(join(configDir, 'clusters', 'etl.json'), 'utf8')) as { new_cluster: Record<string, unknown> };
    const etl = policies.get('Cost-Optimized ETL') as ClusterPolicy;
    expect(clusterProblems({ ...spec.new_cluster, autoscale: { min_workers: 1, max_workers: 32 } }, etl)).toEqual(['autoscale.max_workers: 32 is above maxValue 8 (policy "Cost-Optimized ETL")']);
    expect(clusterProblems({ ...spec.new_cluster, num_workers: 2 }, etl)).toEqual(['num_workers: 2 is set, but the attribute is forbidden (policy "Cost-Optimized ETL")']);
    expect(clusterProblems(spec.new_cluster, etl, 'all-purpose')).toEqual(['cluster_type: "all-purpose" is not the fixed value "job" (policy "Cost-Optimized ETL")']);
  });
});

describe('policyProblems: the definition rules', () => {
  it.each([
    [{ autotermination_minutes: { type: 'fixed' } }, 'autotermination_minutes.value'],
    [{ node_type_id: { type: 'allowlist', values: [] } }, 'node_type_id.values: an allowlist needs at least one value'],
    [{ node_type_id: { type: 'allowlist', values: ['a'], defaultValue: 'b' } }, 'node_type_id: defaultValue "b" is not in the allowlist ["a"]'],
    [{ node_type_id: { type: 'blocklist', values: ['a'], defaultValue: 'a' } }, 'node_type_id: defaultValue "a" is in the blocklist ["a"]'],
    [{ 'autoscale.max_workers': { type: 'range' } }, 'autoscale.max_workers: a range needs minValue and/or maxValue'],
    [{ 'autoscale.max_workers': { type: 'range', minValue: 5, maxValue: 2 } }, 'autoscale.max_workers: minValue 5 is greater than maxValue 2'],
    [{ 'autoscale.max_workers': { type: 'range', maxValue: 4, defaultValue: 9 } }, 'autoscale.max_workers: defaultValue 9 is above maxValue 4'],
    [{ spark_version: { type: 'regex', pattern: '([' } }, 'spark_version: pattern "([" is not a valid regular expression'],
    [{ spark_version: { type: 'regex', pattern: '^15\\.', defaultValue: '14.3.x' } }, 'spark_version: defaultValue "14.3.x" does not match ^15\\.'],
    [{ num_workers: { type: 'forbidden', value: 1 } }, 'num_workers: Unrecognized key: "value"'],
    [{ node_type_id: { type: 'allowlist', values: ['a'], hidden: true } }, 'node_type_id: Unrecognized key: "hidden"'],
    [{ dbus_per_hour: { type: 'fixed', value: 10 } }, 'dbus_per_hour: type fixed; the virtual attribute dbus_per_hour takes a range only'],
    [{ cluster_type: { type: 'fixed', value: 'interactive' } }, 'cluster_type: "interactive" is not one of all-purpose, job, dlt'],
    [{ node_type: { type: 'fixed', value: 'x' } }, 'node_type: not a cluster attribute a policy can constrain'],
    [{ node_type_id: { type: 'whitelist', values: ['a'] } }, 'node_type_id.type'],
  ])('%j → %s', (definition, expected) => {
    const problems = policyProblems(policy(definition));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('accepts every rule type used correctly', () => {
    expect(
      policyProblems(
        policy({
          cluster_type: { type: 'allowlist', values: ['job', 'dlt'] },
          'custom_tags.team': { type: 'fixed', value: 'x', hidden: true },
          num_workers: { type: 'forbidden' },
          node_type_id: { type: 'blocklist', values: ['big'], defaultValue: 'small' },
          spark_version: { type: 'regex', pattern: '^16\\.', defaultValue: '16.4.x-scala2.12', isOptional: true },
          'autoscale.max_workers': { type: 'range', minValue: 1, maxValue: 4, defaultValue: 2 },
          dbus_per_hour: { type: 'range', maxValue: 10 },
          'spark_conf.spark.sql.shuffle.partitions': { type: 'unlimited', defaultValue: '64' },
        }),
      ),
    ).toEqual([]);
  });

  it('loadClusterConfig names the file of every problem, and a cluster pointing at an unknown policy', () => {
    const dir = writeTree({
      'policies/a.json': JSON.stringify(policy({ 'autoscale.max_workers': { type: 'range', minValue: 3, maxValue: 1 } })),
      'clusters/x.json': JSON.stringify({ policy: 'nope', new_cluster: {} }),
    });
    try {
      expect(() => loadClusterConfig(dir)).toThrow(DeployError);
      expect(() => loadClusterConfig(dir)).toThrow(/policies\/a\.json: autoscale\.max_workers: minValue 3 is greater than maxValue 1[\s\S]*clusters\/x\.json: policy "nope" is not defined/);
    } finally {
      removeTree(dir);
    }
  });
});
