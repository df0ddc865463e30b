import { LAYERS, type CatalogLayout, type Layer } from '@odoo-ce/warehouse';

/** The logical name of the ops catalog and schema in databricks/catalog/catalogs.yml. */
const OPS = 'ops';

/**
 * The policy (databricks/catalog/*.yml) names catalogs logically — `bronze`, `gold`, `ops` — and
 * every target maps them to real names (`dev_bronze` …) through its layout, the same mapping the
 * SQL templates use. Other names are kept. (Whole securables: `securableInLayout` of @odoo-ce/catalog.)
 */
export function targetCatalog(logical: string, layout: CatalogLayout): string {
  if ((LAYERS as readonly string[]).includes(logical)) return layout.catalogs[logical as Layer];
  if (logical === OPS) return layout.ops.catalog;
  return logical;
}
