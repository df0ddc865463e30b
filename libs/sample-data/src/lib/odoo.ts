import { formatTin, m2o, money, odooDate, odooDatetime, type Many2one } from './odoo-format.js';
import type { Random } from './random.js';

/** `res.partner` fields the platform reads (l10n_ph adds `branch_code`). */
export interface OdooPartner {
  id: number;
  name: string;
  is_company: boolean;
  vat: string | false;
  branch_code: string | false;
  country_id: Many2one;
  city: string | false;
  email: string | false;
  supplier_rank: number;
  customer_rank: number;
  active: boolean;
  create_date: string;
  write_date: string;
}

export interface OdooTax {
  id: number;
  name: string;
  amount: number;
  amount_type: 'percent';
  type_tax_use: 'sale' | 'purchase';
  tax_scope: 'service' | 'consu' | false;
  tax_group_id: Many2one;
  l10n_ph_atc: string | false;
  active: boolean;
  write_date: string;
}

export interface OdooAccount {
  id: number;
  code: string;
  name: string;
  account_type: string;
  reconcile: boolean;
  write_date: string;
}

export interface OdooTag {
  id: number;
  name: string;
  applicability: 'taxes';
  country_id: Many2one;
}

export type MoveType = 'entry' | 'out_invoice' | 'out_refund' | 'in_invoice' | 'in_refund';

export interface OdooMove {
  id: number;
  name: string | false;
  ref: string | false;
  move_type: MoveType;
  state: 'draft' | 'posted' | 'cancel';
  partner_id: Many2one;
  commercial_partner_id: Many2one;
  invoice_date: string | false;
  date: string;
  invoice_date_due: string | false;
  journal_id: Many2one;
  company_id: Many2one;
  currency_id: Many2one;
  amount_untaxed: number;
  amount_tax: number;
  amount_total: number;
  amount_untaxed_signed: number;
  amount_tax_signed: number;
  amount_total_signed: number;
  amount_residual: number;
  payment_state: 'not_paid' | 'paid' | 'partial';
  line_ids: number[];
  create_date: string;
  write_date: string;
}

export interface OdooMoveLine {
  id: number;
  move_id: Many2one;
  move_name: string | false;
  date: string;
  parent_state: 'draft' | 'posted' | 'cancel';
  journal_id: Many2one;
  company_id: Many2one;
  account_id: Many2one;
  partner_id: Many2one;
  name: string | false;
  display_type: 'product' | 'tax' | 'payment_term';
  debit: number;
  credit: number;
  balance: number;
  amount_currency: number;
  tax_ids: number[];
  tax_line_id: Many2one;
  tax_tag_ids: number[];
  tax_base_amount: number;
  date_maturity: string | false;
  write_date: string;
}

const COMPANY = { id: 1, name: 'PH Co.' };
const PHP = { id: 37, name: 'PHP' };
const PH = { id: 177, name: 'Philippines' };
const JOURNALS = { sale: { id: 1, name: 'Customer Invoices' }, purchase: { id: 2, name: 'Vendor Bills' }, misc: { id: 3, name: 'Miscellaneous Operations' } };

/** The l10n_ph tax-report tags the 2550Q lines sum (shared/domain/odoo-external-api.md §7.2). */
export const TAX_TAG_NAMES = ['31A', '31B', '32A', '33A', '44A', '44B', '44SA', '44SB', 'CAPA', 'CAPB', '46A', '46B', '48E', '1601/1604A', '1601/1604B'] as const;

export function taxTags(): OdooTag[] {
  return TAX_TAG_NAMES.map((name, i) => ({ id: 100 + i, name, applicability: 'taxes', country_id: m2o(PH) }));
}

function tagId(name: (typeof TAX_TAG_NAMES)[number]): number {
  return 100 + TAX_TAG_NAMES.indexOf(name);
}

/** The PH chart subset the generator posts to (6-digit l10n_ph 17/18 codes). */
export function chartOfAccounts(stamp: string): OdooAccount[] {
  const rows: [number, string, string, string, boolean][] = [
    [1, '100100', 'Cash on Hand', 'asset_cash', false],
    [2, '110100', 'Accounts Receivable', 'asset_receivable', true],
    [3, '110201', 'Input VAT 12%', 'asset_current', false],
    [4, '110208', 'Creditable VAT Withheld', 'asset_current', false],
    [5, '200100', 'Accounts Payable', 'liability_payable', true],
    [6, '200300', 'Output VAT 12%', 'liability_current', false],
    [7, '200301', 'EWT Payable', 'liability_current', false],
    [8, '400100', 'Sales', 'income', false],
    [9, '500100', 'Cost of Goods and Services', 'expense', false],
    [10, '510100', 'Capital Equipment', 'asset_fixed', false],
    [11, '520100', 'Salaries and Wages', 'expense', false],
  ];
  return rows.map(([id, code, name, account_type, reconcile]) => ({ id, code, name, account_type, reconcile, write_date: stamp }));
}

const ACC = { receivable: 2, inputVat: 3, payable: 5, outputVat: 6, ewtPayable: 7, sales: 8, expense: 9, capital: 10 } as const;

export function taxes(stamp: string): OdooTax[] {
  const group = (id: number, name: string): Many2one => [id, name];
  const t = (id: number, name: string, amount: number, use: 'sale' | 'purchase', scope: 'service' | 'consu' | false, grp: Many2one, atc: string | false): OdooTax => ({
    id, name, amount, amount_type: 'percent', type_tax_use: use, tax_scope: scope, tax_group_id: grp, l10n_ph_atc: atc, active: true, write_date: stamp,
  });
  const vat = group(1, 'VAT 12%');
  const zero = group(2, 'VAT 0% (zero-rated)');
  const exempt = group(3, 'VAT Exempt');
  const wht = group(4, 'Withholding Tax');
  return [
    t(1, '12% VAT (sales)', 12, 'sale', false, vat, false),
    t(2, '0% VAT zero-rated (sales)', 0, 'sale', false, zero, false),
    t(3, 'VAT exempt (sales)', 0, 'sale', false, exempt, false),
    t(4, '12% VAT goods (purchases)', 12, 'purchase', 'consu', vat, false),
    t(5, '12% VAT services (purchases)', 12, 'purchase', 'service', vat, false),
    t(6, '12% VAT capital goods (purchases)', 12, 'purchase', 'consu', vat, false),
    t(7, '12% VAT importation of goods', 12, 'purchase', 'consu', vat, false),
    t(8, 'VAT exempt (purchases)', 0, 'purchase', false, exempt, false),
    t(9, 'EWT 1% goods - top withholding agent', -1, 'purchase', 'consu', wht, 'WC158'),
    t(10, 'EWT 2% services - top withholding agent', -2, 'purchase', 'service', wht, 'WC160'),
    t(11, 'EWT 5% rentals', -5, 'purchase', 'service', wht, 'WC100'),
    t(12, 'EWT 10% professional fees', -10, 'purchase', 'service', wht, 'WC010'),
  ];
}

const COMPANY_NAMES = ['Manila Trading', 'Cebu Supply', 'Davao Agri', 'Luzon Logistics', 'Visayas Foods', 'Makati Tech', 'Pasig Print', 'Quezon Builders', 'Iloilo Textiles', 'Baguio Crafts', 'Bicol Energy', 'Pampanga Metals'];
const SUFFIXES = ['Inc.', 'Corp.', 'Co.', 'Enterprises', 'Holdings Inc.'];
const CITIES = ['Makati', 'Taguig', 'Pasig', 'Quezon City', 'Cebu City', 'Davao City', 'Iloilo City', 'Baguio'];

export interface PartnerTruth {
  partners: number;
  bad_tin: number;
  missing_tin: number;
}

/** Vendors and customers; a share carry malformed TINs (for the TIN-format expectation). */
export function partners(random: Random, count: number, badTinRate: number, stamp: Date): { rows: OdooPartner[]; truth: PartnerTruth } {
  const rows: OdooPartner[] = [];
  let bad = 0;
  let missing = 0;
  for (let i = 0; i < count; i++) {
    const id = 10 + i;
    const name = `${random.pick(COMPANY_NAMES)} ${random.pick(SUFFIXES)} ${id}`;
    let vat: string | false;
    let branch: string | false = '000';
    if (random.chance(badTinRate)) {
      vat = random.pick(['12345678', '123-456-78', '123456789000', 'TIN-PENDING', '123-456-789-0']);
      bad++;
    } else if (random.chance(0.05)) {
      vat = false;
      branch = false;
      missing++;
    } else {
      branch = random.weighted([['000', 6], ['001', 1], ['00002', 1]] as const);
      vat = formatTin(String(random.int(100_000_000, 999_999_999)), random.chance(0.5) ? branch : undefined);
    }
    const isVendor = i % 3 !== 0;
    rows.push({
      id, name, is_company: true, vat, branch_code: branch, country_id: m2o(PH), city: random.pick(CITIES),
      email: `ap${id}@example.ph`, supplier_rank: isVendor ? 1 : 0, customer_rank: isVendor ? 0 : 1, active: true,
      create_date: odooDatetime(stamp), write_date: odooDatetime(stamp),
    });
  }
  return { rows, truth: { partners: count, bad_tin: bad, missing_tin: missing } };
}

export interface MoveOptions {
  readonly year: number;
  /** Invoices + bills per month. */
  readonly documentsPerMonth: number;
  readonly draftRate: number;
  readonly cancelRate: number;
  /** Share of posted sales invoices whose VAT is not 12% of the base (±0.01). */
  readonly vatMismatchRate: number;
}

export interface MoveTruth {
  moves: number;
  lines: number;
  posted: number;
  draft: number;
  cancel: number;
  vat_mismatch: number;
}

type SaleKind = 'vatable' | 'zero_rated' | 'exempt';
type PurchaseKind = 'goods' | 'services' | 'capital' | 'importation' | 'exempt';

/** Customer invoices, vendor bills and refunds with balanced journal items, tax lines and PH tax tags. */
export function moves(random: Random, partnerRows: readonly OdooPartner[], options: MoveOptions): { moves: OdooMove[]; lines: OdooMoveLine[]; truth: MoveTruth } {
  const customers = partnerRows.filter((p) => p.customer_rank > 0);
  const vendors = partnerRows.filter((p) => p.supplier_rank > 0);
  const moveRows: OdooMove[] = [];
  const lineRows: OdooMoveLine[] = [];
  const truth: MoveTruth = { moves: 0, lines: 0, posted: 0, draft: 0, cancel: 0, vat_mismatch: 0 };
  const seq: Record<string, number> = {};
  let lineId = 1;

  for (let month = 0; month < 12; month++) {
    for (let d = 0; d < options.documentsPerMonth; d++) {
      const id = moveRows.length + 1;
      const day = random.int(1, 28);
      const date = new Date(Date.UTC(options.year, month, day));
      const isSale = random.chance(0.45);
      const refund = random.chance(0.06);
      const moveType: MoveType = isSale ? (refund ? 'out_refund' : 'out_invoice') : refund ? 'in_refund' : 'in_invoice';
      const partner = random.pick(isSale ? customers : vendors);
      const state: OdooMove['state'] = random.chance(options.cancelRate) ? 'cancel' : random.chance(options.draftRate) ? 'draft' : 'posted';
      truth[state]++;
      const prefix = { out_invoice: 'INV', out_refund: 'RINV', in_invoice: 'BILL', in_refund: 'RBILL', entry: 'MISC' }[moveType];
      const name = state === 'draft' ? '/' : `${prefix}/${options.year}/${String((seq[prefix] = (seq[prefix] ?? 0) + 1)).padStart(5, '0')}`;
      const base = random.amountCentavos(isSale ? 85_000 : 40_000, 0.9);
      const written = new Date(date.getTime() + random.int(1, 10) * 86_400_000 + random.int(0, 86_399) * 1000);
      const common = { move_id: [id, name] as Many2one, move_name: name, date: odooDate(date), parent_state: state, company_id: m2o(COMPANY), partner_id: m2o(partner), write_date: odooDatetime(written) };
      const lines: Omit<OdooMoveLine, 'id'>[] = [];
      // Sales carry credits on income/tax and a receivable debit; purchases the opposite. Refunds flip every sign.
      const sign = (isSale ? -1 : 1) * (refund ? -1 : 1); // +1 = debit on the base line
      const line = (account: { id: number; name: string }, amount: number, extra: Partial<OdooMoveLine>): Omit<OdooMoveLine, 'id'> => ({
        ...common,
        journal_id: m2o(isSale ? JOURNALS.sale : JOURNALS.purchase),
        account_id: m2o(account),
        name: extra.name ?? false,
        display_type: 'product',
        debit: money(Math.max(amount, 0)),
        credit: money(Math.max(-amount, 0)),
        balance: money(amount),
        amount_currency: money(amount),
        tax_ids: [],
        tax_line_id: false,
        tax_tag_ids: [],
        tax_base_amount: 0,
        date_maturity: false,
        ...extra,
      });
      let vat = 0;
      let ewt = 0;
      if (isSale) {
        const kind = random.weighted<SaleKind>([['vatable', 8], ['zero_rated', 1], ['exempt', 1]]);
        const taxId = { vatable: 1, zero_rated: 2, exempt: 3 }[kind];
        const baseTag = { vatable: '31A', zero_rated: '32A', exempt: '33A' }[kind] as (typeof TAX_TAG_NAMES)[number];
        lines.push(line({ id: ACC.sales, name: 'Sales' }, sign * base, { name: 'Services rendered', tax_ids: [taxId], tax_tag_ids: [tagId(baseTag)] }));
        if (kind === 'vatable') {
          vat = Math.round(base * 0.12);
          if (state === 'posted' && !refund && random.chance(options.vatMismatchRate)) {
            vat = Math.round(base * 0.11);
            truth.vat_mismatch++;
          }
          lines.push(line({ id: ACC.outputVat, name: 'Output VAT 12%' }, sign * vat, { name: '12% VAT', display_type: 'tax', tax_line_id: [1, '12% VAT (sales)'], tax_tag_ids: [tagId('31B')], tax_base_amount: money(base) }));
        }
        lines.push(line({ id: ACC.receivable, name: 'Accounts Receivable' }, -sign * (base + vat), { display_type: 'payment_term', date_maturity: odooDate(new Date(date.getTime() + 30 * 86_400_000)) }));
      } else {
        const kind = random.weighted<PurchaseKind>([['goods', 5], ['services', 4], ['capital', 1], ['importation', 1], ['exempt', 1]]);
        const spec = {
          goods: { tax: 4, baseTag: '44A', taxTag: '44B', ewt: 9, account: { id: ACC.expense, name: 'Cost of Goods and Services' } },
          services: { tax: 5, baseTag: '44SA', taxTag: '44SB', ewt: random.pick([10, 11, 12]), account: { id: ACC.expense, name: 'Cost of Goods and Services' } },
          capital: { tax: 6, baseTag: 'CAPA', taxTag: 'CAPB', ewt: 9, account: { id: ACC.capital, name: 'Capital Equipment' } },
          importation: { tax: 7, baseTag: '46A', taxTag: '46B', ewt: 0, account: { id: ACC.expense, name: 'Cost of Goods and Services' } },
          exempt: { tax: 8, baseTag: '48E', taxTag: '', ewt: 0, account: { id: ACC.expense, name: 'Cost of Goods and Services' } },
        }[kind];
        const ewtTax = spec.ewt ? taxes('')[spec.ewt - 1] : undefined;
        lines.push(line(spec.account, sign * base, { name: `Purchase of ${kind}`, tax_ids: ewtTax ? [spec.tax, ewtTax.id] : [spec.tax], tax_tag_ids: [tagId(spec.baseTag as (typeof TAX_TAG_NAMES)[number]), ...(ewtTax ? [tagId('1601/1604A')] : [])] }));
        if (spec.taxTag) {
          vat = Math.round(base * 0.12);
          lines.push(line({ id: ACC.inputVat, name: 'Input VAT 12%' }, sign * vat, { name: '12% VAT', display_type: 'tax', tax_line_id: [spec.tax, `12% VAT ${kind}`], tax_tag_ids: [tagId(spec.taxTag as (typeof TAX_TAG_NAMES)[number])], tax_base_amount: money(base) }));
        }
        if (ewtTax) {
          ewt = Math.round((base * -ewtTax.amount) / 100);
          lines.push(line({ id: ACC.ewtPayable, name: 'EWT Payable' }, -sign * ewt, { name: ewtTax.name, display_type: 'tax', tax_line_id: [ewtTax.id, ewtTax.name], tax_tag_ids: [tagId('1601/1604B')], tax_base_amount: money(base) }));
        }
        lines.push(line({ id: ACC.payable, name: 'Accounts Payable' }, -sign * (base + vat - ewt), { display_type: 'payment_term', date_maturity: odooDate(new Date(date.getTime() + 30 * 86_400_000)) }));
      }
      const ids = lines.map(() => lineId++);
      lines.forEach((l, i) => lineRows.push({ id: ids[i] as number, ...l }));
      const total = base + vat - ewt;
      const signed = isSale !== refund ? 1 : -1;
      moveRows.push({
        id, name, ref: isSale ? false : `SI-${random.int(10000, 99999)}`, move_type: moveType, state,
        partner_id: m2o(partner), commercial_partner_id: m2o(partner), invoice_date: odooDate(date), date: odooDate(date),
        invoice_date_due: odooDate(new Date(date.getTime() + 30 * 86_400_000)), journal_id: m2o(isSale ? JOURNALS.sale : JOURNALS.purchase),
        company_id: m2o(COMPANY), currency_id: m2o(PHP),
        amount_untaxed: money(base), amount_tax: money(vat - ewt), amount_total: money(total),
        amount_untaxed_signed: money(signed * base), amount_tax_signed: money(signed * (vat - ewt)), amount_total_signed: money(signed * total),
        amount_residual: state === 'posted' ? money(total) : 0, payment_state: 'not_paid', line_ids: ids,
        create_date: odooDatetime(date), write_date: odooDatetime(written),
      });
    }
  }
  truth.moves = moveRows.length;
  truth.lines = lineRows.length;
  return { moves: moveRows, lines: lineRows, truth };
}
