import type { DialectAdapter, DialectName } from './adapter.js';
import type { CompiledQuery, ExecuteOptions, QueryResult, Row, StreamOptions } from './types.js';

/**
 * Runs compiled SQL. One statement per call: scripts are split by the {@link Warehouse}.
 * Implementations cancel the running statement on the engine when `signal` aborts and then
 * reject with `WarehouseError('QUERY_CANCELLED')`.
 */
export interface WarehouseConnection {
  executeQuery<R = Row>(query: CompiledQuery, options?: ExecuteOptions): Promise<QueryResult<R>>;
  /** Yields batches of about `chunkSize` rows; only one batch is held in memory at a time. */
  streamQuery<R = Row>(query: CompiledQuery, options?: StreamOptions): AsyncIterableIterator<R[]>;
}

/** Owns connections and their lifetime. */
export interface WarehouseDriver {
  /** Opens files / sessions. Called once before the first connection is acquired. */
  init(): Promise<void>;
  acquireConnection(): Promise<WarehouseConnection>;
  releaseConnection(connection: WarehouseConnection): Promise<void>;
  /** Closes everything; later calls fail with `WarehouseError('CLOSED')`. */
  destroy(): Promise<void>;
}

/** A factory for one engine: its adapter (pure) and its driver (SDK-backed). */
export interface WarehouseDialect {
  readonly name: DialectName;
  createAdapter(): DialectAdapter;
  createDriver(): WarehouseDriver;
}
