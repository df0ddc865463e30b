/**
 * Failure handling of the registry and serving on DuckDB: which registry errors mean "no model",
 * what callers see when the duplicate search fails, and clearing the model cache.
 */
import type { Logger } from '@odoo-ce/common';
import { Warehouse, WarehouseError, type QueryExecutor } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trainAnomalyModel, type ExpenseRecord } from '../anomaly/detector.js';
import { MlError } from '../errors.js';
import { MODEL_NAMES } from '../models.js';
import { isMissingTableError, loadModelVersion, promoteIfBetter, recordEvaluation, registerModel } from '../registry/registry.js';
import { clearModelCache, DUPLICATE_CHECK_UNAVAILABLE, productionModel, scoreTransaction } from './serve.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];

/** The warehouse's own adapter and layout, but every query fails with `error` (an expired token, a timeout …). */
function failingExecutor(warehouse: Warehouse, error: Error): QueryExecutor {
  return {
    adapter: warehouse.adapter,
    layout: warehouse.layout,
    query: () => Promise.reject(error),
    stream: () => { throw error; },
    executeScript: () => Promise.reject(error),
    render: (template, params, source) => warehouse.render(template, params, source),
  };
}

async function register(warehouse: Warehouse, name: string, artifact: unknown, value: number): Promise<number> {
  const version = await registerModel(warehouse, { name, params: {}, metrics: {}, trainingRunId: `run-${value}`, artifact, promotionMetric: 'window_end_day' });
  await recordEvaluation(warehouse, name, version, {}, value);
  await promoteIfBetter(warehouse, name, version, { name: 'window_end_day', higherIsBetter: true });
  return version;
}

const expenses: ExpenseRecord[] = Array.from({ length: 30 }, (_, i) => ({
  id: `e${i}`, agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: 800 + ((i * 37) % 90), date: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
}));

describe('registry and serving failures (DuckDB)', () => {
  let warehouse: Warehouse;
  beforeEach(() => {
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: CATALOGS }));
  });
  afterEach(async () => warehouse.close());

  it('answers NO_MODEL naming the logical registry table when the registry does not exist', async () => {
    const error = await loadModelVersion(warehouse, 'bir_monthly_forecast').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlError);
    expect(error).toMatchObject({ code: 'NO_MODEL' });
    expect((error as MlError).message).toBe('no model "bir_monthly_forecast" is registered (the registry platinum.models.registry does not exist yet: run the ml_training job)');
  });

  it('passes auth, connection and timeout failures through instead of calling them NO_MODEL', async () => {
    for (const code of ['AUTH_FAILED', 'CONNECTION_FAILED', 'QUERY_TIMEOUT'] as const) {
      const failure = new WarehouseError(code, `simulated ${code}`);
      const error = await loadModelVersion(failingExecutor(warehouse, failure), 'bir_monthly_forecast').catch((e: unknown) => e);
      expect(error).toBe(failure);
    }
    // A permission error on an existing table is a QUERY_FAILED too, but not a missing table.
    const denied = new WarehouseError('QUERY_FAILED', '[INSUFFICIENT_PERMISSIONS] User does not have SELECT on Table platinum.models.registry', { data: { sqlState: '42501' } });
    await expect(loadModelVersion(failingExecutor(warehouse, denied), 'bir_monthly_forecast')).rejects.toBe(denied);
  });

  it('recognises missing tables, schemas and catalogs on both engines', () => {
    expect(isMissingTableError(new WarehouseError('QUERY_FAILED', 'Catalog Error: Table with name registry does not exist!'))).toBe(true);
    expect(isMissingTableError(new WarehouseError('QUERY_FAILED', '[TABLE_OR_VIEW_NOT_FOUND] The table or view `platinum`.`models`.`registry` cannot be found.'))).toBe(true);
    expect(isMissingTableError(new WarehouseError('QUERY_FAILED', 'something else', { data: { sqlState: '3F000' } }))).toBe(true);
    expect(isMissingTableError(new WarehouseError('QUERY_TIMEOUT', 'Table with name registry does not exist'))).toBe(false);
    expect(isMissingTableError(new Error('Table with name registry does not exist'))).toBe(false);
  });

  it('returns a fixed note when the duplicate search fails, and logs the cause', async () => {
    // An anomaly model in production, but no gold.ml_features.expense_prediction to search.
    await register(warehouse, MODEL_NAMES.anomaly, trainAnomalyModel(expenses, { seed: 1 }), 1);
    const logged: { obj: Record<string, unknown>; msg: string }[] = [];
    const logger = { warn: (obj: Record<string, unknown>, msg: string) => void logged.push({ obj, msg }) } as unknown as Logger;
    const score = await scoreTransaction(warehouse, { agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: '820.00', date: '2025-01-03' }, { logger });
    expect(score.notes).toContain(DUPLICATE_CHECK_UNAVAILABLE);
    expect(score.notes.join(' ')).not.toMatch(/expense_prediction|Catalog Error|does not exist/);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.msg).toBe(DUPLICATE_CHECK_UNAVAILABLE);
    expect(String(logged[0]?.obj['error'])).toMatch(/expense_prediction/);
    clearModelCache(warehouse);
  });

  it('clearModelCache() without an argument forgets the models of every warehouse', async () => {
    const model = trainAnomalyModel(expenses, { seed: 1 });
    await register(warehouse, MODEL_NAMES.anomaly, model, 1);
    expect((await productionModel(warehouse, MODEL_NAMES.anomaly)).version).toBe(1);
    await register(warehouse, MODEL_NAMES.anomaly, model, 2);
    // Still cached within the TTL …
    expect((await productionModel(warehouse, MODEL_NAMES.anomaly)).version).toBe(1);
    clearModelCache();
    // … until the whole cache is cleared.
    expect((await productionModel(warehouse, MODEL_NAMES.anomaly)).version).toBe(2);
    clearModelCache(warehouse);
  });
});
