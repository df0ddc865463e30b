import { join } from 'node:path';
import { loadBundle, runJob, type RunSummary } from '@odoo-ce/bundle';
import { ingestDirectory } from '@odoo-ce/connectors/files';
import { installWithholdingTaxTable, loadSuites, qualityGates, withholdingTax, type GateOutcome } from '@odoo-ce/data-quality';
import { generateDataset, writeDataset, type GroundTruth } from '@odoo-ce/sample-data';
import type { Warehouse } from '@odoo-ce/warehouse';
import { DEMO_JOBS } from '../pipeline/demo-pipeline.js';

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
 * The demo flow with a multi-year Scout history instead of one year: generate (seasonal volumes,
 * injected amount spikes and duplicate payments, recorded in `manifest.scout_history`) → ingest →
 * reference data → the ETL jobs with their quality gates. Leaves the gold tables the ml_training
 * job reads. Used by the ML quality-bar specs and `npm run bench -- ml`.
 */
export async function prepareMlData(options: MlDataOptions): Promise<{ manifest: GroundTruth; runs: RunSummary[]; gates: GateOutcome[] }> {
  const { warehouse } = options;
  const dataset = generateDataset({
    seed: options.seed,
    scale: options.scale ?? 15_000,
    withholding: monthlyWithholdingCentavos,
    scoutHistory: { months: options.months ?? 36 },
  });
  await writeDataset(options.exportDir, dataset);
  await ingestDirectory(warehouse, options.exportDir);
  await installWithholdingTaxTable(warehouse);
  const bundle = await loadBundle(join(options.repoRoot, 'databricks', 'bundles'), { env: {} });
  const suites = await loadSuites(join(options.repoRoot, 'databricks', 'quality'));
  const gates: GateOutcome[] = [];
  const runs: RunSummary[] = [];
  for (const job of DEMO_JOBS) {
    const summary = await runJob(warehouse, bundle, job, { target: 'local', afterTask: qualityGates(warehouse, suites, gates) });
    runs.push(summary);
    if (summary.status !== 'succeeded') break;
  }
  return { manifest: dataset.manifest, runs, gates };
}

function monthlyWithholdingCentavos(taxableCentavos: number): number {
  const taxable = `${Math.trunc(taxableCentavos / 100)}.${String(Math.abs(taxableCentavos % 100)).padStart(2, '0')}`;
  return Math.round(Number(withholdingTax('monthly', taxable).tax) * 100);
}
