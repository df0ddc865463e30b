import { DBSQLClient } from '@databricks/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatementInterceptor } from './intercept.js';
import { startLocalEndpoint, type LocalEndpoint } from './local-endpoint.js';

/** The endpoint's `intercept` hook, seen through the real `@databricks/sql` client. */

const TOKEN = 'intercept-spec-token';
type Client = InstanceType<typeof DBSQLClient>;
type Session = Awaited<ReturnType<Client['openSession']>>;

async function rows(session: Session, sql: string): Promise<object[]> {
  const operation = await session.executeStatement(sql);
  try {
    return await operation.fetchAll();
  } finally {
    await operation.close();
  }
}

describe('local endpoint: intercept hook', () => {
  let endpoint: LocalEndpoint;
  let client: Client;
  let session: Session;
  const seen: { sql: string; catalog: string; schema: string }[] = [];
  const noted: string[] = [];

  const intercept: StatementInterceptor = async (sql, ns) => {
    seen.push({ sql, ...ns });
    if (/^SHOW THINGS/i.test(sql)) return { columns: ['Name', 'Note'], rows: [['a`b', null], ['c', 'it\'s']] };
    if (/^SHOW NOTHING/i.test(sql)) return { columns: ['Name'], rows: [] };
    if (/^NOTE /i.test(sql)) {
      noted.push(sql.slice(5));
      return { columns: [], rows: [] };
    }
    if (/^FAIL/i.test(sql)) throw new Error('refused by the interceptor');
    return undefined;
  };

  beforeAll(async () => {
    endpoint = await startLocalEndpoint({ token: TOKEN, dataDir: ':memory:', catalogs: ['gold'], intercept });
    client = new DBSQLClient({ logger: { log: () => undefined } });
    await client.connect({ host: endpoint.host, port: endpoint.port, path: endpoint.httpPath, token: TOKEN, customCaCert: endpoint.certPem, telemetryEnabled: false });
    session = await client.openSession({ initialCatalog: 'gold', initialSchema: 'main' });
  }, 20_000);
  afterAll(async () => {
    await client?.close();
    await endpoint?.close();
  });

  it('answers with its own rows, as string columns', async () => {
    expect(await rows(session, 'SHOW THINGS')).toEqual([
      { Name: 'a`b', Note: null },
      { Name: 'c', Note: "it's" },
    ]);
    expect(await rows(session, 'SHOW NOTHING')).toEqual([]);
  });

  it('sees the statement as sent (backticks and all) with the session namespace', async () => {
    await rows(session, 'NOTE `x`');
    expect(noted).toEqual(['`x`']);
    expect(seen.at(-1)).toEqual({ sql: 'NOTE `x`', catalog: 'gold', schema: 'main' });
  });

  it('passes other statements to DuckDB, and reports its failures as the statement error', async () => {
    expect(await rows(session, 'SELECT 41 + 1 AS n')).toEqual([{ n: 42 }]);
    await expect(rows(session, 'FAIL now')).rejects.toThrow(/refused by the interceptor/);
    expect(await rows(session, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});
