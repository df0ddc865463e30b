import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildJobDag } from '../dag.js';
import { loadBundle } from './load-bundle.js';
import type { Bundle, JobDefinition } from './model.js';

function job(bundle: Bundle, key: string): JobDefinition {
  const found = bundle.jobs[key];
  if (!found) throw new Error(`no job ${key}`);
  return found;
}

/** The repository's own bundle (databricks/bundles): it must load for every target. SQL contents are not read. */
const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const ROOT = join(REPO, 'databricks', 'bundles');

describe('databricks/bundles', () => {
  it.each(['dev', 'staging', 'prod'])('loads for target %s with valid DAGs and per-target settings', async (target) => {
    const bundle = await loadBundle(ROOT, { target, env: {} });
    expect(bundle.name).toBe('odoo_ce_lakehouse');
    expect(Object.keys(bundle.jobs).sort()).toEqual(['bir_etl', 'ml_training', 'month_end_close', 'scout_daily_sync']);
    expect(bundle.warnings.filter((w) => !/SQL file .* not found/.test(w.message))).toEqual([]);
    const prefix = { dev: 'dev_', staging: 'staging_', prod: '' }[target];
    for (const definition of Object.values(bundle.jobs)) {
      const dag = buildJobDag(definition);
      expect(dag.order.length).toBe(definition.tasks.length);
      expect(definition.schedule?.timezoneId).toBe('Asia/Manila');
      expect(definition.schedule?.pauseStatus).toBe(target === 'prod' ? 'UNPAUSED' : 'PAUSED');
      expect(definition.name).toMatch(new RegExp(`\\(${target}\\)$`));
      expect(definition.parameters.find((p) => p.name === 'gold_catalog')?.default).toBe(`${prefix}gold`);
      for (const task of definition.tasks) {
        // Only ml_training has non-SQL tasks: its model steps are python_wheel_task entry points.
        if (!task.sql && definition.key === 'ml_training') continue;
        // warehouse_id is a lookup: left for deploy, not needed to run locally.
        expect(task.sql?.warehouseId).toBe('${var.warehouse_id}');
        expect(relative(REPO, task.sql?.file?.localPath ?? '')).toMatch(/^databricks\/sql\/(etl\/(finance|scout|shared)|ml)\/.+\.sql$/);
      }
    }
    expect(bundle.syncRoot).toBe(join(REPO, 'databricks'));
    expect(bundle.mode).toBe({ dev: 'development', staging: undefined, prod: 'production' }[target]);
    expect(bundle.runAs).toEqual(target === 'prod' ? { service_principal_name: '${var.etl_service_principal}' } : undefined);
  });

  it('has the DAGs the pipeline expects', async () => {
    const bundle = await loadBundle(ROOT, { target: 'dev', env: {} });
    expect(buildJobDag(job(bundle, 'bir_etl')).layers).toEqual([
      ['bronze_to_silver', 'reference_data'],
      ['accounts_payable', 'bir_1601c_ingestion', 'general_ledger'],
      ['bir_2550q_aggregation'],
      ['silver_to_gold'],
    ]);
    expect(buildJobDag(job(bundle, 'scout_daily_sync')).layers).toEqual([['transaction_ingestion'], ['expense_categorization', 'vendor_enrichment'], ['agency_summary']]);
    expect(buildJobDag(job(bundle, 'month_end_close')).layers).toEqual([['accounts_payable', 'general_ledger'], ['month_end_close'], ['silver_to_gold']]);
    const bir = bundle.jobs['bir_etl']?.tasks.find((t) => t.key === 'bir_1601c_ingestion');
    expect(bir?.sql?.parameters).toEqual({ code_basic: 'BASIC', code_thirteenth: 'THIRTEENTH', code_de_minimis: 'DEMINIMIS', code_sss: 'SSS', code_philhealth: 'PHIC', code_hdmf: 'HDMF', code_tax: 'WTAX' });
    expect(bundle.jobs['bir_etl']?.schedule?.quartzCronExpression).toBe('0 0 2 1 * ?');
  });
});
