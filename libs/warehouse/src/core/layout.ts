import { LAYERS, type CatalogLayout } from '@odoo-ce/common';

export { LAYERS, type CatalogLayout, type Layer } from '@odoo-ce/common';

/** The identity layout used by the local target: `bronze` is `bronze`, ops tables in `ops.ops`. */
export const DEFAULT_LAYOUT: CatalogLayout = Object.freeze({
  catalogs: Object.freeze({ bronze: 'bronze', silver: 'silver', gold: 'gold', platinum: 'platinum', sandbox: 'sandbox' }),
  ops: Object.freeze({ catalog: 'ops', schema: 'ops' }),
});

/** Every real catalog name a layout uses (logical catalogs plus the ops catalog), deduplicated. */
export function layoutCatalogNames(layout: CatalogLayout): string[] {
  return [...new Set([...LAYERS.map((l) => layout.catalogs[l]), layout.ops.catalog])];
}
