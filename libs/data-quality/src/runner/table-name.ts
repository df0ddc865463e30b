import { LAYERS, type CatalogLayout, type DialectAdapter, type Layer } from '@odoo-ce/warehouse';

/** A table name resolved for one target: real parts, quoted SQL, and the logical name for messages. */
export interface ResolvedTableName {
  readonly logical: string;
  readonly parts: readonly string[];
  readonly sql: string;
}

/**
 * Resolves `bronze.scout.transactions` through the target's layout: a first part naming a layer
 * becomes that layer's real catalog; other names are used as written. Returns an error string for
 * a malformed name (1–3 plain identifiers).
 *
 * @example
 * resolveTableName(adapter, layout, 'silver.shared.withholding_tax_table'); // { parts: ['silver', 'shared', …], sql: '"silver"."shared"…' }
 */
export function resolveTableName(adapter: DialectAdapter, layout: CatalogLayout, logical: string): ResolvedTableName | { readonly error: string } {
  const checked = adapter.validateTableName(logical);
  if (!checked.ok) return { error: checked.error };
  const parts = [...checked.parts];
  if (parts.length === 3 && (LAYERS as readonly string[]).includes(parts[0] as string)) parts[0] = layout.catalogs[parts[0] as Layer];
  return Object.freeze({ logical, parts: Object.freeze(parts), sql: adapter.quoteQualified(parts) });
}
