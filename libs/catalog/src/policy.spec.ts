import { describe, expect, it } from 'vitest';
import { CatalogError } from './errors.js';
import { GrantEvaluator } from './evaluator.js';
import { declaredSecurables, loadPolicy, parsePolicy, type PolicySources } from './policy.js';
import { REPO_POLICY_DIR } from './repo-policy.js';

const CATALOGS = `catalogs:
  - name: gold
    schemas:
      - name: finance
        tables: [dashboard]
        functions: [forecast]
`;
const PRINCIPALS = `service_principals:
  - name: app
    application_id: 0f0e0d0c-0b0a-4909-8807-060504030201
groups:
  - name: analysts
    members: [ana@x.ph]
users:
  - email: ana@x.ph
`;
const sources = (grants: string, principals = PRINCIPALS, catalogs = CATALOGS): PolicySources => ({
  catalogs: { file: 'catalogs.yml', text: catalogs },
  principals: { file: 'principals.yml', text: principals },
  grants: { file: 'grants.yml', text: grants },
});

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).code).toBe('INVALID_POLICY');
    return (error as Error).message;
  }
  throw new Error('expected INVALID_POLICY');
}

describe('policy files', () => {
  it('flattens grants, naming service principals by application id', () => {
    const policy = parsePolicy(sources('grants:\n  - principal: app\n    on: SCHEMA gold.finance\n    privileges: [use_schema, SELECT]\n'));
    expect(policy.grants).toEqual([
      { principal: '0f0e0d0c-0b0a-4909-8807-060504030201', securable: { type: 'SCHEMA', name: 'gold.finance' }, privilege: 'USE SCHEMA' },
      { principal: '0f0e0d0c-0b0a-4909-8807-060504030201', securable: { type: 'SCHEMA', name: 'gold.finance' }, privilege: 'SELECT' },
    ]);
    expect(declaredSecurables(policy.catalogs).map((s) => `${s.type} ${s.name}`)).toEqual([
      'CATALOG gold',
      'SCHEMA gold.finance',
      'TABLE gold.finance.dashboard',
      'FUNCTION gold.finance.forecast',
    ]);
  });

  it('an unknown privilege lists the valid ones, with file and path', () => {
    const message = problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: CATALOG gold\n    privileges: [USE CATALOG, READ]\n')));
    expect(message).toContain('grants.yml: grants.0.privileges.1: "READ" is not a Unity Catalog privilege; valid: ALL PRIVILEGES, APPLY TAG');
  });

  it('a privilege not valid on its securable lists what is', () => {
    const message = problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: FUNCTION gold.finance.forecast\n    privileges: [SELECT]\n')));
    expect(message).toContain('grants.0.privileges.0: SELECT cannot be granted on a FUNCTION; valid on FUNCTION: ALL PRIVILEGES, EXECUTE, MANAGE');
  });

  it('an unknown securable type lists the valid ones; a wrong name shape says the shape', () => {
    expect(problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: WAREHOUSE w\n    privileges: [SELECT]\n')))).toContain(
      'grants.0.on: "WAREHOUSE w" is not a securable; expected one of METASTORE, CATALOG, SCHEMA, TABLE, FUNCTION, VOLUME',
    );
    // The seed's mistake: a CATALOG takes one name.
    expect(problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: CATALOG gold.finance\n    privileges: [SELECT]\n')))).toContain(
      'grants.0.on: "CATALOG gold.finance": a CATALOG is named catalog',
    );
  });

  it('undeclared securables and principals are named with what is declared; every problem at once', () => {
    const message = problemsOf(() =>
      parsePolicy(sources('grants:\n  - principal: app\n    on: SCHEMA gold.hr\n    privileges: [SELECT]\n  - principal: bob\n    on: CATALOG gold\n    privileges: [USE CATALOG]\n')),
    );
    expect(message).toContain('grants.0.on: SCHEMA gold.hr is not declared in catalogs.yml; declared SCHEMAs: gold.finance');
    expect(message).toContain('grants.1.principal: "bob" is not declared in principals.yml; declared: app, analysts, ana@x.ph');
  });

  it('schema problems name the file and path; unknown keys are refused', () => {
    expect(problemsOf(() => parsePolicy(sources('grants: []\n')))).toMatch(/^grants\.yml: grants: /);
    expect(problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: CATALOG gold\n    privileges: [SELECT]\n', PRINCIPALS.replace('0f0e0d0c', 'nope'))))).toContain(
      'principals.yml: service_principals.0.application_id',
    );
    expect(problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: CATALOG gold\n    privilege: [SELECT]\n')))).toContain('grants.yml: grants.0');
    expect(problemsOf(() => parsePolicy(sources('grants: [')))).toMatch(/^grants\.yml: not valid YAML/);
  });

  it('group members must be declared, and groups are not nested', () => {
    const nested = PRINCIPALS.replace('members: [ana@x.ph]', 'members: [ana@x.ph, analysts, zed@x.ph]');
    const message = problemsOf(() => parsePolicy(sources('grants:\n  - principal: app\n    on: CATALOG gold\n    privileges: [SELECT]\n', nested)));
    expect(message).toContain('groups.0.members.1: "analysts" is a group; nested groups are not modelled');
    expect(message).toContain('groups.0.members.2: "zed@x.ph" is not a declared service principal or user');
  });
});

describe('the repository policy (databricks/catalog)', async () => {
  const policy = await loadPolicy(REPO_POLICY_DIR);
  const evaluator = new GrantEvaluator(policy.principals, policy.grants);
  const table = (name: string) => ({ type: 'TABLE' as const, name });
  const forecast = { type: 'FUNCTION' as const, name: 'gold.ml_features.get_bir_forecast' };

  it('declares the five catalogs and ops', () => {
    expect(policy.catalogs.catalogs.map((c) => c.name)).toEqual(['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops']);
  });

  it.each([
    ['odoo-ce-n8n', 'modify', 'bronze.odoo.account_move', true],
    ['odoo-ce-n8n', 'read', 'silver.finance.moves', true],
    ['odoo-ce-n8n', 'read', 'gold.finance.bir_monthly', true],
    ['odoo-ce-n8n', 'modify', 'silver.finance.moves', false],
    ['odoo-ce-app', 'read', 'gold.finance.bir_monthly', true],
    ['odoo-ce-app', 'read', 'silver.finance.moves', false],
    ['odoo-ce-cicd', 'modify', 'sandbox.scratch.anything', true],
    ['odoo-ce-cicd', 'read', 'silver.scout.transactions', true],
    // odoo-ce-cicd is a member of databricks_admins (deployer, prod run_as): it reads gold through the group.
    ['odoo-ce-cicd', 'read', 'gold.finance.bir_monthly', true],
    ['odoo-ce-mcp', 'read', 'gold.scout.agency_summary', true],
    ['odoo-ce-mcp', 'read', 'silver.finance.moves', false],
    ['odoo-ce-mcp', 'read', 'bronze.scout.transactions', false],
    ['finance_analysts', 'read', 'silver.finance.moves', true],
    ['maria.santos@odoo-ce.ph', 'read', 'gold.finance.bir_monthly', true],
    ['maria.santos@odoo-ce.ph', 'read', 'gold.scout.agency_summary', false],
    ['data_scientists', 'read', 'gold.scout.agency_summary', true],
    ['jose.reyes@odoo-ce.ph', 'modify', 'sandbox.scratch.x', true],
    ['cfo@odoo-ce.ph', 'read', 'gold.finance.executive_dashboard', true],
    ['cfo@odoo-ce.ph', 'read', 'gold.finance.bir_monthly', false],
    ['platform-admin@odoo-ce.ph', 'modify', 'ops.ops.job_runs', true],
  ] as const)('%s may %s %s: %s', (principal, access, name, allowed) => {
    expect(evaluator.check(principal, access, table(name)).allowed).toBe(allowed);
  });

  it('the app and the MCP server may call the forecast function; analysts may not', () => {
    expect(evaluator.check('odoo-ce-app', 'execute', forecast).allowed).toBe(true);
    expect(evaluator.check('odoo-ce-mcp', 'execute', forecast).allowed).toBe(true);
    expect(evaluator.check('finance_analysts', 'execute', forecast).allowed).toBe(false);
  });

  it('admins manage every catalog', () => {
    for (const c of ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops']) {
      expect(evaluator.has('databricks_admins', 'MANAGE', { type: 'CATALOG', name: c })).toBe(true);
    }
  });
});
