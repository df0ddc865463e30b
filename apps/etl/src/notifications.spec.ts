import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseSuite, qualityGates } from '@odoo-ce/data-quality';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerRunCommand } from './commands/run.js';
import { defaultContext } from './context.js';
import { runNotifier } from './notifications.js';

/** Two tiny jobs: `load` writes silver.t.items (with NULL amounts in the bad one), `gate` runs its suite (amount_present: fail). */
const BUNDLE: Record<string, string> = {
  'databricks.yml': `
bundle: {name: notify}
resources:
  jobs:
    nightly_ok:
      tasks:
        - {task_key: load, sql_task: {warehouse_id: w, file: {path: sql/load_ok.sql}}}
        - {task_key: gate, depends_on: [{task_key: load}], sql_task: {warehouse_id: w, file: {path: sql/gate.sql}, parameters: {quality_gate: silver.t.items}}}
    nightly_bad:
      tasks:
        - {task_key: load, sql_task: {warehouse_id: w, file: {path: sql/load_bad.sql}}}
        - {task_key: gate, depends_on: [{task_key: load}], sql_task: {warehouse_id: w, file: {path: sql/gate.sql}, parameters: {quality_gate: silver.t.items}}}
        - {task_key: publish, depends_on: [{task_key: gate}], sql_task: {warehouse_id: w, file: {path: sql/gate.sql}}}
`,
  'sql/load_ok.sql': `CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
CREATE OR REPLACE TABLE {{catalog.silver}}.t.items AS SELECT range AS id, range * 10 AS amount FROM range(20);`,
  'sql/load_bad.sql': `CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.t;
CREATE OR REPLACE TABLE {{catalog.silver}}.t.items AS SELECT range AS id, CASE WHEN range % 5 = 0 THEN NULL ELSE range * 10 END AS amount FROM range(20);`,
  'sql/gate.sql': 'SELECT 1;',
};

const SUITE = parseSuite(
  `
suite: notify
tables:
  - table: silver.t.items
    expectations:
      - {name: amount_present, type: expect_column_values_to_not_be_null, kwargs: {column: amount}, action: fail}
      - {name: id_small, type: expect_column_values_to_be_between, kwargs: {column: id, max_value: 100}, action: warn}
`,
  'notify.yml',
);

interface Received {
  readonly path: string;
  readonly at: number;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly body: Record<string, unknown>;
}

describe('etl run notifications, end to end against local Mattermost and n8n stand-ins', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];
  /** Scripted answers per first path segment (`hooks` = Mattermost, `webhook` = n8n); then 200. */
  let scripts: Record<string, { status: number; retryAfter?: string }[]> = {};
  const bundleRoot = mkdtempSync(join(tmpdir(), 'etl-notify-bundle-'));
  for (const [file, text] of Object.entries(BUNDLE)) {
    mkdirSync(join(bundleRoot, file, '..'), { recursive: true });
    writeFileSync(join(bundleRoot, file), text);
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', at: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) as Record<string, unknown> });
        const next = scripts[(req.url ?? '').split('/')[1] ?? '']?.shift() ?? { status: 200 };
        res.writeHead(next.status, { 'content-type': 'text/plain', ...(next.retryAfter ? { 'retry-after': next.retryAfter } : {}) });
        res.end(next.status === 200 ? 'ok' : 'busy');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
    scripts = {};
  });

  /** `etl run <job>` through the real command, runner, quality gates and notifier wiring, on a fresh DuckDB. */
  async function etlRun(job: string, env: Record<string, string>) {
    const fullEnv = { LOG_LEVEL: 'silent', MATTERMOST_WEBHOOK_URL: `${base}/hooks/mm-key-0123`, MATTERMOST_CHANNEL: 'etl-alerts', N8N_WORKFLOW_WEBHOOK_URLS: `${base}/webhook/n8n-path-0123`, N8N_WEBHOOK_SECRET: 'n8n-shared-secret-for-tests', ...env };
    const ctx = defaultContext({ env: fullEnv, cwd: mkdtempSync(join(tmpdir(), 'etl-notify-')) });
    const logs: { level: string; obj: Record<string, unknown> }[] = [];
    const record = (level: string) => (obj: object) => void logs.push({ level, obj: obj as Record<string, unknown> });
    const printed: string[] = [];
    const program = new Command('etl').exitOverride();
    registerRunCommand(program, {
      bundleRoot,
      env: fullEnv,
      openWarehouse: (o) => ctx.openWarehouse(o),
      print: (t) => void printed.push(t),
      logger: () => ({ info: record('info'), warn: record('warn'), error: record('error') }),
      afterTask: (warehouse) => qualityGates(warehouse, new Map(SUITE.tables.map((t) => [t.table, t]))),
      notifier: (warehouse, logger) => runNotifier(fullEnv, warehouse, logger),
    });
    for (const c of program.commands) c.exitOverride();
    const dataDir = mkdtempSync(join(tmpdir(), 'etl-notify-data-'));
    const outcome = await program.parseAsync(['run', job, '--data-dir', dataDir, '--json'], { from: 'user' }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    return { error: outcome, logs, summary: (printed.length > 0 ? JSON.parse(printed.join('')) : null) as { runId: string; status: string } };
  }

  const mattermost = () => received.filter((r) => r.path === '/hooks/mm-key-0123');
  const n8n = () => received.filter((r) => r.path === '/webhook/n8n-path-0123');
  const kind = (r: Received) => ((r.body['props'] as { event?: string } | undefined)?.event ?? r.body['event_type']) as string;

  it('a job failing its gate sends job.failed and dq.failed with the failing expectations and counts; 429 Retry-After is honoured', async () => {
    scripts = { hooks: [{ status: 429, retryAfter: '1' }] };
    const { error, summary, logs } = await etlRun('nightly_bad', {});
    expect(summary.status).toBe('failed');
    expect(error?.message).toContain('job nightly_bad failed');

    // Mattermost: the first post got 429 Retry-After: 1 and was sent again after waiting it out; one message per kind.
    const mm = mattermost();
    expect(mm).toHaveLength(3);
    const [first, retried] = [mm[0] as Received, mm.slice(1).find((r) => r.raw === (mm[0] as Received).raw) as Received];
    expect(retried).toBeDefined();
    expect(retried.at - first.at).toBeGreaterThanOrEqual(950);
    expect(new Set(mm.map(kind))).toEqual(new Set(['job.failed', 'dq.failed']));
    const failedText = mm.find((r) => kind(r) === 'job.failed')?.body['text'] as string;
    expect(failedText).toContain(`:x: **nightly_bad** failed — run \`${summary.runId}\``);
    expect(failedText).toContain('failed task(s): `gate`');
    expect(failedText).toContain('amount_present');
    const dqText = mm.find((r) => kind(r) === 'dq.failed')?.body['text'] as string;
    expect(dqText).toContain(`**data quality failed** in **nightly_bad** — run \`${summary.runId}\` · 1 expectation(s)`);
    expect(dqText).toContain('| amount_present | silver.t.items | fail | 4 / 20 |');
    expect(dqText).not.toContain('id_small');
    expect(mm.every((r) => r.body['channel'] === 'etl-alerts')).toBe(true);

    // n8n: one signed event per kind, with the run id and the failures as data.
    const hooks = n8n();
    expect(hooks.map(kind).sort()).toEqual(['dq.failed', 'job.failed']);
    for (const h of hooks) expect(h.headers['x-n8n-signature']).toBe(`sha256=${createHmac('sha256', 'n8n-shared-secret-for-tests').update(h.raw).digest('hex')}`);
    expect(hooks.find((h) => kind(h) === 'dq.failed')?.body).toMatchObject({ run_id: summary.runId, job: 'nightly_bad', failures: [{ expectation: 'amount_present', table: 'silver.t.items', action: 'fail', failedRows: 4, totalRows: 20 }] });
    expect(logs.filter((l) => l.obj['event'] === 'notify.sent')).toHaveLength(4);
  }, 60_000);

  it('a bad notification setting stops the command before the job runs, naming the variable', async () => {
    const { error, summary } = await etlRun('nightly_ok', { ETL_NOTIFY_EVENTS: 'job.failed,job.exploded', MATTERMOST_WEBHOOK_URL: 'ftp://chat.example.ph/hooks/mm-key-0123' });
    expect(summary).toBeNull();
    expect(error?.message).toContain('ETL_NOTIFY_EVENTS = job.failed,job.exploded');
    expect(error?.message).toContain('MATTERMOST_WEBHOOK_URL = ftp://chat.example.ph/hooks/***');
    expect(error?.message).not.toContain('mm-key-0123');
    expect(received).toHaveLength(0);
  });

  it('an unreachable or failing channel never fails the job: retries are bounded and end in a warning', async () => {
    scripts = { webhook: Array.from({ length: 10 }, () => ({ status: 503 })) };
    const { error, summary, logs } = await etlRun('nightly_ok', { ETL_NOTIFY_EVENTS: 'job.succeeded,dq.failed' });
    expect(error).toBeUndefined();
    expect(summary.status).toBe('succeeded');
    expect(mattermost().map(kind)).toEqual(['job.succeeded']);
    expect(mattermost()[0]?.body['text']).toContain(`:white_check_mark: **nightly_ok** succeeded — run \`${summary.runId}\``);
    // n8n answered 503 every time: 5 attempts (the default bound), then a warning; the job still succeeded.
    expect(n8n()).toHaveLength(5);
    expect(new Set(n8n().map((r) => r.raw)).size).toBe(1);
    const warning = logs.find((l) => l.level === 'warn' && l.obj['event'] === 'notify.failed');
    expect(warning?.obj).toMatchObject({ channel: 'n8n', kind: 'job.succeeded', run_id: summary.runId });
    expect(JSON.stringify(logs)).not.toContain('n8n-path-0123');
    expect(JSON.stringify(logs)).not.toContain('mm-key-0123');
  }, 60_000);
});
