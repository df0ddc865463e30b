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
 * - `{{params.<name>}}` → the named parameter marker `:name` (the value is bound, not spliced);
 * - the adapter's helpers for the few functions engines spell differently:
 *   `{{ json(<expr>, '$.path') }}` (JSON value as string), `{{ ym(<expr>) }}` (`YYYY-MM`),
 *   `{{ regexp(<expr>, '<pattern>') }}` (boolean match), `{{ length(<expr>) }}`,
 *   `{{ days_between(<start>, <end>) }}` (whole days, end − start),
 *   `{{ regexp_replace(<expr>, '<pattern>', '<replacement>') }}` (every match).
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
  const expand = (text: string) => text.replace(PLACEHOLDER, (whole, expr: string) => {
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
    const call = /^([a-z_]+)\(([\s\S]*)\)$/.exec(expr);
    const helper = call ? HELPERS[call[1] as string] : undefined;
    if (call && helper) {
      const args = splitArguments(call[2] as string);
      if (args.length !== helper.arity) {
        problems.push(`${whole}: ${call[1]}() takes ${helper.arity} argument(s), got ${args.length}`);
        return whole;
      }
      return helper.render(adapter, args);
    }
    problems.push(
      `unknown placeholder ${whole}; expected one of ${LAYERS.map((l) => `{{catalog.${l}}}`).join(', ')}, {{ops}}, {{params.<name>}}, or a helper ${Object.keys(HELPERS).map((h) => `${h}()`).join(', ')}`,
    );
    return whole;
  });
  // Helpers may nest (`{{ regexp_replace({{ regexp_replace(x, 'a', '') }}, 'b', '') }}`): the
  // innermost placeholders expand first, so repeat until nothing changes.
  let sql = template;
  for (let pass = 0; pass < 8; pass++) {
    const next = expand(sql);
    if (next === sql || problems.length > 0) {
      sql = next;
      break;
    }
    sql = next;
  }
  if (problems.length > 0) {
    const where = options.source ? ` in ${options.source}` : '';
    throw new WarehouseError('TEMPLATE_ERROR', `cannot render SQL${where}: ${problems.join('; ')}`, {
      data: { source: options.source, problems },
    });
  }
  return compiledQuery(sql, used);
}

const HELPERS: Record<string, { arity: number; render: (adapter: DialectAdapter, args: string[]) => string }> = {
  json: { arity: 2, render: (a, [expr, path]) => a.jsonExtractString(expr as string, path as string) },
  ym: { arity: 1, render: (a, [expr]) => a.formatYearMonth(expr as string) },
  regexp: { arity: 2, render: (a, [expr, pattern]) => a.regexpMatches(expr as string, pattern as string) },
  length: { arity: 1, render: (a, [expr]) => a.stringLength(expr as string) },
  regexp_replace: { arity: 3, render: (a, [expr, pattern, replacement]) => a.regexpReplaceAll(expr as string, pattern as string, replacement as string) },
  days_between: { arity: 2, render: (a, [start, end]) => a.daysBetween(start as string, end as string) },
};

/** Splits `a, f(b, c), 'x,y'` on top-level commas (outside parentheses and quotes). */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  let escaped = false;
  for (const ch of text) {
    if (quote) {
      // Spark SQL string literals take backslash escapes (`'it\'s'`).
      if (escaped) escaped = false;
      else if (ch === '\\' && quote === "'") escaped = true;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') args.push(current.trim());
  return args;
}
