import { ConfigError } from '@odoo-ce/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OdooClient, type OdooClientConfig } from './client.js';
import { OdooRpcError } from './errors.js';
import { loadOdooSettings } from './settings.js';
import { evaluateDomain, FakeOdooServer, parseDomain } from './testing/index.js';

const MOVES = [
  { id: 1, name: 'INV/2025/0001', state: 'posted', move_type: 'out_invoice', partner_id: [10, 'Mabuhay Supplies Inc.'], amount_total: 1120.0, ref: false, active: true, tax_ids: [3, 4], write_date: '2025-01-02 00:00:00' },
  { id: 2, name: 'BILL/2025/0001', state: 'posted', move_type: 'in_invoice', partner_id: [11, 'Azure Interior'], amount_total: 500.5, ref: 'SI-1', active: true, tax_ids: [], write_date: '2025-01-03 00:00:00' },
  { id: 3, name: '/', state: 'draft', move_type: 'in_invoice', partner_id: false, amount_total: 0.0, ref: false, active: true, tax_ids: [4], write_date: '2025-01-03 00:00:00' },
  { id: 4, name: 'INV/2025/0002', state: 'cancel', move_type: 'out_refund', partner_id: [10, 'Mabuhay Supplies Inc.'], amount_total: 99.0, ref: 'R', active: false, tax_ids: [], write_date: '2025-01-04 00:00:00' },
];

describe('OdooClient against the local Odoo-protocol server', () => {
  let server: FakeOdooServer;
  const config = (): OdooClientConfig => ({ url: server.url, db: server.db, username: server.login, apiKey: server.apiKey, baseDelayMs: 1, maxDelayMs: 20, maxAttempts: 4, timeoutMs: 2000 });
  const secret = (): string => server.apiKey;

  beforeAll(async () => {
    server = await FakeOdooServer.start({ dataset: { 'account.move': MOVES, 'res.partner': [{ id: 10, name: 'Mabuhay Supplies Inc.', active: true, write_date: '2025-01-01 00:00:00' }] } });
  });
  afterAll(async () => server.close());
  afterEach(() => server.clearFaults());

  /** Runs a call expected to fail and checks the error never carries the key. */
  async function failure(fn: () => Promise<unknown>): Promise<OdooRpcError> {
    const error = await fn().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OdooRpcError);
    const e = error as OdooRpcError;
    expect(`${e.message} ${JSON.stringify(e.data)} ${e.stack ?? ''}`).not.toContain(secret());
    return e;
  }

  it('reads version, authenticates and reads with search_read / search_count / read / fields_get', async () => {
    const client = new OdooClient(config());
    expect((await client.version()).serverVersion).toBe('17.0');
    expect(await client.authenticate()).toBe(server.uid);
    const rows = await client.searchRead('account.move', [['state', '=', 'posted']], { fields: ['name', 'partner_id', 'ref'], order: 'id desc' });
    expect(rows).toEqual([
      { id: 2, name: 'BILL/2025/0001', partner_id: [11, 'Azure Interior'], ref: 'SI-1' },
      { id: 1, name: 'INV/2025/0001', partner_id: [10, 'Mabuhay Supplies Inc.'], ref: false },
    ]);
    expect(await client.searchCount('account.move', [])).toBe(3); // active_test hides the archived one
    expect(await client.searchCount('account.move', [], { context: { active_test: false } })).toBe(4);
    expect(await client.search('account.move', [], { context: { active_test: false }, order: 'write_date desc, id asc', limit: 2, offset: 1 })).toEqual([2, 3]);
    expect(await client.read('account.move', [3], { fields: ['partner_id', 'name'] })).toEqual([{ id: 3, partner_id: false, name: '/' }]);
    const fields = await client.fieldsGet('account.move', { attributes: ['type'] });
    expect(fields['partner_id']).toEqual({ type: 'many2one' });
    expect(fields['write_date']).toEqual({ type: 'datetime' });
    const sent = server.calls.filter((c) => c.modelMethod === 'search_read').at(-1);
    expect(sent?.kwargs?.['context']).toMatchObject({ lang: 'en_US', tz: 'UTC' });
  });

  it('bad credentials: authenticate returns false → AUTH_FAILED, not retried, key never shown', async () => {
    const client = new OdooClient({ ...config(), apiKey: 'wrong-key-that-must-not-leak' });
    const before = server.calls.length;
    const e = await failure(() => client.searchRead('account.move', []));
    expect(e.code).toBe('AUTH_FAILED');
    expect(e.message).toContain(server.login);
    expect(e.message).not.toContain('wrong-key-that-must-not-leak');
    expect(server.calls.length - before).toBe(1);
  });

  it.each([
    ['odoo.exceptions.AccessDenied', 'ACCESS_DENIED'],
    ['odoo.exceptions.AccessError', 'ACCESS_ERROR'],
    ['odoo.exceptions.ValidationError', 'VALIDATION_ERROR'],
    ['odoo.exceptions.MissingError', 'MISSING_ERROR'],
    ['odoo.exceptions.UserError', 'USER_ERROR'],
  ])('%s → %s, never retried', async (name, code) => {
    const client = new OdooClient(config());
    await client.authenticate();
    server.inject({ kind: 'odoo-error', name, message: 'nope' }, { times: Infinity, match: (c) => c.service === 'object' });
    const before = server.calls.length;
    const e = await failure(() => client.searchRead('account.move', []));
    expect(e).toMatchObject({ code, odooName: name, odooMessage: 'nope', retryable: false });
    expect(server.calls.length - before).toBe(1);
  });

  it('real Odoo errors: ACL denial, unknown field/model/method, private method, missing record', async () => {
    const client = new OdooClient(config());
    server.deniedModels.add('res.partner');
    try {
      expect(await failure(() => client.searchRead('res.partner', []))).toMatchObject({ code: 'ACCESS_ERROR', odooName: 'odoo.exceptions.AccessError' });
    } finally {
      server.deniedModels.delete('res.partner');
    }
    expect(await failure(() => client.searchRead('account.move', [['nope', '=', 1]]))).toMatchObject({ code: 'SERVER_ERROR', odooName: 'builtins.ValueError', odooMessage: "Invalid field 'nope' on model 'account.move'" });
    expect(await failure(() => client.searchRead('x.model', []))).toMatchObject({ code: 'USER_ERROR' });
    expect(await failure(() => client.call('account.move', 'frobnicate', [], {}))).toMatchObject({ odooName: 'builtins.AttributeError' });
    expect(await failure(() => client.call('account.move', '_compute_amount', [], {}))).toMatchObject({ code: 'ACCESS_ERROR' });
    expect(await failure(() => client.read('account.move', [999]))).toMatchObject({ code: 'MISSING_ERROR', retryable: false });
  });

  it('retries 5xx, 429 (Retry-After), malformed JSON and timeouts, then succeeds', async () => {
    const client = new OdooClient({ ...config(), timeoutMs: 150, maxAttempts: 5 });
    await client.authenticate();
    const objectCalls = (c: { service: string }) => c.service === 'object';
    server.inject({ kind: 'http', status: 502 }, { match: objectCalls });
    server.inject({ kind: 'http', status: 429, retryAfter: '0' }, { match: objectCalls });
    server.inject({ kind: 'malformed-json' }, { match: objectCalls });
    server.inject({ kind: 'delay', ms: 400 }, { match: objectCalls });
    const before = client.stats.retries;
    // The faults apply one per request, in order: 502, 429, bad JSON, slow (timeout), then success.
    expect(await client.searchCount('account.move', [])).toBe(3);
    expect(client.stats.retries - before).toBe(4);
  });

  it('gives up after maxAttempts on a persistent 5xx with HTTP_ERROR', async () => {
    const client = new OdooClient({ ...config(), maxAttempts: 3 });
    await client.authenticate();
    server.inject({ kind: 'http', status: 503 }, { times: Infinity, match: (c) => c.service === 'object' });
    const before = server.calls.length;
    expect(await failure(() => client.searchCount('account.move', []))).toMatchObject({ code: 'HTTP_ERROR', status: 503, retryable: true });
    expect(server.calls.length - before).toBe(3);
  });

  it('network errors are retried, then surface as NETWORK_ERROR', async () => {
    const gone = await FakeOdooServer.start();
    const url = gone.url;
    await gone.close();
    const client = new OdooClient({ ...config(), url, maxAttempts: 2 });
    const e = await failure(() => client.version());
    expect(e).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('a reply without `result` (a method returning None) reads as null; a wrong result type is BAD_RESPONSE', async () => {
    const client = new OdooClient(config());
    await client.authenticate();
    server.inject({ kind: 'result', value: undefined }, { match: (c) => c.service === 'object' });
    expect(await client.call('account.move', 'action_post', [[1]], {})).toBeNull();
    server.inject({ kind: 'result', value: { not: 'a list' } }, { match: (c) => c.service === 'object' });
    expect(await failure(() => client.searchRead('account.move', []))).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('session expiry → re-authenticates once and succeeds', async () => {
    const client = new OdooClient(config());
    await client.authenticate();
    server.inject({ kind: 'session-expired' }, { match: (c) => c.service === 'object' });
    const auths = server.count((c) => c.method === 'authenticate');
    expect(await client.searchCount('account.move', [])).toBe(3);
    expect(server.count((c) => c.method === 'authenticate') - auths).toBe(1);
    expect(client.stats.reauthentications).toBe(1);
  });

  it('speaks JSON-2 with a bearer key (Odoo 19)', async () => {
    const client = new OdooClient({ ...config(), protocol: 'json2' });
    expect((await client.version()).serverVersion).toBe('17.0');
    expect(await client.authenticate()).toBe(server.uid);
    expect(await client.searchRead('account.move', [['partner_id', '=', 10]], { fields: ['name'], order: 'id' })).toEqual([{ id: 1, name: 'INV/2025/0001' }]);
    expect(await client.read('account.move', [2], { fields: ['ref'] })).toEqual([{ id: 2, ref: 'SI-1' }]);
    expect(await failure(() => client.read('account.move', [999]))).toMatchObject({ code: 'MISSING_ERROR', status: 404 });
    const bad = new OdooClient({ ...config(), protocol: 'json2', apiKey: 'another-wrong-key' });
    const e = await failure(() => bad.searchCount('account.move', []));
    expect(e).toMatchObject({ code: 'ACCESS_DENIED', status: 401, odooName: 'werkzeug.exceptions.Unauthorized' });
    expect(e.message).not.toContain('another-wrong-key');
  });

  it('the server takes positional args, common.login, and context only from kwargs', async () => {
    const rpc = async (service: string, method: string, args: unknown[]): Promise<unknown> => {
      const r = await fetch(`${server.url}/jsonrpc`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 'x', params: { service, method, args } }) });
      return ((await r.json()) as { result?: unknown }).result;
    };
    expect(await rpc('common', 'login', [server.db, server.login, server.apiKey])).toBe(server.uid);
    expect(await rpc('common', 'login', [server.db, server.login, 'nope'])).toBe(false);
    const auth = [server.db, server.uid, server.apiKey, 'account.move'];
    expect(await rpc('object', 'execute_kw', [...auth, 'search_read', [[['move_type', 'like', 'invoice']], ['name'], 1, 1, 'id desc']])).toEqual([{ id: 2, name: 'BILL/2025/0001' }]); // ids 3, 2, 1 match; offset 1
    expect(await rpc('object', 'execute_kw', [...auth, 'search', [[]], { context: { active_test: false }, order: 'amount_total desc' }])).toEqual([1, 2, 4, 3]);
    expect(await rpc('object', 'execute_kw', [...auth, 'search_count', [[['ref', '!=', false]]]])).toBe(1); // the archived move (ref 'R') stays hidden
  });

  it('the server answers malformed bodies like Odoo (HTTP 400) and echoes the JSON-RPC id', async () => {
    const bad = await fetch(`${server.url}/jsonrpc`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Invalid JSON data');
    const denied = await fetch(`${server.url}/jsonrpc`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 17, params: { service: 'object', method: 'execute_kw', args: [server.db, server.uid, 'bad', 'account.move', 'search', [[]]] } }),
    });
    expect(denied.status).toBe(200);
    expect(await denied.json()).toMatchObject({ jsonrpc: '2.0', id: 17, error: { code: 200, message: 'Odoo Server Error', data: { name: 'odoo.exceptions.AccessDenied', message: 'Access Denied', arguments: ['Access Denied'], context: {} } } });
  });
});

describe('domain evaluation', () => {
  const rec = { id: 5, name: 'INV/2025/0005', state: 'posted', partner_id: [10, 'Mabuhay Supplies'], ref: false, amount: 12.5, tax_ids: [3, 4], write_date: '2025-04-01 00:00:00' };
  const has = (f: string): boolean => f in rec || f === 'active';
  const ev = (domain: unknown[]): boolean => evaluateDomain(parseDomain(domain), rec, has, 'account.move');

  it('prefix operators &, |, ! and implicit AND', () => {
    expect(ev([])).toBe(true);
    expect(ev(['|', ['state', '=', 'draft'], ['state', '=', 'posted']])).toBe(true);
    expect(ev(['&', '|', ['state', '=', 'draft'], ['id', '=', 5], ['amount', '>', 20]])).toBe(false);
    expect(ev(['!', ['state', '=', 'cancel']])).toBe(true);
    expect(ev([['state', '=', 'posted'], ['id', '>', 4]])).toBe(true);
    expect(ev([['state', '=', 'posted'], ['id', '>', 5]])).toBe(false);
    expect(ev(['|', ['write_date', '>', '2025-04-01 00:00:00'], '&', ['write_date', '=', '2025-04-01 00:00:00'], ['id', '>', 4]])).toBe(true);
    expect(ev([[1, '=', 1]])).toBe(true);
    expect(ev([[0, '=', 1]])).toBe(false);
  });

  it('term operators, many2one paths and false as NULL', () => {
    expect(ev([['ref', '=', false]])).toBe(true);
    expect(ev([['ref', '!=', false]])).toBe(false);
    expect(ev([['partner_id', '=', 10]])).toBe(true);
    expect(ev([['partner_id', 'ilike', 'mabuhay']])).toBe(true);
    expect(ev([['partner_id.id', 'in', [9, 10]]])).toBe(true);
    expect(ev([['name', 'like', '2025']])).toBe(true);
    expect(ev([['name', 'not ilike', 'inv']])).toBe(false);
    expect(ev([['name', '=like', 'INV/%']])).toBe(true);
    expect(ev([['name', '=ilike', 'inv/2025/000_']])).toBe(true);
    expect(ev([['state', 'not in', ['draft', 'cancel']]])).toBe(true);
    expect(ev([['tax_ids', 'in', [4]]])).toBe(true);
    expect(ev([['amount', '<=', 12.5], ['amount', '>=', 12.5], ['amount', '<', 13]])).toBe(true);
    expect(ev([['ref', '=?', false]])).toBe(true);
    expect(ev([['id', 'child_of', 5]])).toBe(true);
  });

  it('rejects unknown fields and operators like Odoo (builtins.ValueError)', () => {
    expect(() => ev([['nope', '=', 1]])).toThrow(/Invalid field 'nope'/);
    expect(() => ev([['id', '~', 1]])).toThrow(/Invalid operator/);
    expect(() => ev(['&', ['id', '=', 1]])).toThrow(/lacks operands/);
  });
});

describe('loadOdooSettings', () => {
  it('validates the environment and masks the key', () => {
    expect(loadOdooSettings({ ODOO_URL: 'https://odoo.example.ph/', ODOO_DB: 'prod', ODOO_USERNAME: 'bot', ODOO_API_KEY: 'abcdefgh12345' })).toEqual({
      url: 'https://odoo.example.ph', db: 'prod', username: 'bot', apiKey: 'abcdefgh12345', protocol: 'jsonrpc',
    });
    let error: unknown;
    try {
      loadOdooSettings({ ODOO_URL: 'ftp://x', ODOO_DB: '', ODOO_API_KEY: 'short', ODOO_PROTOCOL: 'xmlrpc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('ODOO_URL = "ftp://x"');
    expect(message).toContain('ODOO_DB');
    expect(message).toContain('ODOO_USERNAME');
    expect(message).toContain('ODOO_PROTOCOL = "xmlrpc"');
    expect(message).toContain('ODOO_API_KEY = <redacted, 5 chars>');
    expect(message).not.toContain('short');
  });
});
