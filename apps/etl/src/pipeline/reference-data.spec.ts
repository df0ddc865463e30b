import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installWithholdingTaxTable, withholdingTax, withholdingTaxFromTable } from '@odoo-ce/data-quality';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../main.js';

const FILE = join(REPO_ROOT, 'databricks', 'sql', 'etl', 'shared', 'reference_data.sql');
const COLUMNS = 'period, bracket, lower_bound, upper_bound, fixed_tax, rate, effective_from';

describe('reference_data.sql (the bir_etl task that installs silver.shared.withholding_tax_table)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etl-ref-'));
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: dir } });
    await wh.executeScript(readFileSync(FILE, 'utf8'), { file: FILE });
    // The TypeScript table of libs/data-quality, installed beside it for comparison.
    await installWithholdingTaxTable(wh, 'silver.shared.withholding_tax_table_from_ts');
  });
  afterAll(async () => {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds exactly the brackets of WITHHOLDING_TAX_TABLE (both directions, every column)', async () => {
    const diff = async (a: string, b: string) => (await wh.query(`select ${COLUMNS} from silver.shared.${a} except all select ${COLUMNS} from silver.shared.${b}`)).rows;
    expect(await diff('withholding_tax_table', 'withholding_tax_table_from_ts')).toEqual([]);
    expect(await diff('withholding_tax_table_from_ts', 'withholding_tax_table')).toEqual([]);
    const { rows } = await wh.query<{ n: bigint }>('select count(*) as n from silver.shared.withholding_tax_table');
    expect(rows[0]?.n).toBe(30n);
  });

  it('gives the same tax as the TypeScript function at bracket edges', async () => {
    for (const [period, taxable] of [['monthly', '20833.00'], ['monthly', '33332.99'], ['monthly', '700000.00'], ['semi_monthly', '10416.99'], ['annual', '8000000.00']] as const) {
      expect(await withholdingTaxFromTable(wh, period, taxable)).toEqual(withholdingTax(period, taxable));
    }
  });

  it('is idempotent: running the task twice leaves 30 brackets', async () => {
    await wh.executeScript(readFileSync(FILE, 'utf8'), { file: FILE });
    const { rows } = await wh.query<{ n: bigint }>('select count(*) as n from silver.shared.withholding_tax_table');
    expect(rows[0]?.n).toBe(30n);
  });
});
