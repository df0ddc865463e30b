import { LAYERS, type CatalogLayout } from '@odoo-ce/common';
import type { Grant, Securable } from './model.js';

/**
 * The policy names logical catalogs (`bronze` … `sandbox`, and `ops.ops` for the ops schema); a
 * target's layout may call them otherwise (`dev_bronze`, ops in `dev_ops.ops`). This renames a
 * securable to the target's real names; names the layout does not know are kept.
 */
export function securableInLayout(securable: Securable, layout: CatalogLayout): Securable {
  if (securable.type === 'METASTORE') return securable;
  const [catalog, schema, ...rest] = securable.name.split('.') as [string, ...string[]];
  let realCatalog = catalog;
  let realSchema = schema;
  if ((LAYERS as readonly string[]).includes(catalog)) realCatalog = layout.catalogs[catalog as (typeof LAYERS)[number]];
  else if (catalog === 'ops') {
    realCatalog = layout.ops.catalog;
    if (schema === 'ops') realSchema = layout.ops.schema;
  }
  return { type: securable.type, name: [realCatalog, ...(realSchema === undefined ? [] : [realSchema]), ...rest].join('.') };
}

/** {@link securableInLayout} for every grant. */
export function grantsInLayout(grants: readonly Grant[], layout: CatalogLayout): Grant[] {
  return grants.map((g) => ({ ...g, securable: securableInLayout(g.securable, layout) }));
}
