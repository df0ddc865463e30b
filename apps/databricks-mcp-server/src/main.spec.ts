import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type MainIo } from './main.js';
import { openServerContext } from './open.js';
import { openFixture, type Fixture } from './testing/fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await openFixture();
});
afterAll(() => fx.close());

function io(env: Record<string, string> = {}, extra: Partial<MainIo> = {}) {
  const err: string[] = [];
  const out: string[] = [];
  return { io: { env, stderr: (t: string) => void err.push(t), stdout: (t: string) => void out.push(t), ...extra } satisfies MainIo, err, out };
}

describe('databricks-mcp-server CLI', () => {
  it('prints help and the version', async () => {
    const help = io();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.out.join('')).toContain('--transport <kind>');
    expect(help.out.join('')).toContain('MCP_TOKENS');
    const version = io();
    expect(await main(['--version'], version.io)).toBe(0);
    expect(version.out.join('')).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('rejects bad options with one line and a non-zero exit, no stack', async () => {
    const transport = io();
    expect(await main(['--transport', 'smoke'], transport.io)).not.toBe(0);
    expect(transport.err.join('')).toContain("argument 'smoke' is invalid");
    const rate = io();
    expect(await main(['--rate-limit', 'lots', '--data-dir', fx.dataDir], rate.io)).toBe(2);
    expect(rate.err.join('')).toBe('error: --rate-limit: expected N/s, N/min or N/h with an optional ",burst=N" (e.g. "120/min,burst=20"), got "lots"\n');
  });

  it('refuses a principal the policy does not declare', async () => {
    const r = io();
    expect(await main(['--principal', 'mallory', '--data-dir', fx.dataDir, '--bundle-dir', fx.bundleDir], r.io)).toBe(2);
    expect(r.err.join('')).toBe('error: principal "mallory" is not declared in the policy (databricks/catalog/principals.yml)\n');
  });

  it('refuses to serve HTTP without tokens, and token principals the policy does not know', async () => {
    const none = io();
    expect(await main(['--transport', 'http', '--port', '0', '--data-dir', fx.dataDir], none.io)).toBe(2);
    expect(none.err.join('')).toContain('no bearer tokens configured; set MCP_TOKENS');
    const unknown = io({ MCP_TOKENS: '{"0123456789abcdefXYZ":"mallory"}' });
    expect(await main(['--transport', 'http', '--port', '0', '--data-dir', fx.dataDir], unknown.io)).toBe(2);
    expect(unknown.err.join('')).toContain('principal "mallory" is not declared');
    expect(unknown.err.join('')).not.toContain('0123456789abcdefXYZ');
  });

  it('serves HTTP with tokens from MCP_TOKENS until stopped', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let url!: string;
    let exit!: Promise<number>;
    const listening = new Promise<void>((resolve) => {
      const r = io({ MCP_TOKENS: '{"main-spec-token-0123456789":"odoo-ce-app"}' }, { stopSignal: stopped, onListening: (u) => ((url = u), resolve()) });
      exit = main(['--transport', 'http', '--port', '0', '--data-dir', fx.dataDir, '--bundle-dir', fx.bundleDir], r.io);
    });
    await listening;
    const client = new Client({ name: 'main-spec', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: 'Bearer main-spec-token-0123456789' } } }));
    const r = (await client.callTool({ name: 'list_catalogs', arguments: {} })) as CallToolResult;
    expect(r.structuredContent).toEqual({ catalogs: [{ name: 'gold', layer: 'gold' }] });
    await client.close();
    stop();
    expect(await exit).toBe(0);
  });
});

describe('grants source on DuckDB targets', () => {
  it('uses <ops>.grants once it exists, else the policy files', async () => {
    const applied = await openServerContext({ target: 'local', dataDir: fx.dataDir, bundleDir: fx.bundleDir, env: {}, logger: fx.ctx.logger });
    expect(applied.grantsSource).toBe('ops');
    await applied.close();
    const dir = mkdtempSync(join(tmpdir(), 'mcp-fresh-'));
    const fresh = await openServerContext({ target: 'local', dataDir: dir, env: {}, logger: fx.ctx.logger });
    try {
      expect(fresh.grantsSource).toBe('policy');
      // Governed by databricks/catalog/grants.yml: odoo-ce-mcp reads gold, not silver.
      expect(await fresh.access.canSee('odoo-ce-mcp', { catalog: 'gold' })).toBe(true);
      expect(await fresh.access.canSee('odoo-ce-mcp', { catalog: 'silver' })).toBe(false);
    } finally {
      await fresh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
