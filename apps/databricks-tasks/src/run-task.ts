import type { Logger } from '@odoo-ce/common';
import { loadSuites, qualityGates, type GateOutcome } from '@odoo-ce/data-quality';
import { mlTaskHandlers } from '@odoo-ce/ml';
import type { Warehouse } from '@odoo-ce/warehouse';
import type { TaskArgs } from './args.js';

/** What one entry point did, for the `task.finished` summary line. */
export interface TaskSummary {
  readonly rows: number;
  /** `quality_gate` only: the split's accounting (source = target + quarantined). */
  readonly gate?: { readonly table: string; readonly source: number; readonly target: number; readonly quarantined: number } | { readonly table: string; readonly validated: true };
}

/**
 * Runs one entry point with the SAME TypeScript the local bundle runner uses: the ml steps are
 * `mlTaskHandlers(logger)[entry point]` of `@odoo-ce/ml`, the gate is `qualityGates` of
 * `@odoo-ce/data-quality` over the suites in `qualityDir`. A failure throws (the handlers' and
 * the gate's typed errors), which fails the Databricks task.
 */
export async function runTask(warehouse: Warehouse, args: TaskArgs, logger: Logger, qualityDir: string): Promise<TaskSummary> {
  if (args.entryPoint === 'quality_gate') {
    const gate = args.gate as NonNullable<TaskArgs['gate']>;
    const outcomes: GateOutcome[] = [];
    const afterTask = qualityGates(warehouse, await loadSuites(qualityDir), outcomes);
    const result = await afterTask({ runId: args.runId, task: { key: gate.task }, params: { quality_gate: gate.table } });
    const outcome = outcomes[0];
    if (outcome?.kind === 'split') {
      const r = outcome.result;
      return { rows: result?.rowsAffected ?? 0, gate: { table: gate.table, source: r.sourceRows, target: r.targetRows, quarantined: r.quarantinedRows } };
    }
    return { rows: result?.rowsAffected ?? 0, gate: { table: gate.table, validated: true } };
  }
  const handler = mlTaskHandlers(logger)[args.entryPoint];
  const result = await handler({ warehouse, runId: args.runId, params: args.mlParams });
  return { rows: result.rowsAffected };
}
