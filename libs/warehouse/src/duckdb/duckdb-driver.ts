import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { retry } from '@odoo-ce/common';
import { DuckDBInstance, StatementType, type DuckDBConnection, type DuckDBResult, type DuckDBValue } from '@duckdb/node-api';
import type { DialectAdapter } from '../core/adapter.js';
import { DuckDbAdapter } from '../core/adapter.js';
import type { WarehouseConnection, WarehouseDialect, WarehouseDriver } from '../core/dialect.js';
import { WarehouseError } from '../core/errors.js';
import type { ColumnInfo, CompiledQuery, ExecuteOptions, QueryResult, StreamOptions } from '../core/types.js';
import { canonicalValue, duckDbStatement } from './values.js';
import { tableFunctionAsMacro } from './table-function.js';

export interface DuckDbConfig {
  /**
   * Directory holding one `<catalog>.duckdb` file per catalog, or `':memory:'` for throwaway
   * in-memory catalogs (tests). Every `*.duckdb` file found there is attached at start.
   */
  readonly dataDir: string;
  /** Catalogs created (attached) at start if missing, e.g. the target layout's catalogs. */
  readonly catalogs?: readonly string[];
  /** DuckDB threads (default: DuckDB's own, the number of cores). */
  readonly threads?: number;
  /** DuckDB's `memory_limit` (e.g. `1GB`); beyond it work spills to `<dataDir>/.tmp`. */
  readonly memoryLimit?: string;
}

/**
 * The embedded engine: one in-memory DuckDB instance per data directory, with each catalog a
 * database file ATTACHed under its Unity Catalog name, so `bronze.scout.transactions` resolves
 * here as it does on Databricks.
 */
export function duckDbDialect(config: DuckDbConfig): WarehouseDialect {
  return {
    name: 'duckdb',
    createAdapter: (): DialectAdapter => new DuckDbAdapter(),
    createDriver: (): WarehouseDriver => new DuckDbDriver(config),
  };
}

const CATALOG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `CREATE CATALOG [IF NOT EXISTS] name [COMMENT '…']` — Unity Catalog syntax DuckDB lacks; becomes an ATTACH. */
const CREATE_CATALOG = /^\s*CREATE\s+CATALOG\s+(IF\s+NOT\s+EXISTS\s+)?([`"]?)([A-Za-z_][A-Za-z0-9_]*)\2(\s+COMMENT\s+'(?:[^'\\]|\\.|'')*')?\s*;?\s*$/i;

/** Instances shared per data directory: DuckDB locks its files, so two instances on one dir would conflict. */
const instances = new Map<string, { instance: Promise<DuckDBInstance>; refs: number; attached: Set<string> }>();

export class DuckDbDriver implements WarehouseDriver {
  readonly #config: DuckDbConfig;
  readonly #key: string;
  readonly #idle: DuckDBConnection[] = [];
  readonly #open = new Set<DuckDBConnection>();
  #instance: DuckDBInstance | undefined;
  #destroyed = false;

  constructor(config: DuckDbConfig) {
    this.#config = config;
    this.#key = config.dataDir === ':memory:' ? `:memory:${Math.random()}` : resolve(config.dataDir);
  }

  async init(): Promise<void> {
    let entry = instances.get(this.#key);
    if (!entry) {
      const options: Record<string, string> = {};
      if (this.#config.threads) options['threads'] = String(this.#config.threads);
      if (this.#config.memoryLimit) options['memory_limit'] = this.#config.memoryLimit;
      // Spill files (larger-than-memory work) go under the data directory, not the process's cwd.
      if (this.#config.dataDir !== ':memory:') options['temp_directory'] = join(this.#key, '.tmp');
      entry = { instance: DuckDBInstance.create(':memory:', options), refs: 0, attached: new Set() };
      instances.set(this.#key, entry);
    }
    entry.refs++;
    try {
      this.#instance = await entry.instance;
    } catch (error) {
      throw new WarehouseError('CONNECTION_FAILED', `cannot start DuckDB: ${(error as Error).message}`, { cause: error });
    }
    const wanted = new Set(this.#config.catalogs ?? []);
    if (this.#config.dataDir !== ':memory:') {
      try {
        mkdirSync(this.#config.dataDir, { recursive: true });
      } catch (error) {
        throw new WarehouseError('CONNECTION_FAILED', `cannot create the data directory ${this.#config.dataDir}: ${(error as Error).message}`, { cause: error });
      }
      for (const file of readdirSync(this.#config.dataDir)) {
        const name = file.endsWith('.duckdb') ? file.slice(0, -'.duckdb'.length) : '';
        if (CATALOG_NAME.test(name)) wanted.add(name);
      }
    }
    const connection = await this.#instance.connect();
    try {
      for (const catalog of wanted) await this.#attach(connection, catalog);
    } finally {
      connection.closeSync();
    }
  }

  /** Attaches `<dataDir>/<name>.duckdb` (creating it) as catalog `name`, once per instance. */
  async #attach(connection: DuckDBConnection, name: string): Promise<void> {
    const entry = instances.get(this.#key);
    if (!entry || entry.attached.has(name)) return;
    if (!CATALOG_NAME.test(name) || name.toLowerCase() === 'main' || name.toLowerCase() === 'system' || name.toLowerCase() === 'temp') {
      throw new WarehouseError('INVALID_IDENTIFIER', `catalog name "${name}" must be a plain identifier and not main/system/temp`);
    }
    const path = this.#config.dataDir === ':memory:' ? ':memory:' : join(this.#config.dataDir, `${name}.duckdb`);
    try {
      await connection.run(`ATTACH IF NOT EXISTS '${path.replace(/'/g, "''")}' AS "${name}"`);
    } catch (error) {
      throw new WarehouseError('CONNECTION_FAILED', `cannot attach catalog ${name} (${path}): ${(error as Error).message}`, { cause: error });
    }
    entry.attached.add(name);
  }

  async acquireConnection(): Promise<WarehouseConnection> {
    if (this.#destroyed || !this.#instance) throw new WarehouseError('CLOSED', 'the DuckDB driver is closed');
    const raw = this.#idle.pop() ?? (await this.#instance.connect());
    this.#open.add(raw);
    return new DuckDbConnection(raw, (c, name) => this.#attach(c, name));
  }

  async releaseConnection(connection: WarehouseConnection): Promise<void> {
    if (!(connection instanceof DuckDbConnection)) return;
    this.#open.delete(connection.raw);
    if (this.#destroyed) connection.raw.closeSync();
    else this.#idle.push(connection.raw);
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const c of [...this.#idle, ...this.#open]) c.closeSync();
    this.#idle.length = 0;
    const entry = instances.get(this.#key);
    if (entry && --entry.refs === 0) {
      instances.delete(this.#key);
      this.#instance?.closeSync();
    }
  }
}

const DML = new Set<StatementType>([StatementType.INSERT, StatementType.UPDATE, StatementType.DELETE, StatementType.MERGE_INTO]);

/**
 * DuckDB's optimistic concurrency: two connections creating the same schema (or writing the same
 * table) at once make the later commit fail with a conflict. A single auto-committed statement is
 * safe to run again; statements inside an explicit transaction are not retried (the caller's
 * transaction as a whole would have to be).
 */
const CONFLICT = /write-write conflict|Transaction conflict|Conflict on (tuple|update)/i;

export class DuckDbConnection implements WarehouseConnection {
  #inTransaction = false;

  constructor(
    readonly raw: DuckDBConnection,
    private readonly attach: (c: DuckDBConnection, name: string) => Promise<void>,
  ) {}

  async executeQuery<R>(query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult<R>> {
    const createCatalog = CREATE_CATALOG.exec(query.sql);
    if (createCatalog) {
      await this.attach(this.raw, createCatalog[3] as string);
      return { columns: [], rows: [] };
    }
    const macro = tableFunctionAsMacro(query.sql);
    if (macro) query = { ...query, sql: macro };
    const statement = query.sql.trimStart().slice(0, 20).toUpperCase();
    const run = () =>
      this.#guard(options.signal, async () => {
        const result = await this.#start(query, false);
        const columns = columnsOf(result);
        const rows = (await result.convertRowObjects(canonicalValue)) as R[];
        if (DML.has(result.statementType)) return { columns: [], rows: [], numAffectedRows: BigInt(result.rowsChanged) };
        return { columns, rows };
      });
    const result = this.#inTransaction
      ? await run()
      : await retry(run, {
          maxAttempts: 8,
          baseDelayMs: 10,
          maxDelayMs: 500,
          isRetryable: (e) => e instanceof WarehouseError && e.code === 'QUERY_FAILED' && CONFLICT.test(e.message),
          ...(options.signal ? { signal: options.signal } : {}),
        });
    if (statement.startsWith('BEGIN')) this.#inTransaction = true;
    else if (statement.startsWith('COMMIT') || statement.startsWith('ROLLBACK') || statement.startsWith('END')) this.#inTransaction = false;
    return result;
  }

  async *streamQuery<R>(query: CompiledQuery, options: StreamOptions = {}): AsyncIterableIterator<R[]> {
    const chunkSize = options.chunkSize ?? 10_000;
    const result = await this.#guard(options.signal, () => this.#start(query, true));
    let batch: R[] = [];
    for (;;) {
      const chunk = await this.#guard(options.signal, () => result.fetchChunk());
      if (!chunk || chunk.rowCount === 0) break;
      const names = result.deduplicatedColumnNames();
      const types = result.columnTypes();
      for (const values of chunk.getRows()) {
        const row: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) {
          const v = values[i] as DuckDBValue;
          row[names[i] as string] = v === null ? null : canonicalValue(v, types[i] as never, canonicalValue);
        }
        batch.push(row as R);
      }
      if (batch.length >= chunkSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async #start(query: CompiledQuery, stream: boolean): Promise<DuckDBResult> {
    const { sql, values } = duckDbStatement(query);
    return stream ? this.raw.stream(sql, values) : this.raw.run(sql, values);
  }

  /** Runs `fn`, interrupting the statement on the engine if `signal` aborts; maps engine errors. */
  async #guard<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    if (signal?.aborted) throw cancelled(signal);
    const onAbort = () => this.raw.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn();
    } catch (error) {
      if (signal?.aborted) throw cancelled(signal, error);
      if (error instanceof WarehouseError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new WarehouseError('QUERY_FAILED', message, { cause: error, data: { engine: 'duckdb' } });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function cancelled(signal: AbortSignal, cause?: unknown): WarehouseError {
  return new WarehouseError('QUERY_CANCELLED', 'query cancelled', { cause: cause ?? signal.reason });
}

function columnsOf(result: DuckDBResult): ColumnInfo[] {
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  return names.map((name, i) => ({ name, type: String(types[i]) }));
}
