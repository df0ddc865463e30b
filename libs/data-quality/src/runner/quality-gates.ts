import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Warehouse } from '@odoo-ce/warehouse';
import type { SuiteValidationResult } from '../model/results.js';
import { split, type SplitResult } from './split.js';
import { validate } from './validate.js';
import { loadSuiteFile, type SuiteTable } from '../suite/suite-file.js';

/** What one gate did, for summaries. */
export type GateOutcome =
  | { readonly kind: 'split'; readonly task: string; readonly table: string; readonly quarantine: string; readonly result: SplitResult }
  | { readonly kind: 'validate'; readonly task: string; readonly table: string; readonly result: SuiteValidationResult };

/**
 * What a job runner tells a gate about the task that just ran. Structurally the `afterTask` context
 * of `@odoo-ce/bundle`'s runner (this lib does not depend on the bundle lib).
 */
export interface GateTaskContext {
  readonly runId: string;
  readonly task: { readonly key: string };
  readonly params: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Loads every suite file in `dir` (databricks/quality/*.yml), keyed by logical table name. */
export async function loadSuites(dir: string): Promise<Map<string, SuiteTable>> {
  const tables = new Map<string, SuiteTable>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort()) {
    for (const table of (await loadSuiteFile(join(dir, file))).tables) tables.set(table.table, table);
  }
  return tables;
}

/**
 * The runner hook behind the jobs' data-quality gates. A task whose parameters name
 * `quality_gate: <logical table>` is followed, as part of the task, by that table's suite: a
 * `split` (rows failing `drop` expectations → quarantine; source = target + quarantine, checked)
 * when the suite entry declares one, else a `validate`. A failing `fail` expectation or a broken
 * invariant fails the task, so downstream tasks do not run on bad data.
 */
export function qualityGates(
  warehouse: Warehouse,
  suites: ReadonlyMap<string, SuiteTable>,
  outcomes: GateOutcome[] = [],
): (context: GateTaskContext) => Promise<{ readonly rowsAffected: number } | undefined> {
  return async ({ task, params, runId, signal }: GateTaskContext) => {
    const table = params['quality_gate'];
    if (!table) return undefined;
    const entry = suites.get(table);
    if (!entry) {
      throw new Error(`task ${task.key}: quality_gate ${table} has no suite; known tables: ${[...suites.keys()].join(', ')}`);
    }
    const options = { runId, ...(signal ? { signal } : {}) };
    if (entry.split) {
      const result = await split(warehouse, { source: table, target: entry.split.target, quarantine: entry.split.quarantine }, entry.suite, { ...options, mode: 'overwrite' });
      outcomes.push({ kind: 'split', task: task.key, table, quarantine: entry.split.quarantine, result });
      return { rowsAffected: result.targetRows + result.quarantinedRows };
    }
    const result = await validate(warehouse, table, entry.suite, options);
    outcomes.push({ kind: 'validate', task: task.key, table, result });
    return undefined;
  };
}
