import { randomUUID } from 'node:crypto';
import { ResultReturnType, type DuckDBDataChunk, type DuckDBResult } from '@duckdb/node-api';
import { WarehouseError } from '../core/errors.js';
import type { CompiledQuery } from '../core/types.js';
import type { DuckDbConnection } from '../duckdb/index.js';
import { duckDbStatement } from '../duckdb/index.js';
import { changedRowsColumns, ResultEncoder, resultColumns, type ChunkSlice, type Page } from './result-encoding.js';
import { sqlStateOf } from './sql-state.js';
import type { TranslatedStatement } from './sql-translate.js';
import {
  EXECUTE_STATEMENT,
  TOperationState,
  TStatusCode,
  type TFetchResultsResp,
  type TGetOperationStatusResp,
  type TOperationHandle,
  type TSparkDirectResults,
  type TStatus,
} from './thrift.js';

/** A DuckDB connection lent to one operation until its result is drained, closed or cancelled. */
export interface ConnectionLease {
  readonly connection: DuckDbConnection;
  /** Re-reads the session's current catalog/schema after a statement that may have changed it (USE). */
  refreshNamespace(): Promise<void>;
  release(): void;
}

/** A failure as the client sees it: the engine's message and a SQLSTATE. */
export interface Failure {
  readonly message: string;
  readonly sqlState: string;
}

type State = 'running' | 'finished' | 'error' | 'cancelled' | 'closed';

/** Rows per FetchResults page at most, whatever the client asks: one page is one Thrift message. */
const MAX_PAGE_ROWS = 250_000;

const CREATE_CATALOG = /^\s*CREATE\s+CATALOG\b/i;

/** 16 random bytes that form a valid RFC-4122 UUID (the driver stringifies handle guids as UUIDs). */
export function uuidBytes(): Buffer {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
}

/** `TStatus` SUCCESS. */
export function statusOk(): TStatus {
  return { statusCode: TStatusCode.SUCCESS_STATUS };
}

/** `TStatus` ERROR with the failure's message and SQLSTATE. */
export function errorStatus(failure: Failure): TStatus {
  return { statusCode: TStatusCode.ERROR_STATUS, errorMessage: failure.message, displayMessage: failure.message, sqlState: failure.sqlState };
}

/** Any error → what the client is told. WarehouseErrors may carry their own SQLSTATE in `data.sqlState`. */
export function failureOf(error: unknown): Failure {
  // DuckDB prefixes errors of prepared statements; the message people know starts after it.
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Failed to extract statements: /, '');
  const given = error instanceof WarehouseError ? error.data?.['sqlState'] : undefined;
  if (typeof given === 'string') return { message, sqlState: given };
  if (error instanceof RangeError) return { message, sqlState: '22003' };
  return { message, sqlState: sqlStateOf(message) };
}

/** Reads a streaming DuckDB result page by page, one chunk ahead so the end is known exactly. */
class ChunkCursor {
  readonly #result: DuckDBResult;
  #chunk: DuckDBDataChunk | undefined;
  #pos = 0;
  #done = false;

  constructor(result: DuckDBResult) {
    this.#result = result;
  }

  get done(): boolean {
    return this.#done;
  }

  /** Makes sure a chunk with unread rows is at hand (or the end is reached). */
  async fill(): Promise<void> {
    while (!this.#done && (!this.#chunk || this.#pos >= this.#chunk.rowCount)) {
      const chunk = await this.#result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) {
        this.#done = true;
        this.#chunk = undefined;
      } else {
        this.#chunk = chunk;
        this.#pos = 0;
      }
    }
  }

  async read(maxRows: number): Promise<Page> {
    const slices: ChunkSlice[] = [];
    let length = 0;
    while (length < maxRows) {
      await this.fill();
      const chunk = this.#chunk;
      if (!chunk) break;
      const take = Math.min(maxRows - length, chunk.rowCount - this.#pos);
      slices.push({ chunk, start: this.#pos, end: this.#pos + take });
      this.#pos += take;
      length += take;
    }
    await this.fill();
    return { length, slices };
  }
}

/**
 * One ExecuteStatement: runs on a leased DuckDB connection in the background, answers status
 * polls, serves its result in pages and can be cancelled (which interrupts DuckDB).
 * All DuckDB work of an operation is serialised through one promise chain.
 */
export class Operation {
  readonly guid = uuidBytes();
  readonly secret = uuidBytes();
  #state: State = 'running';
  #failure: Failure | undefined;
  #encoder: ResultEncoder | undefined;
  #cursor: ChunkCursor | undefined;
  #lease: ConnectionLease | undefined;
  #delivered = 0;
  #executing = false;
  #work: Promise<unknown> = Promise.resolve();
  readonly #settled: Promise<void>;

  /**
   * @param acquire lends a connection (the session's own, or a pooled one set to the session's namespace)
   * @param query the translated statement; `failed` when translation itself failed; `deferred` when an
   *   interceptor decides first (a query to run, or null for a finished statement without a result set)
   */
  constructor(
    acquire: () => Promise<ConnectionLease>,
    query: CompiledQuery | { readonly failed: unknown } | { readonly deferred: () => Promise<CompiledQuery | null> },
    readonly format: 'arrow' | 'column',
  ) {
    this.#settled = this.#enqueue(async () => {
      if ('failed' in query) throw query.failed;
      // A deferred query (the session's interceptor) is decided first; null = finished without a result set.
      const resolved = 'deferred' in query ? await query.deferred() : query;
      if (resolved === null || this.#state !== 'running') return;
      this.#lease = await acquire();
      if (this.#state !== 'running') return;
      await this.#run(this.#lease, resolved);
    }).then(
      () => {
        if (this.#state === 'running') this.#state = 'finished';
      },
      (error: unknown) => {
        if (this.#state === 'running') this.#fail(error);
      },
    );
  }

  get state(): State {
    return this.#state;
  }

  /** True while the statement runs or its unread result holds a DuckDB connection. */
  get open(): boolean {
    return this.#state === 'running' || this.#lease !== undefined;
  }

  /** True while DuckDB is executing work for this operation (not while it waits for the next fetch). */
  get executing(): boolean {
    return this.#executing;
  }

  /** Resolves when the statement finished, failed or was cancelled, or after `ms`. */
  async settled(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  handle(): TOperationHandle {
    return { operationId: { guid: this.guid, secret: this.secret }, operationType: EXECUTE_STATEMENT, hasResultSet: this.#hasResultSet() };
  }

  /**
   * While the outcome is unknown, and after a failure, the handle says "has a result set": with
   * `false` the driver's fetchAll() returns [] without looking at the state, hiding the error.
   * A finished statement without columns (DDL) must say `false`, or fetchAll() loops forever.
   */
  #hasResultSet(): boolean {
    return this.#state !== 'finished' || this.#encoder !== undefined;
  }

  status(): TGetOperationStatusResp {
    switch (this.#state) {
      case 'running':
        return { status: statusOk(), operationState: TOperationState.RUNNING_STATE };
      case 'finished':
        return { status: statusOk(), operationState: TOperationState.FINISHED_STATE, hasResultSet: this.#hasResultSet() };
      case 'cancelled':
        return { status: statusOk(), operationState: TOperationState.CANCELED_STATE };
      case 'closed':
        return { status: statusOk(), operationState: TOperationState.CLOSED_STATE };
      case 'error': {
        const failure = this.#failure as Failure;
        return {
          status: statusOk(),
          operationState: TOperationState.ERROR_STATE,
          errorMessage: failure.message,
          displayMessage: failure.message,
          sqlState: failure.sqlState,
        };
      }
    }
  }

  /** What ExecuteStatement returns inline: the status, and when finished the metadata and the first page. */
  async directResults(maxRows: number): Promise<{ direct: TSparkDirectResults; closed: boolean }> {
    if (this.#state !== 'finished') return { direct: { operationStatus: this.status() }, closed: false };
    if (!this.#encoder) {
      // With no metadata inline, the driver's hasMoreRows() would ask GetResultSetMetadata of a closed operation.
      const direct = { operationStatus: this.status(), resultSetMetadata: this.metadata().metadata(), closeOperation: { status: statusOk() } };
      this.close();
      return { direct, closed: true };
    }
    const resultSetMetadata = this.#encoder.metadata();
    const resultSet = await this.fetch(maxRows);
    if (resultSet.status.statusCode !== TStatusCode.SUCCESS_STATUS) return { direct: { operationStatus: this.status() }, closed: false };
    const closed = resultSet.hasMoreRows === false;
    if (closed) this.close();
    return {
      direct: {
        operationStatus: { status: statusOk(), operationState: TOperationState.FINISHED_STATE, hasResultSet: true },
        resultSetMetadata,
        resultSet,
        ...(closed ? { closeOperation: { status: statusOk() } } : {}),
      },
      closed,
    };
  }

  /** The result's encoder; a column-less one for statements without a result set. */
  metadata(): ResultEncoder {
    return this.#encoder ?? new ResultEncoder([], this.format);
  }

  /** The next page of at most `maxRows` rows; an empty page once the result is drained. */
  fetch(maxRows: number): Promise<TFetchResultsResp> {
    return this.#enqueue(async (): Promise<TFetchResultsResp> => {
      if (this.#state === 'error') return { status: errorStatus(this.#failure as Failure) };
      if (this.#state === 'running') return { status: errorStatus({ message: 'the operation has not finished yet', sqlState: 'HY010' }) };
      if (this.#state !== 'finished') {
        return { status: errorStatus({ message: `the operation was ${this.#state === 'cancelled' ? 'cancelled' : 'closed'}`, sqlState: 'HY008' }) };
      }
      const encoder = this.#encoder;
      if (!encoder) return { status: statusOk(), hasMoreRows: false };
      const empty: Page = { length: 0, slices: [] };
      try {
        const page = this.#cursor ? await this.#duck(() => (this.#cursor as ChunkCursor).read(Math.min(Math.max(1, maxRows), MAX_PAGE_ROWS))) : empty;
        const results = encoder.rowSet(page, this.#delivered);
        this.#delivered += page.length;
        if (this.#cursor?.done) this.#drained();
        return { status: statusOk(), hasMoreRows: this.#cursor !== undefined, results };
      } catch (error) {
        if ((this.#state as State) !== 'finished') return { status: errorStatus({ message: 'the operation was cancelled', sqlState: 'HY008' }) };
        this.#fail(error);
        return { status: errorStatus(this.#failure as Failure) };
      }
    });
  }

  /** Stops the statement: interrupts DuckDB if it is executing, drops the result, returns the connection. */
  cancel(): void {
    if (this.#state === 'running' || this.#state === 'finished') {
      this.#state = 'cancelled';
      this.#stop();
    }
  }

  close(): void {
    if (this.#state !== 'closed') {
      this.#state = 'closed';
      this.#stop();
    }
  }

  /** Resolves once no DuckDB work of this operation is pending. */
  async idle(): Promise<void> {
    await this.#work.catch(() => undefined);
  }

  #stop(): void {
    if (this.#executing) this.#lease?.connection.raw.interrupt();
    void this.#enqueue(async () => this.#drained());
  }

  async #run(lease: ConnectionLease, query: CompiledQuery): Promise<void> {
    const connection = lease.connection;
    if (CREATE_CATALOG.test(query.sql)) {
      // Unity Catalog DDL the DuckDB driver turns into an ATTACH of a new catalog file.
      await this.#duck(() => connection.executeQuery(query));
      this.#drained();
      return;
    }
    const { sql, values } = duckDbStatement(query);
    const replaceTable = (query as TranslatedStatement).replaceTable;
    const result = replaceTable
      ? await this.#duck(() => replaceRows(connection, replaceTable, sql, values))
      : await this.#duck(() => connection.raw.stream(sql, values));
    switch (result.returnType) {
      case ResultReturnType.QUERY_RESULT:
        this.#encoder = new ResultEncoder(resultColumns(result.deduplicatedColumnNames(), result.columnTypes()), this.format);
        break;
      case ResultReturnType.CHANGED_ROWS:
        this.#encoder = new ResultEncoder(changedRowsColumns(result.statementType), this.format);
        break;
      default:
        // DDL, USE, SET…: no result set. The statement may have changed the current namespace.
        await this.#duck(() => lease.refreshNamespace());
        this.#drained();
        return;
    }
    this.#cursor = new ChunkCursor(result);
    const cursor = this.#cursor;
    await this.#duck(() => cursor.fill());
  }

  /** Runs DuckDB work, marking the operation as executing so a cancel interrupts it. */
  async #duck<T>(fn: () => Promise<T>): Promise<T> {
    this.#executing = true;
    try {
      return await fn();
    } finally {
      this.#executing = false;
    }
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#work.then(fn, fn);
    this.#work = next.catch(() => undefined);
    return next;
  }

  #fail(error: unknown): void {
    this.#state = 'error';
    this.#failure = failureOf(error);
    this.#drained();
  }

  /** The result is fully read (or abandoned): give the connection back. */
  #drained(): void {
    this.#cursor = undefined;
    const lease = this.#lease;
    this.#lease = undefined;
    lease?.release();
  }
}

/** INSERT OVERWRITE on DuckDB: DELETE + INSERT INTO in one transaction (the insert runs fully here). */
async function replaceRows(connection: DuckDbConnection, table: string, sql: string, values: Parameters<DuckDbConnection['raw']['run']>[1]): Promise<DuckDBResult> {
  await connection.raw.run('BEGIN TRANSACTION');
  try {
    await connection.raw.run(`DELETE FROM ${table}`);
    const result = await connection.raw.run(sql, values);
    await connection.raw.run('COMMIT');
    return result;
  } catch (error) {
    await connection.raw.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
