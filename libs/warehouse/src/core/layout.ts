/** The logical catalogs of the lakehouse; a target maps each to a real catalog name. */
export const LAYERS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox'] as const;
export type Layer = (typeof LAYERS)[number];

/**
 * Where a target's data lives: the real name of each logical catalog and the location of the
 * operational tables (job runs, metrics, DQ results…). Never the `system` catalog, which
 * Databricks reserves.
 */
export interface CatalogLayout {
  readonly catalogs: Readonly<Record<Layer, string>>;
  readonly ops: { readonly catalog: string; readonly schema: string };
}

/** The identity layout used by the local target: `bronze` is `bronze`, ops tables in `ops.ops`. */
export const DEFAULT_LAYOUT: CatalogLayout = Object.freeze({
  catalogs: Object.freeze({ bronze: 'bronze', silver: 'silver', gold: 'gold', platinum: 'platinum', sandbox: 'sandbox' }),
  ops: Object.freeze({ catalog: 'ops', schema: 'ops' }),
});

/** Every real catalog name a layout uses (logical catalogs plus the ops catalog), deduplicated. */
export function layoutCatalogNames(layout: CatalogLayout): string[] {
  return [...new Set([...LAYERS.map((l) => layout.catalogs[l]), layout.ops.catalog])];
}
