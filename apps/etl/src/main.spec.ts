import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FakeOdooServer, loadSampleOdooDataset } from '@odoo-ce/connectors/odoo/testing';
import { describe, expect, it } from 'vitest';
import { defaultContext } from './context.js';
import { main } from './main.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '..', 'bin', 'etl.mjs');

/** Runs the CLI in-process with captured stdout/stderr and an isolated environment. */
async function etl(argv: string[], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'etl-'));
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, defaultContext({ env: { LOG_LEVEL: 'warn', ...env }, cwd, print: (t) => void out.push(t) }), (t) => void err.push(t));
  return { code, stdout: out.join('\n'), stderr: err.join('') };
}

describe('etl query', () => {
  it('prints JSON rows with --json', async () => {
    expect(await etl(['query', '--target', 'local', '--json', 'select 42 as x'])).toEqual({ code: 0, stdout: '[{"x":42}]', stderr: '' });
  });

  it('prints a table, with exact decimals and big integers', async () => {
    const { code, stdout } = await etl(['query', "select 'RIM' as agency, 1250.50::decimal(18,2) as amount, 9007199254740993 as big"]);
    expect(code).toBe(0);
    expect(stdout).toContain('agency │  amount │              big');
    expect(stdout).toContain('RIM    │ 1250.50 │ 9007199254740993');
    expect(stdout).toContain('(1 row)');
  });

  it('keeps big integers exact in JSON', async () => {
    expect((await etl(['query', '--json', 'select 9007199254740993 as big, 7::bigint as small'])).stdout).toBe('[{"big":"9007199254740993","small":7}]');
  });

  it('a SQL error prints the engine message on one line, no stack trace, exit 1', async () => {
    const { code, stderr } = await etl(['query', 'select * from bronze.scout.nope']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: \[QUERY_FAILED\] Catalog Error: Table with name "scout\.nope" does not exist/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown target lists the known ones', async () => {
    const { code, stderr } = await etl(['query', '--target', 'qa', 'select 1']);
    expect(code).toBe(1);
    expect(stderr).toContain('[UNKNOWN_TARGET]');
    expect(stderr).toContain('one of the known targets: local, dev, staging, prod');
  });

  it('a malformed config names every bad field without leaking the token', async () => {
    const { code, stderr } = await etl(['query', '--target', 'dev', 'select 1'], { DATABRICKS_HOST: 'not a host', DATABRICKS_TOKEN: 'dapi-secret-value' });
    expect(code).toBe(1);
    expect(stderr).toContain('DATABRICKS_HOST = "not a host"');
    expect(stderr).toContain('DATABRICKS_HTTP_PATH = (unset)');
    expect(stderr).not.toContain('dapi-secret-value');
  });

  it('bad option values name the option', async () => {
    const { code, stderr } = await etl(['query', '--timeout', 'soon', 'select 1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout must be a positive whole number, got "soon"');
  });
});

describe('etl demo, run and status', () => {
  it('runs the pipeline, reports it as JSON, and status lists the runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etl-demo-'));
    const demo = await etl(['demo', '--data-dir', dataDir, '--scale', '1500', '--seed', '3', '--skip-endpoint-check', '--json']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    const summary = JSON.parse(demo.stdout) as { quarantine_matches_ground_truth: boolean; jobs: { status: string }[]; rows: Record<string, number> };
    expect(summary.quarantine_matches_ground_truth).toBe(true);
    expect(summary.jobs.map((j) => j.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(summary.rows['gold.finance.bir_monthly']).toBe(12);

    const rerun = await etl(['run', 'month_end_close', '--target', 'local', '--data-dir', dataDir, '--json']);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ job: 'month_end_close', status: 'succeeded' });

    const status = await etl(['status', '--target', 'local', '--data-dir', dataDir, '--json']);
    const runs = JSON.parse(status.stdout) as { job: string; status: string }[];
    expect(runs.map((r) => r.job).sort()).toEqual(['bir_etl', 'month_end_close', 'month_end_close', 'scout_daily_sync']);

    const unknown = await etl(['run', 'no_such_job', '--target', 'local', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: \[UNKNOWN_JOB\].*no_such_job/);
  }, 120_000);
});

describe('etl warehouse serve + a target pointed at it', () => {
  it('serves the local endpoint; --target dev with DATABRICKS_* runs through the real driver; wrong token → AUTH_FAILED', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etl-serve-'));
    const child = spawn(process.execPath, [bin, 'warehouse', 'serve', '--token', 'serve-token-1', '--data-dir', dataDir], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string);
        });
        child.on('exit', (code) => reject(new Error(`serve exited early with ${code}`)));
      });
      const info = JSON.parse(line) as { host: string; port: number; httpPath: string; certFile: string; token?: string };
      expect(info).toMatchObject({ host: '127.0.0.1', httpPath: expect.stringMatching(/^\/sql\//) });
      expect(info.token).toBeUndefined(); // a token the user gave is never printed
      const env = { DATABRICKS_HOST: `${info.host}:${info.port}`, DATABRICKS_HTTP_PATH: info.httpPath, DATABRICKS_TOKEN: 'serve-token-1', DATABRICKS_CA_CERT_FILE: info.certFile, ETL_CATALOG_PREFIX: '' };
      expect(await etl(['query', '--target', 'dev', '--json', 'select 42 as x'], env)).toEqual({ code: 0, stdout: '[{"x":42}]', stderr: '' });
      // GRANT and SHOW GRANTS are answered from the served files' ops grants table, in Databricks' shape.
      expect((await etl(['query', '--target', 'dev', 'GRANT SELECT ON SCHEMA gold.finance TO `finance_analysts`'], env)).code).toBe(0);
      const grants = await etl(['query', '--target', 'dev', '--json', 'SHOW GRANTS ON SCHEMA gold.finance'], env);
      expect(JSON.parse(grants.stdout)).toEqual([{ Principal: 'finance_analysts', ActionType: 'SELECT', ObjectType: 'SCHEMA', ObjectKey: 'gold.finance' }]);
      const denied = await etl(['query', '--target', 'dev', 'select 1'], { ...env, DATABRICKS_TOKEN: 'wrong-token' });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/^error: \[AUTH_FAILED\]/);
      expect(denied.stderr).not.toContain('wrong-token');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});

describe('etl webhooks serve', () => {
  it('lands a signed n8n event in bronze before answering, ignores a redelivery, rejects a bad signature', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etl-hooks-'));
    const secret = 'n8n-shared-secret-for-tests';
    const child = spawn(process.execPath, [bin, 'webhooks', 'serve', '--data-dir', dataDir], { env: { ...process.env, LOG_LEVEL: 'warn', N8N_WEBHOOK_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string);
        });
        child.on('exit', (code) => reject(new Error(`webhooks serve exited early with ${code}`)));
      });
      const { url } = JSON.parse(line) as { url: string };
      expect(line).not.toContain(secret);
      const body = JSON.stringify({ event_id: 'evt-1', event_type: 'job.requested', data: { job: 'bir_etl', run_id: 'r-1' } });
      const sign = (text: string) => `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;
      const post = (signature: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-n8n-signature': signature }, body });
      const first = await post(sign(body));
      expect(first.status).toBe(200);
      const again = await post(sign(body));
      expect(await again.json()).toMatchObject({ duplicate: true });
      const forged = await post(sign(`${body} `));
      expect(forged.status).toBe(401);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const landed = await etl(['query', '--data-dir', dataDir, '--json', 'select _id from bronze.external_sources.n8n_webhooks']);
    expect(landed.stdout).toBe('[{"_id":"evt-1"}]');
  }, 60_000);
});

describe('etl bir', () => {
  it('withholding: exact decimals, and bad input names the option', async () => {
    expect((await etl(['bir', 'withholding', '--period', 'monthly', '--taxable', '33333', '--json'])).stdout).toBe('{"period":"monthly","taxable_compensation":"33333.00","tax":"1875.00"}');
    const bad = await etl(['bir', 'withholding', '--period', 'yearly', '--taxable', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period "yearly"');
  });

  it('vat-2550q computes the return from a quarter of totals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vat-'));
    const file = join(dir, 'q.json');
    writeFileSync(file, JSON.stringify({ vatable_sales: '1000000.00', exempt_sales: '200000.00', purchases: { domestic_goods: '500000.00' }, creditable_vat_withheld: '1000.00' }));
    const ok = await etl(['bir', 'vat-2550q', '--input', file, '--json']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ output_vat: '120000.00', line50_current_input_tax: '60000.00', line61_net_vat_payable: '60000.00', line21_tax_still_payable: '59000.00' });
    writeFileSync(file, JSON.stringify({ vatable_sales: 'a lot' }));
    const bad = await etl(['bir', 'vat-2550q', '--input', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('vatable_sales = "a lot"');
  });
});

describe('etl ingest odoo', () => {
  it('lands Odoo records from the local Odoo-protocol server that the bir_etl job then processes', async () => {
    const server = await FakeOdooServer.start({ dataset: loadSampleOdooDataset({ seed: 5, scale: 1500 }), apiKey: 'local-test-key-42' });
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'etl-odoo-'));
      const env = { ODOO_URL: server.url, ODOO_DB: 'odoo', ODOO_USERNAME: 'etl-bot@example.ph', ODOO_API_KEY: 'local-test-key-42' };
      const first = await etl(['ingest', 'odoo', '--data-dir', dataDir, '--json'], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).not.toContain('local-test-key-42');
      const run = await etl(['run', 'bir_etl', '--target', 'local', '--data-dir', dataDir, '--json'], env);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded' });
      const months = await etl(['query', '--data-dir', dataDir, '--json', 'select count(*) as n from gold.finance.bir_monthly'], env);
      expect(months.stdout).toBe('[{"n":12}]');

      const wrongKey = await etl(['ingest', 'odoo', '--data-dir', dataDir], { ...env, ODOO_API_KEY: 'not-the-right-key' });
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toContain('AUTH_FAILED');
      expect(wrongKey.stderr).not.toContain('not-the-right-key');
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('the etl bin', () => {
  it('runs from a fresh checkout with no build (npx etl)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'etl-bin-'));
    const { stdout } = await run(process.execPath, [bin, 'query', '--json', 'select 42 as x'], { cwd, env: { ...process.env, LOG_LEVEL: 'warn' } });
    expect(stdout.trim()).toBe('[{"x":42}]');
  }, 60_000);

  it('--help lists the commands', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    for (const command of ['query', 'warehouse', 'demo']) expect(stdout).toContain(command);
  }, 60_000);
});
