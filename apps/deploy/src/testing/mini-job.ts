import { writeTree } from './fixtures.js';

export interface MiniJobOptions {
  /** `(id, amount)` tuples of the candidates, e.g. `(1, 10.5), (2, NULL)`. */
  readonly rows: string;
  /** Which silver rows `publish` copies to gold (default all). */
  readonly goldFilter?: string;
  /** Deployed shape: the job installs this `odoo_ce_tasks` wheel, declares `run_date` and the dev target prefixes catalogs with `dev_` (as `deploy bundle render` needs). */
  readonly wheel?: string;
}

/**
 * A two-task bundle with a quality gate, for the smoke tests: `stage` writes
 * `silver.t.items_candidates` from `rows` and is gated (drop rows without amount; fail on a
 * duplicate id) into `silver.t.items` + quarantine; `publish` writes `gold.t.items_by_id`.
 * Returns the bundle root and the directory of its one suite file.
 */
export function miniGateJob(options: MiniJobOptions): { bundle: string; quality: string } {
  const deployed = options.wheel !== undefined;
  const bundle = writeTree({
    'databricks.yml': `
      bundle:
        name: smoke_fixture
      include:
        - resources/*.yml
      variables:
        warehouse_id:
          default: abc123${deployed ? `
        catalog_prefix:
          default: ""` : ''}
      targets:
        dev:
          default: true
          mode: development${deployed ? `
          variables:
            catalog_prefix: dev_` : ''}
    `,
    'resources/jobs.yml': `
      resources:
        jobs:
          mini:${deployed ? `
            name: mini
            parameters:
              - {name: run_date, default: "{{job.start_time.iso_date}}"}
            environments:
              - environment_key: odoo_ce_tasks
                spec:
                  environment_version: "2"
                  dependencies:
                    - ${options.wheel}` : ''}
            tasks:
              - task_key: stage
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/stage.sql
                  parameters:
                    quality_gate: silver.t.items_candidates
              - task_key: publish
                depends_on:
                  - task_key: stage
                sql_task:
                  warehouse_id: \${var.warehouse_id}
                  file:
                    path: ../sql/publish.sql
    `,
    'sql/stage.sql': `
      CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
      CREATE OR REPLACE TABLE {{catalog.silver}}.t.items_candidates AS
      SELECT CAST(id AS INT) AS id, CAST(amount AS DECIMAL(10, 2)) AS amount FROM (VALUES ${options.rows}) AS v(id, amount);
    `,
    'sql/publish.sql': `
      CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.t;
      CREATE OR REPLACE TABLE {{catalog.gold}}.t.items_by_id AS SELECT id, amount FROM {{catalog.silver}}.t.items WHERE ${options.goldFilter ?? 'true'};
    `,
  });
  const quality = writeTree({
    'silver.yml': `
      suite: silver
      tables:
        - table: silver.t.items_candidates
          split:
            target: silver.t.items
            quarantine: silver.t.items_quarantine
          expectations:
            - name: amount_present
              type: expect_column_values_to_not_be_null
              kwargs: { column: amount }
              action: drop
            - name: id_unique
              type: expect_column_values_to_be_unique
              kwargs: { column: id }
              action: fail
    `,
  });
  return { bundle, quality };
}
