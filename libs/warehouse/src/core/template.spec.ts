import { describe, expect, it } from 'vitest';
import { adapterFor } from './adapter.js';
import { WarehouseError } from './errors.js';
import { DEFAULT_LAYOUT, type CatalogLayout } from './layout.js';
import { renderSql } from './template.js';

const devLayout: CatalogLayout = {
  catalogs: { bronze: 'dev_bronze', silver: 'dev_silver', gold: 'dev_gold', platinum: 'dev_platinum', sandbox: 'sandbox' },
  ops: { catalog: 'dev_ops', schema: 'ops' },
};

describe('renderSql', () => {
  it('resolves catalogs per target and turns params into markers', () => {
    const q = renderSql('select * from {{catalog.bronze}}.scout.tx where period = {{ params.period }} and x = {{params.period}}', {
      layout: devLayout,
      adapter: adapterFor('databricks'),
      params: { period: '2025-01', unused: 1 },
    });
    expect(q.sql).toBe('select * from `dev_bronze`.scout.tx where period = :period and x = :period');
    expect(q.parameters).toEqual({ period: '2025-01' });
  });

  it('resolves {{ops}} to the quoted ops schema', () => {
    expect(renderSql('insert into {{ops}}.job_runs values (1)', { layout: DEFAULT_LAYOUT, adapter: adapterFor('duckdb') }).sql).toBe(
      'insert into "ops"."ops".job_runs values (1)',
    );
  });

  it('expands the adapter helpers per dialect', () => {
    const template = "select {{ json(_raw, '$.amount') }} as a, {{ym(d)}} as m, {{ regexp(upper(x), '^[A-Z]+$') }} as ok";
    expect(renderSql(template, { layout: DEFAULT_LAYOUT, adapter: adapterFor('duckdb') }).sql).toBe(
      "select json_extract_string(_raw, '$.amount') as a, strftime(d, '%Y-%m') as m, regexp_matches(upper(x), '^[A-Z]+$') as ok",
    );
    expect(renderSql(template, { layout: DEFAULT_LAYOUT, adapter: adapterFor('databricks') }).sql).toBe(
      "select get_json_object(_raw, '$.amount') as a, date_format(d, 'yyyy-MM') as m, regexp_like(upper(x), '^[A-Z]+$') as ok",
    );
    expect(renderSql("{{ regexp_replace({{ regexp_replace(v, 'a', '') }}, 'b', 'c') }}", { layout: DEFAULT_LAYOUT, adapter: adapterFor('duckdb') }).sql).toBe(
      "regexp_replace(regexp_replace(v, 'a', '', 'g'), 'b', 'c', 'g')",
    );
    expect(() => renderSql('{{ json(x) }}', { layout: DEFAULT_LAYOUT, adapter: adapterFor('duckdb') })).toThrow('json() takes 2 argument(s), got 1');
  });

  it('reports every unknown placeholder and missing parameter at once', () => {
    let error: unknown;
    try {
      renderSql('select {{catalog.diamond}}, {{params.a}}, {{ env.HOME }}', { layout: DEFAULT_LAYOUT, adapter: adapterFor('duckdb'), source: 'etl/x.sql' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WarehouseError);
    const w = error as WarehouseError;
    expect(w.code).toBe('TEMPLATE_ERROR');
    expect(w.message).toContain('etl/x.sql');
    expect(w.data?.['problems']).toHaveLength(3);
    expect(w.message).toContain('{{catalog.diamond}}');
    expect(w.message).toContain('parameter "a" has no value');
  });
});
