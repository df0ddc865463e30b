import { readFileSync } from 'node:fs';
import { DBSQLClient, type DBSQLParameter } from '@databricks/sql';
import { DatabricksAdapter, type DialectAdapter } from '../core/adapter.js';
import type { WarehouseConnection, WarehouseDialect, WarehouseDriver } from '../core/dialect.js';
import { WarehouseError } from '../core/errors.js';
import type { CompiledQuery, ExecuteOptions, QueryResult, StreamOptions } from '../core/types.js';
import { isInvalidSession, warehouseErrorFrom, type FailurePhase } from './errors.js';
import { affectedRows, namedParameters, resultShape, type DriverParameterValue, type ResultSchema } from './values.js';

/** Credentials: a personal access token, or a service principal's OAuth machine-to-machine secret. */
export type DatabricksAuth =
  | { readonly kind: 'pat'; readonly token: string }
  | { readonly kind: 'oauth-m2m'; readonly clientId: string; readonly clientSecret: string };

/** Where and how to reach a Databricks SQL warehouse. */
export interface DatabricksConfig {
  /** Workspace hostname, without scheme: `adb-123.4.azuredatabricks.net` (`https://…` is tolerated). */
  readonly host: string;
  /** Default 443. */
  readonly port?: number;
  /** The warehouse's HTTP path: `/sql/1.0/warehouses/abc123`. */
  readonly httpPath: string;
  readonly auth: DatabricksAuth;
  /** Initial catalog and schema of the session (`USE CATALOG` / `USE SCHEMA`). */
  readonly catalog?: string;
  readonly schema?: string;
  /** Extra CA certificate (PEM) to trust on top of the system roots, e.g. the local endpoint's. */
  readonly caCertPem?: string;
  /** The same, read from a file. */
  readonly caCertFile?: string;
  /** Verify the server certificate (default true). Turn off only for a trusted local endpoint. */
  readonly checkServerCertificate?: boolean;
}

/**
 * Databricks SQL through the official `@databricks/sql` driver (Thrift over HTTPS).
 *
 * @example
 * const wh = new Warehouse(databricksDialect({
 *   host: 'adb-123.4.azuredatabricks.net', httpPath: '/sql/1.0/warehouses/abc',
 *   auth: { kind: 'pat', token: process.env.DATABRICKS_TOKEN! }, catalog: 'bronze',
 * }));
 */
export function databricksDialect(config: DatabricksConfig): WarehouseDialect {
  const normalized = normalizeDatabricksConfig(config);
  return {
    name: 'databricks',
    createAdapter: (): DialectAdapter => new DatabricksAdapter(),
    createDriver: (): WarehouseDriver => new DatabricksDriver(normalized),
  };
}

function invalid(field: string, value: string, expected: string): WarehouseError {
  return new WarehouseError('CONNECTION_FAILED', `Databricks config: ${field} ${value} — expected ${expected}`, { data: { field } });
}

/** Checks a config once and freezes it; each problem names the field, the value and what was expected. */
export function normalizeDatabricksConfig(config: DatabricksConfig): Readonly<DatabricksConfig> {
  const host = config.host.trim().replace(/^https:\/\//i, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.-]+$/.test(host)) {
    throw invalid('host', JSON.stringify(config.host), 'the workspace hostname only, e.g. adb-123.4.azuredatabricks.net (no path, no port)');
  }
  if (config.port !== undefined && !(Number.isInteger(config.port) && config.port > 0 && config.port < 65536)) {
    throw invalid('port', String(config.port), 'an integer between 1 and 65535');
  }
  if (!config.httpPath.startsWith('/')) throw invalid('httpPath', JSON.stringify(config.httpPath), 'a path such as /sql/1.0/warehouses/abc123');
  if (config.auth.kind === 'pat' && config.auth.token.length === 0) throw invalid('auth.token', '(empty)', 'a personal access token');
  if (config.auth.kind === 'oauth-m2m' && (config.auth.clientId.length === 0 || config.auth.clientSecret.length === 0)) {
    throw invalid('auth.clientId/clientSecret', '(empty)', 'a service principal client id and secret');
  }
  if (config.caCertPem !== undefined && config.caCertFile !== undefined) throw invalid('caCertPem/caCertFile', '(both set)', 'at most one of them');
  return Object.freeze({ ...config, host, auth: Object.freeze({ ...config.auth }) });
}

/** The driver objects used here, as structural subsets of `IDBSQLSession` / `IOperation`. */
interface SqlOperation {
  fetchChunk(options: { maxRows: number; disableBuffering: boolean }): Promise<object[]>;
  hasMoreRows(): Promise<boolean>;
  finished(): Promise<void>;
  getSchema(): Promise<ResultSchema | null>;
  cancel(): Promise<unknown>;
  close(): Promise<unknown>;
}

interface SqlSession {
  executeStatement(
    statement: string,
    options: { namedParameters?: Record<string, DBSQLParameter | DriverParameterValue>; maxRows?: number },
  ): Promise<SqlOperation>;
  close(): Promise<unknown>;
}

/** The driver logs through this; nothing is written (messages may hold SQL text). */
const SILENT_LOGGER = { log: (): void => undefined };

/** Rows per FetchResults round trip when a whole result is read (the driver's default is 100,000). */
const FETCH_ROWS = 250_000;

/** How long destroy() waits for the session and client to close before giving up on them. */
const CLOSE_WAIT_MS = 5_000;

/**
 * One lazily opened session per driver, shared by every connection (a SQL warehouse runs
 * statements of one session concurrently). Opening is single-flight; a failed open is
 * forgotten, so the next statement tries again. A session the server no longer knows is
 * dropped and reopened on the next statement.
 */
export class DatabricksDriver implements WarehouseDriver {
  readonly #config: Readonly<DatabricksConfig>;
  readonly #secrets: readonly string[];
  #opening: Promise<{ client: DBSQLClient; session: SqlSession }> | undefined;
  #destroyed = false;

  constructor(config: Readonly<DatabricksConfig>) {
    this.#config = config;
    this.#secrets = config.auth.kind === 'pat' ? [config.auth.token] : [config.auth.clientSecret];
  }

  /** Nothing to open yet: the session opens with the first statement. */
  async init(): Promise<void> {
    if (this.#destroyed) throw new WarehouseError('CLOSED', 'the Databricks driver is closed');
  }

  async acquireConnection(): Promise<WarehouseConnection> {
    if (this.#destroyed) throw new WarehouseError('CLOSED', 'the Databricks driver is closed');
    return new DatabricksConnection(this);
  }

  /** Connections are views on the shared session: nothing to give back. */
  async releaseConnection(): Promise<void> {
    return undefined;
  }

  /** The shared session, opening it on first use. */
  async session(): Promise<SqlSession> {
    if (this.#destroyed) throw new WarehouseError('CLOSED', 'the Databricks driver is closed');
    const opening = (this.#opening ??= this.#open());
    try {
      return (await opening).session;
    } catch (error) {
      if (this.#opening === opening) this.#opening = undefined;
      throw error;
    }
  }

  /** Maps a driver failure, and forgets the session when the server says it is gone. */
  failure(error: unknown, phase: FailurePhase): WarehouseError {
    if (isInvalidSession(error)) this.#opening = undefined;
    return warehouseErrorFrom(error, phase, this.#secrets);
  }

  async #open(): Promise<{ client: DBSQLClient; session: SqlSession }> {
    const c = this.#config;
    const client = new DBSQLClient({ logger: SILENT_LOGGER });
    try {
      const ca = c.caCertPem ?? (c.caCertFile ? readFileSync(c.caCertFile, 'utf8') : undefined);
      const auth =
        c.auth.kind === 'pat'
          ? { token: c.auth.token }
          : { authType: 'databricks-oauth' as const, oauthClientId: c.auth.clientId, oauthClientSecret: c.auth.clientSecret };
      await client.connect({
        host: c.host,
        ...(c.port ? { port: c.port } : {}),
        path: c.httpPath,
        ...auth,
        ...(ca ? { customCaCert: ca } : {}),
        ...(c.checkServerCertificate === false ? { checkServerCertificate: false } : {}),
        // BIGINT → bigint, DECIMAL → exact string (Arrow results; a real warehouse always sends Arrow or CloudFetch).
        preserveBigNumericPrecision: true,
        telemetryEnabled: false,
        userAgentEntry: 'odoo-ce-warehouse',
      });
      const session = (await client.openSession({
        ...(c.catalog ? { initialCatalog: c.catalog } : {}),
        ...(c.schema ? { initialSchema: c.schema } : {}),
      })) as unknown as SqlSession;
      return { client, session };
    } catch (error) {
      void client.close().catch(() => undefined);
      throw warehouseErrorFrom(error, 'connect', this.#secrets);
    }
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    const opening = this.#opening;
    this.#opening = undefined;
    if (!opening) return;
    const closeAll = opening.then(
      async ({ client, session }) => {
        await session.close().catch(() => undefined);
        await client.close().catch(() => undefined);
      },
      () => undefined,
    );
    // A dead network must not hang shutdown: wait a bounded time, then let the sockets go.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closeAll, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS).unref()))]);
    clearTimeout(timer);
  }
}

function cancelled(signal: AbortSignal): WarehouseError {
  return new WarehouseError('QUERY_CANCELLED', 'query cancelled', { cause: signal.reason, data: { engine: 'databricks' } });
}

/** Cancels on the warehouse; never awaited on the failure path (a dead network must not hang it). */
function cancelQuietly(operation: SqlOperation): void {
  void operation.cancel().catch(() => undefined);
}

/**
 * Waits for `work` unless `signal` aborts first: then `onAbort` runs, the wait rejects with
 * QUERY_CANCELLED at once, and a result that arrives later is handed to `late`.
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void, late?: (value: T) => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    let abandoned = false;
    const abort = () => {
      abandoned = true;
      onAbort();
      reject(cancelled(signal));
    };
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        if (abandoned) late?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        if (!abandoned) reject(error);
      },
    );
  });
}

/** Runs statements on the driver's session. One statement per call (the warehouse rejects scripts). */
export class DatabricksConnection implements WarehouseConnection {
  readonly #driver: DatabricksDriver;

  constructor(driver: DatabricksDriver) {
    this.#driver = driver;
  }

  async executeQuery<R>(query: CompiledQuery, options: ExecuteOptions = {}): Promise<QueryResult<R>> {
    const { signal } = options;
    const operation = await this.#start(query, signal, FETCH_ROWS);
    const guard = <T>(work: Promise<T>) => abortable(work, signal, () => cancelQuietly(operation));
    try {
      // finished() first: with hasResultSet=false the driver's fetchChunk() returns [] without waiting for the state.
      await guard(operation.finished());
      // The driver's fetchAll() pages by 100k rows and joins with Array#flat, slow on millions of rows.
      const chunks: object[][] = [];
      do chunks.push(await guard(operation.fetchChunk({ maxRows: FETCH_ROWS, disableBuffering: true })));
      while (await guard(operation.hasMoreRows()));
      const rows = chunks.length === 1 ? (chunks[0] as object[]) : ([] as object[]).concat(...chunks);
      const shape = resultShape(await guard(operation.getSchema()));
      await operation.close().catch(() => undefined);
      const numAffectedRows = affectedRows(query.sql, shape.columns, rows);
      if (numAffectedRows !== undefined) return { columns: [], rows: [], numAffectedRows };
      return { columns: shape.columns, rows: shape.normalise<R>(rows) };
    } catch (error) {
      void operation.close().catch(() => undefined);
      throw this.#driver.failure(error, 'query');
    }
  }

  async *streamQuery<R>(query: CompiledQuery, options: StreamOptions = {}): AsyncIterableIterator<R[]> {
    const { signal } = options;
    const chunkSize = Math.max(1, options.chunkSize ?? 10_000);
    // maxRows also bounds the rows that come back inline with ExecuteStatement.
    const operation = await this.#start(query, signal, chunkSize);
    const guard = <T>(work: Promise<T>) => abortable(work, signal, () => cancelQuietly(operation));
    let failed = false;
    try {
      await guard(operation.finished());
      const shape = resultShape(await guard(operation.getSchema()));
      if (shape.columns.length > 0) {
        do {
          const chunk = await guard(operation.fetchChunk({ maxRows: chunkSize, disableBuffering: true }));
          if (chunk.length > 0) yield shape.normalise<R>(chunk);
        } while (await guard(operation.hasMoreRows()));
      }
    } catch (error) {
      failed = true;
      throw this.#driver.failure(error, 'query');
    } finally {
      // Drained, or the consumer stopped early: close, which frees the result on the warehouse. Failed: do not wait.
      const closing = operation.close().catch(() => undefined);
      if (!failed) await closing;
    }
  }

  /** ExecuteStatement; if `signal` aborts meanwhile, the statement is cancelled as soon as its handle arrives. */
  async #start(query: CompiledQuery, signal: AbortSignal | undefined, maxRows?: number): Promise<SqlOperation> {
    if (signal?.aborted) throw cancelled(signal);
    const session = await abortable(this.#driver.session(), signal, () => undefined);
    const parameters = namedParameters(query);
    const pending = session.executeStatement(query.sql, {
      ...(Object.keys(parameters).length > 0 ? { namedParameters: parameters } : {}),
      ...(maxRows ? { maxRows } : {}),
    });
    try {
      return await abortable(pending, signal, () => undefined, cancelQuietly);
    } catch (error) {
      throw this.#driver.failure(error, 'query');
    }
  }
}
