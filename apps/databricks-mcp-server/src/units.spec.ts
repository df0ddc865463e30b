import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WarehouseError } from '@odoo-ce/warehouse';
import { describe, expect, it } from 'vitest';
import { loadTokens, TokenMap } from './auth.js';
import { physicalSecurable } from './catalog-access.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { engineMessage, McpToolError, toToolError } from './errors.js';
import { toJsonRow } from './json-values.js';
import { parseRateLimit, RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the configured rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 60 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(limiter.take('b').allowed).toBe(true);
    now = 999;
    expect(limiter.take('a').allowed).toBe(false);
    now = 2000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('parses rates and names the flag on bad input', () => {
    expect(parseRateLimit('120/min,burst=20')).toEqual({ burst: 20, perMinute: 120 });
    expect(parseRateLimit('2/s')).toEqual({ burst: 2, perMinute: 120 });
    expect(parseRateLimit('600/h')).toEqual({ burst: 10, perMinute: 10 });
    expect(() => parseRateLimit('fast')).toThrow('--rate-limit: expected N/s, N/min or N/h');
  });
});

describe('cursors', () => {
  it('round-trip an offset for the same key only', () => {
    const c = encodeCursor('k1', 200);
    expect(decodeCursor(c, 'k1')).toBe(200);
    expect(decodeCursor(undefined, 'k1')).toBe(0);
    expect(() => decodeCursor(c, 'k2')).toThrow(McpToolError);
    expect(() => decodeCursor(Buffer.from('{"v":1,"k":"k1","o":-5}').toString('base64url'), 'k1')).toThrow('cursor: expected the next_cursor value');
  });
});

describe('tokens', () => {
  it('maps tokens to principals in constant time and never keeps them readable', () => {
    const map = new TokenMap({ 'a-token-of-enough-length': 'odoo-ce-mcp' });
    expect(map.principalFor('a-token-of-enough-length')).toBe('odoo-ce-mcp');
    expect(map.principalFor('a-token-of-enough-lengtX')).toBeUndefined();
    expect(JSON.stringify([...Object.values(map)])).not.toContain('a-token');
  });

  it('loads MCP_TOKENS or MCP_TOKENS_FILE with errors that name the source, not the token', () => {
    expect(loadTokens({})).toBeUndefined();
    expect(loadTokens({ MCP_TOKENS: '{"0123456789abcdef0":"odoo-ce-mcp"}' })?.principals()).toEqual(['odoo-ce-mcp']);
    const file = join(mkdtempSync(join(tmpdir(), 'tok-')), 'tokens.json');
    writeFileSync(file, '{"0123456789abcdef1":"odoo-ce-app","0123456789abcdef2":"odoo-ce-mcp"}');
    expect(loadTokens({ MCP_TOKENS_FILE: file })?.principals()).toEqual(['odoo-ce-app', 'odoo-ce-mcp']);
    expect(() => loadTokens({ MCP_TOKENS: 'nope' })).toThrow('MCP_TOKENS: expected a JSON object {"<token>": "<principal>"}, got text that is not JSON');
    const short = (() => {
      try {
        loadTokens({ MCP_TOKENS: '{"0123456789abcdef":"ok","short-secret":"odoo-ce-mcp"}' });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(short).toBe('MCP_TOKENS: entry #2: expected a token of at least 16 characters');
    expect(() => loadTokens({ MCP_TOKENS_FILE: '/nonexistent/tokens.json' })).toThrow('MCP_TOKENS_FILE (/nonexistent/tokens.json): cannot read the file (ENOENT)');
  });
});

describe('error sanitizing', () => {
  it('keeps the engine explanation and drops script positions, excerpts and stacks', () => {
    expect(engineMessage('task.sql:3 (statement 2 of 4): Catalog Error: Table x does not exist!\nLINE 1: select * from x\n        ^')).toBe('Catalog Error: Table x does not exist!');
    const timeout = toToolError(new WarehouseError('QUERY_TIMEOUT', 'query cancelled after the 50 ms timeout'));
    expect(timeout.toUserMessage()).toBe('[TIMEOUT] query cancelled after the 50 ms timeout');
    expect(toToolError(new WarehouseError('CONNECTION_FAILED', 'connect ECONNREFUSED 10.1.2.3:443')).toUserMessage()).toBe('[UNAVAILABLE] the warehouse is not reachable right now; try again later');
    expect(toToolError(new TypeError('x is undefined')).code).toBe('INTERNAL');
  });
});

describe('values and names', () => {
  it('turns warehouse values into JSON', () => {
    expect(toJsonRow({ a: 5n, b: 2n ** 60n, c: new Date('2025-01-02T03:04:05Z'), d: new Uint8Array([1, 2]), e: '1.50', f: null, g: [1n], h: Number.NaN })).toEqual({
      a: 5,
      b: '1152921504606846976',
      c: '2025-01-02T03:04:05.000Z',
      d: 'AQI=',
      e: '1.50',
      f: null,
      g: [1],
      h: 'NaN',
    });
  });

  it('maps policy names (layers) to the target catalogs', () => {
    const layout = { catalogs: { bronze: 'dev_bronze', silver: 'dev_silver', gold: 'dev_gold', platinum: 'dev_platinum', sandbox: 'dev_sandbox' }, ops: { catalog: 'dev_ops', schema: 'ops' } };
    expect(physicalSecurable({ type: 'TABLE', name: 'gold.finance.x' }, layout)).toEqual({ type: 'TABLE', name: 'dev_gold.finance.x' });
    expect(physicalSecurable({ type: 'CATALOG', name: 'ops' }, layout)).toEqual({ type: 'CATALOG', name: 'dev_ops' });
    expect(physicalSecurable({ type: 'METASTORE', name: '' }, layout)).toEqual({ type: 'METASTORE', name: '' });
    expect(physicalSecurable({ type: 'SCHEMA', name: 'main.default' }, layout)).toEqual({ type: 'SCHEMA', name: 'main.default' });
  });

  it('maps the ops schema too (ops.ops → the layout ops catalog and schema)', () => {
    const layout = { catalogs: { bronze: 'b', silver: 's', gold: 'g', platinum: 'p', sandbox: 'x' }, ops: { catalog: 'dev_ops', schema: 'Platform_Ops' } };
    expect(physicalSecurable({ type: 'SCHEMA', name: 'ops.ops' }, layout)).toEqual({ type: 'SCHEMA', name: 'dev_ops.platform_ops' });
    expect(physicalSecurable({ type: 'TABLE', name: 'ops.ops.grants' }, layout)).toEqual({ type: 'TABLE', name: 'dev_ops.platform_ops.grants' });
    expect(physicalSecurable({ type: 'SCHEMA', name: 'ops.other' }, layout)).toEqual({ type: 'SCHEMA', name: 'dev_ops.other' });
  });
});
