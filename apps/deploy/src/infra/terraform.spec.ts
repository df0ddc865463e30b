import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../context.js';

/**
 * terraform/ is checked without Terraform or a cloud: every .tf parses (hcl2json, the HCL parser
 * compiled to WebAssembly), every resource type is among the ones this repository expects (the
 * providers' own schemas are not available offline, so this is a typo guard, not proof), modules referenced
 * exist and get exactly the variables they declare, every `var.x` a file uses is declared in its
 * module, the platform module wires the three building blocks, and each environment calls it with
 * its own values next to its generated grants, and the account identities live in one root
 * (terraform/account) while the environments only look them up and assign them.
 */
const TERRAFORM = join(REPO_ROOT, 'terraform');

/**
 * Resource types this repository expects to use, written from the providers' docs
 * (databricks/terraform-provider-databricks v1.128 docs/resources, hashicorp/azurerm v4). Not
 * authoritative: the providers (and `terraform providers schema -json`) are not available offline.
 */
const EXPECTED_RESOURCES = new Set([
  'databricks_catalog',
  'databricks_schema',
  'databricks_grants',
  'databricks_service_principal',
  'databricks_group',
  'databricks_group_member',
  'databricks_user',
  'databricks_cluster_policy',
  'databricks_sql_endpoint',
  'databricks_mws_permission_assignment',
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
  readonly json: { resource?: Record<string, Record<string, Block[] | Block>>; data?: Record<string, Record<string, Block[] | Block>>; variable?: Record<string, Block[]>; module?: Record<string, Block[]> };
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
/** The `module "name" { … }` calls of a directory, by name. */
const moduleCalls = (dir: string): Record<string, Block> =>
  Object.fromEntries(inDir(dir).flatMap((f) => Object.entries(f.json.module ?? {})).map(([name, blocks]) => [name, blocks[0] as Block]));
/** The variables a module directory declares, with whether they have a default. */
const declaredVariables = (dir: string): Map<string, boolean> =>
  new Map(inDir(dir).flatMap((f) => Object.entries(f.json.variable ?? {})).map(([name, blocks]) => [name, 'default' in (blocks[0] ?? {})]));
/** Meta-arguments of a module call, not variables of the module. */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
/** The layout modules/unity_catalog turns into databricks_catalog / databricks_schema resources. */
const LAYOUT = parseYaml(readFileSync(join(REPO_ROOT, 'databricks', 'catalog', 'catalogs.yml'), 'utf8')) as { catalogs: { name: string; schemas?: { name: string }[] }[] };

describe('terraform/', () => {
  it('has the three modules and the three environments, and every file parses', () => {
    const dirs = [...new Set(files.map((f) => dirname(f.path)))].sort();
    expect(dirs).toEqual(['account', 'environments/dev', 'environments/prod', 'environments/staging', 'modules/databricks_workspace', 'modules/networking', 'modules/platform', 'modules/unity_catalog']);
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it('resource types are among the ones this repository expects (a typo guard; the provider schemas are not available offline)', () => {
    const used = new Set(files.flatMap((f) => Object.keys(f.json.resource ?? {})));
    expect([...used].filter((t) => !EXPECTED_RESOURCES.has(t))).toEqual([]);
    for (const type of ['databricks_catalog', 'databricks_schema', 'databricks_grants', 'databricks_service_principal', 'databricks_group', 'databricks_cluster_policy', 'databricks_sql_endpoint', 'databricks_mws_permission_assignment']) expect(used, type).toContain(type);
  });

  it('account identities are created once, in terraform/account; environments only look them up and assign them', () => {
    const IDENTITIES = ['databricks_service_principal', 'databricks_group', 'databricks_user', 'databricks_group_member'];
    const creators = files.filter((f) => Object.keys(f.json.resource ?? {}).some((t) => IDENTITIES.includes(t))).map((f) => f.path);
    expect(creators).toEqual(['account/main.tf']);
    const account = files.find((f) => f.path === 'account/main.tf') as TfFile;
    expect(Object.keys(account.json.resource ?? {}).sort()).toEqual([...IDENTITIES].sort());
    // Its own state, distinct from every environment's.
    const keys = files.filter((f) => f.path.endsWith('main.tf')).map((f) => /backend\s+"azurerm"\s*\{\s*key\s*=\s*"([^"]+)"/.exec(f.text)?.[1]).filter(Boolean);
    expect(keys.sort()).toEqual(['odoo-ce/account.tfstate', 'odoo-ce/dev.tfstate', 'odoo-ce/prod.tfstate', 'odoo-ce/staging.tfstate']);
    // The account root reads the same principals.yml the workspace module looks up.
    const principals = /file\("\$\{path\.module\}\/([^"]+)"\)/.exec(account.text)?.[1] as string;
    expect(resolve(TERRAFORM, 'account', principals)).toBe(join(REPO_ROOT, 'databricks', 'catalog', 'principals.yml'));
    const workspace = inDir('modules/databricks_workspace');
    expect(Object.keys(workspace.flatMap((f) => Object.keys(f.json.data ?? {})).reduce((a, t) => ({ ...a, [t]: 1 }), {})).sort()).toEqual(['databricks_group', 'databricks_service_principal']);
    const assignments = workspace.flatMap((f) => Object.values(f.json.resource?.['databricks_mws_permission_assignment'] ?? {})).map((b) => (Array.isArray(b) ? b[0] : b) as Block);
    expect(assignments).toHaveLength(2);
    for (const a of assignments) {
      expect(a['workspace_id']).toBe('${azurerm_databricks_workspace.this.workspace_id}');
      expect(a['provider']).toBe('${databricks.account}');
    }
  });

  it('every var.x a module uses is declared in that module', () => {
    for (const dir of [...new Set(files.map((f) => dirname(f.path)))]) {
      const declared = new Set(inDir(dir).flatMap((f) => Object.keys(f.json.variable ?? {})));
      const used = new Set(inDir(dir).flatMap((f) => [...f.text.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((m) => m[1] as string)));
      expect([...used].filter((v) => !declared.has(v)), dir).toEqual([]);
    }
  });

  it('every module call points at a module and passes exactly its variables (all required ones, no unknown ones)', () => {
    let calls = 0;
    for (const dir of [...new Set(files.map((f) => dirname(f.path)))]) {
      for (const [name, call] of Object.entries(moduleCalls(dir))) {
        const target = relative(TERRAFORM, resolve(TERRAFORM, dir, String(call['source'])));
        const variables = declaredVariables(target);
        expect(variables.size, `${dir}: module ${name} → ${target}`).toBeGreaterThan(0);
        const passed = Object.keys(call).filter((k) => !META_ARGUMENTS.has(k));
        expect(passed.filter((v) => !variables.has(v)), `${dir}: module ${name} passes unknown variables`).toEqual([]);
        expect([...variables].filter(([v, hasDefault]) => !hasDefault && !passed.includes(v)).map(([v]) => v), `${dir}: module ${name} misses variables`).toEqual([]);
        calls += 1;
      }
    }
    expect(calls).toBe(6); // three environments → platform; platform → networking, databricks_workspace, unity_catalog
  });

  it('the platform module wires networking → workspace → unity_catalog', () => {
    const modules = moduleCalls('modules/platform');
    expect(Object.keys(modules).sort()).toEqual(['databricks_workspace', 'networking', 'unity_catalog']);
    const workspace = modules['databricks_workspace'] as Block;
    for (const output of ['virtual_network_id', 'host_subnet_name', 'container_subnet_name', 'host_nsg_association_id', 'container_nsg_association_id']) {
      expect(workspace[output], output).toBe(`\${module.networking.${output}}`);
    }
    expect(workspace['providers']).toEqual({ databricks: '${databricks}', 'databricks.account': '${databricks.account}' });
    expect(modules['unity_catalog']?.['depends_on']).toEqual(['${module.databricks_workspace}']);
    expect(modules['unity_catalog']?.['catalog_prefix']).toBe('${var.catalog_prefix}');
  });

  it('each environment calls the platform module with its own values, next to its generated grants', () => {
    const addressSpaces = new Set<unknown>();
    for (const env of ENVIRONMENTS) {
      const dir = `environments/${env}`;
      const modules = moduleCalls(dir);
      expect(Object.keys(modules), env).toEqual(['platform']);
      const platform = modules['platform'] as Block;
      expect(platform['source']).toBe('../../modules/platform');
      expect(platform['providers']).toEqual({ databricks: '${databricks}', 'databricks.account': '${databricks.account}' });
      expect(platform['environment']).toBe(env);
      expect(platform['catalog_prefix']).toBe({ dev: 'dev_', staging: 'staging_', prod: '' }[env]);
      expect(platform['force_destroy_catalogs']).toBe(env === 'dev');
      addressSpaces.add(platform['address_space']);
      // The workspace provider points at the workspace the module creates.
      expect(inDir(dir).find((f) => f.path.endsWith('main.tf'))?.text).toMatch(/host\s*=\s*module\.platform\.workspace_url/);
      const grants = inDir(dir).find((f) => f.path.endsWith('grants.tf.json'));
      const resources = Object.values(grants?.json.resource?.['databricks_grants'] ?? {}) as Block[];
      expect(resources.length).toBeGreaterThan(5);
      expect(resources.every((r) => JSON.stringify(r['depends_on']) === '["module.platform"]'), env).toBe(true);
      // Only securables Terraform itself creates (catalogs, schemas) and, in prod only, the shared metastore.
      expect(new Set(resources.flatMap((r) => Object.keys(r).filter((k) => k !== 'grant' && k !== 'depends_on'))), env).toEqual(new Set(env === 'prod' ? ['catalog', 'schema', 'metastore'] : ['catalog', 'schema']));
      // …and exactly those modules/unity_catalog creates from catalogs.yml, so the first apply can grant them.
      const prefix = { dev: 'dev_', staging: 'staging_', prod: '' }[env];
      const created = new Set(LAYOUT.catalogs.flatMap((c) => [`${prefix}${c.name}`, ...(c.schemas ?? []).map((sc) => `${prefix}${c.name}.${sc.name}`)]));
      const granted = resources.flatMap((r) => [r['catalog'], r['schema']].filter((n): n is string => typeof n === 'string'));
      expect(granted.filter((n) => !created.has(n)), `${env}: grants on securables Terraform does not create`).toEqual([]);
      const variables = declaredVariables(dir);
      expect(variables.has('metastore_id'), `${env} declares metastore_id only where it is used`).toBe(env === 'prod');
    }
    expect(addressSpaces.size, 'one address space per environment').toBe(ENVIRONMENTS.length);
  });

  it('the repository files the modules read exist where the paths point', () => {
    // ${path.module} resolves against the file's own directory; the platform module names the
    // repository's databricks/ tree that way and hands the paths down.
    const platform = inDir('modules/platform').map((f) => f.text).join('\n');
    const dir = /databricks_dir\s*=\s*"\$\{path\.module\}\/([^"]+)"/.exec(platform)?.[1];
    expect(dir).toBeDefined();
    const read = [...platform.matchAll(/"\$\{local\.databricks_dir\}\/([^"]+)"/g)].map((m) => m[1] as string);
    expect(read.sort()).toEqual(['catalog/catalogs.yml', 'catalog/principals.yml', 'config']);
    for (const path of read) expect(existsSync(resolve(TERRAFORM, 'modules/platform', dir as string, path)), path).toBe(true);
    expect(existsSync(resolve(TERRAFORM, 'modules/platform', dir as string, 'config/policies'))).toBe(true);
  });

  it('invalid HCL is reported with file and line', async () => {
    await expect(parse('broken.tf', 'resource "databricks_catalog" "x" {\n  name = \n}\n')).rejects.toThrow(/broken\.tf:\d+/);
  });
});
