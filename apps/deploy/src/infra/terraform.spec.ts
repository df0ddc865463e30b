import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../context.js';

/**
 * terraform/ is checked without Terraform or a cloud: every .tf parses (hcl2json, the HCL parser
 * compiled to WebAssembly), every resource type is one the providers define, modules referenced
 * exist, every `var.x` a file uses is declared in its module, and the environments wire the three
 * modules with the generated grants.
 */
const TERRAFORM = join(REPO_ROOT, 'terraform');

/** Resource types used here, as documented by the providers (databricks/terraform-provider-databricks v1.128 docs/resources, hashicorp/azurerm v4). */
const PROVIDER_RESOURCES = new Set([
  'databricks_catalog',
  'databricks_schema',
  'databricks_grants',
  'databricks_service_principal',
  'databricks_group',
  'databricks_group_member',
  'databricks_user',
  'databricks_cluster_policy',
  'databricks_sql_endpoint',
  'databricks_job',
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_subnet',
  'azurerm_network_security_group',
  'azurerm_subnet_network_security_group_association',
  'azurerm_databricks_workspace',
]);

type Block = Record<string, unknown>;
interface TfFile {
  readonly path: string;
  readonly json: { resource?: Record<string, Record<string, Block[] | Block>>; variable?: Record<string, unknown>; module?: Record<string, Block[]> };
  readonly text: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name.startsWith('.') ? [] : walk(path);
    return /\.tf(\.json)?$/.test(name) ? [path] : [];
  });
}

const files: TfFile[] = [];
beforeAll(async () => {
  for (const path of walk(TERRAFORM)) {
    const text = readFileSync(path, 'utf8');
    const json = path.endsWith('.tf.json') ? (JSON.parse(text) as TfFile['json']) : ((await parse(path, text)) as TfFile['json']);
    files.push({ path: relative(TERRAFORM, path), json, text });
  }
}, 30_000);

const inDir = (dir: string) => files.filter((f) => dirname(f.path) === dir);

describe('terraform/', () => {
  it('has the three modules and the three environments, and every file parses', () => {
    const dirs = [...new Set(files.map((f) => dirname(f.path)))].sort();
    expect(dirs).toEqual(['environments/dev', 'environments/prod', 'environments/staging', 'modules/databricks_workspace', 'modules/networking', 'modules/unity_catalog']);
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it('every resource type exists in its provider', () => {
    const used = new Set(files.flatMap((f) => Object.keys(f.json.resource ?? {})));
    expect([...used].filter((t) => !PROVIDER_RESOURCES.has(t))).toEqual([]);
    for (const type of ['databricks_catalog', 'databricks_schema', 'databricks_grants', 'databricks_service_principal', 'databricks_group', 'databricks_cluster_policy', 'databricks_sql_endpoint']) expect(used, type).toContain(type);
  });

  it('every var.x a module uses is declared in that module', () => {
    for (const dir of [...new Set(files.map((f) => dirname(f.path)))]) {
      const declared = new Set(inDir(dir).flatMap((f) => Object.keys(f.json.variable ?? {})));
      const used = new Set(inDir(dir).flatMap((f) => [...f.text.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((m) => m[1] as string)));
      expect([...used].filter((v) => !declared.has(v)), dir).toEqual([]);
    }
  });

  it('each environment wires networking → workspace → unity_catalog with its catalog prefix, and its generated grants', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const modules = Object.fromEntries(inDir(`environments/${env}`).flatMap((f) => Object.entries(f.json.module ?? {})).map(([k, v]) => [k, v[0] as Block]));
      expect(Object.keys(modules).sort()).toEqual(['databricks_workspace', 'networking', 'unity_catalog']);
      for (const block of Object.values(modules)) expect(existsSync(resolve(TERRAFORM, 'environments', env, String(block['source'])))).toBe(true);
      expect(modules['unity_catalog']?.['catalog_prefix']).toBe({ dev: 'dev_', staging: 'staging_', prod: '' }[env]);
      const grants = inDir(`environments/${env}`).find((f) => f.path.endsWith('grants.tf.json'));
      expect(Object.keys(grants?.json.resource?.['databricks_grants'] ?? {}).length).toBeGreaterThan(5);
    }
  });

  it('the files the modules read exist at the paths the environments pass', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const main = inDir(`environments/${env}`).find((f) => f.path.endsWith('main.tf'));
      for (const m of main?.text.matchAll(/"\$\{path\.root\}\/([^"]+)"/g) ?? []) {
        expect(existsSync(resolve(TERRAFORM, 'environments', env, m[1] as string)), `${env}: ${m[1]}`).toBe(true);
      }
    }
  });

  it('invalid HCL is reported with file and line', async () => {
    await expect(parse('broken.tf', 'resource "databricks_catalog" "x" {\n  name = \n}\n')).rejects.toThrow(/broken\.tf:\d+/);
  });
});
