import { compiledQuery, Warehouse, type DialectAdapter } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LITERAL_CHUNK, pageRowSources, type PageRow } from './page-rows.js';

describe('pageRowSources', () => {
  let warehouse: Warehouse;
  beforeAll(() => {
    warehouse = new Warehouse(duckDbDialect({ dataDir: ':memory:', catalogs: ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'] }));
  });
  afterAll(() => warehouse.close());

  const awkward = (i: number): PageRow => ({
    id: String(i + 1),
    version: `2025-01-01 00:00:${String(i % 60).padStart(2, '0')}`,
    raw: JSON.stringify({ id: i + 1, name: `O'Brien \\ "quoted" ${i}`, note: 'line1\nline2\ttab', peso: '₱1,250.00' }),
  });

  /** Lands rows through the sources and reads them back in order. */
  async function roundTrip(adapter: DialectAdapter, rows: readonly PageRow[]): Promise<PageRow[]> {
    const sources = pageRowSources(adapter, rows);
    const out: PageRow[] = [];
    for (const s of sources) {
      const { rows: got } = await warehouse.query<{ _id: string; _version: string; _raw: string }>(compiledQuery(`SELECT v._id, v._version, v._raw FROM ${s.sql}`, s.params));
      out.push(...got.map((g) => ({ id: g._id, version: g._version, raw: g._raw })));
    }
    return out.sort((x, y) => Number(x.id) - Number(y.id));
  }

  it('the list path (an adapter with rowsFromLines: DuckDB) is one statement that returns every row exactly', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => awkward(i));
    expect(pageRowSources(warehouse.adapter, rows)).toHaveLength(1);
    expect(await roundTrip(warehouse.adapter, rows)).toEqual(rows);
  });

  it('the literal path (other engines) chunks VALUES and escapes with the adapter, exactly', async () => {
    // The DuckDB adapter without the list capability: same literal escaping, so the SQL runs here.
    const literalOnly = Object.create(warehouse.adapter, { rowsFromLines: { value: () => undefined } }) as DialectAdapter;
    const rows = Array.from({ length: LITERAL_CHUNK + 7 }, (_, i) => awkward(i));
    const sources = pageRowSources(literalOnly, rows);
    expect(sources).toHaveLength(2);
    expect(sources[0]?.sql).toContain(`"name":"O''Brien`);
    expect(await roundTrip(literalOnly, rows)).toEqual(rows);
  });

  it('refuses a value with a raw newline instead of splitting it into two rows', () => {
    expect(() => pageRowSources(warehouse.adapter, [{ id: '1\n2', version: 'v', raw: '{}' }])).toThrow('row "1\\n2": a value contains a newline or NUL');
  });
});
