import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadBundle } from './load-bundle.js';
import { renderBundleConfig } from './render-config.js';

const repo = join(import.meta.dirname, '..', '..', '..', '..');
/**
 * The official bundle schema: $DATABRICKS_BUNDLE_SCHEMA (CI writes it with `databricks bundle schema`),
 * else ../shared beside the checkout (never copied into the repository). Without either the suite is
 * skipped, and its title says so.
 */
const schemaFile = process.env['DATABRICKS_BUNDLE_SCHEMA'] ?? join(repo, '..', 'shared', 'vendor', 'databricks-bundle-schema.json');
const haveSchema = existsSync(schemaFile);
/** Vendor annotation keywords of the schema; declared so ajv keeps strict mode for everything else. */
const ANNOTATIONS = ['markdownDescription', 'doNotSuggest', 'enumDescriptions', 'deprecationMessage', 'x-databricks-launch-stage'];

describe.skipIf(!haveSchema)(`the repository bundle against the official Databricks bundle JSON schema${haveSchema ? '' : ` (skipped: no schema at ${schemaFile}; set DATABRICKS_BUNDLE_SCHEMA)`}`, () => {
  const ajv = new Ajv({ allErrors: true });
  for (const keyword of ANNOTATIONS) ajv.addKeyword(keyword);
  // An empty schema stands in when the suite is skipped (its callbacks never run then).
  const validate = ajv.compile(haveSchema ? (JSON.parse(readFileSync(schemaFile, 'utf8')) as object) : {});

  it.each(['dev', 'staging', 'prod'])('the resolved %s target (jobs and dashboards) validates', async (target) => {
    const bundle = await loadBundle(join(repo, 'databricks', 'bundles'), { target, env: {} });
    const config = renderBundleConfig(bundle);
    const valid = validate(config);
    expect(valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    expect(Object.keys((config['resources'] as { dashboards?: object }).dashboards ?? {})).not.toHaveLength(0);
    expect(Object.keys((config['resources'] as { jobs?: object }).jobs ?? {})).toEqual(expect.arrayContaining(['bir_etl', 'scout_daily_sync', 'month_end_close']));
  }, 30_000);

  it('rejects what the schema rejects (a task with an unknown key)', async () => {
    const bundle = await loadBundle(join(repo, 'databricks', 'bundles'), { target: 'dev', env: {} });
    const broken = structuredClone(renderBundleConfig(bundle)) as { resources: { jobs: Record<string, { tasks: Record<string, unknown>[] }> } };
    const job = Object.values(broken.resources.jobs)[0];
    (job?.tasks[0] as Record<string, unknown>)['sql_taks'] = { warehouse_id: 'x' };
    expect(validate(broken)).toBe(false);
  });
});
