import { chartOfAccounts, moves, partners, taxTags, taxes, type MoveTruth, type OdooAccount, type OdooMove, type OdooMoveLine, type OdooPartner, type OdooTag, type OdooTax, type PartnerTruth } from './odoo.js';
import { odooDatetime } from './odoo-format.js';
import { DEFAULT_PAYROLL_CODES, payroll, type OdooEmployee, type OdooPayslip, type OdooPayslipLine, type PayrollCodes, type PayslipTruth, type WithholdingFunction } from './payroll.js';
import { Random } from './random.js';
import { generateScoutTransactions, SCOUT_DEFECTS, type ScoutDefect, type ScoutTransaction, type ScoutTruth } from './scout.js';
import { generateScoutHistory, type ScoutHistoryOptions, type ScoutHistoryTruth } from './scout-history.js';

export interface DefectRates {
  readonly scout: Readonly<Record<ScoutDefect, number>>;
  readonly scoutDuplicate: number;
  readonly scoutUpdate: number;
  readonly partnerBadTin: number;
  readonly vatMismatch: number;
  readonly underWithholding: number;
}

export const DEFAULT_DEFECT_RATES: DefectRates = Object.freeze({
  scout: Object.freeze({ null_amount: 0.004, negative_amount: 0.004, absurd_amount: 0.002, unknown_agency: 0.004, missing_date: 0.003, malformed_amount: 0.003 }),
  scoutDuplicate: 0.02,
  scoutUpdate: 0.05,
  partnerBadTin: 0.04,
  vatMismatch: 0.02,
  underWithholding: 0.05,
});

export interface DatasetOptions {
  /** Seed of the PRNG: the same seed and options give byte-identical data. */
  readonly seed?: number;
  /** Distinct Scout transactions; other volumes follow from it (default 10,000). */
  readonly scale?: number;
  readonly year?: number;
  readonly defectRates?: DefectRates;
  readonly payrollCodes?: PayrollCodes;
  /** Monthly withholding table used to fill the payslips' tax lines (the data-quality lib has it). */
  readonly withholding?: WithholdingFunction;
  /**
   * Instead of one year of Scout expenses with pipeline defects, several years (ending in December of
   * `year`) with seasonal volumes and injected ML anomalies, recorded in `manifest.scout_history`.
   * Absent (the default): the one-year generator, unchanged.
   */
  readonly scoutHistory?: ScoutHistoryOptions;
}

/** The generated records, keyed by their source model/table. */
export interface Dataset {
  readonly odoo: {
    readonly 'res.partner': OdooPartner[];
    readonly 'account.tax': OdooTax[];
    readonly 'account.account': OdooAccount[];
    readonly 'account.account.tag': OdooTag[];
    readonly 'account.move': OdooMove[];
    readonly 'account.move.line': OdooMoveLine[];
    readonly 'hr.employee': OdooEmployee[];
    readonly 'hr.payslip': OdooPayslip[];
    readonly 'hr.payslip.line': OdooPayslipLine[];
  };
  readonly scout: { readonly transactions: ScoutTransaction[] };
  readonly manifest: GroundTruth;
}

/** Exact counts of what was generated and injected, for tests that assert quarantine counts. */
export interface GroundTruth {
  readonly seed: number;
  readonly scale: number;
  readonly year: number;
  readonly payroll_codes: PayrollCodes;
  readonly rows: Record<string, number>;
  readonly scout: ScoutTruth;
  readonly partners: PartnerTruth;
  readonly moves: MoveTruth;
  readonly payroll: Omit<PayslipTruth, 'taxable_by_employee_month'> & { withholding_applied: boolean };
  readonly taxable_by_employee_month: Record<string, number>;
  /** Present when generated with `scoutHistory`: the injected anomalies and the series shape. */
  readonly scout_history?: ScoutHistoryTruth;
}

/**
 * Generates a deterministic dataset in the shapes the sources really have: Odoo records as
 * `search_read` returns them (many2one `[id, name]` or `false`, `false` for empty values, UTC
 * datetime strings), OCA payroll payslips, and Scout transactions as `pg` returns them.
 *
 * @example
 * const { odoo, scout, manifest } = generateDataset({ seed: 42, scale: 10_000 });
 */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 10_000;
  const year = options.year ?? 2025;
  const rates = options.defectRates ?? DEFAULT_DEFECT_RATES;
  const codes = options.payrollCodes ?? DEFAULT_PAYROLL_CODES;
  for (const d of SCOUT_DEFECTS) {
    if (!(rates.scout[d] >= 0 && rates.scout[d] <= 1)) throw new RangeError(`defectRates.scout.${d} must be between 0 and 1, got ${rates.scout[d]}`);
  }
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive whole number, got ${scale}`);
  const root = new Random(seed);
  const stamp = new Date(Date.UTC(year, 0, 1, 0, 0, 0));

  const p = partners(root.fork('partners'), Math.min(2000, Math.max(30, Math.round(scale / 100))), rates.partnerBadTin, stamp);
  const m = moves(root.fork('moves'), p.rows, { year, documentsPerMonth: Math.max(20, Math.round(scale / 200)), draftRate: 0.04, cancelRate: 0.02, vatMismatchRate: rates.vatMismatch });
  const pay = payroll(root.fork('payroll'), {
    year,
    employees: Math.min(500, Math.max(10, Math.round(scale / 500))),
    codes,
    underWithholdingRate: rates.underWithholding,
    ...(options.withholding ? { withholding: options.withholding } : {}),
  });
  const history = options.scoutHistory ? generateScoutHistory(root.fork('scout-history'), scale, year, options.scoutHistory) : undefined;
  const s = history ?? generateScoutTransactions(root.fork('scout'), {
    transactions: scale,
    year,
    defectRates: rates.scout,
    duplicateRate: rates.scoutDuplicate,
    updateRate: rates.scoutUpdate,
  });

  const stampText = odooDatetime(stamp);
  const odoo = {
    'res.partner': p.rows,
    'account.tax': taxes(stampText),
    'account.account': chartOfAccounts(stampText),
    'account.account.tag': taxTags(),
    'account.move': m.moves,
    'account.move.line': m.lines,
    'hr.employee': pay.employees,
    'hr.payslip': pay.payslips,
    'hr.payslip.line': pay.lines,
  };
  const rows: Record<string, number> = Object.fromEntries(Object.entries(odoo).map(([k, v]) => [k, v.length]));
  rows['scout.transactions'] = s.rows.length;
  const { taxable_by_employee_month, ...payTruth } = pay.truth;
  return {
    odoo,
    scout: { transactions: s.rows },
    manifest: {
      seed, scale, year, payroll_codes: codes, rows, scout: s.truth, partners: p.truth, moves: m.truth,
      payroll: { ...payTruth, withholding_applied: options.withholding !== undefined },
      taxable_by_employee_month,
      ...(history ? { scout_history: history.history } : {}),
    },
  };
}
