import type { DialectAdapter } from './adapter.js';
import { WarehouseError } from './errors.js';
import { LAYERS, type CatalogLayout, type Layer } from './layout.js';
import { compiledQuery, type CompiledQuery, type ParameterValue } from './types.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export interface RenderOptions {
  readonly layout: CatalogLayout;
  readonly adapter: DialectAdapter;
  /** Values for `{{params.<name>}}`; they travel as named parameters, never as SQL text. */
  readonly params?: Readonly<Record<string, ParameterValue>>;
  /** Name used in error messages (the SQL file). */
  readonly source?: string;
}

/**
 * Renders a SQL template for one target.
 *
 * - `{{catalog.<layer>}}` → the target's real catalog name for that layer, quoted;
 * - `{{ops}}` → the quoted `catalog.schema` of the operational tables;
 * - `{{params.<name>}}` → the named parameter marker `:name` (the value is bound, not spliced).
 *
 * Unknown placeholders and missing parameters are reported together in one TEMPLATE_ERROR.
 *
 * @example
 * renderSql('select * from {{catalog.bronze}}.scout.transactions where period = {{ params.period }}',
 *   { layout, adapter, params: { period: '2025-01' } });
 * // → { sql: 'select * from "bronze".scout.transactions where period = :period', parameters: { period: '2025-01' } }
 */
export function renderSql(template: string, options: RenderOptions): CompiledQuery {
  const { layout, adapter } = options;
  const params = options.params ?? {};
  const problems: string[] = [];
  const used: Record<string, ParameterValue> = {};
  const sql = template.replace(PLACEHOLDER, (whole, expr: string) => {
    const [head, name, ...rest] = expr.split('.');
    if (head === 'catalog' && rest.length === 0 && name !== undefined && (LAYERS as readonly string[]).includes(name)) {
      return adapter.quoteIdentifier(layout.catalogs[name as Layer]);
    }
    if (head === 'ops' && name === undefined) return adapter.quoteQualified([layout.ops.catalog, layout.ops.schema]);
    if (head === 'params' && rest.length === 0 && name !== undefined && /^[A-Za-z_]\w*$/.test(name)) {
      if (!Object.hasOwn(params, name)) {
        problems.push(`parameter "${name}" has no value (given: ${Object.keys(params).join(', ') || 'none'})`);
        return whole;
      }
      used[name] = params[name] as ParameterValue;
      return `:${name}`;
    }
    problems.push(
      `unknown placeholder ${whole}; expected one of ${LAYERS.map((l) => `{{catalog.${l}}}`).join(', ')}, {{ops}}, {{params.<name>}}`,
    );
    return whole;
  });
  if (problems.length > 0) {
    const where = options.source ? ` in ${options.source}` : '';
    throw new WarehouseError('TEMPLATE_ERROR', `cannot render SQL${where}: ${problems.join('; ')}`, {
      data: { source: options.source, problems },
    });
  }
  return compiledQuery(sql, used);
}
