import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDataset } from './dataset.js';
import { SCOUT_AGENCIES } from './scout.js';
import { writeDataset } from './write.js';

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isM2o = (v: unknown) => v === false || (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string');
const TIN = /^\d{3}-\d{3}-\d{3}(-\d{3}|-\d{5})?$/;

describe('generateDataset', () => {
  const data = generateDataset({ seed: 7, scale: 5_000 });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(hash(generateDataset({ seed: 7, scale: 5_000 }))).toBe(hash(data));
    expect(hash(generateDataset({ seed: 8, scale: 5_000 }))).not.toBe(hash(data));
  });

  it('renders Odoo values the way search_read does', () => {
    for (const move of data.odoo['account.move']) {
      expect(isM2o(move.partner_id) && isM2o(move.company_id) && isM2o(move.journal_id)).toBe(true);
      expect(move.write_date).toMatch(DATETIME);
      expect(move.date).toMatch(DATE);
      expect(move.name === '/' || typeof move.name === 'string').toBe(true);
    }
    for (const line of data.odoo['account.move.line']) {
      expect(isM2o(line.account_id) && isM2o(line.tax_line_id) && isM2o(line.move_id)).toBe(true);
      expect(line.debit >= 0 && line.credit >= 0).toBe(true);
      expect(line.balance).toBeCloseTo(line.debit - line.credit, 2);
    }
    expect(data.odoo['res.partner'].some((p) => p.vat === false)).toBe(true);
  });

  it('posts balanced journal entries whose totals match their lines', () => {
    const byMove = new Map<number, { debit: number; credit: number }>();
    for (const line of data.odoo['account.move.line']) {
      const id = (line.move_id as [number, string])[0];
      const sum = byMove.get(id) ?? { debit: 0, credit: 0 };
      sum.debit += Math.round(line.debit * 100);
      sum.credit += Math.round(line.credit * 100);
      byMove.set(id, sum);
    }
    for (const move of data.odoo['account.move']) {
      const sum = byMove.get(move.id);
      expect(sum?.debit, move.name as string).toBe(sum?.credit);
      expect(Math.round(move.amount_total * 100)).toBe(Math.round((move.amount_untaxed + move.amount_tax) * 100));
      const sign = move.move_type === 'out_invoice' || move.move_type === 'in_refund' ? 1 : -1;
      expect(Math.sign(move.amount_total_signed)).toBe(sign);
    }
  });

  it('ground truth matches what an independent reading of the rows finds', () => {
    const latest = new Map<string, (typeof data.scout.transactions)[number]>();
    for (const row of data.scout.transactions) {
      const seen = latest.get(row.id);
      if (!seen || row.updated_at > seen.updated_at) latest.set(row.id, row);
    }
    const defective = [...latest.values()].filter((r) => {
      const amount = r.amount !== null && /^-?\d+\.\d{2}$/.test(r.amount) ? Number(r.amount) : null;
      return amount === null || amount <= 0 || amount > 5_000_000 || !(SCOUT_AGENCIES as readonly string[]).includes(r.agency) || r.transaction_date === null;
    });
    const truth = data.manifest.scout;
    expect(latest.size).toBe(truth.distinct_ids);
    expect(defective.length).toBe(truth.expected_quarantine_rows);
    expect(truth.expected_silver_rows + truth.expected_quarantine_rows).toBe(5_000);
    expect(data.scout.transactions.length).toBe(5_000 + truth.exact_duplicates + truth.superseded_versions);
    expect(Object.values(truth.defects).every((n) => n > 0)).toBe(true);
    expect(data.odoo['res.partner'].filter((p) => p.vat !== false && !TIN.test(p.vat)).length).toBe(data.manifest.partners.bad_tin);
  });

  it('builds OCA payroll slips with configurable codes and the injected withholding', () => {
    const withheld = generateDataset({ seed: 1, scale: 5_000, withholding: (taxable) => Math.max(0, Math.round((taxable - 20_833_00) * 0.15)) });
    const codes = new Set(withheld.odoo['hr.payslip.line'].map((l) => l.code));
    for (const code of ['BASIC', 'GROSS', 'SSS', 'PHIC', 'HDMF', 'WTAX', 'NET', 'THIRTEENTH', 'DEMINIMIS']) expect(codes.has(code), code).toBe(true);
    expect(withheld.manifest.payroll.withholding_applied).toBe(true);
    expect(withheld.manifest.payroll.under_withheld).toBeGreaterThan(0);
    // NET = GROSS − deductions (deduction lines are negative totals).
    for (const slip of withheld.odoo['hr.payslip'].slice(0, 50)) {
      const lines = withheld.odoo['hr.payslip.line'].filter((l) => (l.slip_id as [number, string])[0] === slip.id);
      const total = (code: string) => Math.round((lines.find((l) => l.code === code)?.total ?? 0) * 100);
      expect(total('NET')).toBe(total('GROSS') + total('SSS') + total('PHIC') + total('HDMF') + total('WTAX'));
    }
    const custom = generateDataset({ seed: 1, scale: 1_000, payrollCodes: { basic: 'BAS', thirteenthMonth: '13M', deMinimis: 'DMB', sss: 'SSS_EE', philhealth: 'PH_EE', hdmf: 'PAGIBIG_EE', gross: 'GRS', taxWithheld: 'TAX', net: 'NETPAY' } });
    expect(new Set(custom.odoo['hr.payslip.line'].map((l) => l.code)).has('PAGIBIG_EE')).toBe(true);
  });

  it('rejects bad options with the field and value', () => {
    expect(() => generateDataset({ scale: 0 })).toThrow('scale must be a positive whole number, got 0');
    expect(() => generateDataset({ defectRates: { scout: { null_amount: 2, negative_amount: 0, absurd_amount: 0, unknown_agency: 0, missing_date: 0, malformed_amount: 0 }, scoutDuplicate: 0, scoutUpdate: 0, partnerBadTin: 0, vatMismatch: 0, underWithholding: 0 } })).toThrow('defectRates.scout.null_amount must be between 0 and 1, got 2');
  });

  it('writes NDJSON per model and the manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sample-'));
    const files = await writeDataset(dir, data);
    expect(files.map((f) => `${f.source}/${f.name}`)).toContain('odoo/account.move.line');
    const tx = readFileSync(join(dir, 'scout', 'transactions.ndjson'), 'utf8').trim().split('\n');
    expect(tx.length).toBe(data.scout.transactions.length);
    expect(JSON.parse(tx[0] as string)).toEqual(data.scout.transactions[0]);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).scout.expected_quarantine_rows).toBe(data.manifest.scout.expected_quarantine_rows);
  });
});

describe('generateDataset with scoutHistory (ML quality bars)', () => {
  const data = generateDataset({ seed: 3, scale: 6_000, scoutHistory: { months: 36 } });
  const truth = data.manifest.scout_history;

  it('spans 36 months ending in December of the year, with seasonal volumes and a December peak', () => {
    expect(truth?.first_month).toBe('2023-01');
    expect(truth?.last_month).toBe('2025-12');
    const perMonth = new Map<string, number>();
    for (const row of data.scout.transactions) perMonth.set((row.transaction_date as string).slice(0, 7), (perMonth.get((row.transaction_date as string).slice(0, 7)) ?? 0) + 1);
    expect(perMonth.size).toBe(36);
    expect(perMonth.get('2025-12')).toBeGreaterThan(perMonth.get('2025-11') as number);
    expect(perMonth.get('2024-02')).toBeLessThan(perMonth.get('2024-03') as number);
    expect(Math.abs(data.scout.transactions.length - 6_000 * (1 + 0.004))).toBeLessThan(120);
  });

  it('records every injected spike and duplicate payment, and nothing is quarantined', () => {
    const byId = new Map(data.scout.transactions.map((r) => [r.id, r]));
    expect(truth?.amount_spikes.length).toBeGreaterThan(5);
    expect(truth?.duplicate_payments.length).toBeGreaterThan(5);
    for (const d of truth?.duplicate_payments ?? []) {
      const [a, b] = [byId.get(d.id), byId.get(d.original_id)];
      expect([a?.vendor, a?.amount, a?.agency]).toEqual([b?.vendor, b?.amount, b?.agency]);
      expect(Date.parse(a?.transaction_date as string) - Date.parse(b?.transaction_date as string)).toBeLessThanOrEqual(3 * 86_400_000);
    }
    for (const id of truth?.amount_spikes ?? []) expect(Number(byId.get(id)?.amount)).toBeLessThanOrEqual(4_000_000);
    expect(data.manifest.scout.expected_quarantine_rows).toBe(0);
    expect(data.manifest.scout.expected_silver_rows).toBe(data.scout.transactions.length);
  });

  it('leaves the default (one-year) dataset unchanged: no scout_history in the manifest', () => {
    expect(generateDataset({ seed: 3, scale: 500 }).manifest.scout_history).toBeUndefined();
  });
});
