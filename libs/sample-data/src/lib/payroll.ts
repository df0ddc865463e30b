import { m2o, money, odooDate, odooDatetime, type Many2one } from './odoo-format.js';
import type { Random } from './random.js';

/**
 * Salary-rule codes of the OCA `payroll` module are user data (shared/domain §5): the generator
 * takes them as configuration, and so does the 1601-C task.
 */
export interface PayrollCodes {
  readonly basic: string;
  readonly thirteenthMonth: string;
  readonly deMinimis: string;
  readonly sss: string;
  readonly philhealth: string;
  readonly hdmf: string;
  readonly gross: string;
  readonly taxWithheld: string;
  readonly net: string;
}

export const DEFAULT_PAYROLL_CODES: PayrollCodes = Object.freeze({
  basic: 'BASIC',
  thirteenthMonth: 'THIRTEENTH',
  deMinimis: 'DEMINIMIS',
  sss: 'SSS',
  philhealth: 'PHIC',
  hdmf: 'HDMF',
  gross: 'GROSS',
  taxWithheld: 'WTAX',
  net: 'NET',
});

export interface OdooEmployee {
  id: number;
  name: string;
  active: boolean;
  company_id: Many2one;
  job_title: string | false;
  identification_id: string | false;
  employee_type: 'employee';
  write_date: string;
}

/** OCA payroll `hr.payslip`. */
export interface OdooPayslip {
  id: number;
  number: string;
  name: string;
  employee_id: Many2one;
  date_from: string;
  date_to: string;
  state: 'draft' | 'verify' | 'done' | 'cancel';
  credit_note: boolean;
  company_id: Many2one;
  line_ids: number[];
  write_date: string;
}

/** OCA payroll `hr.payslip.line`: `total = quantity × amount × rate / 100`. */
export interface OdooPayslipLine {
  id: number;
  slip_id: Many2one;
  employee_id: Many2one;
  date_from: string;
  code: string;
  name: string;
  category_id: Many2one;
  quantity: number;
  rate: number;
  amount: number;
  total: number;
  write_date: string;
}

/** Monthly withholding on compensation for a taxable amount in centavos → tax in centavos. */
export type WithholdingFunction = (taxableCentavos: number) => number;

export interface PayrollOptions {
  readonly year: number;
  readonly employees: number;
  readonly codes: PayrollCodes;
  /** Share of done payslips whose withheld tax is 10% short (the 1601-C variance column shows them). */
  readonly underWithholdingRate: number;
  /** The monthly withholding table; without it the generator withholds nothing and says so in the truth. */
  readonly withholding?: WithholdingFunction;
}

export interface PayslipTruth {
  employees: number;
  payslips: number;
  done: number;
  draft: number;
  under_withheld: number;
  /** Per employee and month (`YYYY-MM`): the taxable compensation the slip implies, in centavos. */
  taxable_by_employee_month: Record<string, number>;
}

const FIRST = ['Maria', 'Jose', 'Ana', 'Juan', 'Liza', 'Mark', 'Grace', 'Paolo', 'Rica', 'Noel', 'Joy', 'Carlo'];
const LAST = ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza', 'Torres', 'Flores', 'Ramos', 'Aquino'];
const COMPANY = { id: 1, name: 'PH Co.' };
const CATEGORIES = {
  basic: [1, 'Basic'], allowance: [2, 'Allowance'], deduction: [3, 'Deduction'], gross: [4, 'Gross'], net: [5, 'Net'], tax: [6, 'Withholding Tax'],
} as const satisfies Record<string, [number, string]>;

/** Employees and 12 monthly payslips each, in the OCA `payroll` shape. */
export function payroll(random: Random, options: PayrollOptions): { employees: OdooEmployee[]; payslips: OdooPayslip[]; lines: OdooPayslipLine[]; truth: PayslipTruth } {
  const employees: OdooEmployee[] = [];
  const payslips: OdooPayslip[] = [];
  const lines: OdooPayslipLine[] = [];
  const truth: PayslipTruth = { employees: options.employees, payslips: 0, done: 0, draft: 0, under_withheld: 0, taxable_by_employee_month: {} };
  const c = options.codes;
  let lineId = 1;

  for (let e = 0; e < options.employees; e++) {
    const employee: OdooEmployee = {
      id: 500 + e,
      name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
      active: true,
      company_id: m2o(COMPANY),
      job_title: random.pick(['Accountant', 'Analyst', 'Field Officer', 'Engineer', 'Manager', 'Clerk']),
      identification_id: `${random.int(100, 999)}-${random.int(100, 999)}-${random.int(100, 999)}-000`,
      employee_type: 'employee',
      write_date: odooDatetime(new Date(Date.UTC(options.year, 0, 1))),
    };
    employees.push(employee);
    // Monthly basic pay between ₱18,000 and ₱250,000: every bracket of the table is reached.
    const basic = random.weighted([[random.int(18_000, 20_000), 1], [random.int(21_000, 33_000), 3], [random.int(33_500, 66_000), 4], [random.int(67_000, 160_000), 2], [random.int(170_000, 250_000), 1]] as const) * 100;
    const deMinimis = 2_000_00; // rice subsidy, within the ₱2,000/month ceiling

    for (let month = 0; month < 12; month++) {
      const id = payslips.length + 1;
      const from = new Date(Date.UTC(options.year, month, 1));
      const to = new Date(Date.UTC(options.year, month + 1, 0));
      const state = random.chance(0.03) ? 'draft' : 'done';
      truth[state]++;
      const number = `SLIP/${options.year}/${String(id).padStart(5, '0')}`;
      const slip = { id, name: number };
      const sss = Math.min(Math.round(basic * 0.05), 1_750_00);
      const philhealth = Math.min(Math.round(basic * 0.025), 2_500_00);
      const hdmf = 200_00;
      // 13th month pay in December: equal to one month's basic; exempt up to ₱90,000 a year.
      const thirteenth = month === 11 ? basic : 0;
      const taxable = basic + Math.max(0, thirteenth - 90_000_00) - sss - philhealth - hdmf;
      truth.taxable_by_employee_month[`${employee.id}:${odooDate(from).slice(0, 7)}`] = taxable;
      let tax = options.withholding ? options.withholding(taxable) : 0;
      if (state === 'done' && tax > 0 && random.chance(options.underWithholdingRate)) {
        tax = Math.round(tax * 0.9);
        truth.under_withheld++;
      }
      const gross = basic + thirteenth + deMinimis;
      const net = gross - sss - philhealth - hdmf - tax;
      const ids: number[] = [];
      const add = (code: string, name: string, category: readonly [number, string], total: number) => {
        if (total === 0 && code === c.thirteenthMonth) return;
        const lid = lineId++;
        ids.push(lid);
        lines.push({
          id: lid, slip_id: m2o(slip), employee_id: m2o(employee), date_from: odooDate(from), code, name, category_id: [category[0], category[1]],
          quantity: 1, rate: 100, amount: money(total), total: money(total), write_date: odooDatetime(new Date(to.getTime() + 86_400_000)),
        });
      };
      add(c.basic, 'Basic Salary', CATEGORIES.basic, basic);
      add(c.thirteenthMonth, '13th Month Pay', CATEGORIES.allowance, thirteenth);
      add(c.deMinimis, 'Rice Subsidy (de minimis)', CATEGORIES.allowance, deMinimis);
      add(c.gross, 'Gross', CATEGORIES.gross, gross);
      add(c.sss, 'SSS Employee Share', CATEGORIES.deduction, -sss);
      add(c.philhealth, 'PhilHealth Employee Share', CATEGORIES.deduction, -philhealth);
      add(c.hdmf, 'Pag-IBIG Employee Share', CATEGORIES.deduction, -hdmf);
      add(c.taxWithheld, 'Withholding Tax', CATEGORIES.tax, -tax);
      add(c.net, 'Net Salary', CATEGORIES.net, net);
      payslips.push({
        id, number, name: `Salary Slip of ${employee.name} for ${odooDate(from).slice(0, 7)}`, employee_id: m2o(employee),
        date_from: odooDate(from), date_to: odooDate(to), state, credit_note: false, company_id: m2o(COMPANY), line_ids: ids,
        write_date: odooDatetime(new Date(to.getTime() + 86_400_000)),
      });
    }
  }
  truth.payslips = payslips.length;
  return { employees, payslips, lines, truth };
}
