/** One recorded measurement. */
export interface MetricPoint {
  readonly name: string;
  readonly value: number;
  readonly tags: Readonly<Record<string, string>>;
  readonly recordedAt: Date;
}

/**
 * Where metrics go. `@odoo-ce/warehouse` provides `metricsSink(warehouse)`, which writes to the
 * target's `ops.custom_metrics` table (never the `system` catalog, which Databricks reserves).
 */
export interface MetricsSink {
  writeMetrics(points: readonly MetricPoint[]): Promise<void>;
}

/**
 * Collects metrics in memory during a run and publishes them in one write.
 *
 * @example
 * const metrics = new MetricsCollector({ run_id: runId, target: 'local' });
 * metrics.record('rows_ingested', 1200, { table: 'bronze.scout.transactions' });
 * await metrics.publish(metricsSink(warehouse));
 */
export class MetricsCollector {
  readonly #points: MetricPoint[] = [];
  readonly #baseTags: Readonly<Record<string, string>>;

  constructor(baseTags: Record<string, string> = {}) {
    this.#baseTags = Object.freeze({ ...baseTags });
  }

  record(name: string, value: number, tags: Record<string, string> = {}): void {
    if (!/^[a-z][a-z0-9_.]*$/.test(name)) {
      throw new TypeError(`metric name "${name}" must be lower_snake_case (letters, digits, _ and .)`);
    }
    if (!Number.isFinite(value)) throw new TypeError(`metric ${name}: value ${value} is not a finite number`);
    this.#points.push(Object.freeze({ name, value, tags: Object.freeze({ ...this.#baseTags, ...tags }), recordedAt: new Date() }));
  }

  /** The points recorded and not yet published. */
  get points(): readonly MetricPoint[] {
    return [...this.#points];
  }

  /** Writes every pending point to `sink`; on failure nothing is dropped and a later publish retries. */
  async publish(sink: MetricsSink): Promise<number> {
    if (this.#points.length === 0) return 0;
    const batch = [...this.#points];
    await sink.writeMetrics(batch);
    this.#points.splice(0, batch.length);
    return batch.length;
  }
}
