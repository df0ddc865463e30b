import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { LoggingMessageNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, clearModelCache, fitSeriesModel, MODEL_NAMES, PROMOTION_METRICS, promoteIfBetter, recordEvaluation, registerModel } from '@odoo-ce/ml';
import type { ServerContext } from './context.js';
import { RateLimiter } from './rate-limit.js';
import { buildServer, type BuildServerOptions } from './server.js';
import { openFixture, type Fixture } from './testing/fixture.js';

let fx: Fixture;
/** run_job/get_run are closed by default: these tests name the principal allowed to use them. */
const JOBS: BuildServerOptions = { jobPrincipals: ['odoo-ce-mcp'] };
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

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const data = <T = Record<string, unknown>>(r: CallToolResult) => {
  expect(r.isError, text(r)).toBeFalsy();
  return r.structuredContent as T;
};

beforeAll(async () => {
  fx = await openFixture({ limits: { maxRows: 100 } });
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await fx.close();
});

describe('tools/list', () => {
  it('lists every tool with input and output schemas and honest hints', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['describe_table', 'execute_sql', 'get_dq_results', 'get_run', 'list_catalogs', 'list_schemas', 'list_tables', 'predict', 'run_job']);
    for (const t of tools) {
      expect(t.outputSchema, t.name).toBeDefined();
      expect(t.description, t.name).toBeTruthy();
    }
    expect(tools.find((t) => t.name === 'execute_sql')?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'run_job')?.annotations?.readOnlyHint).toBe(false);
    expect(tools.find((t) => t.name === 'execute_sql')?.inputSchema.additionalProperties).toBe(false);
  });
});

describe('execute_sql', () => {
  it('returns rows as structuredContent plus a text copy, values in JSON form', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT period, tax_required FROM gold.finance.bir_monthly ORDER BY period' });
    const d = data<{ columns: string[]; rows: unknown[]; truncated: boolean; tables: string[] }>(r);
    expect(d).toMatchObject({
      columns: ['period', 'tax_required'],
      rows: [
        { period: '2025-01', tax_required: '1200.50' },
        { period: '2025-02', tax_required: '980.25' },
      ],
      row_count: 2,
      truncated: false,
      tables: ['gold.finance.bir_monthly'],
    });
    expect(d).not.toHaveProperty('next_cursor');
    expect(text(r)).toContain('"tax_required":"1200.50"');
  });

  it('pages with truncated + next_cursor and caps the page at the operator limit', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const sql = 'SELECT id, amount FROM gold.finance.ledger ORDER BY id';
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const d = data<{ rows: { id: number; amount: number }[]; truncated: boolean; next_cursor?: string }>(await call(mcp, 'execute_sql', { sql, limit: 1000, ...(cursor ? { cursor } : {}) }));
      expect(d.rows.length).toBeLessThanOrEqual(100);
      expect(d.truncated).toBe(d.next_cursor !== undefined);
      for (const row of d.rows) {
        expect(row.amount).toBe(row.id * 2);
        seen.push(row.id);
      }
      cursor = d.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('refuses a cursor that belongs to another statement, and a forged one', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const first = data<{ next_cursor: string }>(await call(mcp, 'execute_sql', { sql: 'SELECT id FROM gold.finance.ledger ORDER BY id', limit: 10 }));
    const other = await call(mcp, 'execute_sql', { sql: 'SELECT amount FROM gold.finance.ledger', cursor: first.next_cursor });
    expect(other.isError).toBe(true);
    expect(text(other)).toMatch(/^\[INVALID_ARGUMENT\] cursor: it belongs to a different statement/);
    const forged = await call(mcp, 'execute_sql', { sql: 'SELECT 1', cursor: 'bm90LWEtY3Vyc29y' });
    expect(text(forged)).toMatch(/^\[INVALID_ARGUMENT\] cursor: expected the next_cursor value/);
  });

  it('enforces grants: odoo-ce-mcp cannot read silver; odoo-ce-n8n can', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const refused = await call(mcp, 'execute_sql', { sql: 'SELECT * FROM silver.finance.moves' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/^\[REFUSED\] odoo-ce-mcp lacks .*SELECT on .*silver/);
    expect(refused.structuredContent).toBeUndefined();
    const joined = await call(mcp, 'execute_sql', { sql: 'SELECT b.period FROM gold.finance.bir_monthly b JOIN silver.finance.moves m ON true' });
    expect(text(joined)).toMatch(/^\[REFUSED\]/);
    const n8n = await connect('odoo-ce-n8n');
    expect(data<{ row_count: number }>(await call(n8n, 'execute_sql', { sql: 'SELECT * FROM silver.finance.moves' })).row_count).toBe(5);
  });

  it.each([
    ['multi-statement', 'COMMIT; DROP TABLE gold.finance.ledger'],
    ['a write after a comment', '-- just a comment\nDELETE FROM gold.finance.ledger'],
    ['INSERT', 'INSERT INTO gold.finance.ledger VALUES (1, 2)'],
    ['a file reader', "SELECT * FROM read_csv('/etc/passwd')"],
    ['ATTACH', "ATTACH '/tmp/x.duckdb' AS x"],
    ['a statement after SELECT', 'SELECT 1; DROP TABLE gold.finance.ledger'],
  ])('refuses %s and leaves the data alone', async (_label, sql) => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^\[REFUSED\] /);
    const { rows } = await fx.ctx.warehouse.query<{ n: bigint }>('SELECT count(*) AS n FROM gold.finance.ledger');
    expect(rows[0]?.n).toBe(250n);
  });

  it('cancels a statement that runs past its timeout, on the engine', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT sum(range % 7) AS s FROM range(1000000000000)', timeout_ms: 300 });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^\[TIMEOUT\] query cancelled after the 300 ms timeout/);
    // The engine is free again: a normal statement answers.
    expect(data<{ row_count: number }>(await call(mcp, 'execute_sql', { sql: 'SELECT 1 AS one' })).row_count).toBe(1);
  });

  it('stops the statement on the engine when the client cancels the call', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const before = fx.logs().length;
    const controller = new AbortController();
    const pending = mcp.callTool({ name: 'execute_sql', arguments: { sql: 'SELECT sum(range % 7) AS s FROM range(1000000000000)', timeout_ms: 60_000 } }, undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(pending).rejects.toThrow();
    // The server records the cancelled call once the engine has stopped the statement.
    for (let i = 0; i < 200 && !fx.logs().slice(before).some((l) => l['event'] === 'mcp.tool_call'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(fx.logs().slice(before).filter((l) => l['event'] === 'mcp.tool_call')).toMatchObject([{ tool: 'execute_sql', outcome: 'error', code: 'CANCELLED' }]);
    expect(data<{ row_count: number }>(await call(mcp, 'execute_sql', { sql: 'SELECT 1 AS one' })).row_count).toBe(1);
  });

  it('reports engine errors in one clean line, without SQL excerpts or stacks', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT no_such_column FROM gold.finance.ledger' });
    expect(r.isError).toBe(true);
    const t = text(r);
    expect(t).toMatch(/^\[QUERY_FAILED\] the warehouse rejected the statement: .*no_such_column/);
    expect(t).not.toMatch(/LINE 1|\n|at .*\.ts:\d+/);
  });

  it('runs DESCRIBE on a visible table and refuses it on a hidden one', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const d = data<{ rows: { column_name: string }[] }>(await call(mcp, 'execute_sql', { sql: 'DESCRIBE gold.finance.bir_monthly' }));
    expect(d.rows.map((r) => r.column_name)).toEqual(['period', 'tax_required']);
    expect(text(await call(mcp, 'execute_sql', { sql: 'DESCRIBE silver.finance.moves' }))).toMatch(/^\[REFUSED\] /);
  });

  it('validates arguments strictly', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT 1', rows: 5 });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('Input validation error');
  });
});

describe('browsing shows only what the caller may see', () => {
  it('list_catalogs', async () => {
    const mcp = await connect('odoo-ce-mcp');
    expect(data(await call(mcp, 'list_catalogs'))).toEqual({ catalogs: [{ name: 'gold', layer: 'gold' }] });
    const n8n = await connect('odoo-ce-n8n');
    expect(data<{ catalogs: { name: string }[] }>(await call(n8n, 'list_catalogs')).catalogs.map((c) => c.name)).toEqual(['bronze', 'silver', 'gold']);
  });

  it('list_schemas and list_tables', async () => {
    const mcp = await connect('odoo-ce-mcp');
    expect(data(await call(mcp, 'list_schemas', { catalog: 'gold' }))).toEqual({ catalog: 'gold', schemas: ['finance'] });
    expect(data(await call(mcp, 'list_tables', { catalog: 'gold', schema: 'finance' }))).toEqual({
      catalog: 'gold',
      schema: 'finance',
      tables: [
        { name: 'bir_monthly', full_name: 'gold.finance.bir_monthly', type: 'TABLE' },
        { name: 'ledger', full_name: 'gold.finance.ledger', type: 'TABLE' },
      ],
    });
    const hidden = await call(mcp, 'list_schemas', { catalog: 'silver' });
    expect(text(hidden)).toBe('[NOT_FOUND] catalog silver does not exist or you have no privilege on it');
    expect(text(await call(mcp, 'list_tables', { catalog: 'silver', schema: 'finance' }))).toMatch(/^\[NOT_FOUND\]/);
  });

  it('describe_table answers the same for a hidden table as for a missing one', async () => {
    const mcp = await connect('odoo-ce-mcp');
    expect(data(await call(mcp, 'describe_table', { table: 'gold.finance.bir_monthly' }))).toEqual({
      table: 'gold.finance.bir_monthly',
      columns: [
        { name: 'period', type: 'VARCHAR', nullable: true },
        { name: 'tax_required', type: 'DECIMAL(18,2)', nullable: true },
      ],
    });
    const hidden = text(await call(mcp, 'describe_table', { table: 'silver.finance.moves' }));
    const missing = text(await call(mcp, 'describe_table', { table: 'gold.finance.nope' }));
    expect(hidden.replace('silver.finance.moves', 'X')).toBe(missing.replace('gold.finance.nope', 'X'));
    expect(text(await call(mcp, 'describe_table', { table: 'moves' }))).toMatch(/^\[INVALID_ARGUMENT\] table: expected a three-part name/);
  });
});

describe('run_job and get_run (local runner)', () => {
  async function waitTerminated(client: Client, runId: string) {
    for (let i = 0; i < 200; i++) {
      const run = data<{ state: string; result: string | null; tasks: { task: string; result: string | null; message: string | null }[]; message: string | null }>(await call(client, 'get_run', { run_id: runId }));
      if (run.state === 'TERMINATED') return run;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('run did not finish');
  }

  it('starts a job, returns at once, and get_run follows it to SUCCESS', async () => {
    const mcp = await connect('odoo-ce-mcp', fx.ctx, JOBS);
    const started = data<{ run_id: string; job: string; state: string }>(await call(mcp, 'run_job', { job: 'refresh', parameters: { label: 'from-agent' } }));
    expect(started.job).toBe('refresh');
    expect(['RUNNING', 'TERMINATED']).toContain(started.state);
    const done = await waitTerminated(mcp, started.run_id);
    expect(done.result).toBe('SUCCESS');
    expect(done.tasks.map((t) => [t.task, t.result])).toEqual([
      ['build', 'SUCCESS'],
      ['summarize', 'SUCCESS'],
    ]);
    const { rows } = await fx.ctx.warehouse.query<{ label: string; n: bigint }>('SELECT label, count(*) AS n FROM sandbox.mcp.refreshed GROUP BY label');
    expect(rows).toEqual([{ label: 'from-agent', n: 3n }]);
  });

  it('returns the same run for the same idempotency token', async () => {
    const mcp = await connect('odoo-ce-mcp', fx.ctx, JOBS);
    const a = data<{ run_id: string }>(await call(mcp, 'run_job', { job: 'refresh', idempotency_token: 'tok-1' }));
    const b = data<{ run_id: string }>(await call(mcp, 'run_job', { job: 'refresh', idempotency_token: 'tok-1' }));
    expect(b.run_id).toBe(a.run_id);
    await waitTerminated(mcp, a.run_id);
  });

  it('reports a failed run with a one-line message', async () => {
    const mcp = await connect('odoo-ce-mcp', fx.ctx, JOBS);
    const started = data<{ run_id: string }>(await call(mcp, 'run_job', { job: 'broken' }));
    const done = await waitTerminated(mcp, started.run_id);
    expect(done.result).toBe('FAILED');
    expect(done.tasks[0]?.message).toMatch(/missing_table/);
    expect(done.tasks[0]?.message).not.toContain('\n');
  });

  it('says which jobs exist, refuses principals not allowed to run jobs, and NOT_FOUND for unknown runs', async () => {
    const mcp = await connect('odoo-ce-mcp', fx.ctx, JOBS);
    expect(text(await call(mcp, 'run_job', { job: 'nope' }))).toBe('[NOT_FOUND] job "nope" is not defined in the bundle; expected one of broken, refresh');
    expect(text(await call(mcp, 'get_run', { run_id: 'no-such-run' }))).toBe('[NOT_FOUND] run "no-such-run" does not exist on this target');
    const restricted = await connect('odoo-ce-n8n', fx.ctx, { jobPrincipals: ['odoo-ce-cicd'] });
    expect(text(await call(restricted, 'run_job', { job: 'refresh' }))).toMatch(/^\[REFUSED\] odoo-ce-n8n may not start jobs/);
  });
});

describe('predict', () => {
  it('answers a clean "no model registered" when no model is in production', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'predict', { kind: 'forecast', series: 'ewt:RIM', months: 3 });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('[NOT_FOUND] no model registered: no forecast model is in production on this target');
  });

  it('checks EXECUTE on the forecast function before anything else', async () => {
    const n8n = await connect('odoo-ce-n8n');
    expect(text(await call(n8n, 'predict', { kind: 'forecast', series: 'ewt:RIM' }))).toBe('[REFUSED] odoo-ce-n8n lacks EXECUTE on FUNCTION gold.ml_features.get_bir_forecast');
    const mcp = await connect('odoo-ce-mcp');
    expect(text(await call(mcp, 'predict', { kind: 'forecast' }))).toMatch(/^\[INVALID_ARGUMENT\] series: required/);
  });
});

describe('predict with a registered model', () => {
  it('forecasts a known series and says NOT_FOUND for an unknown one', async () => {
    const wh = fx.ctx.warehouse;
    const points = Array.from({ length: 36 }, (_, i) => ({ month: addMonths('2023-01', i), value: 1000 + 40 * (i % 12) + 5 * i }));
    const artifact = { kind: 'series_forecast', period: 12, series: { 'ewt:RIM': fitSeriesModel('ewt:RIM', points) } };
    const name = MODEL_NAMES.forecast;
    const version = await registerModel(wh, { name, params: {}, metrics: {}, trainingRunId: 'spec', artifact, promotionMetric: PROMOTION_METRICS[name].name });
    await recordEvaluation(wh, name, version, {}, 0.1);
    expect((await promoteIfBetter(wh, name, version, PROMOTION_METRICS[name])).promoted).toBe(true);
    clearModelCache(wh);

    const mcp = await connect('odoo-ce-mcp');
    const d = data<{ kind: string; series: string; model_version: number; points: { month: string; point: number; lower: number; upper: number }[] }>(
      await call(mcp, 'predict', { kind: 'forecast', series: 'ewt:RIM', months: 4 }),
    );
    expect(d).toMatchObject({ kind: 'forecast', series: 'ewt:RIM', model_version: version });
    expect(d.points.map((p) => p.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    for (const p of d.points) {
      expect(p.lower).toBeLessThanOrEqual(p.point);
      expect(p.upper).toBeGreaterThanOrEqual(p.point);
    }
    expect(text(await call(mcp, 'predict', { kind: 'forecast', series: 'vat:NOPE' }))).toMatch(/^\[NOT_FOUND\] series "vat:NOPE" is not in bir_monthly_forecast v\d+; known: ewt:RIM/);
    expect(text(await call(mcp, 'predict', { kind: 'anomaly', transaction: { agency: 'RIM', vendor: 'X', category: 'meals', amount: 12.5, date: '2025-01-02' } }))).toMatch(/^\[NOT_FOUND\] no model registered/);
  });
});

describe('get_dq_results', () => {
  it('returns the latest run per visible table, counts only (no sampled values)', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const r = await call(mcp, 'get_dq_results');
    const d = data<{ tables: { table: string; run_id: string; success: boolean; expectations: { expectation: string; unexpected_count: number }[] }[] }>(r);
    expect(d.tables).toHaveLength(1);
    expect(d.tables[0]).toMatchObject({ table: 'gold.finance.bir_monthly', run_id: 'run-new', success: false });
    expect(d.tables[0]?.expectations.map((e) => [e.expectation, e.unexpected_count])).toEqual([
      ['period_not_null', 0],
      ['tax_not_null', 3],
    ]);
    expect(text(r)).not.toContain('secret-value');
    const n8n = await connect('odoo-ce-n8n');
    expect(data<{ tables: { table: string }[] }>(await call(n8n, 'get_dq_results')).tables.map((t) => t.table)).toEqual(['gold.finance.bir_monthly', 'silver.finance.moves']);
    expect(data<{ tables: unknown[] }>(await call(mcp, 'get_dq_results', { table: 'silver.finance.moves' })).tables).toEqual([]);
  });
});

describe('plumbing', () => {
  it('writes one audit line per call: principal, tool, statement hash, tables, rows, ms, outcome', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const before = fx.logs().length;
    const sql = 'SELECT period FROM gold.finance.bir_monthly';
    await call(mcp, 'execute_sql', { sql });
    await call(mcp, 'execute_sql', { sql: 'SELECT * FROM silver.finance.moves' });
    const audit = fx.logs().slice(before).filter((l) => l['event'] === 'mcp.tool_call');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      principal: 'odoo-ce-mcp',
      tool: 'execute_sql',
      statement_sha256: createHash('sha256').update(sql).digest('hex'),
      tables: ['gold.finance.bir_monthly'],
      rows: 2,
      outcome: 'ok',
    });
    expect(typeof audit[0]?.['ms']).toBe('number');
    expect(audit[1]).toMatchObject({ outcome: 'refused', code: 'REFUSED', rows: null });
    expect(JSON.stringify(audit)).not.toContain('SELECT');
  });

  it('sends failures, and only failures, to the client log (MCP logging)', async () => {
    const mcp = await connect('odoo-ce-mcp');
    const received: unknown[] = [];
    mcp.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void received.push(n.params));
    await call(mcp, 'execute_sql', { sql: 'SELECT 1 AS one' });
    await call(mcp, 'execute_sql', { sql: 'SELECT * FROM silver.finance.moves' });
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toMatchObject([{ level: 'warning', logger: 'audit', data: { tool: 'execute_sql', outcome: 'refused', code: 'REFUSED' } }]);
    expect(JSON.stringify(received)).not.toContain('silver');
  });

  it('rate-limits per principal across sessions', async () => {
    const ctx: ServerContext = { ...fx.ctx, rateLimiter: new RateLimiter({ burst: 2, perMinute: 1 }) };
    const a = await connect('odoo-ce-app', ctx);
    const b = await connect('odoo-ce-app', ctx);
    expect((await call(a, 'list_catalogs')).isError).toBeFalsy();
    expect((await call(b, 'list_catalogs')).isError).toBeFalsy();
    const limited = await call(a, 'list_catalogs');
    expect(text(limited)).toMatch(/^\[RATE_LIMITED\] rate limit exceeded for odoo-ce-app; retry in \d+ s$/);
    const other = await connect('odoo-ce-mcp', ctx);
    expect((await call(other, 'list_catalogs')).isError).toBeFalsy();
    expect(fx.logs().filter((l) => l['outcome'] === 'rate_limited')).toHaveLength(1);
  });

  it('never sends an unexpected error message to the client', async () => {
    const ctx: ServerContext = {
      ...fx.ctx,
      access: { ...fx.ctx.access, checkStatement: async () => Promise.reject(new Error('driver exploded: host=10.0.0.7 password=hunter2')) } as ServerContext['access'],
    };
    const mcp = await connect('odoo-ce-mcp', ctx);
    const r = await call(mcp, 'execute_sql', { sql: 'SELECT 1' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('[INTERNAL] the call failed inside the server; the operator can find the details in its log');
    const logged = fx.logs().find((l) => l['event'] === 'mcp.tool_error');
    expect(JSON.stringify(logged)).toContain('driver exploded');
  });
});
