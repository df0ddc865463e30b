import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WarehouseError } from '../core/errors.js';
import { compiledQuery } from '../core/types.js';
import { Warehouse } from '../core/warehouse.js';
import { startLocalEndpoint, type LocalEndpoint } from '../endpoint/index.js';
import { databricksDialect, normalizeDatabricksConfig, type DatabricksConfig } from './databricks-driver.js';
import { redact, warehouseErrorFrom } from './errors.js';

const TOKEN = 'dapi-driver-spec-0123456789';

function configFor(endpoint: LocalEndpoint, overrides: Partial<DatabricksConfig> = {}): DatabricksConfig {
  return { host: endpoint.host, port: endpoint.port, httpPath: endpoint.httpPath, auth: { kind: 'pat', token: TOKEN }, caCertPem: endpoint.certPem, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<WarehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
}

describe('databricks config', () => {
  const base: DatabricksConfig = { host: 'adb-1.2.azuredatabricks.net', httpPath: '/sql/1.0/warehouses/abc', auth: { kind: 'pat', token: 'dapi123' } };

  it('is normalised once and frozen; https:// is tolerated', () => {
    const config = normalizeDatabricksConfig({ ...base, host: 'https://adb-1.2.azuredatabricks.net/' });
    expect(config.host).toBe('adb-1.2.azuredatabricks.net');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the field, the value and what was expected', () => {
    expect(() => databricksDialect({ ...base, host: 'adb-1.net/sql' })).toThrow(/host "adb-1.net\/sql" — expected the workspace hostname only/);
    expect(() => databricksDialect({ ...base, port: 70000 })).toThrow(/port 70000 — expected an integer between 1 and 65535/);
    expect(() => databricksDialect({ ...base, httpPath: 'sql/1.0' })).toThrow(/httpPath "sql\/1.0" — expected a path/);
    expect(() => databricksDialect({ ...base, auth: { kind: 'oauth-m2m', clientId: 'id', clientSecret: '' } })).toThrow(/auth.clientId\/clientSecret/);
  });
});

describe('databricks error mapping', () => {
  it('never lets a secret through a message', () => {
    expect(redact('token dapi-xyz-123 refused; again dapi-xyz-123', ['dapi-xyz-123'])).toBe('token *** refused; again ***');
    const error = warehouseErrorFrom(new Error('Bearer dapi-xyz-123 is invalid'), 'connect', ['dapi-xyz-123']);
    expect(error).toMatchObject({ code: 'CONNECTION_FAILED', message: 'Bearer *** is invalid' });
  });

  it('maps the driver error shapes to codes', () => {
    const http = Object.assign(new Error('Received a response with a bad HTTP status code: 401'), { statusCode: 401 });
    expect(warehouseErrorFrom(http, 'connect', [])).toMatchObject({ code: 'AUTH_FAILED', data: { httpStatus: 401 } });
    const state = Object.assign(new Error('boom'), { errorCode: 'ERROR', response: { displayMessage: '[DIVIDE_BY_ZERO] x', sqlState: '22012' } });
    expect(warehouseErrorFrom(state, 'query', [])).toMatchObject({ code: 'QUERY_FAILED', message: '[DIVIDE_BY_ZERO] x', data: { sqlState: '22012' } });
    expect(warehouseErrorFrom(Object.assign(new Error('x'), { errorCode: 'CANCELED' }), 'query', [])).toMatchObject({ code: 'QUERY_CANCELLED' });
    const refused = Object.assign(new Error('request failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    expect(warehouseErrorFrom(refused, 'query', [])).toMatchObject({ code: 'CONNECTION_FAILED', data: { code: 'ECONNREFUSED' } });
  });
});

describe('databricks driver against the local endpoint', () => {
  let endpoint: LocalEndpoint;
  let polling: LocalEndpoint;
  let wh: Warehouse;

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:' });
    // Answers every ExecuteStatement with RUNNING: the client must poll, then fetch.
    polling = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', directResultsWaitMs: 0 });
    wh = new Warehouse(databricksDialect(configFor(endpoint)));
  }, 20_000);
  afterAll(async () => {
    await wh?.close();
    await endpoint?.close();
    await polling?.close();
  });

  it('connects lazily and once: concurrent first queries share one session', async () => {
    const fresh = new Warehouse(databricksDialect(configFor(endpoint)));
    const sessions = endpoint.stats().sessions;
    try {
      const results = await Promise.all([1, 2, 3].map((n) => fresh.query(compiledQuery('select :n as n', { n }))));
      expect(results.map((r) => r.rows)).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
      expect(endpoint.stats().sessions).toBe(sessions + 1);
    } finally {
      await fresh.close();
    }
    await vi.waitFor(() => expect(endpoint.stats().sessions).toBe(sessions));
  });

  it('fails TLS without the endpoint certificate (CONNECTION_FAILED), and passes with it from a file', async () => {
    const untrusted = new Warehouse(databricksDialect({ ...configFor(endpoint), caCertPem: undefined }));
    const error = await failure(untrusted.query('select 1'));
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toMatch(/SELF_SIGNED|self-signed/i);
    await untrusted.close();
    const fromFile = new Warehouse(databricksDialect({ ...configFor(endpoint), caCertPem: undefined, caCertFile: endpoint.certFile }));
    expect((await fromFile.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await fromFile.close();
  });

  it('reports a refused connection and a wrong HTTP path as CONNECTION_FAILED', async () => {
    const refused = new Warehouse(databricksDialect({ ...configFor(endpoint), port: 1 }));
    expect(await failure(refused.query('select 1'))).toMatchObject({ code: 'CONNECTION_FAILED', data: { code: 'ECONNREFUSED' } });
    await refused.close();
    const wrongPath = new Warehouse(databricksDialect({ ...configFor(endpoint), httpPath: '/sql/1.0/warehouses/other' }));
    expect(await failure(wrongPath.query('select 1'))).toMatchObject({ code: 'CONNECTION_FAILED', data: { httpStatus: 404 } });
    await wrongPath.close();
  });

  it('keeps the OAuth client secret out of errors', async () => {
    const oauth = new Warehouse(databricksDialect({ ...configFor(endpoint), auth: { kind: 'oauth-m2m', clientId: 'sp-client', clientSecret: 'oauth-secret-value' } }));
    const error = await failure(oauth.query('select 1'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(`${error.message} ${JSON.stringify(error.data)}`).not.toContain('oauth-secret-value');
    await oauth.close();
  });

  it('cancels on abort: QUERY_CANCELLED at once, and the endpoint stops executing', async () => {
    const controller = new AbortController();
    const pending = wh.query('select count(*) from range(100000000000)', { signal: controller.signal });
    await vi.waitFor(() => expect(endpoint.stats().executing).toBe(1), { timeout: 5000, interval: 10 });
    controller.abort();
    expect(await failure(pending)).toMatchObject({ code: 'QUERY_CANCELLED' });
    await vi.waitFor(() => expect(endpoint.stats().executing).toBe(0), { timeout: 5000, interval: 10 });
    await expect(wh.query('select 1', { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'QUERY_CANCELLED' });
  }, 15_000);

  it('closes the operation on the warehouse when a stream is left early', async () => {
    for await (const batch of wh.stream('select range as id from range(500000)', { chunkSize: 5000 })) {
      expect(batch.length).toBe(5000);
      break;
    }
    await vi.waitFor(() => expect(endpoint.stats().operations).toBe(0));
  });

  it('refuses binary parameters, which Databricks cannot carry', async () => {
    expect(await failure(wh.query(compiledQuery('select :b as b', { b: new Uint8Array([1]) })))).toMatchObject({ code: 'NOT_SUPPORTED' });
  });

  it('polls a statement the server answered RUNNING, and still sees a late failure of a DDL', async () => {
    const slow = new Warehouse(databricksDialect(configFor(polling)));
    try {
      expect((await slow.query('select 40 + 2 as answer')).rows).toEqual([{ answer: 42 }]);
      const rows: unknown[] = [];
      for await (const batch of slow.stream('select range as id from range(3)', { chunkSize: 2 })) rows.push(...batch);
      expect(rows).toEqual([{ id: 0n }, { id: 1n }, { id: 2n }]);
      // DDL has no result set: the driver's fetch would return [] without looking at the state.
      expect(await failure(slow.query('create table t as select * from missing_table'))).toMatchObject({ code: 'QUERY_FAILED', data: { sqlState: '42P01' } });
      expect((await slow.query('create table t as select 1 as one')).rows).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('normalises column-based results (old servers) to the canonical mapping, as far as their precision goes', async () => {
    const columns = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', resultFormat: 'column' });
    const old = new Warehouse(databricksDialect(configFor(columns)));
    try {
      const { rows } = await old.query(
        "select 42::bigint as big, 12.30::decimal(10, 2) as dec, date '2024-02-29' as d, timestamp '2024-01-02 03:04:05.678901' as ts, null::bigint as n",
      );
      expect(rows).toEqual([{ big: 42n, dec: '12.30', d: '2024-02-29', ts: new Date('2024-01-02T03:04:05.678Z'), n: null }]);
    } finally {
      await old.close();
      await columns.close();
    }
  });

  it('reopens its session after the endpoint restarts with the same certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'endpoint-restart-'));
    const files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
    let first: LocalEndpoint | undefined = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', ...files });
    const port = first.port;
    const restarted = new Warehouse(databricksDialect(configFor(first)));
    let second: LocalEndpoint | undefined;
    try {
      expect((await restarted.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await first.close();
      first = undefined;
      second = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', port, ...files });
      // The old session is unknown to the new server: one failure at most, then a fresh session.
      const outcome = await restarted.query('select 2 as two').catch((e: unknown) => e);
      if (outcome instanceof WarehouseError) expect(outcome.code).toMatch(/QUERY_FAILED|CONNECTION_FAILED/);
      expect((await restarted.query('select 3 as three')).rows).toEqual([{ three: 3 }]);
    } finally {
      await restarted.close();
      await first?.close();
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
