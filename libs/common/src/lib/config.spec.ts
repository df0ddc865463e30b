import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const cwd = mkdtempSync(join(tmpdir(), 'cfg-'));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the local target on DuckDB with identity catalogs, frozen', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.target.name).toBe('local');
    expect(config.target.warehouse).toEqual({ engine: 'duckdb', dataDir: join(cwd, '.data', 'local') });
    expect(config.target.layout.catalogs.bronze).toBe('bronze');
    expect(config.target.layout.ops).toEqual({ catalog: 'ops', schema: 'ops' });
    expect(Object.isFrozen(config.target.layout.catalogs)).toBe(true);
    expect(() => ((config.target.layout.catalogs as { bronze: string }).bronze = 'x')).toThrow(TypeError);
  });

  it('--data-dir wins over ETL_DATA_DIR', () => {
    expect(loadConfig({ env: { ETL_DATA_DIR: '/a' }, cwd }).target.warehouse).toMatchObject({ dataDir: '/a' });
    expect(loadConfig({ env: { ETL_DATA_DIR: '/a' }, cwd, dataDir: '/b' }).target.warehouse).toMatchObject({ dataDir: '/b' });
  });

  it('reads Databricks settings under their standard names and prefixes dev catalogs', () => {
    const config = loadConfig({
      target: 'dev',
      cwd,
      env: { DATABRICKS_HOST: 'https://adb-1234.5.azuredatabricks.net/', DATABRICKS_HTTP_PATH: '/sql/1.0/warehouses/abc', DATABRICKS_TOKEN: 'dapi123' },
    });
    expect(config.target.warehouse).toEqual({
      engine: 'databricks',
      host: 'adb-1234.5.azuredatabricks.net',
      httpPath: '/sql/1.0/warehouses/abc',
      auth: { kind: 'pat', token: 'dapi123' },
    });
    expect(config.target.layout.catalogs.gold).toBe('dev_gold');
    expect(config.target.layout.ops).toEqual({ catalog: 'dev_ops', schema: 'ops' });
  });

  it('uses OAuth M2M when a client id is given without a token', () => {
    const config = loadConfig({
      target: 'prod',
      cwd,
      env: { DATABRICKS_HOST: 'h.cloud.databricks.com', DATABRICKS_HTTP_PATH: '/sql/1.0/warehouses/w', DATABRICKS_CLIENT_ID: 'sp-app-id', DATABRICKS_CLIENT_SECRET: 's3cret' },
    });
    expect(config.target.warehouse).toMatchObject({ auth: { kind: 'oauth-m2m', clientId: 'sp-app-id', clientSecret: 's3cret' } });
  });

  it('lists every invalid field at once, with values and expectations, secrets masked', () => {
    const error = configError(() =>
      loadConfig({
        target: 'staging',
        cwd,
        env: { DATABRICKS_HOST: 'ftp://nope', DATABRICKS_HTTP_PATH: 'warehouses/x', DATABRICKS_TOKEN: '', LOG_LEVEL: 'loud', ETL_CATALOG_GOLD: 'gold-1' },
      }),
    );
    const fields = error.issues.map((i) => i.field).sort();
    expect(fields).toEqual(['DATABRICKS_HOST', 'DATABRICKS_HTTP_PATH', 'DATABRICKS_TOKEN', 'ETL_CATALOG_GOLD', 'LOG_LEVEL']);
    const host = error.issues.find((i) => i.field === 'DATABRICKS_HOST');
    expect(host?.value).toBe('"ftp://nope"');
    expect(host?.expected).toMatch(/hostname/);
    expect(error.issues.find((i) => i.field === 'DATABRICKS_TOKEN')?.value).toBe('<redacted, 0 chars>');
    expect(error.issues.find((i) => i.field === 'LOG_LEVEL')?.expected).toMatch(/"info"/);
    expect(error.message).toContain('5 problems');
  });

  it('never shows a secret value in the error', () => {
    const error = configError(() => loadConfig({ target: 'dev', cwd, env: { DATABRICKS_TOKEN: 'dapi-very-secret' } }));
    expect(error.message).not.toContain('dapi-very-secret');
    expect(error.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['DATABRICKS_HOST', 'DATABRICKS_HTTP_PATH']));
  });

  it('an unknown target lists the known ones', () => {
    const error = configError(() => loadConfig({ target: 'qa', env: {}, cwd }));
    expect(error.code).toBe('UNKNOWN_TARGET');
    expect(error.message).toContain('local, dev, staging, prod');
    expect(error.issues[0]?.field).toBe('--target');
  });

  it('rejects an unknown engine and the reserved system catalog', () => {
    const error = configError(() => loadConfig({ env: { ETL_WAREHOUSE: 'sqlite', ETL_OPS_CATALOG: 'system' }, cwd }));
    expect(error.issues.map((i) => i.field)).toEqual(['ETL_WAREHOUSE', 'ETL_OPS_CATALOG']);
  });

  it('reads an optional .env; the process environment wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-env-'));
    writeFileSync(join(dir, '.env'), 'ETL_DATA_DIR=/from-dotenv\nLOG_LEVEL=debug\n');
    const config = loadConfig({ cwd: dir, env: { LOG_LEVEL: 'warn' } });
    expect(config.target.warehouse).toMatchObject({ dataDir: '/from-dotenv' });
    expect(config.log.level).toBe('warn');
  });
});
