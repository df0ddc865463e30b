import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * Lints `code` as if it were the content of `file` (an existing file, so the type-aware parser
 * knows it) with the workspace's real ESLint config.
 */
async function lintAs(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (DESIGN.md dependency rules) fail lint', () => {
  beforeAll(() => {
    // @nx/enforce-module-boundaries reads the cached project graph; make sure it exists.
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
  }, 120_000);

  it('common importing warehouse', async () => {
    const messages = await lintAs('libs/common/src/lib/errors.ts', "import { Warehouse } from '@odoo-ce/warehouse';\nexport const w = Warehouse;\n");
    expect(messages.some((m) => m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('a domain lib importing an engine SDK', async () => {
    const messages = await lintAs('libs/data-quality/src/index.ts', "import { DBSQLClient } from '@databricks/sql';\nexport const c = DBSQLClient;\n");
    expect(messages).toContainEqual(expect.stringContaining('scope:data-quality" is not allowed to import "@databricks/sql"'));
  });

  it('the engine-neutral warehouse core importing DuckDB', async () => {
    const messages = await lintAs('libs/warehouse/src/core/layout.ts', "import { DuckDBInstance } from '@duckdb/node-api';\nexport const d = DuckDBInstance;\n");
    expect(messages).toContainEqual(expect.stringContaining('Engine SDKs are imported only in libs/warehouse/src/{duckdb,databricks,endpoint}'));
  });

  it('an app importing an engine SDK directly', async () => {
    const messages = await lintAs('apps/etl/src/format.ts', "import { DuckDBInstance } from '@duckdb/node-api';\nexport const d = DuckDBInstance;\n");
    expect(messages).toContainEqual(expect.stringContaining('is not allowed to import "@duckdb/node-api"'));
  });

  it('while the files as they are lint clean of boundary errors', async () => {
    const file = 'libs/common/src/lib/errors.ts';
    const messages = await lintAs(file, readFileSync(join(root, file), 'utf8'));
    expect(messages).toEqual([]);
  });
}, 120_000);

describe('pinned toolchain', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

  it('pins exact versions (no ranges) for every dev dependency', () => {
    for (const [name, version] of Object.entries(pkg.devDependencies)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('keeps nx and every @nx plugin on one version', () => {
    const nx = Object.entries(pkg.devDependencies).filter(([n]) => n === 'nx' || n.startsWith('@nx/'));
    expect(new Set(nx.map(([, v]) => v)).size).toBe(1);
  });
});
