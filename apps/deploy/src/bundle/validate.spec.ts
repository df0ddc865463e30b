import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBundle } from '@odoo-ce/bundle';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../context.js';
import { BUNDLE_SCHEMA, findBundleSchema, needsSchema, removeTree, runCli, writeTree } from '../testing/fixtures.js';
import { loadOfficialSchema } from './official-schema.js';
import { formatProblem } from './problems.js';
import { validateBundle } from './validate.js';

// Loaded lazily: on a checkout without the schema the suites below skip instead of failing at import.
const VENDORED_SCHEMA = BUNDLE_SCHEMA ?? '';
let compiled: ReturnType<typeof loadOfficialSchema>['validate'] | undefined;
const officialSchema = () => (compiled ??= loadOfficialSchema({ file: VENDORED_SCHEMA, env: {}, cwd: REPO_ROOT }).validate);
const repoBundle = join(REPO_ROOT, 'databricks', 'bundles');
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

/** A small bundle with one two-task job; `job` and `target` splice YAML into it. */
function bundle(options: { name?: string; cron?: string; dependsOn?: string; sqlPath?: string; sql?: string; devPause?: string; stageExtra?: string; jobExtra?: string } = {}): string {
  const dir = writeTree({
    'databricks.yml': `
      bundle:
        name: fixture
      include:
        - resources/*.yml
      variables:
        warehouse_id:
          default: abc123
        catalog_prefix:
          default: dev_
      targets:
        dev:
          default: true
          mode: development
          ${options.devPause ? `resources:\n            jobs:\n              nightly:\n                schedule:\n                  pause_status: ${options.devPause}` : ''}
    `,
    'resources/jobs.yml': `
      resources:
        jobs:
          nightly:
            name: ${options.name ?? 'nightly (${bundle.target})'}
            schedule:
              quartz_cron_expression: "${options.cron ?? '0 0 2 * * ?'}"
              timezone_id: Asia/Manila
            tasks:
              - task_key: load
                depends_on:
                  - task_key: ${options.dependsOn ?? 'stage'}
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/load.sql
              - task_key: stage
                ${options.stageExtra ?? 'description: staging'}
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ${options.sqlPath ?? '../sql/stage.sql'}
            ${options.jobExtra ?? ''}
    `,
    'sql/load.sql': 'create or replace table {{catalog.gold}}.fin.t as select * from {{catalog.silver}}.fin.s',
    'sql/stage.sql': options.sql ?? 'create or replace table {{catalog.silver}}.fin.s as select 1 as x',
  });
  dirs.push(dir);
  return dir;
}

async function problems(dir: string): Promise<string[]> {
  const result = await validateBundle(dir, { target: 'dev', schema: officialSchema() });
  return result.problems.map(formatProblem);
}

describe.skipIf(!BUNDLE_SCHEMA)(needsSchema('validateBundle: the repository bundle'), () => {
  it.each(['dev', 'staging', 'prod'])('target %s is valid against the model, the official schema and the cross-checks', async (target) => {
    const result = await validateBundle(repoBundle, { target, schema: officialSchema() });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(Object.keys(result.bundle?.jobs ?? {})).toEqual(expect.arrayContaining(['bir_etl', 'scout_daily_sync', 'month_end_close']));
  }, 30_000);

  it('the fixture bundle is valid as written (so each bad-input case below fails for its own reason)', async () => {
    expect(await problems(bundle())).toEqual([]);
  });
});

describe.skipIf(!BUNDLE_SCHEMA)(needsSchema('validateBundle: bad input → a precise error with file and line'), () => {
  it('an unknown variable', async () => {
    expect(await problems(bundle({ name: 'nightly ${var.catalgo_prefix}' }))).toEqual([
      expect.stringMatching(/^resources\/jobs\.yml:4:\d+: \[model\] \[UNKNOWN_REFERENCE\] .*\$\{var\.catalgo_prefix\}.*declared variables: .*catalog_prefix/),
    ]);
  });

  it('a missing SQL file', async () => {
    expect(await problems(bundle({ sqlPath: '../sql/stagee.sql' }))).toEqual([expect.stringMatching(/^resources\/jobs\.yml:21:21: \[sql-file\] resources\.jobs\.nightly\.tasks\[1\]\.sql_task\.file\.path: .*SQL file \.\.\/sql\/stagee\.sql not found/)]);
  });

  it('a dependency cycle', async () => {
    const found = await problems(bundle({ stageExtra: 'depends_on: [{task_key: load}]' }));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^resources\/jobs\.yml:\d+:\d+: \[dag\] .*cycle.*(load → stage → load|stage → load → stage)/);
  });

  it('a depends_on key that names no task', async () => {
    expect(await problems(bundle({ dependsOn: 'stag' }))).toEqual([expect.stringMatching(/^resources\/jobs\.yml:\d+:\d+: \[dag\] .*stag/)]);
  });

  it('an invalid Quartz cron expression', async () => {
    expect(await problems(bundle({ cron: '0 0 25 * * ?' }))).toEqual([
      `resources/jobs.yml:6:33: [model] resources.jobs.nightly.schedule.quartz_cron_expression: invalid Quartz cron expression: hours "25": Number '25' of hours field is bigger than upper limit '23'; expected 0-23 (with , - * /) (got "0 0 25 * * ?")`,
    ]);
  });

  it('a ternary (the CLI has no expressions in ${…})', async () => {
    expect(await problems(bundle({ name: `'\${bundle.target == "dev" ? "a" : "b"}'` }))).toEqual([expect.stringMatching(/^resources\/jobs\.yml:4:\d+: \[model\] \[UNSUPPORTED_EXPRESSION\] /)]);
  });

  it('SQL that does not render (unknown placeholder) points at the task', async () => {
    expect(await problems(bundle({ sql: 'select * from {{catalog.bronz}}.x.y' }))).toEqual([expect.stringMatching(/^resources\/jobs\.yml:\d+:\d+: \[sql-render\] job nightly task stage: sql\/stage\.sql does not render .*\{\{catalog\.bronz\}\}/)]);
  });

  it('a gated task in a job without the odoo_ce_tasks environment, and a wheel entry point the wheel lacks', async () => {
    const gated = `description: staging
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/stage.sql
                  parameters:
                    quality_gate: silver.fin.s
              - task_key: score
                environment_key: odoo_ce_tasks
                python_wheel_task:
                  package_name: odoo_ce_tasks
                  entry_point: scor`;
    const found = await problems(bundle({ stageExtra: gated }));
    expect(found).toEqual(expect.arrayContaining([
      expect.stringMatching(/^resources\/jobs\.yml:\d+:\d+: \[wheel\] job nightly task score: entry point "scor" is not one of the odoo_ce_tasks wheel's \(train, evaluate, promote, score, quality_gate\)$/),
      expect.stringMatching(/^resources\/jobs\.yml:\d+:\d+: \[wheel\] job nightly: stage \(quality_gate\), score run from the odoo_ce_tasks wheel on Databricks; declare environments: /),
    ]));
  });

  it('a job parameter that would shadow what render passes the wheel tasks (Databricks pushes job parameters down)', async () => {
    const gated = `description: staging
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/stage.sql
                  parameters:
                    quality_gate: silver.fin.s
              - task_key: tail`;
    const found = await problems(bundle({ stageExtra: gated, jobExtra: 'parameters: [{name: run_id, default: x}, {name: silver_catalog, default: dev_silver}]' }));
    expect(found).toEqual(expect.arrayContaining([expect.stringMatching(/\[wheel\] job nightly: job parameter run_id would override what render passes the odoo_ce_tasks wheel tasks .*rename it \(reserved: target, run_id/)]));
    expect(found.join('\n')).not.toContain('silver_catalog would');
  });

  it('an explicit UNPAUSED schedule in a development target', async () => {
    expect(await problems(bundle({ devPause: 'UNPAUSED' }))).toEqual([expect.stringMatching(/\[schedule\] resources\.jobs\.nightly\.schedule\.pause_status is UNPAUSED in development target dev; expected PAUSED/)]);
  });

  it('what only the official schema rejects (an unknown task field), mapped back to its line', async () => {
    expect(await problems(bundle({ stageExtra: 'retry_on_timeoutt: true' }))).toEqual([
      expect.stringMatching(/^resources\/jobs\.yml:17:11: \[schema\] resources\.jobs\.nightly\.tasks\[1\]: unknown field "retry_on_timeoutt"/),
    ]);
  });
});

describe.skipIf(!BUNDLE_SCHEMA)(needsSchema('deploy bundle validate|render (CLI)'), () => {
  it('validate prints the problems with file:line and exits 1; --json carries them', async () => {
    const dir = bundle({ cron: '0 0 2 * *' });
    const text = await runCli(['bundle', 'validate', '-t', 'dev', '--bundle', dir, '--schema', VENDORED_SCHEMA]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^error: resources\/jobs\.yml:6:\d+: \[model\] .*expected 6 or 7 fields/m);
    expect(text.stderr).toBe('error: bundle target dev: 1 problem(s)\n');
    const json = await runCli(['bundle', 'validate', '-t', 'dev', '--bundle', dir, '--schema', VENDORED_SCHEMA, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ target: 'dev', ok: false, problems: [{ check: 'model', location: { file: 'resources/jobs.yml', line: 6 } }] });
  });

  it('without a schema source it says where to get one', async () => {
    const run = await runCli(['bundle', 'validate', '-t', 'dev', '--schema', '/nonexistent/schema.json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[SCHEMA_UNAVAILABLE] --schema = "/nonexistent/schema.json": no such file');
  });

  it('render writes a self-contained bundle whose SQL paths exist, rendered for the target, and which validates against the schema', async () => {
    const out = writeTree({});
    dirs.push(out);
    const run = await runCli(['bundle', 'render', '-t', 'staging', '--schema', VENDORED_SCHEMA, '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const config = parse(readFileSync(join(out, 'databricks.yml'), 'utf8')) as { resources: { jobs: Record<string, { tasks: { sql_task?: { file: { path: string } } }[] }>; dashboards: Record<string, { file_path: string }> }; include?: unknown };
    expect(config.include).toBeUndefined();
    const paths = Object.values(config.resources.jobs).flatMap((j) => j.tasks.map((t) => t.sql_task?.file.path ?? ''));
    expect(paths.length).toBeGreaterThan(10);
    for (const p of [...paths, ...Object.values(config.resources.dashboards).map((d) => d.file_path)]) expect(existsSync(join(out, p)), p).toBe(true);
    const sql = readFileSync(join(out, 'sql/etl/finance/bir_compliance/1601c_ingestion.sql'), 'utf8');
    expect(sql).toContain('`staging_silver`');
    expect(sql).not.toMatch(/\{\{\s*(catalog|params)\./);
    expect(sql).toContain(':code_basic');
    expect(officialSchema()(config)).toBe(true);
    // What was rendered is what the loader reads back: the same jobs and task keys, plus one gate
    // task after each gated task.
    const reloaded = await loadBundle(out, { target: 'staging', env: {} });
    const original = await loadBundle(repoBundle, { target: 'staging', env: {} });
    const keys = (b: typeof original) => Object.fromEntries(Object.values(b.jobs).map((j) => [j.key, j.tasks.map((t) => t.key).sort()]));
    const expected = keys(original);
    expected['scout_daily_sync'] = [...(expected['scout_daily_sync'] ?? []), 'transaction_ingestion_quality_gate'].sort();
    expect(keys(reloaded)).toEqual(expected);
  }, 30_000);

  it('render runs the TypeScript steps from the odoo_ce_tasks wheel: gate tasks, named parameters, the wheel under artifacts/', async () => {
    const out = writeTree({});
    dirs.push(out);
    const run = await runCli(['bundle', 'render', '-t', 'staging', '--schema', VENDORED_SCHEMA, '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    type Task = { task_key: string; depends_on?: { task_key: string }[]; environment_key?: string; sql_task?: { parameters?: Record<string, string> }; python_wheel_task?: { package_name: string; entry_point: string; named_parameters: Record<string, string> } };
    type Job = { tasks: Task[]; environments: { environment_key: string; spec: { dependencies: string[] } }[] };
    const config = parse(readFileSync(join(out, 'databricks.yml'), 'utf8')) as { resources: { jobs: Record<string, Job> } };
    const scout = config.resources.jobs['scout_daily_sync'] as Job;
    const task = (job: Job, key: string) => job.tasks.find((t) => t.task_key === key) as Task;
    // The gate follows its task and everything downstream waits for it; the SQL task no longer carries the parameter.
    expect(task(scout, 'transaction_ingestion').sql_task?.parameters?.['quality_gate']).toBeUndefined();
    expect(task(scout, 'transaction_ingestion_quality_gate')).toMatchObject({
      depends_on: [{ task_key: 'transaction_ingestion' }],
      environment_key: 'odoo_ce_tasks',
      python_wheel_task: { package_name: 'odoo_ce_tasks', entry_point: 'quality_gate', named_parameters: { table: 'silver.scout.transactions_candidates', task: 'transaction_ingestion', job_parameters: 'bronze_catalog,gold_catalog,run_date,silver_catalog' } },
    });
    for (const key of ['vendor_enrichment', 'expense_categorization']) expect(task(scout, key).depends_on).toEqual([{ task_key: 'transaction_ingestion_quality_gate' }]);
    // Every wheel task knows where it runs: the target's catalogs, the job run id, the warehouse.
    const ml = config.resources.jobs['ml_training'] as Job;
    for (const t of [...scout.tasks, ...ml.tasks].filter((x) => x.python_wheel_task)) {
      expect(t.python_wheel_task?.named_parameters).toMatchObject({
        target: 'staging', run_id: '{{job.run_id}}', warehouse_id: '${var.warehouse_id}',
        bronze_catalog: 'staging_bronze', silver_catalog: 'staging_silver', gold_catalog: 'staging_gold', platinum_catalog: 'staging_platinum', ops_catalog: 'staging_ops', ops_schema: 'ops',
      });
    }
    expect(task(ml, 'train').python_wheel_task?.named_parameters).toMatchObject({ seed: '{{job.parameters.seed}}', forecast_months: '{{job.parameters.forecast_months}}' });
    expect(task(scout, 'transaction_ingestion_quality_gate').python_wheel_task?.named_parameters).not.toHaveProperty('seed');
    // The wheel is next to the bundle, and both jobs' environments install that copy.
    for (const job of [scout, ml]) {
      const deps = job.environments.find((e) => e.environment_key === 'odoo_ce_tasks')?.spec.dependencies ?? [];
      expect(deps).toEqual([expect.stringMatching(/^\.\/artifacts\/odoo_ce_tasks-\d+\.\d+\.\d+\+g[0-9a-f]{8}-py3-none-any\.whl$/)]);
      expect(existsSync(join(out, deps[0] as string))).toBe(true);
    }
    expect(officialSchema()(config)).toBe(true);
  }, 30_000);

});

describe('the official schema for tests', () => {
  it('comes from $DATABRICKS_BUNDLE_SCHEMA first, else ../shared, else none (the schema suites then skip with a reason)', () => {
    const dir = writeTree({ 'env.json': '{}', 'shared.json': '{}' });
    dirs.push(dir);
    expect(findBundleSchema({ DATABRICKS_BUNDLE_SCHEMA: join(dir, 'env.json') }, join(dir, 'shared.json'))).toBe(join(dir, 'env.json'));
    expect(findBundleSchema({ DATABRICKS_BUNDLE_SCHEMA: join(dir, 'missing.json') }, join(dir, 'shared.json'))).toBe(join(dir, 'shared.json'));
    expect(findBundleSchema({}, join(dir, 'shared.json'))).toBe(join(dir, 'shared.json'));
    expect(findBundleSchema({}, join(dir, 'nothing-here.json'))).toBeUndefined();
  });
});
