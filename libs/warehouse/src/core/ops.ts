import type { MetricPoint, MetricsSink } from '@odoo-ce/common';
import { compiledQuery, param, type ExecuteOptions, type ParameterValue } from './types.js';
import type { QueryExecutor } from './warehouse.js';

/** `CREATE SCHEMA IF NOT EXISTS` for the target's ops schema. */
export async function ensureOpsSchema(executor: QueryExecutor): Promise<void> {
  const { catalog, schema } = executor.layout.ops;
  await executor.query(executor.adapter.createCatalogSql(catalog));
  await executor.query(executor.adapter.createSchemaSql(catalog, schema));
}

/** The quoted three-part name of an ops table, e.g. `"ops"."ops"."custom_metrics"`. */
export function opsTable(executor: QueryExecutor, table: string): string {
  const { catalog, schema } = executor.layout.ops;
  return executor.adapter.quoteQualified([catalog, schema, table]);
}

/**
 * Whether an ops table exists yet (`system.information_schema`, which both engines have), for
 * readers that must not create what they read: a missing table means "nothing recorded yet".
 */
export async function opsTableExists(executor: QueryExecutor, table: string, options: ExecuteOptions = {}): Promise<boolean> {
  const { catalog, schema } = executor.layout.ops;
  const { rows } = await executor.query(
    compiledQuery('SELECT 1 AS x FROM system.information_schema.tables WHERE table_catalog = :c AND table_schema = :s AND table_name = :t', { c: catalog, s: schema, t: table }),
    options,
  );
  return rows.length > 0;
}

/**
 * A {@link MetricsSink} writing to `<ops>.custom_metrics` (name, value, tags as JSON text,
 * recorded_at), created on first use. One INSERT with named parameters per publish.
 */
export function metricsSink(executor: QueryExecutor): MetricsSink {
  return {
    async writeMetrics(points: readonly MetricPoint[]): Promise<void> {
      if (points.length === 0) return;
      await ensureOpsSchema(executor);
      const a = executor.adapter;
      const table = opsTable(executor, 'custom_metrics');
      await executor.query(
        `CREATE TABLE IF NOT EXISTS ${table} (name ${a.typeName('string')}, value ${a.typeName('double')}, tags ${a.typeName('string')}, recorded_at ${a.typeName('timestamp')})`,
      );
      const params: Record<string, ParameterValue> = {};
      const rows = points.map((p, i) => {
        params[`n${i}`] = p.name;
        params[`v${i}`] = p.value;
        params[`t${i}`] = JSON.stringify(p.tags);
        params[`r${i}`] = param.timestamp(p.recordedAt);
        return `(:n${i}, CAST(:v${i} AS ${a.typeName('double')}), :t${i}, :r${i})`;
      });
      await executor.query(compiledQuery(`INSERT INTO ${table} (name, value, tags, recorded_at) VALUES ${rows.join(', ')}`, params));
    },
  };
}
