import { describe, expect, it } from 'vitest';
import { MetricsCollector, type MetricPoint } from './metrics.js';

describe('MetricsCollector', () => {
  it('records with base tags and publishes once', async () => {
    const written: MetricPoint[][] = [];
    const metrics = new MetricsCollector({ run_id: 'r1' });
    metrics.record('rows_ingested', 12, { table: 'bronze.scout.transactions' });
    expect(await metrics.publish({ writeMetrics: async (p) => void written.push([...p]) })).toBe(1);
    expect(written[0]?.[0]).toMatchObject({ name: 'rows_ingested', value: 12, tags: { run_id: 'r1', table: 'bronze.scout.transactions' } });
    expect(await metrics.publish({ writeMetrics: async () => undefined })).toBe(0);
  });

  it('keeps points when a publish fails', async () => {
    const metrics = new MetricsCollector();
    metrics.record('x', 1);
    await expect(metrics.publish({ writeMetrics: async () => Promise.reject(new Error('down')) })).rejects.toThrow('down');
    expect(metrics.points).toHaveLength(1);
  });

  it('rejects bad names and non-finite values with a clear message', () => {
    const metrics = new MetricsCollector();
    expect(() => metrics.record('Rows Ingested', 1)).toThrow(/lower_snake_case/);
    expect(() => metrics.record('rows', Number.NaN)).toThrow(/NaN is not a finite number/);
  });
});
