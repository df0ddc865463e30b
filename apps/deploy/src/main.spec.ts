import { describe, expect, it } from 'vitest';
import { runCli } from './testing/fixtures.js';

describe('deploy CLI', () => {
  it.each([
    [[]],
    [['bundle']],
    [['bundle', 'validate']],
    [['bundle', 'render']],
    [['catalog']],
    [['catalog', 'plan']],
    [['catalog', 'apply']],
    [['grants']],
    [['grants', 'plan']],
    [['grants', 'apply']],
    [['grants', 'terraform']],
    [['migrate']],
    [['smoke']],
    [['cost']],
  ])('%j --help prints usage and exits 0', async (argv) => {
    const run = await runCli([...argv, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: deploy${argv.length ? ` ${argv.join(' ')}` : ''} `));
  });

  it('--help documents the exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+failure.*\n\s+2\s+drift.*\n\s+64\s+usage error/);
  });

  it('usage errors exit 64 (EX_USAGE), not 2 (drift), with one line and a hint; no stack traces', async () => {
    const unknown = await runCli(['deploy-everything']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("error: unknown command 'deploy-everything'");
    const target = await runCli(['migrate', '-t', 'qa']);
    expect(target.code).toBe(64);
    expect(target.stderr).toContain('--target must be one of local, dev, staging, prod, got "qa"');
    const missing = await runCli(['bundle', 'validate']);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("required option '-t, --target <target>' not specified");
    for (const run of [unknown, target, missing]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a target without its Databricks settings fails with the config error naming each variable', async () => {
    const run = await runCli(['catalog', 'plan', '-t', 'staging'], { DATABRICKS_TOKEN: 'dapi-secret-value' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('DATABRICKS_HOST = (unset)');
    expect(run.stderr).not.toContain('dapi-secret-value');
  });
});
