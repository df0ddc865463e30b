import type { DialectAdapter } from './adapter.js';
import type { WarehouseConnection, WarehouseDialect, WarehouseDriver } from './dialect.js';
import { WarehouseError } from './errors.js';
import { DEFAULT_LAYOUT, type CatalogLayout } from './layout.js';
import { findParameterMarkers, splitStatements } from './sql-scan.js';
import { renderSql } from './template.js';
import {
  compiledQuery,
  type CompiledQuery,
  type ExecuteOptions,
  type ParameterValue,
  type QueryResult,
  type Row,
  type StreamOptions,
} from './types.js';

/** Where a script came from, for error messages. */
export interface ScriptOptions extends ExecuteOptions {
  readonly file?: string;
  readonly params?: Readonly<Record<string, ParameterValue>>;
}

/** The part of a {@link Warehouse} usable inside a transaction. */
export interface QueryExecutor {
  readonly adapter: DialectAdapter;
  readonly layout: CatalogLayout;
  query<R = Row>(query: CompiledQuery | string, options?: ExecuteOptions): Promise<QueryResult<R>>;
  stream<R = Row>(query: CompiledQuery | string, options?: StreamOptions): AsyncIterableIterator<R[]>;
  executeScript(script: string, options?: ScriptOptions): Promise<QueryResult[]>;
  render(template: string, params?: Readonly<Record<string, ParameterValue>>, source?: string): CompiledQuery;
}

/**
 * The one interface every pipeline, DQ check, model and tool talks to, whatever the engine.
 *
 * @example
 * const wh = new Warehouse(duckDbDialect({ dataDir: '.data/local' }));
 * const { rows } = await wh.query(compiledQuery('select :x as x', { x: 42 }));
 * await wh.close();
 */
export class Warehouse implements QueryExecutor {
  readonly adapter: DialectAdapter;
  readonly layout: CatalogLayout;
  readonly #driver: WarehouseDriver;
  #init: Promise<void> | undefined;
  #closed = false;

  constructor(
    readonly dialect: WarehouseDialect,
    options: { readonly layout?: CatalogLayout } = {},
  ) {
    this.adapter = dialect.createAdapter();
    this.layout = options.layout ?? DEFAULT_LAYOUT;
    this.#driver = dialect.createDriver();
  }

  /** Opens the engine (single-flight); every other method calls it first. */
  async init(): Promise<void> {
    if (this.#closed) throw new WarehouseError('CLOSED', 'the warehouse has been closed');
    this.#init ??= this.#driver.init();
    await this.#init;
  }

  async query<R = Row>(query: CompiledQuery | string, options: ExecuteOptions = {}): Promise<QueryResult<R>> {
    return this.#withConnection((c) => runQuery<R>(c, toQuery(query), options));
  }

  async *stream<R = Row>(query: CompiledQuery | string, options: StreamOptions = {}): AsyncIterableIterator<R[]> {
    await this.init();
    const connection = await this.#driver.acquireConnection();
    try {
      yield* streamWithTimeout<R>(connection, toQuery(query), options);
    } finally {
      await this.#driver.releaseConnection(connection);
    }
  }

  async executeScript(script: string, options: ScriptOptions = {}): Promise<QueryResult[]> {
    return this.#withConnection((c) => runScript(c, this, script, options));
  }

  render(template: string, params: Readonly<Record<string, ParameterValue>> = {}, source?: string): CompiledQuery {
    return renderSql(template, { layout: this.layout, adapter: this.adapter, params, ...(source ? { source } : {}) });
  }

  /**
   * Runs `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
   * throws. Engines without multi-statement transactions (Databricks SQL) reject with NOT_SUPPORTED;
   * write idempotent tasks (MERGE, replace-by-partition) for those.
   */
  async transaction<T>(fn: (tx: QueryExecutor) => Promise<T>): Promise<T> {
    if (!this.adapter.supportsTransactions) {
      throw new WarehouseError('NOT_SUPPORTED', `${this.adapter.dialect} does not support multi-statement transactions`);
    }
    return this.#withConnection(async (connection) => {
      await connection.executeQuery(compiledQuery('BEGIN TRANSACTION'));
      const tx: QueryExecutor = {
        adapter: this.adapter,
        layout: this.layout,
        query: (q, o = {}) => runQuery(connection, toQuery(q), o),
        stream: (q, o = {}) => streamWithTimeout(connection, toQuery(q), o),
        executeScript: (s, o = {}) => runScript(connection, tx, s, o),
        render: (t, p, s) => this.render(t, p, s),
      };
      try {
        const result = await fn(tx);
        await connection.executeQuery(compiledQuery('COMMIT'));
        return result;
      } catch (error) {
        await connection.executeQuery(compiledQuery('ROLLBACK')).catch(() => undefined);
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#init) {
      await this.#init.catch(() => undefined);
      await this.#driver.destroy();
    }
  }

  async #withConnection<T>(fn: (c: WarehouseConnection) => Promise<T>): Promise<T> {
    await this.init();
    const connection = await this.#driver.acquireConnection();
    try {
      return await fn(connection);
    } finally {
      await this.#driver.releaseConnection(connection);
    }
  }
}

function toQuery(query: CompiledQuery | string): CompiledQuery {
  return typeof query === 'string' ? compiledQuery(query) : query;
}

/** Combines the caller's signal with a timeout; `timedOut()` tells which one fired. */
function deadline(options: ExecuteOptions): { signal: AbortSignal | undefined; timedOut: () => boolean } {
  if (options.timeoutMs === undefined) return { signal: options.signal, timedOut: () => false };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  return { signal, timedOut: () => timeout.aborted && !options.signal?.aborted };
}

function timeoutError(options: ExecuteOptions, cause: unknown): WarehouseError {
  return new WarehouseError('QUERY_TIMEOUT', `query cancelled after the ${options.timeoutMs} ms timeout`, {
    cause,
    data: { timeoutMs: options.timeoutMs },
  });
}

async function runQuery<R>(connection: WarehouseConnection, query: CompiledQuery, options: ExecuteOptions): Promise<QueryResult<R>> {
  const { signal, timedOut } = deadline(options);
  try {
    return await connection.executeQuery<R>(query, signal ? { signal } : {});
  } catch (error) {
    if (timedOut()) throw timeoutError(options, error);
    throw error;
  }
}

async function* streamWithTimeout<R>(connection: WarehouseConnection, query: CompiledQuery, options: StreamOptions): AsyncIterableIterator<R[]> {
  const { signal, timedOut } = deadline(options);
  try {
    yield* connection.streamQuery<R>(query, { ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}), ...(signal ? { signal } : {}) });
  } catch (error) {
    if (timedOut()) throw timeoutError(options, error);
    throw error;
  }
}

async function runScript(connection: WarehouseConnection, executor: QueryExecutor, script: string, options: ScriptOptions): Promise<QueryResult[]> {
  const results: QueryResult[] = [];
  // Render the whole script first so every template problem is reported at once, before any statement runs.
  const rendered = executor.render(script, options.params ?? {}, options.file);
  const statements = splitStatements(rendered.sql);
  for (const [index, statement] of statements.entries()) {
    const names = new Set(findParameterMarkers(statement.sql).map((m) => m.name));
    const params = Object.fromEntries(Object.entries(rendered.parameters).filter(([name]) => names.has(name)));
    const query = compiledQuery(statement.sql, params);
    try {
      results.push(await runQuery(connection, query, options));
    } catch (error) {
      if (error instanceof WarehouseError && error.code !== 'QUERY_FAILED') throw error;
      const where = `${options.file ?? 'script'}:${statement.line} (statement ${index + 1} of ${statements.length})`;
      const message = error instanceof Error ? error.message : String(error);
      throw new WarehouseError('QUERY_FAILED', `${where}: ${message}`, {
        cause: error,
        data: { ...(error instanceof WarehouseError ? error.data : {}), file: options.file, line: statement.line, statement: index + 1 },
      });
    }
  }
  return results;
}
