import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenMap } from '../auth.js';
import { buildServer } from '../server.js';
import { openFixture, type Fixture } from '../testing/fixture.js';
import { startHttpServer, type RunningHttpServer } from './http.js';

const MCP_TOKEN = 'mcp-token-0123456789abcdef';
const N8N_TOKEN = 'n8n-token-0123456789abcdef';
let fx: Fixture;
let http: RunningHttpServer;

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(http.url, { method: 'POST', headers: { ...HEADERS, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function client(token: string): Promise<Client> {
  const c = new Client({ name: 'http-spec', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(http.url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return c;
}

beforeAll(async () => {
  fx = await openFixture();
  http = await startHttpServer({
    port: 0,
    tokens: new TokenMap({ [MCP_TOKEN]: 'odoo-ce-mcp', [N8N_TOKEN]: 'odoo-ce-n8n' }),
    build: (principal) => buildServer(fx.ctx, principal),
    logger: fx.ctx.logger,
  });
});
afterAll(async () => {
  await http.close();
  await fx.close();
});

describe('Streamable HTTP transport', () => {
  it('listens on 127.0.0.1 by default', () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('answers 401 with WWW-Authenticate without a token or with an unknown one', async () => {
    const none = await post(INIT);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const wrong = await post(INIT, { Authorization: 'Bearer not-a-configured-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('not-a-configured-token');
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(http.url);
      const req = request({ host: url.hostname, port: url.port, path: '/mcp', method: 'POST', headers: { ...HEADERS, Host: 'evil.example', Authorization: `Bearer ${MCP_TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(status).toBe(403);
  });

  it('answers 404 for an unknown session id and 400 for a request without one', async () => {
    const unknown = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { Authorization: `Bearer ${MCP_TOKEN}`, 'mcp-session-id': '00000000-0000-0000-0000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: -32001, message: 'Session not found' } });
    const missing = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, { Authorization: `Bearer ${MCP_TOKEN}` });
    expect(missing.status).toBe(400);
  });

  it('maps each token to its principal, one server per session', async () => {
    const mcp = await client(MCP_TOKEN);
    const n8n = await client(N8N_TOKEN);
    const sql = { sql: 'SELECT count(*) AS n FROM silver.finance.moves' };
    const refused = (await mcp.callTool({ name: 'execute_sql', arguments: sql })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toContain('odoo-ce-mcp lacks');
    const allowed = (await n8n.callTool({ name: 'execute_sql', arguments: sql })) as CallToolResult;
    expect(allowed.structuredContent).toMatchObject({ rows: [{ n: 5 }] });
    expect(http.sessions()).toBeGreaterThanOrEqual(2);
    await mcp.close();
    await n8n.close();
  });

  it("does not let one principal use another's session, and forgets closed sessions", async () => {
    const mcp = await client(MCP_TOKEN);
    const transport = (mcp as unknown as { transport: StreamableHTTPClientTransport }).transport;
    const sessionId = transport.sessionId as string;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const hijack = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { Authorization: `Bearer ${N8N_TOKEN}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' });
    expect(hijack.status).toBe(404);
    await transport.terminateSession();
    const after = await post({ jsonrpc: '2.0', id: 4, method: 'tools/list' }, { Authorization: `Bearer ${MCP_TOKEN}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' });
    expect(after.status).toBe(404);
    await mcp.close();
  });

  it('refuses unsafe configurations up front', async () => {
    const build = (p: string) => buildServer(fx.ctx, p);
    await expect(startHttpServer({ port: 0, host: '0.0.0.0', unauthenticatedPrincipal: 'odoo-ce-mcp', build, logger: fx.ctx.logger })).rejects.toThrow('only allowed on a loopback interface');
    await expect(startHttpServer({ port: 0, build, logger: fx.ctx.logger })).rejects.toThrow('no bearer tokens configured');
    const tokens = new TokenMap({ [MCP_TOKEN]: 'odoo-ce-mcp' });
    await expect(startHttpServer({ port: 0, host: '0.0.0.0', tokens, build, logger: fx.ctx.logger })).rejects.toThrow('binding 0.0.0.0 needs --allowed-hosts');
  });
});

describe('per-principal session cap', () => {
  it('one token cannot take every session slot; closing a session frees its slot', async () => {
    const capped = await startHttpServer({
      port: 0,
      tokens: new TokenMap({ [MCP_TOKEN]: 'odoo-ce-mcp', [N8N_TOKEN]: 'odoo-ce-n8n' }),
      build: (principal) => buildServer(fx.ctx, principal),
      logger: fx.ctx.logger,
      maxSessionsPerPrincipal: 2,
    });
    try {
      const open = async (token: string) => {
        const res = await fetch(capped.url, { method: 'POST', headers: { ...HEADERS, Authorization: `Bearer ${token}` }, body: JSON.stringify(INIT) });
        await res.text();
        return { status: res.status, id: res.headers.get('mcp-session-id') };
      };
      const first = await open(MCP_TOKEN);
      expect((await open(MCP_TOKEN)).status).toBe(200);
      const third = await open(MCP_TOKEN);
      expect(third).toMatchObject({ status: 429, id: null });
      // Another principal is not affected.
      expect((await open(N8N_TOKEN)).status).toBe(200);
      expect(capped.sessions()).toBe(3);
      const closed = await fetch(capped.url, { method: 'DELETE', headers: { ...HEADERS, Authorization: `Bearer ${MCP_TOKEN}`, 'mcp-session-id': first.id as string, 'mcp-protocol-version': '2025-06-18' } });
      expect(closed.status).toBe(200);
      await closed.text();
      expect((await open(MCP_TOKEN)).status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
