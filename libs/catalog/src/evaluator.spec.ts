import { describe, expect, it } from 'vitest';
import { GrantEvaluator, type Access } from './evaluator.js';
import type { Grant, Principal, Privilege, Securable, SecurableType } from './model.js';

const sp = (name: string, id: string): Principal => ({ kind: 'service_principal', name, id, members: [] });
const user = (email: string): Principal => ({ kind: 'user', name: email, id: email, members: [] });
const group = (name: string, members: string[]): Principal => ({ kind: 'group', name, id: name, members });
const on = (type: SecurableType, name: string): Securable => ({ type, name });
const grant = (principal: string, type: SecurableType, name: string, ...privileges: Privilege[]): Grant[] =>
  privileges.map((privilege) => ({ principal, securable: on(type, name), privilege }));

const principals = [
  sp('reader', '11111111-1111-4111-8111-111111111111'),
  user('ana@x.ph'),
  user('ben@x.ph'),
  group('analysts', ['ana@x.ph']),
  user('trav@x.ph'),
  user('schema@x.ph'),
  user('all@x.ph'),
  user('admin@x.ph'),
  user('meta@x.ph'),
  user('fn@x.ph'),
  user('one@x.ph'),
  user('browser@x.ph'),
];
const grants: Grant[] = [
  // catalog-wide read for the service principal, by application id
  ...grant('11111111-1111-4111-8111-111111111111', 'CATALOG', 'gold', 'USE CATALOG', 'USE SCHEMA', 'SELECT'),
  // group grant, schema level
  ...grant('analysts', 'CATALOG', 'silver', 'USE CATALOG'),
  ...grant('analysts', 'SCHEMA', 'silver.finance', 'USE SCHEMA', 'SELECT'),
  // traversal only
  ...grant('trav@x.ph', 'CATALOG', 'gold', 'USE CATALOG'),
  ...grant('trav@x.ph', 'SCHEMA', 'gold.finance', 'USE SCHEMA'),
  // SELECT on a schema without USE SCHEMA
  ...grant('schema@x.ph', 'CATALOG', 'gold', 'USE CATALOG'),
  ...grant('schema@x.ph', 'SCHEMA', 'gold.finance', 'SELECT'),
  // ALL PRIVILEGES on a catalog
  ...grant('all@x.ph', 'CATALOG', 'sandbox', 'ALL PRIVILEGES'),
  ...grant('admin@x.ph', 'CATALOG', 'sandbox', 'ALL PRIVILEGES', 'MANAGE'),
  // metastore grants are not inherited
  ...grant('meta@x.ph', 'METASTORE', '', 'CREATE CATALOG'),
  // EXECUTE at schema level reaches its functions
  ...grant('fn@x.ph', 'CATALOG', 'gold', 'USE CATALOG'),
  ...grant('fn@x.ph', 'SCHEMA', 'gold.ml', 'USE SCHEMA', 'EXECUTE'),
  // metadata only
  ...grant('browser@x.ph', 'CATALOG', 'gold', 'BROWSE'),
  // one table only
  ...grant('one@x.ph', 'CATALOG', 'gold', 'USE CATALOG'),
  ...grant('one@x.ph', 'SCHEMA', 'gold.finance', 'USE SCHEMA'),
  ...grant('one@x.ph', 'TABLE', 'gold.finance.dashboard', 'ALL PRIVILEGES'),
];
const evaluator = new GrantEvaluator(principals, grants);

/** Unity Catalog's documented inheritance and usage model (platform facts §3.1–3.2), case by case. */
const cases: [string, string, Access, Securable, boolean, string[]?][] = [
  ['catalog-level USE CATALOG + USE SCHEMA + SELECT reads every table in it', 'reader', 'read', on('TABLE', 'gold.finance.bir_monthly'), true],
  ['… and tables created later, in any schema', 'reader', 'read', on('TABLE', 'gold.scout.new_table'), true],
  ['… but nothing in another catalog', 'reader', 'read', on('TABLE', 'silver.finance.moves'), false, ['USE CATALOG on CATALOG silver', 'USE SCHEMA on SCHEMA silver.finance', 'SELECT on TABLE silver.finance.moves']],
  ['SELECT is not MODIFY', 'reader', 'modify', on('TABLE', 'gold.finance.bir_monthly'), false, ['MODIFY on TABLE gold.finance.bir_monthly']],
  ['a group member holds the group grant', 'ana@x.ph', 'read', on('TABLE', 'silver.finance.moves'), true],
  ['a schema grant does not reach a sibling schema', 'ana@x.ph', 'read', on('TABLE', 'silver.scout.transactions'), false, ['USE SCHEMA on SCHEMA silver.scout', 'SELECT on TABLE silver.scout.transactions']],
  ['a non-member does not hold the group grant', 'ben@x.ph', 'read', on('TABLE', 'silver.finance.moves'), false, ['USE CATALOG on CATALOG silver', 'USE SCHEMA on SCHEMA silver.finance', 'SELECT on TABLE silver.finance.moves']],
  ['USE CATALOG + USE SCHEMA grant no data access', 'trav@x.ph', 'read', on('TABLE', 'gold.finance.bir_monthly'), false, ['SELECT on TABLE gold.finance.bir_monthly']],
  ['… but do allow using the schema', 'trav@x.ph', 'use', on('SCHEMA', 'gold.finance'), true],
  ['SELECT without USE SCHEMA cannot read', 'schema@x.ph', 'read', on('TABLE', 'gold.finance.bir_monthly'), false, ['USE SCHEMA on SCHEMA gold.finance']],
  ['ALL PRIVILEGES on a catalog reads its tables', 'all@x.ph', 'read', on('TABLE', 'sandbox.scratch.t'), true],
  ['ALL PRIVILEGES on a catalog modifies its tables', 'all@x.ph', 'modify', on('TABLE', 'sandbox.scratch.t'), true],
  ['ALL PRIVILEGES on a catalog executes its functions', 'all@x.ph', 'execute', on('FUNCTION', 'sandbox.scratch.f'), true],
  ['EXECUTE on a schema reaches its functions', 'fn@x.ph', 'execute', on('FUNCTION', 'gold.ml.get_bir_forecast'), true],
  ['EXECUTE is not SELECT', 'fn@x.ph', 'read', on('TABLE', 'gold.ml.features'), false, ['SELECT on TABLE gold.ml.features']],
  ['BROWSE on a catalog shows metadata of its tables without usage privileges', 'browser@x.ph', 'browse', on('TABLE', 'gold.finance.bir_monthly'), true],
  ['… but reads no data', 'browser@x.ph', 'read', on('TABLE', 'gold.finance.bir_monthly'), false, ['USE CATALOG on CATALOG gold', 'USE SCHEMA on SCHEMA gold.finance', 'SELECT on TABLE gold.finance.bir_monthly']],
  ['without BROWSE, metadata needs usage plus some privilege on the object', 'trav@x.ph', 'browse', on('TABLE', 'gold.finance.bir_monthly'), false, ['BROWSE on TABLE gold.finance.bir_monthly']],
  ['a table grant reaches that table', 'one@x.ph', 'read', on('TABLE', 'gold.finance.dashboard'), true],
  ['a table grant does not reach its neighbours', 'one@x.ph', 'read', on('TABLE', 'gold.finance.bir_monthly'), false, ['SELECT on TABLE gold.finance.bir_monthly']],
];

describe('GrantEvaluator: Unity Catalog inheritance', () => {
  it.each(cases)('%s', (_title, principal, access, object, allowed, missing) => {
    const decision = evaluator.check(principal, access, object);
    expect(decision.allowed).toBe(allowed);
    if (missing) expect(decision.missing.map((m) => `${m.privilege} on ${m.securable.type} ${m.securable.name}`)).toEqual(missing);
  });

  it('ALL PRIVILEGES excludes MANAGE; MANAGE must be granted on its own', () => {
    expect(evaluator.has('all@x.ph', 'MANAGE', on('CATALOG', 'sandbox'))).toBe(false);
    expect(evaluator.has('all@x.ph', 'MANAGE', on('TABLE', 'sandbox.scratch.t'))).toBe(false);
    expect(evaluator.has('admin@x.ph', 'MANAGE', on('CATALOG', 'sandbox'))).toBe(true);
    expect(evaluator.has('admin@x.ph', 'MANAGE', on('TABLE', 'sandbox.scratch.t'))).toBe(true);
    expect(evaluator.has('all@x.ph', 'EXTERNAL USE SCHEMA', on('SCHEMA', 'sandbox.scratch'))).toBe(false);
  });

  it('ALL PRIVILEGES expands to what is effective on the object, and says so', () => {
    const onTable = evaluator.effectivePrivileges('all@x.ph', on('TABLE', 'sandbox.scratch.t'));
    expect(new Set(onTable.map((e) => e.privilege))).toEqual(new Set(['APPLY TAG', 'BROWSE', 'SELECT', 'MODIFY', 'REFRESH']));
    expect(onTable.every((e) => e.viaAllPrivileges && e.inheritedFrom.type === 'CATALOG' && e.inheritedFrom.name === 'sandbox')).toBe(true);
    expect(evaluator.privilegesOn('all@x.ph', on('CATALOG', 'sandbox'))).toEqual(new Set(['APPLY TAG', 'BROWSE', 'CREATE SCHEMA', 'USE CATALOG']));
  });

  it('grants do not flow upward: ALL PRIVILEGES on a table gives nothing on its schema', () => {
    expect(evaluator.privilegesOn('one@x.ph', on('SCHEMA', 'gold.finance'))).toEqual(new Set(['USE SCHEMA']));
    expect(evaluator.has('one@x.ph', 'SELECT', on('TABLE', 'gold.finance.dashboard'))).toBe(true);
  });

  it('metastore grants are not inherited by catalogs', () => {
    expect(evaluator.has('meta@x.ph', 'CREATE CATALOG', on('METASTORE', ''))).toBe(true);
    expect(evaluator.privilegesOn('meta@x.ph', on('CATALOG', 'gold')).size).toBe(0);
  });

  it('says where an inherited privilege comes from and to whom it was granted', () => {
    const select = evaluator.effectivePrivileges('ana@x.ph', on('TABLE', 'silver.finance.moves')).find((e) => e.privilege === 'SELECT');
    expect(select).toEqual({ privilege: 'SELECT', grantedTo: 'analysts', inheritedFrom: on('SCHEMA', 'silver.finance'), viaAllPrivileges: false });
  });

  it('finds a service principal by display name or application id, and refuses unknown names', () => {
    expect(evaluator.principal('READER').id).toBe('11111111-1111-4111-8111-111111111111');
    expect(evaluator.principal('11111111-1111-4111-8111-111111111111').name).toBe('reader');
    expect(() => evaluator.principal('nobody')).toThrow(/unknown principal "nobody"; known: .*reader/);
  });
});
