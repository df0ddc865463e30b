import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { loadPolicy, type Policy } from '@odoo-ce/catalog';
import { adapterFor, type Warehouse } from '@odoo-ce/warehouse';
import { loadBundle } from '@odoo-ce/bundle';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogAccess } from './catalog-access.js';
import { IdempotencyTokens, LocalJobs } from './jobs.js';
import type { ServerContext } from './context.js';
import { REPO_ROOT } from './open.js';
import { buildServer, type BuildServerOptions } from './server.js';
import { openFixture, type Fixture } from './testing/fixture.js';

/** The review findings of issue #7, each through the server (or CatalogAccess where the engine matters). */
let fx: Fixture;
let policy: Policy;
const clients: Client[] = [];

async function connect(principal: string, ctx: ServerContext = fx.ctx, options: BuildServerOptions = {}): Promise<Client> {
  const server = buildServer(ctx, principal, options);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(clientSide);
  clients.push(client);
  return client;
}
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const data = <T = Record<string, unknown>>(r: CallToolResult) => {
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent as T;
};
const principalId = (name: string) => policy.principals.find((p) => p.name === name)?.id as string;

beforeAll(async () => {
  fx = await openFixture();
  policy = await loadPolicy(join(REPO_ROOT, 'databricks', 'catalog'));
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await fx.close();
});

const CR_TRICK = "SELECT 1 AS x --\r, 'a\\', ' FROM silver.finance.moves --'";
const BACKSLASH_TRICK = "SELECT * -- \\\n, '\nFROM silver.finance.moves\n-- ' AS y";

describe('comments: the engine runs the one canonical text the gate judged', () => {
  it('a -- comment ended by CR hides no table from the gate', async () => {
    const mcp = await connect('odoo-ce-mcp');
    expect(text(await call(mcp, 'execute_sql', { sql: CR_TRICK }))).toMatch(/^\[REFUSED\] odoo-ce-mcp lacks .*silver\.finance\.moves/);
    // Allowed for a reader of silver, and DuckDB runs the statement the gate saw: a read of moves.
    const n8n = await connect('odoo-ce-n8n');
    expect(data<{ tables: string[]; row_count: number }>(await call(n8n, 'execute_sql', { sql: CR_TRICK }))).toMatchObject({ tables: ['silver.finance.moves'], row_count: 5 });
  });

  it('a -- comment ending in a backslash is refused', async () => {
    const n8n = await connect('odoo-ce-n8n');
    expect(text(await call(n8n, 'execute_sql', { sql: BACKSLASH_TRICK }))).toMatch(/^\[REFUSED\] .*backslash/);
    expect(text(await call(n8n, 'execute_sql', { sql: BACKSLASH_TRICK.replace(/\n/g, '\r\n') }))).toMatch(/^\[REFUSED\] .*backslash/);
  });

  it('Databricks gets the comment-free text in its own spelling, never the original', async () => {
    const databricks = { layout: fx.ctx.warehouse.layout, adapter: adapterFor('databricks') } as unknown as Warehouse;
    const access = new CatalogAccess({ warehouse: databricks, policy, source: 'policy', namespace: { catalog: 'gold', schema: 'finance' } });
    const decision = await access.checkStatement('odoo-ce-n8n', CR_TRICK);
    expect(decision).toMatchObject({ allowed: true, tables: ['silver.finance.moves'], sql: "SELECT 1 AS x  \r, 'a\\', ' FROM silver.finance.moves  " });
    const spelled = await access.checkStatement('odoo-ce-mcp', "SELECT `period` /* c */ FROM gold.finance.bir_monthly WHERE period <> 'it\\'s' -- end");
    expect(spelled).toMatchObject({ allowed: true, sql: "SELECT `period`   FROM gold.finance.bir_monthly WHERE period <> 'it\\'s'  " });
  });
});

describe('denylisted built-ins through execute_sql', () => {
  it.each(["SELECT secret('scope', 'key')", "SELECT try_secret('scope', 'key')", "SELECT ai_query('endpoint', 'hi')", "SELECT reflect('java.lang.System', 'exit', 0)", "SELECT java_method('java.lang.System', 'getenv', 'HOME')"])(
    '%s',
    async (sql) => {
      const admin = await connect('databricks_admins');
      expect(text(await call(admin, 'execute_sql', { sql }))).toMatch(/^\[REFUSED\] function \w+\(\) is not allowed/);
    },
  );
});

describe('SHOW / DESCRIBE on the local target, filtered to what the caller may see', () => {
  it('SHOW CATALOGS', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const d = data<{ columns: string[]; rows: { catalog: string }[] }>(await call(mcp, 'execute_sql', { sql: 'SHOW CATALOGS' }));
    expect(d.columns).toEqual(['catalog']);
    expect(d.rows.map((r) => r.catalog)).toContain('gold');
    expect(d.rows.map((r) => r.catalog)).not.toContain('silver');
    const n8n = await connect('odoo-ce-n8n');
    expect(data<{ rows: { catalog: string }[] }>(await call(n8n, 'execute_sql', { sql: 'SHOW CATALOGS' })).rows.map((r) => r.catalog)).toContain('silver');
  });

  it('SHOW SCHEMAS IN gold and SHOW TABLES IN gold.finance', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const schemas = data<{ columns: string[]; rows: { databaseName: string }[] }>(await call(mcp, 'execute_sql', { sql: 'SHOW SCHEMAS IN gold' }));
    expect(schemas.columns).toEqual(['databaseName']);
    expect(schemas.rows.map((r) => r.databaseName)).toContain('finance');
    const tables = data<{ columns: string[]; rows: { tableName: string }[] }>(await call(mcp, 'execute_sql', { sql: 'SHOW TABLES IN gold.finance' }));
    expect(tables.columns).toEqual(['database', 'tableName', 'isTemporary']);
    expect(tables.rows.map((r) => r.tableName)).toEqual(['bir_monthly', 'ledger']);
    expect(text(await call(mcp, 'execute_sql', { sql: 'SHOW TABLES IN silver.finance' }))).toMatch(/^\[REFUSED\] /);
  });

  it('DESCRIBE SCHEMA and DESCRIBE CATALOG', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const schema = data<{ columns: string[]; rows: unknown[] }>(await call(mcp, 'execute_sql', { sql: 'DESCRIBE SCHEMA gold.finance' }));
    expect(schema).toMatchObject({
      columns: ['database_description_item', 'database_description_value'],
      rows: [
        { database_description_item: 'Catalog Name', database_description_value: 'gold' },
        { database_description_item: 'Namespace Name', database_description_value: 'finance' },
      ],
    });
    expect(data(await call(mcp, 'execute_sql', { sql: 'DESCRIBE CATALOG gold' }))).toMatchObject({ rows: [{ info_name: 'Catalog Name', info_value: 'gold' }] });
    expect(text(await call(mcp, 'execute_sql', { sql: 'DESCRIBE SCHEMA silver.finance' }))).toMatch(/^\[REFUSED\] /);
    expect(text(await call(mcp, 'execute_sql', { sql: 'DESCRIBE SCHEMA gold.nope' }))).toBe('[NOT_FOUND] SCHEMA gold.nope does not exist');
    expect(text(await call(mcp, 'execute_sql', { sql: 'DESCRIBE FUNCTION gold.ml_features.get_bir_forecast' }))).toBe('[INVALID_ARGUMENT] DESCRIBE FUNCTION is not supported on the embedded engine');
  });
});

describe('predict kind=anomaly needs SELECT, not BROWSE', () => {
  it('refuses a principal that may only browse the feature table', async () => {
    // executives get BROWSE on gold (metadata everywhere) but SELECT only on the dashboard.
    const browse = { principal: principalId('executives'), securable: { type: 'CATALOG' as const, name: 'gold' }, privilege: 'BROWSE' as const };
    const access = new CatalogAccess({ warehouse: fx.ctx.warehouse, policy: { ...policy, grants: [...policy.grants, browse] }, source: 'policy' });
    expect(await access.canSee('executives', { catalog: 'gold', schema: 'ml_features', table: 'expense_prediction' })).toBe(true);
    const exec = await connect('executives', { ...fx.ctx, access });
    const r = await call(exec, 'predict', { kind: 'anomaly', transaction: { agency: 'A', vendor: 'V', category: 'C', amount: 10, date: '2026-01-05' } });
    expect(text(r)).toBe('[REFUSED] executives may not read gold.ml_features.expense_prediction');
  });
});

describe("the gate's namespace is the engine session's", () => {
  it('1- and 2-part names resolve against the session catalog and schema', async () => {
    const { rows } = await fx.ctx.warehouse.query<{ c: string; s: string }>('SELECT current_database() AS c, current_schema() AS s');
    const session = `${rows[0]?.c}.${rows[0]?.s}`.toLowerCase();
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT * FROM bir_monthly' });
    expect(text(r)).toContain(`${session}.bir_monthly`);
    expect(session).not.toBe('main.default');
  });

  it('a configured namespace (the Databricks session catalog/schema) is used as is', async () => {
    const access = new CatalogAccess({ warehouse: fx.ctx.warehouse, policy, source: 'policy', namespace: { catalog: 'gold', schema: 'finance' } });
    expect(await access.checkStatement('odoo-ce-mcp', 'SELECT * FROM bir_monthly')).toMatchObject({ allowed: true, tables: ['gold.finance.bir_monthly'] });
    expect(await access.checkStatement('odoo-ce-mcp', 'SELECT * FROM scout.agency_summary')).toMatchObject({ allowed: true, tables: ['gold.scout.agency_summary'] });
  });
});

describe('policy grants on the ops schema reach the layout ops schema', () => {
  it('a grant on ops.ops is checked on <ops.catalog>.<ops.schema>', async () => {
    const layout = { ...fx.ctx.warehouse.layout, ops: { catalog: 'dev_ops', schema: 'platform_ops' } };
    const stub = { layout, adapter: adapterFor('duckdb') } as unknown as Warehouse;
    const grants = [
      { principal: principalId('executives'), securable: { type: 'CATALOG' as const, name: 'ops' }, privilege: 'USE CATALOG' as const },
      { principal: principalId('executives'), securable: { type: 'SCHEMA' as const, name: 'ops.ops' }, privilege: 'USE SCHEMA' as const },
      { principal: principalId('executives'), securable: { type: 'SCHEMA' as const, name: 'ops.ops' }, privilege: 'SELECT' as const },
    ];
    const access = new CatalogAccess({ warehouse: stub, policy: { ...policy, grants: [...policy.grants, ...grants] }, source: 'policy', namespace: { catalog: 'gold', schema: 'finance' } });
    expect(await access.canRead('executives', { catalog: 'dev_ops', schema: 'platform_ops', table: 'job_runs' })).toBe(true);
    expect(await access.checkStatement('executives', 'SELECT * FROM dev_ops.platform_ops.job_runs')).toMatchObject({ allowed: true });
    expect(await access.canSee('executives', { catalog: 'dev_ops', schema: 'ops' })).toBe(false);
  });
});

describe('jobs: closed by default, tokens per principal, bounded', () => {
  async function waitTerminated(client: Client, runId: string) {
    for (let i = 0; i < 200; i++) {
      const run = data<{ state: string; message: string | null; tasks: { message: string | null }[] }>(await call(client, 'get_run', { run_id: runId }));
      if (run.state === 'TERMINATED') return run;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('run did not finish');
  }

  it('without --job-principals nobody may start or follow jobs', async () => {
    const mcp = await connect('odoo-ce-mcp');
    expect(text(await call(mcp, 'run_job', { job: 'refresh' }))).toMatch(/^\[REFUSED\] odoo-ce-mcp may not start jobs/);
    const allowed = await connect('odoo-ce-n8n', fx.ctx, { jobPrincipals: ['odoo-ce-n8n'] });
    const started = data<{ run_id: string }>(await call(allowed, 'run_job', { job: 'refresh' }));
    expect(text(await call(mcp, 'get_run', { run_id: started.run_id }))).toMatch(/^\[REFUSED\] odoo-ce-mcp may not follow job runs/);
    await waitTerminated(allowed, started.run_id);
  });

  it("one principal's idempotency token never returns another principal's run", async () => {
    const both = { jobPrincipals: ['odoo-ce-mcp', 'odoo-ce-n8n'] };
    const a = await connect('odoo-ce-mcp', fx.ctx, both);
    const b = await connect('odoo-ce-n8n', fx.ctx, both);
    const runA = data<{ run_id: string }>(await call(a, 'run_job', { job: 'refresh', idempotency_token: 'shared' }));
    const runB = data<{ run_id: string }>(await call(b, 'run_job', { job: 'refresh', idempotency_token: 'shared' }));
    expect(runB.run_id).not.toBe(runA.run_id);
    expect(data<{ run_id: string }>(await call(a, 'run_job', { job: 'refresh', idempotency_token: 'shared' })).run_id).toBe(runA.run_id);
    await waitTerminated(a, runA.run_id);
    await waitTerminated(b, runB.run_id);
  });

  it('tokens expire after the TTL and the oldest is forgotten past the bound', () => {
    let now = 0;
    const tokens = new IdempotencyTokens({ ttlMs: 1000, max: 2, now: () => now });
    tokens.set('a', 'run-a');
    now = 999;
    expect(tokens.get('a')).toBe('run-a');
    now = 1000;
    expect(tokens.get('a')).toBeUndefined();
    tokens.set('b', 'run-b');
    tokens.set('c', 'run-c');
    tokens.set('d', 'run-d');
    expect([tokens.get('b'), tokens.get('c'), tokens.get('d'), tokens.size]).toEqual([undefined, 'run-c', 'run-d', 2]);
  });

  it("a failed run's messages carry no SQL, file names or engine excerpts", async () => {
    const mcp = await connect('odoo-ce-mcp', fx.ctx, { jobPrincipals: ['odoo-ce-mcp'] });
    const run = await waitTerminated(mcp, data<{ run_id: string }>(await call(mcp, 'run_job', { job: 'broken' })).run_id);
    for (const m of [run.message, ...run.tasks.map((t) => t.message)]) {
      expect(m ?? '').not.toMatch(/SELECT|LINE \d|fail\.sql|\n/);
    }
  });

  it('a runner failure before the run starts reaches the agent without SQL or driver text', async () => {
    const real = fx.ctx.warehouse;
    const leak = () => Promise.reject(new Error('IO Error: cannot open /srv/secret/ops.duckdb\nLINE 1: INSERT INTO ops.ops.job_runs VALUES (...)'));
    const broken = new Proxy(real, {
      get: (target, key, receiver) => (key === 'query' || key === 'executeScript' || key === 'transaction' || key === 'stream' ? leak : Reflect.get(target, key, receiver)),
    });
    const jobs = new LocalJobs(broken, () => loadBundle(fx.bundleDir), { target: 'local', logger: fx.ctx.logger });
    const mcp = await connect('odoo-ce-mcp', { ...fx.ctx, jobs }, { jobPrincipals: ['odoo-ce-mcp'] });
    const r = await call(mcp, 'run_job', { job: 'refresh' });
    expect(r.isError).toBe(true);
    expect(text(r)).not.toMatch(/INSERT|secret|duckdb|LINE/);
    await jobs.close();
  });
});

describe('execute_sql with no rows', () => {
  it('returns the real columns of an empty result', async () => {
    const mcp = await connect('odoo-ce-mcp');
    for (const sql of ['SELECT period, tax_required FROM gold.finance.bir_monthly WHERE false', 'WITH t AS (SELECT 1 AS a, 2 AS b) SELECT * FROM t WHERE a > 5;']) {
      const d = data<{ columns: string[]; row_count: number }>(await call(mcp, 'execute_sql', { sql }));
      expect(d.row_count, sql).toBe(0);
      expect(d.columns, sql).toEqual(sql.startsWith('WITH') ? ['a', 'b'] : ['period', 'tax_required']);
    }
    // A page with rows keeps the names the rows carry.
    const page = data<{ columns: string[]; rows: unknown[] }>(await call(mcp, 'execute_sql', { sql: 'SELECT id FROM gold.finance.ledger WHERE id < 3 ORDER BY id', limit: 3 }));
    expect(page).toMatchObject({ columns: ['id'], rows: [{ id: 0 }, { id: 1 }, { id: 2 }] });
  });
});
