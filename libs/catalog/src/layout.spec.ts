import { describe, expect, it } from 'vitest';
import { grantsInLayout, securableInLayout } from './layout.js';

const dev = {
  catalogs: { bronze: 'dev_bronze', silver: 'dev_silver', gold: 'dev_gold', platinum: 'dev_platinum', sandbox: 'dev_sandbox' },
  ops: { catalog: 'dev_ops', schema: 'meta' },
};

describe('policy names → a target layout', () => {
  it('renames logical catalogs and the ops schema, keeps the rest', () => {
    expect(securableInLayout({ type: 'CATALOG', name: 'gold' }, dev)).toEqual({ type: 'CATALOG', name: 'dev_gold' });
    expect(securableInLayout({ type: 'FUNCTION', name: 'gold.ml_features.get_bir_forecast' }, dev)).toEqual({ type: 'FUNCTION', name: 'dev_gold.ml_features.get_bir_forecast' });
    expect(securableInLayout({ type: 'SCHEMA', name: 'ops.ops' }, dev)).toEqual({ type: 'SCHEMA', name: 'dev_ops.meta' });
    expect(securableInLayout({ type: 'CATALOG', name: 'ops' }, dev)).toEqual({ type: 'CATALOG', name: 'dev_ops' });
    expect(securableInLayout({ type: 'CATALOG', name: 'hive_metastore' }, dev)).toEqual({ type: 'CATALOG', name: 'hive_metastore' });
    expect(securableInLayout({ type: 'METASTORE', name: '' }, dev)).toEqual({ type: 'METASTORE', name: '' });
  });

  it('maps grants, keeping principal and privilege', () => {
    expect(grantsInLayout([{ principal: 'a', securable: { type: 'TABLE', name: 'silver.finance.moves' }, privilege: 'SELECT' }], dev)).toEqual([
      { principal: 'a', securable: { type: 'TABLE', name: 'dev_silver.finance.moves' }, privilege: 'SELECT' },
    ]);
  });
});
