import { securableInLayout, type CatalogTree } from '@odoo-ce/catalog';
import type { CatalogLayout, Warehouse } from '@odoo-ce/warehouse';

/** One thing `catalog apply` creates. */
export interface CatalogStep {
  readonly kind: 'catalog' | 'schema';
  /** Real name for the target: `dev_gold` or `dev_gold.finance`. */
  readonly name: string;
  readonly comment?: string;
  readonly sql: string;
}

export interface CatalogPlan {
  readonly create: readonly CatalogStep[];
  /** Declared and present. */
  readonly unchanged: readonly string[];
  /** Present in the target's catalogs but not declared (reported, never dropped). */
  readonly undeclared: readonly string[];
}

/**
 * What `catalog apply` must create so the target has every catalog and schema of
 * databricks/catalog/catalogs.yml under its real names: `CREATE CATALOG/SCHEMA IF NOT EXISTS … COMMENT`
 * (on DuckDB a catalog is an attached file). Existing objects are read from
 * `system.information_schema.schemata` (Unity Catalog's metastore-wide view; DuckDB has the same
 * view over its attached databases). Nothing is ever dropped or altered.
 */
export async function planCatalogs(warehouse: Warehouse, tree: CatalogTree, layout: CatalogLayout): Promise<CatalogPlan> {
  const { rows } = await warehouse.query('SELECT catalog_name, schema_name FROM system.information_schema.schemata');
  const existing = new Set(rows.map((r) => `${String(r['catalog_name']).toLowerCase()}.${String(r['schema_name']).toLowerCase()}`));
  const catalogsPresent = new Set(rows.map((r) => String(r['catalog_name']).toLowerCase()));
  const adapter = warehouse.adapter;
  const create: CatalogStep[] = [];
  const unchanged: string[] = [];
  const declared = new Set<string>();
  for (const catalog of tree.catalogs) {
    // The policy names catalogs logically (`gold`, `ops`); the layout gives the target's real names.
    const name = securableInLayout({ type: 'CATALOG', name: catalog.name }, layout).name;
    declared.add(name.toLowerCase());
    if (catalogsPresent.has(name.toLowerCase())) unchanged.push(name);
    else create.push({ kind: 'catalog', name, ...(catalog.comment ? { comment: catalog.comment } : {}), sql: adapter.createCatalogSql(name, catalog.comment) });
    for (const schema of catalog.schemas) {
      const full = securableInLayout({ type: 'SCHEMA', name: `${catalog.name}.${schema.name}` }, layout).name;
      const schemaName = full.slice(name.length + 1);
      declared.add(full.toLowerCase());
      if (existing.has(full.toLowerCase())) unchanged.push(full);
      else create.push({ kind: 'schema', name: full, ...(schema.comment ? { comment: schema.comment } : {}), sql: adapter.createSchemaSql(name, schemaName, schema.comment) });
    }
  }
  const ignored = new Set(['information_schema', 'main', 'default', 'pg_catalog']);
  const undeclared = [...existing]
    .filter((full) => declared.has(full.split('.')[0] as string) && !declared.has(full) && !ignored.has(full.split('.')[1] as string))
    .sort();
  return { create, unchanged, undeclared };
}

/** Runs the plan's statements in order (catalogs before their schemas). */
export async function applyCatalogPlan(warehouse: Warehouse, plan: CatalogPlan): Promise<void> {
  for (const step of plan.create) await warehouse.query(step.sql);
}

/** `terraform plan`-style text. */
export function formatCatalogPlan(plan: CatalogPlan, target: string): string {
  const lines = plan.create.map((s) => `  + ${s.kind.padEnd(7)} ${s.name}${s.comment ? `  # ${s.comment}` : ''}`);
  for (const u of plan.undeclared) lines.push(`  ? schema  ${u}  # not in databricks/catalog/catalogs.yml (left alone)`);
  lines.push(plan.create.length === 0 ? `No changes. Target ${target} has every declared catalog and schema (${plan.unchanged.length}).` : `Plan: ${plan.create.length} to create, ${plan.unchanged.length} unchanged.`);
  return lines.join('\n');
}
