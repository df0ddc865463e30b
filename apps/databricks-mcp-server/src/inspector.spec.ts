import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenMap } from './auth.js';
import { REPO_ROOT } from './open.js';
import { buildServer } from './server.js';
import { openFixture, type Fixture } from './testing/fixture.js';
import { startHttpServer, type RunningHttpServer } from './transports/http.js';

/**
 * The real `@modelcontextprotocol/inspector-cli` (v1.0.3) as the client. It resolves its own
 * package.json relative to the working directory, so it runs from src/ (whose parent has one).
 * Its exit code is 0 even for an `isError` result: the tests read `.isError` themselves.
 */
const run = promisify(execFile);
const INSPECTOR = join(REPO_ROOT, 'node_modules', '.bin', 'mcp-inspector-cli');
const SRC = fileURLToPath(new URL('.', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/databricks-mcp-server.mjs', import.meta.url));
const TOKEN = 'inspector-token-0123456789';

async function inspector(args: string[]): Promise<{ code: number; json: Record<string, unknown> | undefined; stderr: string }> {
  try {
    const { stdout, stderr } = await run(INSPECTOR, ['--cli', ...args], { cwd: SRC, timeout: 60_000, env: { ...process.env, LOG_LEVEL: 'warn' } });
    return { code: 0, json: JSON.parse(stdout) as Record<string, unknown>, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, json: undefined, stderr: e.stderr ?? '' };
  }
}

describe('inspector-cli over stdio', { timeout: 60_000 }, () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await openFixture();
    // The server runs in a child process: release the DuckDB files first.
    await fx.ctx.close();
  });
  afterAll(() => fx.close());

  it('calls execute_sql on the real CLI bin (principal odoo-ce-mcp by default)', async () => {
    const r = await inspector([
      'node', BIN, '--target', 'local', '--data-dir', fx.dataDir, '--bundle-dir', fx.bundleDir,
      '--method', 'tools/call', '--tool-name', 'execute_sql', '--tool-arg', 'sql=SELECT period, tax_required FROM gold.finance.bir_monthly ORDER BY period', 'limit=1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.['isError']).toBeUndefined();
    expect(r.json?.['structuredContent']).toMatchObject({ rows: [{ period: '2025-01', tax_required: '1200.50' }], truncated: true });
  });
});

describe('inspector-cli over Streamable HTTP', { timeout: 60_000 }, () => {
  let fx: Fixture;
  let http: RunningHttpServer;
  beforeAll(async () => {
    fx = await openFixture();
    http = await startHttpServer({ port: 0, tokens: new TokenMap({ [TOKEN]: 'odoo-ce-mcp' }), build: (p) => buildServer(fx.ctx, p), logger: fx.ctx.logger });
  });
  afterAll(async () => {
    await http.close();
    await fx.close();
  });

  it('calls a tool with a bearer token', async () => {
    const r = await inspector([http.url, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`, '--method', 'tools/call', '--tool-name', 'list_tables', '--tool-arg', 'catalog=gold', 'schema=finance']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json?.['structuredContent']).toMatchObject({ tables: [{ name: 'bir_monthly' }, { name: 'ledger' }] });
  });

  it('gets an isError result (exit code 0) when the grants refuse', async () => {
    const r = await inspector([http.url, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`, '--method', 'tools/call', '--tool-name', 'execute_sql', '--tool-arg', 'sql=SELECT * FROM silver.finance.moves']);
    expect(r.code).toBe(0);
    expect(r.json?.['isError']).toBe(true);
    expect(JSON.stringify(r.json?.['content'])).toContain('[REFUSED] odoo-ce-mcp lacks');
  });

  it('fails to connect without a token (401)', async () => {
    const r = await inspector([http.url, '--transport', 'http', '--method', 'tools/list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Failed to connect to MCP server.*invalid_token/s);
  });
});
