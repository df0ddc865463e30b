import type { WarehouseDriver } from '../core/dialect.js';
import type { StatementInterceptor } from './intercept.js';
import { errorStatus, failureOf, statusOk, type Operation } from './operation.js';
import { Session } from './session.js';
import {
  PROTOCOL_V8,
  TCLI_METHODS,
  TStatusCode,
  type TcliHandler,
  type TcliMethod,
  type TExecuteStatementReq,
  type TExecuteStatementResp,
  type TFetchResultsReq,
  type TFetchResultsResp,
  type TGetInfoReq,
  type TGetInfoResp,
  type TGetOperationStatusResp,
  type TGetResultSetMetadataResp,
  type THandleIdentifier,
  type TOpenSessionReq,
  type TOpenSessionResp,
  type TOperationReq,
  type TSessionReq,
  type TStatus,
} from './thrift.js';

/** Options of the service that the HTTP layer passes through. */
export interface TcliServiceOptions {
  readonly driver: WarehouseDriver;
  /** `"catalog"."schema"` a session starts in when the client names none. */
  readonly defaultNamespace: string;
  readonly resultFormat: 'arrow' | 'column';
  /** How long ExecuteStatement waits for the statement before answering RUNNING (the client then polls). */
  readonly directResultsWaitMs: number;
  /** Answers some statements itself (see {@link StatementInterceptor}). */
  readonly intercept?: StatementInterceptor;
}

const FETCH_TYPE_LOGS = 1;
const CANCELLED_RETENTION_MS = 60_000;

function invalidHandle(what: 'session' | 'operation'): TStatus {
  return { statusCode: TStatusCode.INVALID_HANDLE_STATUS, errorMessage: `Invalid ${what === 'session' ? 'SessionHandle' : 'OperationHandle'}`, sqlState: 'HY000' };
}

function notSupported(method: string): TStatus {
  return {
    statusCode: TStatusCode.ERROR_STATUS,
    errorMessage: `${method} is not supported by the local endpoint; query information_schema with a statement instead`,
    sqlState: '0A000',
  };
}

const key = (id: THandleIdentifier): string => Buffer.from(id.guid).toString('hex');

/**
 * The TCLIService (HiveServer2 + Databricks extensions) on top of DuckDB sessions. Every method
 * takes exactly one parameter: the generated processor's promise style depends on it.
 */
export class TcliService {
  readonly #options: TcliServiceOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #operations = new Map<string, { session: Session; operation: Operation }>();

  constructor(options: TcliServiceOptions) {
    this.#options = options;
  }

  /** Open sessions, operations still running or holding an unread result, and statements DuckDB executes right now. */
  stats(): { sessions: number; operations: number; executing: number } {
    const operations = [...this.#operations.values()].map((o) => o.operation);
    return { sessions: this.#sessions.size, operations: operations.filter((o) => o.open).length, executing: operations.filter((o) => o.executing).length };
  }

  /** The handler object for the generated processor: every RPC, unsupported ones answer an error status. */
  handler(): TcliHandler {
    const implemented: Partial<Record<TcliMethod, (request: never) => Promise<object>>> = {
      OpenSession: (req: TOpenSessionReq) => this.openSession(req),
      CloseSession: (req: TSessionReq) => this.closeSession(req),
      GetInfo: (req: TGetInfoReq) => this.getInfo(req),
      ExecuteStatement: (req: TExecuteStatementReq) => this.executeStatement(req),
      GetOperationStatus: (req: TOperationReq) => this.getOperationStatus(req),
      GetResultSetMetadata: (req: TOperationReq) => this.getResultSetMetadata(req),
      FetchResults: (req: TFetchResultsReq) => this.fetchResults(req),
      CancelOperation: (req: TOperationReq) => this.cancelOperation(req),
      CloseOperation: (req: TOperationReq) => this.closeOperation(req),
    };
    const handler = {} as Record<TcliMethod, (request: never) => Promise<object>>;
    for (const method of TCLI_METHODS) {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the processor checks the arity
      handler[method] = implemented[method] ?? (async (_request: never) => ({ status: notSupported(method) }));
    }
    return handler;
  }

  async openSession(req: TOpenSessionReq): Promise<TOpenSessionResp> {
    const namespace = req.initialNamespace ?? {};
    try {
      const session = await Session.open(
        this.#options.driver,
        { ...(namespace.catalogName ? { catalog: namespace.catalogName } : {}), ...(namespace.schemaName ? { schema: namespace.schemaName } : {}) },
        this.#options.defaultNamespace,
        this.#options.intercept,
      );
      this.#sessions.set(key(session), session);
      return {
        status: statusOk(),
        serverProtocolVersion: PROTOCOL_V8,
        sessionHandle: { sessionId: { guid: session.guid, secret: session.secret } },
        canUseMultipleCatalogs: true,
      };
    } catch (error) {
      return { status: errorStatus(failureOf(error)), serverProtocolVersion: PROTOCOL_V8 };
    }
  }

  async closeSession(req: TSessionReq): Promise<{ status: TStatus }> {
    const session = this.#session(req.sessionHandle.sessionId);
    if (session) {
      this.#sessions.delete(key(session));
      for (const [k, entry] of this.#operations) if (entry.session === session) this.#operations.delete(k);
      await session.close();
    }
    return { status: statusOk() };
  }

  async getInfo(req: TGetInfoReq): Promise<TGetInfoResp> {
    if (!this.#session(req.sessionHandle.sessionId)) return { status: invalidHandle('session'), infoValue: {} };
    return { status: statusOk(), infoValue: { stringValue: 'Databricks SQL (local endpoint on DuckDB)' } };
  }

  async executeStatement(req: TExecuteStatementReq): Promise<TExecuteStatementResp> {
    const session = this.#session(req.sessionHandle.sessionId);
    if (!session) return { status: invalidHandle('session') };
    const format = req.canReadArrowResult && this.#options.resultFormat === 'arrow' ? 'arrow' : 'column';
    const operation = session.execute(req.statement, req.parameters ?? [], format);
    this.#operations.set(operation.guid.toString('hex'), { session, operation });
    await operation.settled(this.#options.directResultsWaitMs);
    const handle = operation.handle();
    if (!req.getDirectResults) return { status: statusOk(), operationHandle: handle };
    const { direct, closed } = await operation.directResults(req.getDirectResults.maxRows.toNumber(true));
    if (closed) this.#forget(operation, session);
    return { status: statusOk(), operationHandle: handle, directResults: direct };
  }

  async getOperationStatus(req: TOperationReq): Promise<TGetOperationStatusResp> {
    const entry = this.#operation(req.operationHandle.operationId);
    return entry ? entry.operation.status() : { status: invalidHandle('operation') };
  }

  async getResultSetMetadata(req: TOperationReq): Promise<TGetResultSetMetadataResp> {
    const entry = this.#operation(req.operationHandle.operationId);
    if (!entry) return { status: invalidHandle('operation') };
    return entry.operation.metadata().metadata();
  }

  async fetchResults(req: TFetchResultsReq): Promise<TFetchResultsResp> {
    const entry = this.#operation(req.operationHandle.operationId);
    if (!entry) return { status: invalidHandle('operation') };
    if (req.fetchType === FETCH_TYPE_LOGS) return { status: statusOk(), hasMoreRows: false };
    return entry.operation.fetch(req.maxRows.toNumber(true));
  }

  async cancelOperation(req: TOperationReq): Promise<{ status: TStatus }> {
    const entry = this.#operation(req.operationHandle.operationId);
    if (!entry) return { status: invalidHandle('operation') };
    entry.operation.cancel();
    // The driver never closes a cancelled operation; keep its state for late polls, then forget it.
    setTimeout(() => this.#forget(entry.operation, entry.session), CANCELLED_RETENTION_MS).unref();
    return { status: statusOk() };
  }

  async closeOperation(req: TOperationReq): Promise<{ status: TStatus }> {
    const entry = this.#operation(req.operationHandle.operationId);
    if (entry) {
      entry.operation.close();
      this.#forget(entry.operation, entry.session);
    }
    return { status: statusOk() };
  }

  /** Closes every session (cancelling what runs) and waits until DuckDB is idle. */
  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    this.#operations.clear();
    await Promise.all(sessions.map((s) => s.close()));
  }

  #forget(operation: Operation, session: Session): void {
    const k = operation.guid.toString('hex');
    this.#operations.delete(k);
    session.operations.delete(k);
  }

  #session(id: THandleIdentifier): Session | undefined {
    const session = this.#sessions.get(key(id));
    return session && session.secret.equals(Buffer.from(id.secret)) ? session : undefined;
  }

  #operation(id: THandleIdentifier): { session: Session; operation: Operation } | undefined {
    const entry = this.#operations.get(key(id));
    return entry && entry.operation.secret.equals(Buffer.from(id.secret)) ? entry : undefined;
  }
}
