import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeployError } from '../errors.js';

/**
 * Databricks cluster (compute) policies: a definition maps an attribute path (`node_type_id`,
 * `autoscale.max_workers`, `custom_tags.<tag>`, `spark_conf.<key>`, the virtual `dbus_per_hour`
 * and `cluster_type`) to a rule of one of seven types. The rules, from the compute policy
 * reference (docs.databricks.com/admin/clusters/policy-definition):
 * - `fixed`: `value` required; `hidden` allowed; no `defaultValue`/`isOptional`.
 * - `forbidden`: nothing else.
 * - `allowlist` / `blocklist`: a non-empty `values` array; `defaultValue` in (not in) it.
 * - `regex`: a `pattern` that compiles; `defaultValue` matches it.
 * - `range`: numeric `minValue` and/or `maxValue`, min ≤ max; `defaultValue` within.
 * - `unlimited`: any `defaultValue`.
 * `hidden` is for `fixed` only; `dbus_per_hour` takes `range` only; `cluster_type` takes values of
 * `all-purpose`, `job`, `dlt`.
 */

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const common = { isOptional: z.boolean().optional(), defaultValue: scalar.optional() };

export const PolicyRuleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('fixed'), value: scalar, hidden: z.boolean().optional() }),
  z.strictObject({ type: z.literal('forbidden') }),
  z.strictObject({ type: z.literal('allowlist'), values: z.array(scalar).min(1, 'an allowlist needs at least one value'), ...common }),
  z.strictObject({ type: z.literal('blocklist'), values: z.array(scalar).min(1, 'a blocklist needs at least one value'), ...common }),
  z.strictObject({ type: z.literal('regex'), pattern: z.string().min(1), ...common }),
  z.strictObject({ type: z.literal('range'), minValue: z.number().optional(), maxValue: z.number().optional(), ...common }),
  z.strictObject({ type: z.literal('unlimited'), ...common }),
]);
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const ClusterPolicySchema = z.strictObject({
  name: z.string().min(1).max(100, 'a policy name is at most 100 characters'),
  description: z.string().optional(),
  definition: z.record(z.string(), z.unknown()),
});
export type ClusterPolicy = z.infer<typeof ClusterPolicySchema>;

/** Cluster attributes a policy may constrain (the Clusters API `new_cluster` fields), plus the virtual ones. */
const ATTRIBUTES = new Set([
  'apply_policy_default_values', 'autotermination_minutes', 'cluster_log_conf.path', 'cluster_log_conf.type', 'cluster_name', 'cluster_type',
  'data_security_mode', 'dbus_per_hour', 'docker_image.url', 'driver_instance_pool_id', 'driver_node_type_id', 'enable_elastic_disk',
  'enable_local_disk_encryption', 'instance_pool_id', 'is_single_node', 'kind', 'node_type_id', 'num_workers', 'autoscale.min_workers',
  'autoscale.max_workers', 'policy_id', 'runtime_engine', 'single_user_name', 'spark_version', 'use_ml_runtime', 'workload_type.clients.jobs',
  'workload_type.clients.notebooks',
  'aws_attributes.availability', 'aws_attributes.ebs_volume_count', 'aws_attributes.ebs_volume_size', 'aws_attributes.ebs_volume_type',
  'aws_attributes.first_on_demand', 'aws_attributes.instance_profile_arn', 'aws_attributes.spot_bid_price_percent', 'aws_attributes.zone_id',
  'azure_attributes.availability', 'azure_attributes.first_on_demand', 'azure_attributes.spot_bid_max_price',
  'gcp_attributes.availability', 'gcp_attributes.boot_disk_size', 'gcp_attributes.google_service_account', 'gcp_attributes.local_ssd_count',
  'gcp_attributes.use_preemptible_executors', 'gcp_attributes.zone_id',
]);
/** Attribute families keyed by a user-chosen name (`custom_tags.cost_center`, `spark_conf.spark.master`, `init_scripts.0.workspace.destination`). */
const PREFIXES = ['custom_tags.', 'spark_conf.', 'spark_env_vars.', 'init_scripts.', 'ssh_public_keys.', 'cluster_log_conf.'];
const CLUSTER_TYPES = ['all-purpose', 'job', 'dlt'];

/** The problems with one policy (empty when it follows the rules); each names the attribute and what was expected. */
export function policyProblems(policy: unknown): string[] {
  const parsed = ClusterPolicySchema.safeParse(policy);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || '(policy)'}: ${i.message}`);
  const problems: string[] = [];
  for (const [attribute, raw] of Object.entries(parsed.data.definition)) {
    if (!ATTRIBUTES.has(attribute) && !PREFIXES.some((p) => attribute.startsWith(p) && attribute.length > p.length)) {
      problems.push(`${attribute}: not a cluster attribute a policy can constrain (expected e.g. node_type_id, autoscale.max_workers, custom_tags.<tag>, spark_conf.<key>, dbus_per_hour)`);
      continue;
    }
    const rule = PolicyRuleSchema.safeParse(raw);
    if (!rule.success) {
      problems.push(...rule.error.issues.map((i) => `${[attribute, ...i.path.map(String)].join('.')}: ${i.message}${i.code === 'invalid_union' ? ' (type must be fixed, forbidden, allowlist, blocklist, regex, range or unlimited)' : ''}`));
      continue;
    }
    problems.push(...ruleProblems(attribute, rule.data));
  }
  return problems;
}

function ruleProblems(attribute: string, rule: PolicyRule): string[] {
  const problems: string[] = [];
  if (attribute === 'dbus_per_hour' && rule.type !== 'range') problems.push(`dbus_per_hour: type ${rule.type}; the virtual attribute dbus_per_hour takes a range only`);
  if (attribute === 'cluster_type') {
    const values = rule.type === 'fixed' ? [rule.value] : rule.type === 'allowlist' || rule.type === 'blocklist' ? rule.values : [];
    for (const v of values) if (!CLUSTER_TYPES.includes(String(v))) problems.push(`cluster_type: ${JSON.stringify(v)} is not one of ${CLUSTER_TYPES.join(', ')}`);
  }
  if (rule.type === 'range') {
    if (rule.minValue === undefined && rule.maxValue === undefined) problems.push(`${attribute}: a range needs minValue and/or maxValue`);
    if (rule.minValue !== undefined && rule.maxValue !== undefined && rule.minValue > rule.maxValue) problems.push(`${attribute}: minValue ${rule.minValue} is greater than maxValue ${rule.maxValue}`);
  }
  if (rule.type === 'regex') {
    try {
      new RegExp(rule.pattern);
    } catch {
      problems.push(`${attribute}: pattern ${JSON.stringify(rule.pattern)} is not a valid regular expression`);
    }
  }
  if ('defaultValue' in rule && rule.defaultValue !== undefined) {
    const why = violation(rule, rule.defaultValue);
    if (why) problems.push(`${attribute}: defaultValue ${JSON.stringify(rule.defaultValue)} ${why}`);
  }
  return problems;
}

/** Why `value` breaks `rule`, or undefined when it is allowed. */
export function violation(rule: PolicyRule, value: unknown): string | undefined {
  switch (rule.type) {
    case 'fixed':
      return value === rule.value ? undefined : `is not the fixed value ${JSON.stringify(rule.value)}`;
    case 'forbidden':
      return 'is set, but the attribute is forbidden';
    case 'allowlist':
      return rule.values.includes(value as string) ? undefined : `is not in the allowlist ${JSON.stringify(rule.values)}`;
    case 'blocklist':
      return rule.values.includes(value as string) ? `is in the blocklist ${JSON.stringify(rule.values)}` : undefined;
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = new RegExp(rule.pattern);
      } catch {
        return undefined; // reported as an invalid pattern
      }
      return typeof value === 'string' && pattern.test(value) ? undefined : `does not match ${rule.pattern}`;
    }
    case 'range':
      if (typeof value !== 'number') return 'is not a number';
      if (rule.minValue !== undefined && value < rule.minValue) return `is below minValue ${rule.minValue}`;
      if (rule.maxValue !== undefined && value > rule.maxValue) return `is above maxValue ${rule.maxValue}`;
      return undefined;
    case 'unlimited':
      return undefined;
  }
}

/** `{a: {b: 1}}` → `{'a.b': 1}` (arrays by index), the attribute paths policies use. */
export function flattenAttributes(value: unknown, prefix = ''): Record<string, unknown> {
  if (value === null || typeof value !== 'object') return prefix ? { [prefix]: value } : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.assign(out, flattenAttributes(v, prefix ? `${prefix}.${k}` : k));
  return out;
}

/**
 * The ways a cluster spec breaks its policy: a fixed attribute set to another value, a forbidden
 * one set, a value outside an allowlist/range/pattern, or a required (non-optional, no default)
 * attribute missing. `cluster_type` is the kind of cluster the spec is for (`job` for job clusters).
 */
export function clusterProblems(cluster: Record<string, unknown>, policy: ClusterPolicy, clusterType: 'job' | 'all-purpose' = 'job'): string[] {
  const values: Record<string, unknown> = { ...flattenAttributes(cluster), cluster_type: clusterType };
  const problems: string[] = [];
  for (const [attribute, raw] of Object.entries(policy.definition)) {
    const rule = PolicyRuleSchema.parse(raw);
    if (attribute === 'dbus_per_hour') continue; // computed by Databricks from node types and workers
    const value = values[attribute];
    if (value === undefined) {
      const required = rule.type === 'allowlist' || rule.type === 'regex' || rule.type === 'range';
      if (required && !rule.isOptional && rule.defaultValue === undefined) problems.push(`${attribute}: required by policy "${policy.name}" but not set`);
      continue;
    }
    const why = violation(rule, value);
    if (why) problems.push(`${attribute}: ${JSON.stringify(value)} ${why} (policy "${policy.name}")`);
  }
  return problems;
}

export interface ClusterConfig {
  readonly file: string;
  readonly policy: string;
  readonly newCluster: Record<string, unknown>;
}

/** Reads `policies/*.json` and `clusters/*.json` under a config dir; throws POLICY_INVALID listing every problem with its file. */
export function loadClusterConfig(configDir: string): { policies: Map<string, ClusterPolicy>; clusters: ClusterConfig[] } {
  const problems: string[] = [];
  const policies = new Map<string, ClusterPolicy>();
  const read = (dir: string) => readdirSync(join(configDir, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => ({ file: `${dir}/${f}`, json: JSON.parse(readFileSync(join(configDir, dir, f), 'utf8')) as unknown }));
  for (const { file, json } of read('policies')) {
    const found = policyProblems(json);
    problems.push(...found.map((p) => `${file}: ${p}`));
    if (found.length === 0) {
      const policy = ClusterPolicySchema.parse(json);
      if (policies.has(policy.name)) problems.push(`${file}: policy name ${JSON.stringify(policy.name)} is used twice`);
      policies.set(policy.name, policy);
    }
  }
  const clusters: ClusterConfig[] = [];
  for (const { file, json } of read('clusters')) {
    const spec = json as { policy?: unknown; new_cluster?: unknown };
    if (typeof spec.policy !== 'string' || !spec.new_cluster || typeof spec.new_cluster !== 'object') {
      problems.push(`${file}: expected {"policy": "<policy name>", "new_cluster": {…}}`);
      continue;
    }
    const policy = policies.get(spec.policy);
    if (!policy) problems.push(`${file}: policy ${JSON.stringify(spec.policy)} is not defined; defined: ${[...policies.keys()].join(', ')}`);
    else problems.push(...clusterProblems(spec.new_cluster as Record<string, unknown>, policy).map((p) => `${file}: ${p}`));
    clusters.push({ file, policy: spec.policy, newCluster: spec.new_cluster as Record<string, unknown> });
  }
  if (problems.length > 0) throw new DeployError('POLICY_INVALID', `cluster configuration (${problems.length} problem(s)):\n${problems.map((p) => `  - ${p}`).join('\n')}`, { data: { problems } });
  return { policies, clusters };
}
