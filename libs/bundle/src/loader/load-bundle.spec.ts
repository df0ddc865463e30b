import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleError } from '../errors.js';
import { removeTree, writeTempTree } from '../testing/temp-bundle.js';
import { loadBundle, type LoadBundleOptions } from './load-bundle.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTree(dir);
});

function tree(files: Record<string, string>): string {
  const dir = writeTempTree(files);
  dirs.push(dir);
  return dir;
}

/** A small bundle in the real layout: root + resources/*.yml + targets/*.yml, SQL one level up. */
const BASE: Record<string, string> = {
  'bundles/databricks.yml': `
    bundle:
      name: fixture
    include:
      - resources/*.yml
      - targets/*.yml
    variables:
      catalog_prefix:
        description: prefix of every catalog
        default: ""
      bronze_catalog:
        default: \${var.catalog_prefix}bronze
      warehouse_id:
        description: the SQL warehouse
        lookup:
          warehouse: Shared SQL
      period:
        default: "2025-01"
      owner:
        default: nobody
    workspace:
      root_path: /Workspace/Shared/.bundle/\${bundle.name}/\${bundle.target}
  `,
  'bundles/resources/jobs.yml': `
    resources:
      jobs:
        etl:
          name: etl-\${bundle.target}
          max_concurrent_runs: 1
          tags:
            owner: \${var.owner}
          email_notifications:
            on_failure: [a@example.com]
          schedule:
            quartz_cron_expression: "0 0 6 1 * ?"
            timezone_id: Asia/Manila
          parameters:
            - name: period
              default: \${var.period}
          tasks:
            - task_key: load
              sql_task:
                warehouse_id: \${var.warehouse_id}
                file:
                  path: ../../sql/load.sql
                parameters:
                  catalog: \${var.bronze_catalog}
            - task_key: transform
              depends_on:
                - task_key: load
              sql_task:
                warehouse_id: \${var.warehouse_id}
                file:
                  path: \${workspace.file_path}/sql/transform.sql
  `,
  'bundles/targets/dev.yml': `
    targets:
      dev:
        default: true
        mode: development
        variables:
          catalog_prefix: dev_
        resources:
          jobs:
            etl:
              email_notifications:
                on_failure: [dev@example.com]
              tasks:
                - task_key: load
                  sql_task:
                    parameters:
                      extra: "yes"
                - task_key: audit
                  depends_on:
                    - task_key: transform
                  sql_task:
                    warehouse_id: \${var.warehouse_id}
                    file:
                      path: ../../sql/audit.sql
  `,
  'bundles/targets/prod.yml': `
    targets:
      prod:
        mode: production
        run_as:
          service_principal_name: 00000000-0000-0000-0000-000000000001
        variables:
          owner:
            default: finance-data
        resources:
          jobs:
            etl:
              max_concurrent_runs: 2
              schedule:
                pause_status: UNPAUSED
  `,
  'sql/load.sql': 'select 1',
  'sql/transform.sql': 'select 2',
  'sql/audit.sql': 'select 3',
};

async function load(files: Record<string, string>, options: LoadBundleOptions = {}) {
  const dir = tree(files);
  return loadBundle(join(dir, 'bundles'), { env: {}, ...options });
}

async function loadError(files: Record<string, string>, options: LoadBundleOptions = {}): Promise<BundleError> {
  try {
    await load(files, options);
  } catch (error) {
    expect(error).toBeInstanceOf(BundleError);
    return error as BundleError;
  }
  throw new Error('expected loadBundle to fail');
}

describe('loadBundle: includes and targets', () => {
  it('loads the root file and its include globs in order, and selects the default target', async () => {
    const bundle = await load(BASE);
    expect(bundle.files).toEqual(['databricks.yml', 'resources/jobs.yml', 'targets/dev.yml', 'targets/prod.yml']);
    expect(bundle.target).toBe('dev');
    expect(bundle.name).toBe('fixture');
    expect(bundle.mode).toBe('development');
    expect(Object.keys(bundle.jobs)).toEqual(['etl']);
  });

  it('merges job tasks by task_key (sorted), concatenates other lists and replaces scalars', async () => {
    const bundle = await load(BASE, { target: 'dev' });
    const job = bundle.jobs['etl'];
    expect(job?.tasks.map((t) => t.key)).toEqual(['audit', 'load', 'transform']);
    const loadTask = job?.tasks.find((t) => t.key === 'load');
    // The override added `extra` and kept the root's `catalog` and file.
    expect(loadTask?.sql?.parameters).toEqual({ catalog: 'dev_bronze', extra: 'yes' });
    expect(loadTask?.sql?.file?.path).toBe('../../sql/load.sql');
    // Generic sequences are concatenated, as the CLI's merge does.
    expect(job?.settings['email_notifications']).toEqual({ on_failure: ['a@example.com', 'dev@example.com'] });
    expect(job?.name).toBe('etl-dev');
  });

  it('applies production overrides: run_as replaced, mode, scalars, explicit UNPAUSED kept', async () => {
    const bundle = await load(BASE, { target: 'prod' });
    expect(bundle.mode).toBe('production');
    expect(bundle.runAs).toEqual({ service_principal_name: '00000000-0000-0000-0000-000000000001' });
    const job = bundle.jobs['etl'];
    expect(job?.maxConcurrentRuns).toBe(2);
    expect(job?.schedule).toEqual({ quartzCronExpression: '0 0 6 1 * ?', timezoneId: 'Asia/Manila', pauseStatus: 'UNPAUSED' });
    expect(job?.tags).toEqual({ owner: 'finance-data' });
    expect(job?.tasks.map((t) => t.key)).toEqual(['load', 'transform']);
  });

  it('pauses schedules without a pause_status in mode: development (CLI preset)', async () => {
    const bundle = await load(BASE, { target: 'dev' });
    expect(bundle.jobs['etl']?.schedule?.pauseStatus).toBe('PAUSED');
  });

  it('follows Go filepath.Glob: ** is a single path segment, like *', async () => {
    const bundle = await load({
      'bundles/databricks.yml': `
        bundle: {name: globbing}
        include: ["resources/**/*.yml"]
      `,
      'bundles/resources/one/a.yml': 'resources: {jobs: {a: {tasks: [{task_key: t, sql_task: {warehouse_id: w, file: {path: a.sql}}}]}}}',
      'bundles/resources/one/two/b.yml': 'resources: {jobs: {b: {tasks: [{task_key: t, sql_task: {warehouse_id: w, file: {path: b.sql}}}]}}}',
    });
    expect(bundle.files).toEqual(['databricks.yml', 'resources/one/a.yml']);
    expect(Object.keys(bundle.jobs)).toEqual(['a']);
  });

  it('resolves sql_task file paths against the file that wrote them, and ${workspace.file_path} against the sync root', async () => {
    const dir = tree(BASE);
    const bundle = await loadBundle(join(dir, 'bundles'), { target: 'dev', env: {} });
    const byKey = Object.fromEntries(bundle.jobs['etl']?.tasks.map((t) => [t.key, t.sql?.file]) ?? []);
    // resources/jobs.yml: ../../sql/load.sql → <dir>/sql/load.sql
    expect(byKey['load']?.localPath).toBe(join(dir, 'sql', 'load.sql'));
    // targets/dev.yml wrote ../../sql/audit.sql
    expect(byKey['audit']?.localPath).toBe(join(dir, 'sql', 'audit.sql'));
    // ${workspace.file_path}/sql/transform.sql → the sync root is the bundle root here, where there is no sql/ → a warning
    expect(byKey['transform']?.path).toBe('/Workspace/Shared/.bundle/fixture/dev/files/sql/transform.sql');
    expect(byKey['transform']?.localPath).toBe(join(dir, 'bundles', 'sql', 'transform.sql'));
    expect(bundle.warnings.map((w) => w.message).join('\n')).toMatch(/resources\/jobs\.yml:\d+:\d+: resources\.jobs\.etl\.tasks\[2\]\.sql_task\.file\.path: SQL file .*transform\.sql not found/);
  });

  it('widens the sync root with sync.paths, so ${workspace.file_path} can reach ../sql', async () => {
    const files = { ...BASE, 'bundles/databricks.yml': `${BASE['bundles/databricks.yml']}\n    sync:\n      paths: [".."]\n` };
    const dir = tree(files);
    const bundle = await loadBundle(join(dir, 'bundles'), { env: {} });
    expect(bundle.syncRoot).toBe(dir);
    const transform = bundle.jobs['etl']?.tasks.find((t) => t.key === 'transform');
    expect(transform?.sql?.file?.localPath).toBe(join(dir, 'sql', 'transform.sql'));
    expect(bundle.warnings).toEqual([]);
  });
});

describe('loadBundle: variables and interpolation', () => {
  it('applies the precedence --var > BUNDLE_VAR_<name> > target value > default', async () => {
    const bundle = await load(BASE, { target: 'prod', vars: { period: '2025-03' }, env: { BUNDLE_VAR_period: '2025-02', BUNDLE_VAR_catalog_prefix: 'env_' } });
    expect(bundle.variables['period']).toMatchObject({ value: '2025-03', source: 'flag' });
    expect(bundle.variables['catalog_prefix']).toMatchObject({ value: 'env_', source: 'env' });
    expect(bundle.variables['owner']).toMatchObject({ value: 'finance-data', source: 'default' });
    expect(bundle.variables['bronze_catalog']).toMatchObject({ value: 'env_bronze', source: 'default' });
    expect(bundle.jobs['etl']?.parameters).toEqual([{ name: 'period', default: '2025-03' }]);
    const dev = await load(BASE, { target: 'dev' });
    expect(dev.variables['catalog_prefix']).toMatchObject({ value: 'dev_', source: 'default' });
    expect(dev.variables['owner']).toMatchObject({ value: 'nobody', source: 'default' });
  });

  it('leaves lookup variables as references for deploy; a local value (--var) resolves them', async () => {
    const bundle = await load(BASE);
    expect(bundle.variables['warehouse_id']).toEqual({ name: 'warehouse_id', description: 'the SQL warehouse', complex: false, source: 'lookup', lookup: { warehouse: 'Shared SQL' } });
    const load1 = bundle.jobs['etl']?.tasks.find((t) => t.key === 'load');
    expect(load1?.sql?.warehouseId).toBe('${var.warehouse_id}');
    expect(bundle.deferred.map((d) => d.reference)).toContain('${var.warehouse_id}');
    const withValue = await load(BASE, { vars: { warehouse_id: 'abc123' } });
    expect(withValue.jobs['etl']?.tasks.every((t) => t.sql?.warehouseId === 'abc123')).toBe(true);
    expect(withValue.deferred).toEqual([]);
  });

  it('resolves ${bundle.*} and ${workspace.*}, and keeps ${workspace.current_user.*} for deploy', async () => {
    const files = { ...BASE, 'bundles/databricks.yml': BASE['bundles/databricks.yml']?.replace(/ {4}workspace:\n.*\n/, '') as string };
    const bundle = await load(files, { target: 'dev' });
    expect(bundle.workspace.rootPath).toBe('/Workspace/Users/${workspace.current_user.userName}/.bundle/fixture/dev');
    expect(bundle.workspace.filePath).toBe('/Workspace/Users/${workspace.current_user.userName}/.bundle/fixture/dev/files');
    const known = await load(files, { target: 'dev', currentUser: 'ana@example.com' });
    expect(known.workspace.filePath).toBe('/Workspace/Users/ana@example.com/.bundle/fixture/dev/files');
  });

  it('reads .databricks/bundle/<target>/variable-overrides.json below env and above defaults', async () => {
    const bundle = await load({ ...BASE, 'bundles/.databricks/bundle/dev/variable-overrides.json': '{"owner": "from-file", "period": "2024-12"}' }, { env: { BUNDLE_VAR_period: '2025-05' } });
    expect(bundle.variables['owner']).toMatchObject({ value: 'from-file', source: 'override-file' });
    expect(bundle.variables['period']).toMatchObject({ value: '2025-05', source: 'env' });
  });

  it('keeps the type of a pure reference and stringifies mixed ones', async () => {
    const bundle = await load({
      'bundles/databricks.yml': `
        bundle: {name: types}
        variables:
          runs: {default: 3}
        resources:
          jobs:
            j:
              max_concurrent_runs: \${var.runs}
              description: "runs=\${var.runs}"
              tasks: [{task_key: t, sql_task: {warehouse_id: w, file: {path: t.sql}}}]
      `,
      'bundles/t.sql': 'select 1',
    });
    expect(bundle.jobs['j']?.maxConcurrentRuns).toBe(3);
    expect(bundle.jobs['j']?.description).toBe('runs=3');
  });
});

describe('loadBundle: errors name the file, line and key path', () => {
  it('rejects a ternary with a hint to use target variables', async () => {
    const files = { ...BASE, 'bundles/resources/jobs.yml': BASE['bundles/resources/jobs.yml']?.replace('etl-${bundle.target}', `'etl\${bundle.target == "dev" ? "-dev" : ""}'`) as string };
    const error = await loadError(files);
    expect(error.code).toBe('UNSUPPORTED_EXPRESSION');
    expect(error.message).toMatch(/resources\/jobs\.yml:4:\d+: resources\.jobs\.etl\.name: "\$\{bundle\.target == \\"dev\\" \? \\"-dev\\" : \\"\\"\}"/);
    expect(error.message).toContain('targets.<target>.variables');
  });

  it('rejects an unknown variable reference', async () => {
    const files = { ...BASE, 'bundles/resources/jobs.yml': BASE['bundles/resources/jobs.yml']?.replace('${var.owner}', '${var.ownr}') as string };
    const error = await loadError(files);
    expect(error.code).toBe('UNKNOWN_REFERENCE');
    expect(error.message).toMatch(/^resources\/jobs\.yml:7:\d+: resources\.jobs\.etl\.tags\.owner: unknown reference \$\{var\.ownr\}: variable ownr is not declared; declared variables: catalog_prefix, /);
  });

  it('rejects unknown ${bundle.*} paths and unknown reference roots', async () => {
    const files = { ...BASE, 'bundles/resources/jobs.yml': BASE['bundles/resources/jobs.yml']?.replace('${var.owner}', '${bundle.owner}') as string };
    expect((await loadError(files)).message).toMatch(/unknown reference \$\{bundle\.owner\}: bundle\.owner is not set; known: bundle\.name/);
    const env = { ...BASE, 'bundles/resources/jobs.yml': BASE['bundles/resources/jobs.yml']?.replace('${var.owner}', '${env.USER}') as string };
    expect((await loadError(env)).message).toMatch(/unknown reference \$\{env\.USER\}: references start with var\., bundle\., workspace\./);
  });

  it('rejects an unknown target, listing the declared ones', async () => {
    const error = await loadError(BASE, { target: 'qa' });
    expect(error.code).toBe('UNKNOWN_TARGET');
    expect(error.message).toBe('target "qa" is not defined; expected one of dev, prod');
  });

  it('rejects a target assigning an undeclared variable', async () => {
    const files = { ...BASE, 'bundles/targets/dev.yml': BASE['bundles/targets/dev.yml']?.replace('catalog_prefix: dev_', 'catalog_prefx: dev_') as string };
    const error = await loadError(files);
    expect(error.code).toBe('VARIABLE_ERROR');
    expect(error.message).toMatch(/^targets\/dev\.yml:6:\d+: targets\.dev\.variables\.catalog_prefx: variable catalog_prefx is not defined but is assigned a value/);
  });

  it('rejects a required variable without a value, and --var for an undeclared variable', async () => {
    const files = { ...BASE, 'bundles/databricks.yml': BASE['bundles/databricks.yml']?.replace('owner:\n        default: nobody', 'owner:\n        description: who') as string };
    const error = await loadError(files, { target: 'dev' });
    expect(error.code).toBe('VARIABLE_ERROR');
    expect(error.message).toMatch(/no value assigned to required variable owner \(target "dev"\); assign with --var owner=<value>, the BUNDLE_VAR_owner environment variable/);
    const flag = await loadError(BASE, { vars: { nope: '1' } });
    expect(flag.message).toMatch(/--var nope=…: variable nope has not been defined/);
  });

  it('rejects a variable that refers to itself', async () => {
    const files = { ...BASE, 'bundles/databricks.yml': BASE['bundles/databricks.yml']?.replace('default: ""', 'default: ${var.bronze_catalog}') as string };
    const error = await loadError(files, { target: 'prod' });
    expect(error.code).toBe('VARIABLE_ERROR');
    expect(error.message).toMatch(/refers to itself: variables\.(bronze_catalog|catalog_prefix)\.value → .* → variables\.\1\.value/);
  });

  it('reports schema problems together with file:line, the value and what was expected', async () => {
    const files = {
      ...BASE,
      'bundles/resources/jobs.yml': (BASE['bundles/resources/jobs.yml'] as string)
        .replace('"0 0 6 1 * ?"', '"0 0 6 1 * *"')
        .replace('timezone_id: Asia/Manila', 'timezone_id: Asia/Manilla')
        .replace('max_concurrent_runs: 1', 'max_concurrent_runs: many'),
    };
    const error = await loadError(files, { target: 'dev' });
    expect(error.code).toBe('INVALID_CONFIG');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('invalid bundle configuration (3 problems):');
    expect(error.message).toMatch(/resources\/jobs\.yml:5:\d+: resources\.jobs\.etl\.max_concurrent_runs: expected a whole number \(got "many"\)/);
    expect(error.message).toMatch(/resources\/jobs\.yml:11:\d+: resources\.jobs\.etl\.schedule\.quartz_cron_expression: invalid Quartz cron expression: exactly one of day-of-month \("1"\) and day-of-week \("\*"\) must be "\?".*\(got "0 0 6 1 \* \*"\)/);
    expect(error.message).toMatch(/resources\/jobs\.yml:12:\d+: resources\.jobs\.etl\.schedule\.timezone_id: unknown time zone.*\(got "Asia\/Manilla"\)/);
  });

  it('reports a missing required field at the nearest location', async () => {
    const files = { ...BASE, 'bundles/targets/dev.yml': (BASE['bundles/targets/dev.yml'] as string).replace(/ *warehouse_id: \$\{var\.warehouse_id\}\n/, '') };
    const error = await loadError(files);
    expect(error.message).toMatch(/targets\/dev\.yml:\d+:\d+: resources\.jobs\.etl\.tasks\[0\]\.sql_task\.warehouse_id: .*\(missing\)/);
  });

  it('reports YAML syntax errors with the line', async () => {
    const error = await loadError({ ...BASE, 'bundles/targets/prod.yml': 'targets:\n  prod: [\n' });
    expect(error.code).toBe('YAML_ERROR');
    expect(error.message).toMatch(/targets\/prod\.yml:\d+:\d+: /);
  });

  it('rejects include entries that are absolute, match nothing, or are not YAML', async () => {
    const missing = await loadError({ ...BASE, 'bundles/databricks.yml': (BASE['bundles/databricks.yml'] as string).replace('- targets/*.yml', '- targets/dev.yaml') });
    expect(missing.code).toBe('INCLUDE_ERROR');
    expect(missing.message).toMatch(/^databricks\.yml:\d+:\d+: include\[1\]: targets\/dev\.yaml defined in 'include' section does not match any files/);
    const notYaml = await loadError({
      ...BASE,
      'bundles/databricks.yml': (BASE['bundles/databricks.yml'] as string).replace('- targets/*.yml', '- targets/*'),
      'bundles/targets/readme.md': '# hi',
    });
    expect(notYaml.message).toMatch(/targets\/readme\.md is not a YAML or JSON file/);
    const absolute = await loadError({ ...BASE, 'bundles/databricks.yml': (BASE['bundles/databricks.yml'] as string).replace('- targets/*.yml', '- /etc/*.yml') });
    expect(absolute.message).toMatch(/includes must be relative paths/);
  });

  it('rejects a resource defined in two files and merges of different shapes', async () => {
    const dup = await loadError({ ...BASE, 'bundles/resources/more.yml': 'resources:\n  jobs:\n    etl:\n      tasks: []\n' });
    expect(dup.message).toMatch(/resource jobs\.etl is defined in more than one file: resources\/jobs\.yml:3:\d+ and resources\/more\.yml:3:\d+/);
    const shape = await loadError({ ...BASE, 'bundles/targets/prod.yml': (BASE['bundles/targets/prod.yml'] as string).replace('pause_status: UNPAUSED', 'timezone_id: [UTC]') }, { target: 'prod' });
    expect(shape.code).toBe('MERGE_ERROR');
  });

  it('warns about unknown job and task fields, like bundle validate', async () => {
    const files = { ...BASE, 'bundles/resources/jobs.yml': (BASE['bundles/resources/jobs.yml'] as string).replace('max_concurrent_runs: 1', 'max_concurent_runs: 1') };
    const bundle = await load(files);
    expect(bundle.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/resources\/jobs\.yml:5:\d+: resources\.jobs\.etl\.max_concurent_runs: unknown field: max_concurent_runs/));
  });

  it('rejects a production target without root_path or run_as', async () => {
    const files = {
      ...BASE,
      'bundles/databricks.yml': (BASE['bundles/databricks.yml'] as string).replace(/ {4}workspace:\n.*\n/, ''),
      'bundles/targets/prod.yml': (BASE['bundles/targets/prod.yml'] as string).replace(/ {8}run_as:\n.*\n/, ''),
    };
    const error = await loadError(files, { target: 'prod' });
    expect(error.message).toMatch(/mode: production but no workspace\.root_path/);
  });
});
