import { timingSafeEqual } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WarehouseError } from '../core/errors.js';
import { duckDbDialect } from '../duckdb/index.js';
import { endpointCertificate } from './certificate.js';
import type { StatementInterceptor } from './intercept.js';
import { Session } from './session.js';
import { TcliService } from './tcli-service.js';
import { createThriftDispatcher } from './thrift.js';

/** Options of {@link startLocalEndpoint}. */
export interface LocalEndpointOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** The bearer token clients must send (the driver's `token` option). Never logged. */
  readonly token: string;
  /** Directory of `<catalog>.duckdb` files (all attached at start), or `':memory:'`. */
  readonly dataDir: string;
  /** Catalogs to create (attach) at start if missing. */
  readonly catalogs?: readonly string[];
  /** Where the certificate (PEM) is written, or read from together with `keyFile` when both exist. Default: a temp dir. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /** `arrow` (default) answers like a real SQL warehouse; `column` sends Thrift column sets. */
  readonly resultFormat?: 'arrow' | 'column';
  /** Default `/sql/1.0/warehouses/local`. */
  readonly httpPath?: string;
  /** DuckDB worker threads (default: the number of cores). */
  readonly threads?: number;
  /** How long ExecuteStatement waits before answering RUNNING and letting the client poll (default 200 ms). */
  readonly directResultsWaitMs?: number;
  /**
   * Optional: answers some statements itself instead of DuckDB (e.g. GRANT / REVOKE / SHOW GRANTS
   * from a grants store); see {@link StatementInterceptor}.
   */
  readonly intercept?: StatementInterceptor;
}

/** Counters for tests and diagnostics. */
export interface LocalEndpointStats {
  readonly sessions: number;
  /** Operations still running or holding an unread result (and with it a DuckDB connection). */
  readonly operations: number;
  /** Statements DuckDB is executing right now (not results waiting to be fetched). */
  readonly executing: number;
  readonly requests: number;
  readonly unauthorized: number;
}

/** A running endpoint: where to connect and which certificate to trust. */
export interface LocalEndpoint {
  readonly host: string;
  readonly port: number;
  readonly httpPath: string;
  /** The PEM certificate file: pass it as `customCaCert` (its content) or `NODE_EXTRA_CA_CERTS`. */
  readonly certFile: string;
  readonly certPem: string;
  stats(): LocalEndpointStats;
  /** Stops listening, cancels running statements, closes DuckDB and removes the temp cert dir. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Starts a local Databricks SQL endpoint: HTTPS, one Thrift (TBinaryProtocol) message per POST,
 * the TCLIService at protocol V8, backed by the DuckDB driver. The real `@databricks/sql` client
 * connects to it unchanged — Arrow results, named and `?` parameters, errors as
 * `OperationStateError` with a SQLSTATE, cancellation that interrupts DuckDB.
 *
 * @example
 * const endpoint = await startLocalEndpoint({ token: 'dev', dataDir: '.data/local' });
 * const client = await new DBSQLClient().connect({
 *   host: endpoint.host, port: endpoint.port, path: endpoint.httpPath, token: 'dev',
 *   customCaCert: endpoint.certPem,
 * });
 */
export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  if (typeof options.token !== 'string' || options.token.length === 0) {
    throw new TypeError('startLocalEndpoint: `token` must be a non-empty string (the bearer token clients send)');
  }
  const host = options.host ?? '127.0.0.1';
  const httpPath = normalizePath(options.httpPath ?? '/sql/1.0/warehouses/local');
  const driver = duckDbDialect({
    dataDir: options.dataDir,
    ...(options.catalogs ? { catalogs: options.catalogs } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
  }).createDriver();
  await driver.init();
  let certificate;
  let server: Server | undefined;
  try {
    const defaultNamespace = await Session.defaultNamespace(driver);
    const service = new TcliService({
      driver,
      defaultNamespace,
      resultFormat: options.resultFormat ?? 'arrow',
      directResultsWaitMs: options.directResultsWaitMs ?? 200,
      ...(options.intercept ? { intercept: options.intercept } : {}),
    });
    const dispatch = createThriftDispatcher(service.handler());
    certificate = await endpointCertificate({ host, ...(options.certFile ? { certFile: options.certFile } : {}), ...(options.keyFile ? { keyFile: options.keyFile } : {}) });
    const expected = Buffer.from(`Bearer ${options.token}`);
    const counters = { requests: 0, unauthorized: 0 };

    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      counters.requests++;
      // A client that goes away mid-request must not take the server down with an unhandled 'error'.
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      if (normalizePath((req.url ?? '').split('?')[0] ?? '') !== httpPath) return void respond(res, 404, 'no SQL warehouse at this path');
      if (req.method !== 'POST') return void respond(res, 405, 'Thrift requests are POSTed');
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        counters.unauthorized++;
        res.setHeader('WWW-Authenticate', 'Bearer');
        return void respond(res, 401, 'invalid or missing access token');
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          respond(res, 413, 'request too large');
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => {
        try {
          dispatch(Buffer.concat(chunks), (message) => {
            res.writeHead(200, { 'Content-Type': 'application/x-thrift', 'Content-Length': message.length });
            res.end(message);
          });
        } catch {
          respond(res, 400, 'malformed Thrift message');
        }
      });
    };

    server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, handle);
    // The driver keeps sockets in a keep-alive pool; Node's 5 s default would close one just as the client reuses it.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await listen(server, options.port ?? 0, host);
    const port = (server.address() as AddressInfo).port;
    const listening = server;
    const cert = certificate;
    let closing: Promise<void> | undefined;

    return {
      host,
      port,
      httpPath,
      certFile: cert.certFile,
      certPem: cert.certPem,
      stats: () => ({ ...service.stats(), ...counters }),
      close: () =>
        (closing ??= (async () => {
          const stopped = new Promise<void>((resolve) => listening.close(() => resolve()));
          listening.closeAllConnections();
          await service.closeAll();
          await driver.destroy();
          await stopped;
          if (cert.tempDir) await rm(cert.tempDir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    server?.close();
    await driver.destroy();
    if (certificate?.tempDir) await rm(certificate.tempDir, { recursive: true, force: true });
    throw error;
  }
}

function normalizePath(path: string): string {
  return `/${path.replace(/^\/+|\/+$/g, '')}`;
}

function respond(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new WarehouseError('CONNECTION_FAILED', `cannot listen on ${host}:${port}: ${error.message}`, { cause: error })),
    );
    server.listen(port, host, () => resolve());
  });
}
