import { z } from 'zod';

/** How a field's value is encoded in `search_read` results (brief §3.5). */
export type OdooFieldKind = 'char' | 'number' | 'boolean' | 'date' | 'datetime' | 'many2one' | 'ids' | 'json';

const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const many2one = z.union([z.tuple([z.number().int().positive(), z.string()]), z.literal(false)]);
const KIND_SCHEMAS: Readonly<Record<OdooFieldKind, z.ZodType>> = {
  char: z.union([z.string(), z.literal(false)]),
  number: z.number().finite(),
  boolean: z.boolean(),
  date: z.union([z.string().regex(DATE, 'a date "YYYY-MM-DD"'), z.literal(false)]),
  datetime: z.union([z.string().regex(DATETIME, 'a UTC datetime "YYYY-MM-DD HH:MM:SS"'), z.literal(false)]),
  many2one,
  ids: z.array(z.number().int()),
  json: z.unknown(),
};

const m2o = 'many2one' as const;
const ch = 'char' as const;
const num = 'number' as const;
const bool = 'boolean' as const;
const d = 'date' as const;
const dt = 'datetime' as const;
const ids = 'ids' as const;

/**
 * The fields the platform reads per model (what the bronze → silver SQL uses, the same as the
 * file exports), with their encodings. `fields_get` at sync start drops fields the server lacks.
 */
export const ODOO_MODEL_FIELDS: Readonly<Record<string, Readonly<Record<string, OdooFieldKind>>>> = {
  'res.partner': { name: ch, is_company: bool, vat: ch, branch_code: ch, country_id: m2o, city: ch, email: ch, supplier_rank: num, customer_rank: num, active: bool, create_date: dt, write_date: dt },
  'account.tax': { name: ch, amount: num, amount_type: ch, type_tax_use: ch, tax_scope: ch, tax_group_id: m2o, l10n_ph_atc: ch, active: bool, write_date: dt },
  'account.account': { code: ch, name: ch, account_type: ch, reconcile: bool, write_date: dt },
  'account.account.tag': { name: ch, applicability: ch, country_id: m2o, write_date: dt },
  'account.move': {
    name: ch, ref: ch, move_type: ch, state: ch, partner_id: m2o, commercial_partner_id: m2o, invoice_date: d, date: d, invoice_date_due: d,
    journal_id: m2o, company_id: m2o, currency_id: m2o, amount_untaxed: num, amount_tax: num, amount_total: num, amount_untaxed_signed: num,
    amount_tax_signed: num, amount_total_signed: num, amount_residual: num, payment_state: ch, line_ids: ids, create_date: dt, write_date: dt,
  },
  'account.move.line': {
    move_id: m2o, move_name: ch, date: d, parent_state: ch, journal_id: m2o, company_id: m2o, account_id: m2o, partner_id: m2o, name: ch,
    display_type: ch, debit: num, credit: num, balance: num, amount_currency: num, tax_ids: ids, tax_line_id: m2o, tax_tag_ids: ids,
    tax_base_amount: num, date_maturity: d, write_date: dt,
  },
  'hr.employee': { name: ch, active: bool, company_id: m2o, job_title: ch, identification_id: ch, employee_type: ch, write_date: dt },
  'hr.payslip': { number: ch, name: ch, employee_id: m2o, date_from: d, date_to: d, state: ch, credit_note: bool, company_id: m2o, line_ids: ids, write_date: dt },
  'hr.payslip.line': { slip_id: m2o, employee_id: m2o, date_from: d, code: ch, name: ch, category_id: m2o, quantity: num, rate: num, amount: num, total: num, write_date: dt },
};

/** The models `etl ingest odoo` syncs by default. */
export const DEFAULT_ODOO_MODELS: readonly string[] = Object.keys(ODOO_MODEL_FIELDS);

/** Maps an Odoo `fields_get` type to the encoding check used on its values. */
export function kindForOdooType(type: unknown): OdooFieldKind {
  switch (type) {
    case 'char': case 'text': case 'html': case 'selection': case 'reference': case 'binary': return 'char';
    case 'integer': case 'float': case 'monetary': return 'number';
    case 'boolean': return 'boolean';
    case 'date': return 'date';
    case 'datetime': return 'datetime';
    case 'many2one': return 'many2one';
    case 'one2many': case 'many2many': return 'ids';
    default: return 'json';
  }
}

/**
 * A zod schema for one model's records restricted to the requested fields: `id` a positive
 * integer, `write_date` a non-false UTC datetime (the sync keyset needs it), every requested field
 * present with its encoding (`false` for empty values, many2one `[id, name] | false`).
 */
export function recordSchema(fields: Readonly<Record<string, OdooFieldKind>>): z.ZodType<Record<string, unknown> & { id: number; write_date: string }> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, kind] of Object.entries(fields)) shape[name] = KIND_SCHEMAS[kind];
  shape['id'] = z.number().int().positive();
  shape['write_date'] = z.string().regex(DATETIME, 'a UTC datetime "YYYY-MM-DD HH:MM:SS"');
  return z.looseObject(shape) as unknown as z.ZodType<Record<string, unknown> & { id: number; write_date: string }>;
}

/** A one-line reason from a zod failure: `field: problem; field: problem`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`)
    .join('; ');
}
