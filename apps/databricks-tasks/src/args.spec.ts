import { PassThrough } from 'node:stream';
import { CliExit } from '@odoo-ce/common';
import { describe, expect, it } from 'vitest';
import { LAYOUT_KEYS, parseTaskArgs } from './args.js';
import { connectionFromEnv } from './connection.js';
import { main } from './main.js';

const COMMON = [
  '--target=dev', '--run_id=991', '--warehouse_id=abc123',
  '--bronze_catalog=dev_bronze', '--silver_catalog=dev_silver', '--gold_catalog=dev_gold', '--platinum_catalog=dev_platinum',
  '--sandbox_catalog=dev_sandbox', '--ops_catalog=dev_ops', '--ops_schema=ops',
];

function usageError(argv: string[]): CliExit {
  try {
    parseTaskArgs(argv);
  } catch (error) {
    if (error instanceof CliExit) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${argv.join(' ')}`);
}

async function runMain(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(argv, { env, stderr });
  return { code, stderr: Buffer.concat(chunks).toString('utf8') };
}

describe('parseTaskArgs', () => {
  it('builds the layout, the gate and the ml params from --key=value pairs', () => {
    const gate = parseTaskArgs(['quality_gate', ...COMMON, '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion', '--seed=7']);
    expect(gate).toMatchObject({
      entryPoint: 'quality_gate', target: 'dev', runId: '991', warehouseId: 'abc123',
      layout: { catalogs: { bronze: 'dev_bronze', silver: 'dev_silver', gold: 'dev_gold', platinum: 'dev_platinum', sandbox: 'dev_sandbox' }, ops: { catalog: 'dev_ops', schema: 'ops' } },
      gate: { table: 'silver.scout.transactions_candidates', task: 'transaction_ingestion' },
      mlParams: {},
    });
    const train = parseTaskArgs(['train', ...COMMON, '--seed=7', '--forecast_months=6', '--job=ml_training', '--table=silver.x.y']);
    expect(train).toMatchObject({ entryPoint: 'train', gate: undefined, job: 'ml_training', mlParams: { seed: '7', forecast_months: '6' } });
  });

  it('names every missing layout key and lists what is required (exit 64)', () => {
    for (const key of ['warehouse_id', ...LAYOUT_KEYS]) {
      const error = usageError(['score', ...COMMON.filter((a) => !a.startsWith(`--${key}=`))]);
      expect(error.exitCode).toBe(64);
      expect(error.message).toContain(`--${key} is missing`);
      expect(error.message).toContain('required: --target, --run_id, --warehouse_id, --bronze_catalog');
    }
  });

  it('rejects unknown keys, malformed arguments, repeats, bad values and unknown entry points', () => {
    const unknown = usageError(['train', ...COMMON, '--bogus=1']);
    expect(unknown.exitCode).toBe(64);
    expect(unknown.message).toMatch(/^unknown parameter --bogus \(value "1"\)\nusage: .*known keys: target, run_id, warehouse_id/);
    expect(usageError(['train', ...COMMON, 'seed=1']).message).toContain('argument 11 after the entry point: expected --key=value');
    expect(usageError(['train', '--seed', '1', ...COMMON]).message).toContain('argument 1 after the entry point (--seed): expected --key=value');
    expect(usageError(['train', ...COMMON, '--run_id=2']).message).toContain('parameter --run_id given twice with different values');
    expect(parseTaskArgs(['train', ...COMMON, '--run_id=991']).runId).toBe('991');
    expect(usageError(['train', ...COMMON.filter((a) => !a.startsWith('--gold')), '--gold_catalog=dev-gold']).message).toContain('--gold_catalog = "dev-gold": expected a plain identifier');
    expect(usageError(['train', ...COMMON, '--seed=-1']).message).toContain('--seed = "-1": expected a whole number');
    expect(usageError(['quality_gate', ...COMMON, '--task=t']).message).toContain('--table is missing');
    expect(usageError(['deploy', ...COMMON]).message).toContain('entry point "deploy": expected one of train, evaluate, promote, score, quality_gate');
  });

  it("accepts the job parameters Databricks pushes down when render listed them, and nothing else unknown", () => {
    const pushed = ['--job_parameters=bronze_catalog,silver_catalog,gold_catalog,run_date', '--run_date=2026-11-27'];
    expect(parseTaskArgs(['quality_gate', ...COMMON, '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion', ...pushed])).toMatchObject({ gate: { table: 'silver.scout.transactions_candidates' }, runId: '991' });
    expect(usageError(['quality_gate', ...COMMON, '--table=silver.scout.transactions_candidates', '--task=t', '--run_date=2026-11-27']).message).toContain('unknown parameter --run_date');
    expect(usageError(['train', ...COMMON, ...pushed, '--run_dat=x']).message).toContain('unknown parameter --run_dat');
  });

  it('never echoes the value of a secret-looking key', () => {
    const error = usageError(['train', ...COMMON, '--token=dapi-very-secret']);
    expect(error.message).toContain('unknown parameter --token (value <redacted, 16 chars>)');
    expect(error.message).not.toContain('dapi-very-secret');
    const stray = usageError(['train', ...COMMON, '--token', 'dapi-very-secret']);
    expect(stray.message).toContain('argument 11 after the entry point (--token): expected --key=value');
    expect(stray.message).not.toContain('dapi-very-secret');
  });
});

describe('connectionFromEnv', () => {
  it('derives host, port and the warehouse http path; DATABRICKS_HTTP_PATH and the CA file override', () => {
    expect(connectionFromEnv({ DATABRICKS_HOST: 'https://adb-1.2.azuredatabricks.net/', DATABRICKS_TOKEN: 't' }, 'wh1')).toEqual({
      host: 'adb-1.2.azuredatabricks.net', httpPath: '/sql/1.0/warehouses/wh1', auth: { kind: 'pat', token: 't' },
    });
    expect(connectionFromEnv({ DATABRICKS_HOST: '127.0.0.1:8443', DATABRICKS_TOKEN: 't', DATABRICKS_HTTP_PATH: '/sql/1.0/warehouses/local', DATABRICKS_CA_CERT_FILE: '/tmp/ca.pem' }, 'wh1')).toEqual({
      host: '127.0.0.1', port: 8443, httpPath: '/sql/1.0/warehouses/local', auth: { kind: 'pat', token: 't' }, caCertFile: '/tmp/ca.pem',
    });
  });
});

describe('main (in process)', () => {
  it('exits 64 on a usage error and 2 without credentials, with one line and no stack', async () => {
    const usage = await runMain(['train', ...COMMON, '--bogus=1'], { DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' });
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/^error: unknown parameter --bogus/);
    const noCredentials = await runMain(['train', ...COMMON], { DATABRICKS_HOST: 'adb-1.azuredatabricks.net' });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toBe('error: no Databricks credentials: DATABRICKS_TOKEN not set (the odoo_ce_tasks Python entry point sets them from the environment or the job compute\'s databricks-sdk Config)\n');
  });
});
