/** The logical catalogs of the lakehouse (medallion layers plus the sandbox). */
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
