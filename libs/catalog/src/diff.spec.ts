import { describe, expect, it } from 'vitest';
import { applyChanges, changeToSql, diffGrants, toTerraformGrants } from './diff.js';
import { CatalogError } from './errors.js';
import type { Grant, Privilege, SecurableType } from './model.js';

const g = (principal: string, type: SecurableType, name: string, privilege: Privilege): Grant => ({ principal, securable: { type, name }, privilege });

describe('diffGrants', () => {
  const actual = [
    g('finance_analysts', 'SCHEMA', 'gold.finance', 'USE SCHEMA'),
    g('finance_analysts', 'SCHEMA', 'gold.finance', 'MODIFY'),
    g('finance_analysts', 'SCHEMA', 'gold.finance', 'SELECT'),
    g('old-team', 'CATALOG', 'gold', 'USE CATALOG'),
  ];
  const desired = [
    g('finance_analysts', 'SCHEMA', 'gold.finance', 'SELECT'),
    g('finance_analysts', 'SCHEMA', 'gold.finance', 'USE SCHEMA'),
    g('finance_analysts', 'CATALOG', 'gold', 'USE CATALOG'),
    g('9e2f4a6b-3c5d-4e7f-8a9b-4c6d8e0f2a93', 'FUNCTION', 'gold.ml_features.get_bir_forecast', 'EXECUTE'),
  ];

  it('emits only what differs, revokes first, one statement per securable and principal', () => {
    expect(diffGrants(desired, actual).map(changeToSql)).toEqual([
      'REVOKE USE CATALOG ON CATALOG gold FROM `old-team`',
      'REVOKE MODIFY ON SCHEMA gold.finance FROM `finance_analysts`',
      'GRANT USE CATALOG ON CATALOG gold TO `finance_analysts`',
      'GRANT EXECUTE ON FUNCTION gold.ml_features.get_bir_forecast TO `9e2f4a6b-3c5d-4e7f-8a9b-4c6d8e0f2a93`',
    ]);
  });

  it('groups privileges of one principal on one securable into a single GRANT', () => {
    const changes = diffGrants([g('x', 'SCHEMA', 'silver.finance', 'SELECT'), g('x', 'SCHEMA', 'silver.finance', 'USE SCHEMA')], []);
    expect(changes.map(changeToSql)).toEqual(['GRANT SELECT, USE SCHEMA ON SCHEMA silver.finance TO `x`']);
  });

  it('ALL PRIVILEGES travels alone (Databricks takes ALL PRIVILEGES or a list, not both)', () => {
    const changes = diffGrants([g('admins', 'CATALOG', 'gold', 'MANAGE'), g('admins', 'CATALOG', 'gold', 'ALL PRIVILEGES'), g('admins', 'CATALOG', 'gold', 'USE CATALOG')], []);
    expect(changes.map(changeToSql)).toEqual(['GRANT ALL PRIVILEGES ON CATALOG gold TO `admins`', 'GRANT MANAGE, USE CATALOG ON CATALOG gold TO `admins`']);
  });

  it('applying the diff reaches the desired state, and a second diff is empty', () => {
    const after = applyChanges(actual, diffGrants(desired, actual));
    expect(diffGrants(desired, after)).toEqual([]);
    expect(new Set(after.map((x) => `${x.principal} ${x.privilege} ${x.securable.name}`))).toEqual(new Set(desired.map((x) => `${x.principal} ${x.privilege} ${x.securable.name}`)));
  });

  it('quotes principals always and odd name parts with backticks', () => {
    expect(changeToSql({ action: 'GRANT', principal: 'we`ird', securable: { type: 'TABLE', name: 'gold.my-schema.t' }, privileges: ['SELECT'] })).toBe(
      'GRANT SELECT ON TABLE gold.`my-schema`.t TO `we``ird`',
    );
    expect(changeToSql({ action: 'GRANT', principal: 'admins', securable: { type: 'METASTORE', name: '' }, privileges: ['CREATE CATALOG'] })).toBe('GRANT CREATE CATALOG ON METASTORE TO `admins`');
  });
});

describe('toTerraformGrants', () => {
  it('one authoritative databricks_grants per securable, privileges in API spelling', () => {
    const json = toTerraformGrants([
      g('finance_analysts', 'SCHEMA', 'gold.finance', 'USE SCHEMA'),
      g('finance_analysts', 'SCHEMA', 'gold.finance', 'SELECT'),
      g('data_scientists', 'SCHEMA', 'gold.finance', 'SELECT'),
      g('odoo-ce-app', 'FUNCTION', 'gold.ml_features.get_bir_forecast', 'EXECUTE'),
      g('databricks_admins', 'METASTORE', '', 'CREATE CATALOG'),
    ], { metastoreId: 'ms-1' });
    expect(json).toEqual({
      resource: {
        databricks_grants: {
          function_gold_ml_features_get_bir_forecast: { function: 'gold.ml_features.get_bir_forecast', grant: [{ principal: 'odoo-ce-app', privileges: ['EXECUTE'] }] },
          metastore: { metastore: 'ms-1', grant: [{ principal: 'databricks_admins', privileges: ['CREATE_CATALOG'] }] },
          schema_gold_finance: {
            schema: 'gold.finance',
            grant: [
              { principal: 'data_scientists', privileges: ['SELECT'] },
              { principal: 'finance_analysts', privileges: ['SELECT', 'USE_SCHEMA'] },
            ],
          },
        },
      },
    });
  });

  it('metastore grants without a metastore id are an error', () => {
    expect(() => toTerraformGrants([g('a', 'METASTORE', '', 'CREATE CATALOG')])).toThrow(CatalogError);
  });
});
