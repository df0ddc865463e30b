import { readFileSync } from 'node:fs';
import { compiledQuery, opsTable, param, type Row, type Warehouse } from '@odoo-ce/warehouse';
import { DeployError } from '../errors.js';

/**
 * DBUs per hour of one running cluster of a Databricks SQL warehouse, by size (the T-shirt sizes
 * of Pro and Serverless warehouses). A warehouse bills while it runs; jobs are estimated by the
 * time they kept it busy.
 */
export const WAREHOUSE_DBU_PER_HOUR: Readonly<Record<string, number>> = Object.freeze({
  '2X-Small': 4,
  'X-Small': 6,
  Small: 12,
  Medium: 24,
  Large: 40,
  'X-Large': 80,
  '2X-Large': 144,
  '3X-Large': 272,
  '4X-Large': 528,
});

export interface JobCost {
  readonly job: string;
  readonly runs: number;
  readonly hours: number;
  readonly dbus: number;
  readonly cost: number;
}

export interface CostEstimate {
  readonly target: string;
  readonly sinceDays: number;
  readonly warehouseSize: string;
  readonly dbuPrice: number;
  readonly jobs: readonly JobCost[];
  readonly total: number;
}

export interface CostOptions {
  readonly sinceDays: number;
  readonly warehouseSize: string;
  /** Price of one DBU in the account's currency (list price of Serverless SQL unless told). */
  readonly dbuPrice: number;
  readonly now?: Date;
}

/**
 * Estimated cost per job from `<ops>.job_runs` (finished runs started in the last `sinceDays`
 * days): hours × the warehouse size's DBU/h × the DBU price. An estimate — it ignores the
 * warehouse's idle time before auto-stop and runs that share the warehouse; `--billing` on
 * Databricks reads what was actually billed.
 */
export async function estimateCost(warehouse: Warehouse, target: string, options: CostOptions): Promise<CostEstimate> {
  const rate = WAREHOUSE_DBU_PER_HOUR[options.warehouseSize];
  if (rate === undefined) {
    throw new DeployError('INVALID_INPUT', `--warehouse-size ${JSON.stringify(options.warehouseSize)}: expected one of ${Object.keys(WAREHOUSE_DBU_PER_HOUR).join(', ')}`);
  }
  const since = new Date((options.now ?? new Date()).getTime() - options.sinceDays * 86_400_000);
  const { rows } = await warehouse.query(
    compiledQuery(`SELECT job, started_at, ended_at FROM ${opsTable(warehouse, 'job_runs')} WHERE target = :target AND ended_at IS NOT NULL AND started_at >= :since`, {
      target,
      since: param.timestamp(since),
    }),
  );
  const byJob = new Map<string, { runs: number; ms: number }>();
  for (const row of rows) {
    const started = asDate(row, 'started_at');
    const ended = asDate(row, 'ended_at');
    const entry = byJob.get(String(row['job'])) ?? { runs: 0, ms: 0 };
    entry.runs += 1;
    entry.ms += Math.max(0, ended.getTime() - started.getTime());
    byJob.set(String(row['job']), entry);
  }
  const jobs = [...byJob.entries()]
    .map(([job, { runs, ms }]) => {
      const hours = ms / 3_600_000;
      const dbus = hours * rate;
      return { job, runs, hours: round(hours, 4), dbus: round(dbus, 4), cost: round(dbus * options.dbuPrice, 2) };
    })
    .sort((a, b) => b.cost - a.cost || a.job.localeCompare(b.job));
  return { target, sinceDays: options.sinceDays, warehouseSize: options.warehouseSize, dbuPrice: options.dbuPrice, jobs, total: round(jobs.reduce((s, j) => s + j.cost, 0), 2) };
}

/** The billing query of the repository, rendered for the warehouse (Databricks only: system.billing). */
export async function billedCost(warehouse: Warehouse, sqlFile: string, days: number): Promise<Row[]> {
  const query = warehouse.render(readFileSync(sqlFile, 'utf8'), { days }, sqlFile);
  return (await warehouse.query(query)).rows;
}

function asDate(row: Row, column: string): Date {
  const value = row[column];
  return value instanceof Date ? value : new Date(String(value));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
