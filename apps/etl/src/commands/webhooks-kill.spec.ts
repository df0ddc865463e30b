import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultContext } from '../context.js';
import { main } from '../main.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'etl.mjs');
const SECRET = 'n8n-shared-secret-for-kill-test';
const sign = (text: string) => `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;

/** The CLI in-process, for the checks after the child is gone. */
async function etl(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, defaultContext({ env: { LOG_LEVEL: 'warn' }, cwd: mkdtempSync(join(tmpdir(), 'etl-')), print: (t) => void out.push(t) }), (t) => void err.push(t));
  return { code, stdout: out.join('\n'), stderr: err.join('') };
}

/** `etl webhooks serve` in a child process (the real bin); resolves with the child and its URL once it listens. */
async function serve(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'webhooks', 'serve', '--data-dir', dataDir], { env: { ...process.env, LOG_LEVEL: 'warn', N8N_WEBHOOK_SECRET: SECRET, ...env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      if (buffer.includes('\n')) resolve(buffer.split('\n')[0] as string);
    });
    child.on('exit', (code) => reject(new Error(`webhooks serve exited early with ${code}: ${stderr}`)));
  });
  return { child, url: (JSON.parse(line) as { url: string }).url, stderr: () => stderr };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('etl webhooks serve survives a kill between landing and responding', () => {
  it('SIGKILL after the durable write, before the 2xx: after a restart the redelivery is a duplicate and exactly one row is landed; etl ingest webhooks then moves it downstream, where the Scout job processes it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'etl-hooks-kill-'));
    const body = JSON.stringify({
      event_id: 'evt-kill-1',
      event_type: 'scout.transaction.submitted',
      occurred_at: '2026-03-01T08:00:00Z',
      data: { id: 'txn-kill-1', agency: 'RIM', vendor: 'Globe Telecom', category: 'utilities', amount: '1250.00', transaction_date: '2026-02-28' },
    });
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-n8n-signature': sign(body) }, body });

    // 1. The first receiver stores the event, then (fault injection) stops before answering; we kill it there.
    const first = await serve(dataDir, { ETL_FAULT_PAUSE_AFTER_STORE: '1' });
    const delivery = post(first.url).then(
      (res) => ({ status: res.status }),
      (error: unknown) => ({ error: error as Error }),
    );
    await new Promise<void>((resolve, reject) => {
      const check = () => (first.stderr().includes('fault: paused after storing evt-kill-1') ? resolve() : undefined);
      first.child.stderr.on('data', check);
      first.child.once('exit', () => reject(new Error(`the receiver exited before pausing: ${first.stderr()}`)));
      check();
    });
    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toEqual({ code: null, signal: 'SIGKILL' });
    // n8n never got an answer, so it will redeliver.
    expect(await delivery).toMatchObject({ error: expect.any(Error) as unknown });

    // 2. A restarted receiver (no fault) answers the redelivery as a duplicate.
    const second = await serve(dataDir);
    try {
      const redelivered = await post(second.url);
      expect(redelivered.status).toBe(200);
      expect(await redelivered.json()).toEqual({ ok: true, id: 'evt-kill-1', duplicate: true });
    } finally {
      second.child.kill('SIGTERM');
      expect(await exited(second.child)).toEqual({ code: 0, signal: null });
    }

    // 3. Exactly one row landed.
    const landed = await etl(['query', '--data-dir', dataDir, '--json', 'select _id, count(*) over () as n from bronze.external_sources.n8n_webhooks']);
    expect(landed.stdout).toBe('[{"_id":"evt-kill-1","n":1}]');

    // 4. `etl ingest webhooks` moves it to bronze.scout.transactions once, however often it runs.
    const ingested = await etl(['ingest', 'webhooks', '--data-dir', dataDir, '--json']);
    expect(ingested.code).toBe(0);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ pending: 1, types: [{ event_type: 'scout.transaction.submitted', table: 'bronze.scout.transactions', events: 1, rows_written: 1, rejected: 0 }] });
    const rerun = await etl(['ingest', 'webhooks', '--data-dir', dataDir]);
    expect(rerun.stdout).toBe('no new n8n events to process');
    const scout = await etl(['query', '--data-dir', dataDir, '--json', "select _id, _source, _raw->>'amount' as amount from bronze.scout.transactions"]);
    expect(scout.stdout).toBe('[{"_id":"txn-kill-1","_source":"n8n","amount":"1250.00"}]');
    // 5. …where the Scout job types it and its quality gate passes it to silver.
    const run = await etl(['run', 'scout_daily_sync', '--only', 'transaction_ingestion', '--data-dir', dataDir, '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'succeeded' });
    const silver = await etl(['query', '--data-dir', dataDir, '--json', 'select id, agency, amount from silver.scout.transactions']);
    expect(silver.stdout).toBe('[{"id":"txn-kill-1","agency":"RIM","amount":"1250.00"}]');
  }, 90_000);
});
