import type { Warehouse } from '@odoo-ce/warehouse';
import { runDemoPipeline, type DemoResult } from '../pipeline/demo-pipeline.js';

export interface MlDataOptions {
  readonly warehouse: Warehouse;
  readonly repoRoot: string;
  readonly exportDir: string;
  readonly seed: number;
  /** Scout expenses over the whole history (default 15,000). */
  readonly scale?: number;
  /** Months of Scout history (default 36). */
  readonly months?: number;
}

/**
 * The demo flow ({@link runDemoPipeline}) with a multi-year Scout history instead of one year:
 * generate (seasonal volumes, injected amount spikes and duplicate payments, recorded in
 * `manifest.scout_history`) → ingest → the ETL jobs with their quality gates. Leaves the gold
 * tables the ml_training job reads. Used by the ML quality-bar specs.
 */
export function prepareMlData(options: MlDataOptions): Promise<DemoResult> {
  return runDemoPipeline({
    warehouse: options.warehouse,
    repoRoot: options.repoRoot,
    exportDir: options.exportDir,
    seed: options.seed,
    scale: options.scale ?? 15_000,
    scoutHistory: { months: options.months ?? 36 },
  });
}
