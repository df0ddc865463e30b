import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, runJob } from '@odoo-ce/bundle';
import { loadSuites, qualityGates, vat2550q, withholdingTax } from '@odoo-ce/data-quality';
import { generateDataset } from '@odoo-ce/sample-data';
import { Warehouse } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../main.js';
import { runDemoPipeline, DEMO_JOBS, type DemoResult } from './demo-pipeline.js';

const SEED = 7;
const SCALE = 3_000;
const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];

describe('the medallion pipeline on DuckDB (sample data with injected defects)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-'));
  const warehouse = new Warehouse(duckDbDialect({ dataDir: join(dir, 'data'), catalogs: CATALOGS }));
  let result: DemoResult;

  beforeAll(async () => {
    result = await runDemoPipeline({ warehouse, repoRoot: REPO_ROOT, exportDir: join(dir, 'exports'), seed: SEED, scale: SCALE });
  }, 120_000);
  afterAll(async () => warehouse.close());

  const q = async <R>(sql: string) => (await warehouse.query<R>(sql)).rows;

  it('runs every job to success', () => {
    expect(result.runs.map((r) => [r.job, r.status])).toEqual(DEMO_JOBS.map((j) => [j, 'succeeded']));
  });

  it('quarantines exactly the injected defects: bronze ids = silver rows + quarantined rows', async () => {
    const truth = result.manifest.scout;
    const [bronze] = await q<{ ids: bigint }>('select count(distinct _id) as ids from bronze.scout.transactions');
    const [silver] = await q<{ n: bigint }>('select count(*) as n from silver.scout.transactions');
    const [quarantine] = await q<{ n: bigint }>('select count(*) as n from silver.scout.transactions_quarantine');
    expect(Number(bronze?.ids)).toBe(truth.distinct_ids);
    expect(Number(quarantine?.n)).toBe(truth.expected_quarantine_rows);
    expect(Number(silver?.n)).toBe(truth.expected_silver_rows);
    expect(Number(silver?.n) + Number(quarantine?.n)).toBe(Number(bronze?.ids));
    // Per defect kind: malformed and null amounts fail amount_parsed; negatives and absurd amounts amount_in_range, …
    const reasons = Object.fromEntries(
      (await q<{ r: string; n: bigint }>("select array_to_string(_dq_failed, ',') as r, count(*) as n from silver.scout.transactions_quarantine group by 1")).map((x) => [x.r, Number(x.n)]),
    );
    expect(reasons['amount_parsed']).toBe(truth.defects.null_amount + truth.defects.malformed_amount);
    expect(reasons['amount_in_range']).toBe(truth.defects.negative_amount + truth.defects.absurd_amount);
    expect(reasons['agency_known']).toBe(truth.defects.unknown_agency);
    expect(reasons['date_parsed']).toBe(truth.defects.missing_date);
  });

  it('computes 1601-C tax required per employee with the 2023+ table, from the configured salary-rule codes', async () => {
    const rows = await q<{ period: string; employee_id: bigint; taxable_compensation: string; tax_required: string; tax_withheld: string }>(
      'select period, employee_id, taxable_compensation, tax_required, tax_withheld from gold.finance.bir_monthly_employee',
    );
    expect(rows.length).toBe(result.manifest.payroll.done);
    for (const row of rows) {
      const expectedTaxable = result.manifest.taxable_by_employee_month[`${row.employee_id}:${row.period}`] as number;
      expect(Math.round(Number(row.taxable_compensation) * 100), `${row.employee_id} ${row.period}`).toBe(expectedTaxable);
      expect(row.tax_required).toBe(withholdingTax('monthly', row.taxable_compensation).tax);
    }
    const under = rows.filter((r) => Number(r.tax_withheld) < Number(r.tax_required)).length;
    expect(under).toBe(result.manifest.payroll.under_withheld);
  });

  it('sums 2550Q vatable sales and output VAT from posted documents, as an independent reading of the data does', async () => {
    const data = generateDataset({ seed: SEED, scale: SCALE });
    const lines = data.odoo['account.move.line'].filter((l) => l.parent_state === 'posted');
    const tags = new Map(data.odoo['account.account.tag'].map((t) => [t.id, t.name]));
    const byQuarter = new Map<string, { sales: number; vat: number }>();
    for (const line of lines) {
      const quarter = `${line.date.slice(0, 4)}-Q${Math.ceil(Number(line.date.slice(5, 7)) / 3)}`;
      const sum = byQuarter.get(quarter) ?? { sales: 0, vat: 0 };
      for (const tag of line.tax_tag_ids.map((id) => tags.get(id))) {
        if (tag === '31A') sum.sales -= Math.round(line.balance * 100);
        if (tag === '31B') sum.vat -= Math.round(line.balance * 100);
      }
      byQuarter.set(quarter, sum);
    }
    const gold = await q<{ period: string; line31_vatable_sales: string; line31_output_vat: string; due_date: string }>(
      'select period, line31_vatable_sales, line31_output_vat, due_date from gold.finance.bir_quarterly order by period',
    );
    expect(gold.map((g) => g.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    for (const g of gold) {
      expect(Math.round(Number(g.line31_vatable_sales) * 100)).toBe(byQuarter.get(g.period)?.sales);
      expect(Math.round(Number(g.line31_output_vat) * 100)).toBe(byQuarter.get(g.period)?.vat);
    }
    expect(gold.map((g) => g.due_date)).toEqual(['2025-04-25', '2025-07-25', '2025-10-25', '2026-01-25']);
  });

  it('gives the same 2550Q lines in SQL (gold task) and in TS (etl bir vat-2550q) for every quarter', async () => {
    const gold = await q<Record<string, string>>('select * from gold.finance.bir_quarterly order by period');
    for (const g of gold) {
      const ts = vat2550q({
        vatable_sales: g['line31_vatable_sales'],
        zero_rated_sales: g['line32_zero_rated_sales'],
        exempt_sales: g['line33_exempt_sales'],
        purchases: { domestic_goods: g['line44_domestic_purchases'], services_by_nonresidents: g['line45_nonresident_services'], importations: g['line46_importations'] },
        input_tax_carried_over: g['line38_input_tax_carried_over'],
        creditable_vat_withheld: g['line16_creditable_vat_withheld'],
      });
      // Tax lines are posted per document, so the sum of posted VAT may differ from 12% of the summed
      // base by the documents' rounding — and by the injected VAT mismatches, which the suite flags.
      expect(Math.abs(Number(ts.output_vat) - Number(g['line31_output_vat'])), g['period']).toBeLessThan(Number(g['line31_vatable_sales']) * 0.01 + 1);
      expect(ts.line51_total_available, g['period']).toBe(
        (Number(g['line38_input_tax_carried_over']) + Number(ts.line50_current_input_tax)).toFixed(2),
      );
    }
  });

  it('passes the month-end checks it should and flags draft entries', async () => {
    const rows = await q<{ trial_balance_ok: boolean; entries_balanced_ok: boolean; unposted_entries: bigint }>('select * from gold.finance.month_end_close');
    expect(rows).toHaveLength(12);
    expect(rows.every((r) => r.trial_balance_ok && r.entries_balanced_ok)).toBe(true);
    expect(rows.reduce((s, r) => s + Number(r.unposted_entries), 0)).toBe(result.manifest.moves.draft);
  });

  it('reruns converge: three more runs of every job give identical gold and no duplicate keys', async () => {
    const checksum = async () => {
      const out: Record<string, unknown> = {};
      for (const table of ['finance.bir_monthly', 'finance.bir_quarterly', 'finance.month_end_close', 'finance.executive_dashboard', 'scout.agency_summary', 'scout.vendor_analysis']) {
        out[table] = (await q<{ h: unknown; n: bigint }>(`select count(*) as n, sum(hash(t)) as h from gold.${table} as t`))[0];
      }
      return out;
    };
    const before = await checksum();
    const bundle = await loadBundle(join(REPO_ROOT, 'databricks', 'bundles'), { env: {} });
    const afterTask = qualityGates(warehouse, await loadSuites(join(REPO_ROOT, 'databricks', 'quality')));
    for (let i = 0; i < 3; i++) {
      for (const job of DEMO_JOBS) expect((await runJob(warehouse, bundle, job, { target: 'local', afterTask })).status).toBe('succeeded');
      expect(await checksum()).toEqual(before);
    }
    expect(await q('select id from silver.scout.transactions group by id having count(*) > 1')).toEqual([]);
    // The quarantine is replaced with its silver table, so the split still adds up after the reruns.
    const [tables] = await q<{ source: bigint; passed: bigint; quarantined: bigint }>(
      'select (select count(*) from silver.scout.transactions_candidates) as source, (select count(*) from silver.scout.transactions) as passed, (select count(*) from silver.scout.transactions_quarantine) as quarantined',
    );
    expect(tables?.quarantined).toBe(BigInt(result.manifest.scout.expected_quarantine_rows));
    expect(tables?.source).toBe((tables?.passed ?? 0n) + (tables?.quarantined ?? 0n));
    expect(await q('select period, employee_id from gold.finance.bir_monthly_employee group by 1, 2 having count(*) > 1')).toEqual([]);
  }, 120_000);
});
