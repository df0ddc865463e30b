import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { JobsApiClient, loadBundle } from '@odoo-ce/bundle';
import { startJobsApiStandIn, type JobsApiStandIn } from '@odoo-ce/bundle/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerContext } from './context.js';
import { DatabricksJobs } from './jobs.js';
import { scopedIdempotencyToken } from './tools/jobs.js';
import { buildServer } from './server.js';
import { openFixture, type Fixture } from './testing/fixture.js';

const TOKEN = 'dapi-standin-token';
let fx: Fixture;
let api: JobsApiStandIn;
let client: Client;

async function connect(jobsApi: JobsApiClient): Promise<Client> {
  const ctx: ServerContext = { ...fx.ctx, jobs: new DatabricksJobs(jobsApi, () => loadBundle(join(fx.bundleDir))) };
  const [c, s] = InMemoryTransport.createLinkedPair();
  await buildServer(ctx, 'odoo-ce-mcp', { jobPrincipals: ['odoo-ce-mcp'] }).connect(s);
  const mcp = new Client({ name: 'jobs-spec', version: '1' });
  await mcp.connect(c);
  return mcp;
}
const call = async (c: Client, name: string, args: Record<string, unknown>) => (await c.callTool({ name, arguments: args })) as CallToolResult;
const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');

beforeAll(async () => {
  fx = await openFixture();
  api = await startJobsApiStandIn({ token: TOKEN, jobs: [{ job_id: 77, name: 'mcp test refresh', tasks: ['build', 'summarize'], parameters: { label: 'none' } }] });
  client = await connect(new JobsApiClient({ host: api.url, token: TOKEN, retry: { sleep: async () => undefined } }));
});
afterAll(async () => {
  await client.close();
  await api.close();
  await fx.close();
});

describe('run_job / get_run on a Databricks target (Jobs API 2.2 stand-in)', () => {
  it('finds the deployed job by its bundle name, runs it with the idempotency token, and follows it', async () => {
    api.failNext('/api/2.2/jobs/run-now', 429, 1, 0);
    const started = await call(client, 'run_job', { job: 'refresh', parameters: { label: 'agent' }, idempotency_token: 'agent-42' });
    expect(started.isError, text(started)).toBeFalsy();
    const run = started.structuredContent as { run_id: string; state: string; tasks: { task: string }[]; url: string };
    expect(run.run_id).toMatch(/^\d+$/);
    expect(run.state).toBe('PENDING');
    expect(run.tasks.map((t) => t.task)).toEqual(['build', 'summarize']);
    const runNows = api.requests.filter((r) => r.path === '/api/2.2/jobs/run-now');
    expect(runNows).toHaveLength(2);
    expect(runNows.every((r) => JSON.stringify(r.body) === JSON.stringify({ job_id: 77, job_parameters: { label: 'agent' }, idempotency_token: scopedIdempotencyToken('odoo-ce-mcp', 'agent-42') }))).toBe(true);

    const again = await call(client, 'run_job', { job: 'refresh', parameters: { label: 'agent' }, idempotency_token: 'agent-42' });
    expect((again.structuredContent as { run_id: string }).run_id).toBe(run.run_id);

    const states: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = (await call(client, 'get_run', { run_id: run.run_id })).structuredContent as { state: string; result: string | null };
      states.push(`${r.state}/${r.result}`);
    }
    expect(states.at(-1)).toBe('TERMINATED/SUCCESS');
  });

  it('turns Jobs API errors into clean tool errors', async () => {
    expect(text(await call(client, 'get_run', { run_id: '999999' }))).toBe('[NOT_FOUND] the job or run does not exist in the workspace');
    expect(text(await call(client, 'get_run', { run_id: 'abc' }))).toMatch(/^\[INVALID_ARGUMENT\] run_id: expected the numeric run id/);
    expect(text(await call(client, 'run_job', { job: 'broken' }))).toBe('[NOT_FOUND] no job named "broken" in the workspace; deploy the bundle first');
    expect(text(await call(client, 'run_job', { job: 'refresh', parameters: { nope: 'x' } }))).toMatch(/^\[INVALID_ARGUMENT\] HTTP 400 INVALID_PARAMETER_VALUE: Job parameters nope are not defined/);
    const wrong = await connect(new JobsApiClient({ host: api.url, token: 'dapi-wrong-token', retry: { sleep: async () => undefined } }));
    const r = await call(wrong, 'get_run', { run_id: '1001' });
    expect(text(r)).toBe('[UNAVAILABLE] the Databricks Jobs API is not available (UNAUTHENTICATED)');
    await wrong.close();
  });
});
