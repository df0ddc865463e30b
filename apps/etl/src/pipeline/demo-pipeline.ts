import { join } from 'node:path';
import { loadBundle, runJob, type RunEvent, type RunLogger, type RunSummary } from '@odoo-ce/bundle';
import { ingestDirectory, type IngestResult } from '@odoo-ce/connectors/files';
import { loadSuites, qualityGates, withholdingTax, type GateOutcome } from '@odoo-ce/data-quality';
import { generateDataset, writeDataset, type GroundTruth, type ScoutHistoryOptions } from '@odoo-ce/sample-data';
import type { Warehouse } from '@odoo-ce/warehouse';

/** The jobs of databricks/bundles/resources/jobs.yml in the order the demo runs them. */
export const DEMO_JOBS = ['bir_etl', 'scout_daily_sync', 'month_end_close'] as const;

export interface DemoOptions {
  readonly warehouse: Warehouse;
  /** Repository root: holds databricks/bundles and databricks/quality. */
  readonly repoRoot: string;
  /** Where the generated export files go (the "google_drive_exports" source). */
  readonly exportDir: string;
  readonly seed: number;
  readonly scale: number;
  /** A multi-year seasonal Scout history with injected ML anomalies instead of one year (the ML data; see `generateDataset`). */
  readonly scoutHistory?: ScoutHistoryOptions;
  readonly logger?: RunLogger;
  readonly signal?: AbortSignal;
  /** Step-by-step progress (steps: `generate`, `ingest`, `job <name>`; job steps also get the runner's events). */
  readonly progress?: PipelineProgress;
}

/** What the pipeline reports as it goes (the CLI draws a task list from it on a terminal). */
export interface PipelineProgress {
  start(step: string): void;
  finish(step: string, detail?: string): void;
  fail(step: string, error: unknown): void;
  event(step: string, event: RunEvent): void;
}

export interface DemoResult {
  readonly manifest: GroundTruth;
  readonly ingested: readonly IngestResult[];
  readonly runs: readonly RunSummary[];
  readonly gates: readonly GateOutcome[];
  readonly durationsMs: Readonly<Record<string, number>>;
}

/**
 * The platform's main flow on one warehouse: generate sample data → ingest the exports into
 * bronze → run every job of the bundle (SQL tasks plus their quality
 * gates) → return what happened. The same code runs on DuckDB and through the Databricks driver.
 */
export async function runDemoPipeline(options: DemoOptions): Promise<DemoResult> {
  const { warehouse } = options;
  const durations: Record<string, number> = {};
  /** Runs one step, timing it; `outcome` turns its result into a progress detail, or an Error when it did not succeed. */
  const timed = async <T>(step: string, fn: () => Promise<T>, outcome: (result: T) => string | Error = () => ''): Promise<T> => {
    options.progress?.start(step);
    const started = performance.now();
    try {
      const result = await fn();
      const o = outcome(result);
      if (o instanceof Error) options.progress?.fail(step, o);
      else options.progress?.finish(step, o || undefined);
      return result;
    } catch (error) {
      options.progress?.fail(step, error);
      throw error;
    } finally {
      durations[step] = Math.round(performance.now() - started);
    }
  };

  const dataset = await timed('generate', async () => {
    const data = generateDataset({
      seed: options.seed,
      scale: options.scale,
      withholding: monthlyWithholdingCentavos,
      ...(options.scoutHistory ? { scoutHistory: options.scoutHistory } : {}),
    });
    await writeDataset(options.exportDir, data);
    return data;
  }, (data) => `${Object.values(data.manifest.rows).reduce((a, b) => a + b, 0).toLocaleString('en-US')} source records, seed ${options.seed}`);
  const ingested = await timed(
    'ingest',
    () => ingestDirectory(warehouse, options.exportDir, options.signal ? { signal: options.signal } : {}),
    (results) => `${results.length} files → bronze`,
  );

  const bundle = await loadBundle(join(options.repoRoot, 'databricks', 'bundles'), { env: {} });
  const suites = await loadSuites(join(options.repoRoot, 'databricks', 'quality'));
  const gates: GateOutcome[] = [];
  const afterTask = qualityGates(warehouse, suites, gates);
  const runs: RunSummary[] = [];
  for (const job of DEMO_JOBS) {
    const step = `job ${job}`;
    const summary = await timed(
      step,
      () =>
        runJob(warehouse, bundle, job, {
          target: 'local',
          afterTask,
          ...(options.progress ? { onEvent: (event: RunEvent) => options.progress?.event(step, event) } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      (s) => (s.status === 'succeeded' ? `${s.tasks.length} tasks` : new Error(`${s.status}: ${s.error ?? ''}`)),
    );
    runs.push(summary);
    if (summary.status !== 'succeeded') break;
  }
  return { manifest: dataset.manifest, ingested, runs, gates, durationsMs: durations };
}

/** The 2023+ monthly withholding table (exact decimals) in the generator's centavo units. */
function monthlyWithholdingCentavos(taxableCentavos: number): number {
  const taxable = `${Math.trunc(taxableCentavos / 100)}.${String(Math.abs(taxableCentavos % 100)).padStart(2, '0')}`;
  return Math.round(Number(withholdingTax('monthly', taxable).tax) * 100);
}
