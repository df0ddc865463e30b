import { createRequire } from 'node:module';
import { DBSQLClient } from '@databricks/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEndpoint, type LocalEndpoint } from './local-endpoint.js';

/**
 * The endpoint speaks the driver's Thrift protocol. @databricks/sql 2.1.0 also ships a "kernel"
 * backend (SEA REST, not Thrift), used only with the internal `useKernel` option. If an upgrade
 * makes it the default, every Databricks test here would bypass the endpoint: fail loudly instead.
 */
describe('@databricks/sql pin', () => {
  let endpoint: LocalEndpoint;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: 'pin-token', dataDir: ':memory:' });
  });
  afterAll(async () => endpoint?.close());

  it('is version 2.1.0', () => {
    const require = createRequire(import.meta.url);
    expect((require('@databricks/sql/package.json') as { version: string }).version).toBe('2.1.0');
    expect((require('@databricks/sql/dist/version.js') as { default: string }).default).toBe('2.1.0');
  });

  it('talks Thrift by default (its ThriftBackend, requests arriving at the endpoint)', async () => {
    const client = new DBSQLClient({ logger: { log: () => undefined } });
    try {
      await client.connect({ host: endpoint.host, port: endpoint.port, path: endpoint.httpPath, token: 'pin-token', customCaCert: endpoint.certPem, telemetryEnabled: false });
      const backend = (client as unknown as { backend?: object }).backend;
      expect(backend?.constructor.name).toBe('ThriftBackend');
      const before = endpoint.stats().requests;
      const session = await client.openSession();
      const operation = await session.executeStatement('select 1 as one');
      expect(await operation.fetchAll()).toEqual([{ one: 1 }]);
      expect(endpoint.stats().requests).toBeGreaterThan(before);
    } finally {
      await client.close();
    }
  });
});
