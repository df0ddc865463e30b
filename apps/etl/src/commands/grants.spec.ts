import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultContext } from '../context.js';
import { main } from '../main.js';

async function etl(argv: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'etl-grants-'));
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, defaultContext({ env: { LOG_LEVEL: 'warn' }, cwd, print: (t) => void out.push(t) }), (t) => void err.push(t));
  return { code, stdout: out.join('\n'), stderr: err.join('') };
}

describe('etl grants check', () => {
  it('allows what the policy grants and names the objects', async () => {
    expect(await etl(['grants', 'check', '--principal', 'odoo-ce-mcp', 'select period from gold.finance.bir_monthly'])).toEqual({
      code: 0,
      stdout: 'allowed: SELECT for odoo-ce-mcp — table gold.finance.bir_monthly',
      stderr: '',
    });
  });

  it('refuses with the reason and exit code 1', async () => {
    expect(await etl(['grants', 'check', '-p', 'odoo-ce-mcp', 'SELECT * FROM silver.finance.moves'])).toEqual({
      code: 1,
      stdout: 'refused [NO_PRIVILEGE]: odoo-ce-mcp lacks USE CATALOG on CATALOG silver, USE SCHEMA on SCHEMA silver.finance, SELECT on TABLE silver.finance.moves',
      stderr: '',
    });
    expect((await etl(['grants', 'check', '-p', 'databricks_admins', 'SELECT 1; DROP TABLE gold.finance.bir_monthly'])).stdout).toMatch(/^refused \[MULTIPLE_STATEMENTS\]/);
  });

  it('prints the decision as JSON, resolving short names in --namespace', async () => {
    const { code, stdout } = await etl(['grants', 'check', '-p', 'maria.santos@odoo-ce.ph', '--namespace', 'gold.finance', '--json', 'SELECT * FROM bir_monthly']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ principal: 'maria.santos@odoo-ce.ph', allowed: true, kind: 'SELECT', tables: ['gold.finance.bir_monthly'] });
  });

  it('reports a broken policy or an unknown principal in one line, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    writeFileSync(join(dir, 'catalogs.yml'), 'catalogs:\n  - name: gold\n    schemas: [{name: finance}]\n');
    writeFileSync(join(dir, 'principals.yml'), 'groups:\n  - name: a\n');
    writeFileSync(join(dir, 'grants.yml'), 'grants:\n  - principal: a\n    on: SCHEMA gold.finance\n    privileges: [READ]\n');
    const broken = await etl(['grants', 'check', '-p', 'a', '--policy', dir, 'SELECT 1']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error: \[INVALID_POLICY\] .*grants\.yml: grants\.0\.privileges\.0: "READ" is not a Unity Catalog privilege/);
    expect(broken.stderr).not.toContain('    at ');
    expect(await etl(['grants', 'check', '-p', 'mallory', 'SELECT 1'])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^refused \[UNKNOWN_PRINCIPAL\]: unknown principal "mallory"/) });
    expect((await etl(['grants', 'check', '-p', 'a', '--namespace', 'x', 'SELECT 1'])).code).toBe(2);
  });
});
