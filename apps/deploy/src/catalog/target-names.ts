import type { Securable } from '@odoo-ce/catalog';
import { LAYERS, type CatalogLayout, type Layer } from '@odoo-ce/warehouse';

/** The logical name of the ops catalog and schema in databricks/catalog/catalogs.yml. */
const OPS = 'ops';

/**
 * The policy (databricks/catalog/*.yml) names catalogs logically — `bronze`, `gold`, `ops` — and
 * every target maps them to real names (`dev_bronze` …) through its layout, the same mapping the
 * SQL templates use. `ops.ops` becomes the target's ops catalog and schema. Other names are kept.
 */
export function targetCatalog(logical: string, layout: CatalogLayout): string {
  if ((LAYERS as readonly string[]).includes(logical)) return layout.catalogs[logical as Layer];
  if (logical === OPS) return layout.ops.catalog;
  return logical;
}

/** A policy securable with its catalog (and the ops schema) renamed for the target. */
export function targetSecurable(securable: Securable, layout: CatalogLayout): Securable {
  if (securable.type === 'METASTORE') return securable;
  const [catalog, schema, ...rest] = securable.name.split('.');
  const mappedSchema = catalog === OPS && schema === OPS ? layout.ops.schema : schema;
  return { type: securable.type, name: [targetCatalog(catalog as string, layout), ...(mappedSchema !== undefined ? [mappedSchema] : []), ...rest].join('.') };
}
