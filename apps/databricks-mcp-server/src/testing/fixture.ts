import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { diffGrants, loadPolicy, OpsGrantsStore } from '@odoo-ce/catalog';
import { createLogger } from '@odoo-ce/common';
import { storeResults, type DqResultRow } from '@odoo-ce/data-quality';
import type { GrantsSource } from '../catalog-access.js';
import type { ServerLimits } from '../context.js';
import { openServerContext, REPO_ROOT, type OpenedContext } from '../open.js';
import type { RateLimit } from '../rate-limit.js';

/** A small local target for tests: a few tables in gold, silver and bronze, grants, DQ results, a bundle. */
export interface Fixture {
  readonly dir: string;
  readonly dataDir: string;
  readonly bundleDir: string;
  readonly ctx: OpenedContext;
  /** Parsed JSON log lines written so far (audit lines have `event: "mcp.tool_call"`). */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

export const SEED_SQL = [
  'CREATE SCHEMA IF NOT EXISTS gold.finance',
  "CREATE OR REPLACE TABLE gold.finance.bir_monthly AS SELECT * FROM (VALUES ('2025-01', CAST('1200.50' AS DECIMAL(18,2))), ('2025-02', CAST('980.25' AS DECIMAL(18,2)))) t(period, tax_required)",
  'CREATE OR REPLACE TABLE gold.finance.ledger AS SELECT range AS id, range * 2 AS amount FROM range(250)',
  'CREATE SCHEMA IF NOT EXISTS silver.finance',
  'CREATE OR REPLACE TABLE silver.finance.moves AS SELECT range AS id, range * 100 AS amount FROM range(5)',
  'CREATE SCHEMA IF NOT EXISTS bronze.scout',
  "CREATE OR REPLACE TABLE bronze.scout.transactions AS SELECT 'tx-1' AS id, '{}' AS _raw",
];

const BUNDLE: Record<string, string> = {
  'databricks.yml': [
    'bundle: {name: mcp_test}',
    'targets:',
    '  dev: {default: true}',
    'resources:',
    '  jobs:',
    '    refresh:',
    '      name: mcp test refresh',
    '      parameters:',
    '        - {name: label, default: "none"}',
    '      tasks:',
    '        - {task_key: build, sql_task: {warehouse_id: w, file: {path: sql/build.sql}}}',
    '        - {task_key: summarize, depends_on: [{task_key: build}], sql_task: {warehouse_id: w, file: {path: sql/summarize.sql}}}',
    '    broken:',
    '      tasks:',
    '        - {task_key: fail, sql_task: {warehouse_id: w, file: {path: sql/fail.sql}}}',
    '',
  ].join('\n'),
  'sql/build.sql': 'CREATE SCHEMA IF NOT EXISTS {{catalog.sandbox}}.mcp;\nCREATE OR REPLACE TABLE {{catalog.sandbox}}.mcp.refreshed AS SELECT {{params.label}} AS label, range AS n FROM range(3);\n',
  'sql/summarize.sql': 'CREATE OR REPLACE TABLE {{catalog.sandbox}}.mcp.summary AS SELECT count(*) AS n FROM {{catalog.sandbox}}.mcp.refreshed;\n',
  'sql/fail.sql': 'SELECT * FROM {{catalog.sandbox}}.nowhere.missing_table;\n',
};

/** Writes the test bundle (jobs `refresh` and `broken`) into `dir`. */
export function writeTestBundle(dir: string): void {
  for (const [path, text] of Object.entries(BUNDLE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function dqRow(table: string, name: string, success: boolean, unexpected: number, runTime: Date, runId: string): DqResultRow {
  return {
    run_id: runId,
    run_time: runTime,
    suite_name: `${table.split('.')[0]}_suite`,
    table_name: table,
    expectation_name: name,
    expectation_type: 'expect_column_values_to_not_be_null',
    action: 'warn',
    success,
    raised_exception: false,
    element_count: 100,
    missing_count: 0,
    unexpected_count: unexpected,
    unexpected_percent: unexpected,
    observed_value: null,
    kwargs: '{"column":"id"}',
    result: '{"partial_unexpected_list":["secret-value"]}',
  };
}

export interface FixtureOptions {
  readonly limits?: Partial<ServerLimits>;
  readonly rateLimit?: RateLimit;
  readonly grants?: GrantsSource;
}

/** Opens a fresh local target in a temp dir, seeded with tables, the policy's grants and DQ results. */
export async function openFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-fixture-'));
  const dataDir = join(dir, 'data');
  const bundleDir = join(dir, 'bundle');
  writeTestBundle(bundleDir);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'info', format: 'json', destination: sink, isTTY: false });
  const ctx = await openServerContext({
    target: 'local',
    dataDir,
    env: {},
    cwd: dir,
    bundleDir,
    logger,
    grants: options.grants ?? 'ops',
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  for (const sql of SEED_SQL) await ctx.warehouse.query(sql);
  const policy = await loadPolicy(join(REPO_ROOT, 'databricks', 'catalog'));
  await new OpsGrantsStore(ctx.warehouse).apply(diffGrants(policy.grants, []));
  const earlier = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');
  await storeResults(ctx.warehouse, [
    dqRow('gold.finance.bir_monthly', 'old_check', false, 7, earlier, 'run-old'),
    dqRow('gold.finance.bir_monthly', 'period_not_null', true, 0, later, 'run-new'),
    dqRow('gold.finance.bir_monthly', 'tax_not_null', false, 3, later, 'run-new'),
    dqRow('silver.finance.moves', 'id_not_null', true, 0, later, 'run-silver'),
  ]);
  return {
    dir,
    dataDir,
    bundleDir,
    ctx,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    close: async () => {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
