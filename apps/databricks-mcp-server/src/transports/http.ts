import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@odoo-ce/common';
import type { TokenMap } from '../auth.js';

type Request = IncomingMessage & { body?: unknown; auth?: AuthInfo };
type Handler = (req: Request, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The part of the Express app we use (the SDK's types refer to express's, which are not installed). */
interface App {
  use(handler: Handler): void;
  post(path: string, ...handlers: Handler[]): void;
  get(path: string, ...handlers: Handler[]): void;
  delete(path: string, ...handlers: Handler[]): void;
  listen(port: number, host: string, callback: (error?: Error) => void): Server;
}

export interface HttpServerOptions {
  /** Interface to bind (default 127.0.0.1: DNS-rebinding protection is on for loopback). */
  readonly host?: string;
  /** Port (0 = any free port). */
  readonly port: number;
  /** Host names accepted in the Host header when binding elsewhere than loopback. */
  readonly allowedHosts?: readonly string[];
  /** Bearer token → principal. */
  readonly tokens?: TokenMap;
  /**
   * No authentication: every session is this principal. Only for protocol tests (the conformance
   * suite has no way to send a token) and only on a loopback interface.
   */
  readonly unauthenticatedPrincipal?: string;
  /** Builds the MCP server of one session for its principal. */
  readonly build: (principal: string) => McpServer;
  readonly logger: Logger;
  /** Sessions idle longer than this are closed (default 30 min). */
  readonly idleTimeoutMs?: number;
  /** Concurrent sessions across all principals (default 256). */
  readonly maxSessions?: number;
  /** Concurrent sessions of one principal (default 32; without auth, `maxSessions`), so one token cannot take every session slot. */
  readonly maxSessionsPerPrincipal?: number;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  readonly sessions: () => number;
  close(): Promise<void>;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly principal: string;
  lastSeen: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Streamable HTTP on `/mcp`: `createMcpExpressApp` (Host-header validation against DNS rebinding),
 * bearer tokens mapped to principals (401 without one), one McpServer per session, 404 for a
 * session id the server does not know — or one that belongs to another principal.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.unauthenticatedPrincipal !== undefined && !LOOPBACK.has(host)) {
    throw new RangeError(`--insecure-no-auth is only allowed on a loopback interface (127.0.0.1, localhost, ::1), not ${host}`);
  }
  if (!LOOPBACK.has(host) && !options.allowedHosts?.length) {
    throw new RangeError(`binding ${host} needs --allowed-hosts (the Host names clients use), so DNS-rebinding protection stays on`);
  }
  if (options.unauthenticatedPrincipal === undefined && (!options.tokens || options.tokens.size === 0)) {
    throw new RangeError('HTTP transport: no bearer tokens configured; set MCP_TOKENS (JSON {"<token>": "<principal>"}) or MCP_TOKENS_FILE');
  }
  const app = createMcpExpressApp({ host, ...(options.allowedHosts ? { allowedHosts: [...options.allowedHosts] } : {}) }) as unknown as App;
  const sessions = new Map<string, Session>();
  const maxSessions = options.maxSessions ?? 256;
  // Without authentication there is one principal: the global cap is its cap.
  const maxPerPrincipal = options.maxSessionsPerPrincipal ?? (options.unauthenticatedPrincipal !== undefined ? maxSessions : 32);
  /** Sessions opened or being opened per principal (counted before initialize completes, so parallel opens cannot overshoot). */
  const perPrincipal = new Map<string, number>();
  const release = (principal: string) => {
    const n = (perPrincipal.get(principal) ?? 1) - 1;
    if (n <= 0) perPrincipal.delete(principal);
    else perPrincipal.set(principal, n);
  };
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const log = options.logger;

  const tokens = options.tokens;
  const auth: Handler =
    options.unauthenticatedPrincipal !== undefined
      ? (req, _res, next) => {
          req.auth = { token: '', clientId: options.unauthenticatedPrincipal as string, scopes: [] };
          next();
        }
      : (requireBearerAuth({
          verifier: {
            verifyAccessToken: async (token) => {
              const principal = tokens?.principalFor(token);
              if (!principal) throw new InvalidTokenError('Unknown token');
              // The SDK middleware refuses tokens without an expiry; ours are valid for as long as they are configured.
              return { token: '[redacted]', clientId: principal, scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 };
            },
          },
        }) as unknown as Handler);

  const existing = (req: Request, res: ServerResponse): Session | undefined => {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string' || id === '') {
      jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return undefined;
    }
    const session = sessions.get(id);
    if (!session || session.principal !== req.auth?.clientId) {
      jsonRpcError(res, 404, -32001, 'Session not found');
      return undefined;
    }
    session.lastSeen = Date.now();
    return session;
  };

  const post: Handler = (req, res) => {
    void (async () => {
      if (req.headers['mcp-session-id'] !== undefined) {
        const session = existing(req, res);
        if (session) await session.transport.handleRequest(req, res, req.body);
        return;
      }
      if (!isInitializeRequest(req.body)) return jsonRpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id header and not an initialize request');
      if (sessions.size >= maxSessions) return jsonRpcError(res, 503, -32000, 'Too many open sessions; try again later');
      const principal = req.auth?.clientId as string;
      if ((perPrincipal.get(principal) ?? 0) >= maxPerPrincipal) {
        return jsonRpcError(res, 429, -32000, `Too many open sessions for this principal (at most ${maxPerPrincipal}); close one or try again later`);
      }
      perPrincipal.set(principal, (perPrincipal.get(principal) ?? 0) + 1);
      let registered = false;
      const server = options.build(principal);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => {
          registered = true;
          sessions.set(id, { transport, server, principal, lastSeen: Date.now() });
          log.info({ event: 'mcp.session_opened', session: id, principal }, 'session opened');
        },
        onsessionclosed: (id) => void closeSession(id),
      });
      transport.onclose = () => {
        if (transport.sessionId && sessions.get(transport.sessionId)?.transport === transport) {
          sessions.delete(transport.sessionId);
          release(principal);
        }
      };
      try {
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
      } finally {
        // An initialize that did not open a session gives its slot back.
        if (!registered) release(principal);
      }
    })().catch((error: unknown) => {
      log.error({ event: 'mcp.http_error', err: error }, 'request failed');
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    });
  };

  const other: Handler = (req, res) => {
    const session = existing(req, res);
    if (!session) return;
    session.transport.handleRequest(req, res).catch((error: unknown) => {
      log.error({ event: 'mcp.http_error', err: error }, 'request failed');
      if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    });
  };

  async function closeSession(id: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    release(session.principal);
    log.info({ event: 'mcp.session_closed', session: id, principal: session.principal }, 'session closed');
    await session.server.close().catch(() => undefined);
  }

  app.post('/mcp', auth, post);
  app.get('/mcp', auth, other);
  app.delete('/mcp', auth, other);

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, s] of sessions) if (now - s.lastSeen > idleTimeoutMs) void closeSession(id);
  }, Math.min(idleTimeoutMs, 60_000));
  sweep.unref();

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port, host, (error) => (error ? reject(error) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/mcp`,
    port,
    sessions: () => sessions.size,
    close: async () => {
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(closeSession));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
