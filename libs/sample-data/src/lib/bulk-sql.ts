/**
 * Bulk generation in SQL for large scales (10M+ rows): instead of producing records in JS and
 * writing NDJSON files, these functions return SQL scripts (DuckDB dialect) that INSERT the
 * generated records straight into the bronze tables, in the bronze shape the file connector writes
 * (`_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at`), with `_raw` built
 * by `json_object(…)` so the pipeline's silver SQL reads the same fields as from the JS generator.
 *
 * Every random draw is `hash(seed, row, label)`, so the same options give the same rows. The caller
 * runs the scripts with `warehouse.executeScript(sql)` (`{{catalog.bronze}}` resolves per target);
 * this library imports no engine SDK.
 */
import { SCOUT_AGENCIES, SCOUT_CATEGORIES, SCOUT_DEFECTS, type ScoutDefect } from './scout.js';
import { chartOfAccounts, taxTags } from './odoo.js';
import { odooDatetime } from './odoo-format.js';

/** Options of {@link scoutBronzeSql} and {@link scoutGroundTruthSql}. */
export interface BulkScoutOptions {
  /** Distinct transactions (delivered rows are more: duplicates and superseded versions). */
  readonly rows: number;
  readonly seed?: number;
  readonly year?: number;
  /** Probability that a transaction's latest version carries each defect (one at most). */
  readonly defectRates?: Readonly<Record<ScoutDefect, number>>;
  /** Probability that a version is delivered twice. */
  readonly duplicateRate?: number;
  /** Probability that an older (clean) version is delivered too. */
  readonly updateRate?: number;
}

/** Options of {@link moveLinesBronzeSql}. */
export interface BulkLedgerOptions {
  /** Journal items; rounded down to a multiple of 4 (every entry has 4 lines). */
  readonly lines: number;
  readonly seed?: number;
  readonly year?: number;
}

/** The same defaults as the JS generator's `DEFAULT_DEFECT_RATES`. */
export const BULK_SCOUT_DEFAULTS = Object.freeze({
  defectRates: Object.freeze({ null_amount: 0.004, negative_amount: 0.004, absurd_amount: 0.002, unknown_agency: 0.004, missing_date: 0.003, malformed_amount: 0.003 }) as Readonly<Record<ScoutDefect, number>>,
  duplicateRate: 0.02,
  updateRate: 0.05,
});

const BRONZE_COLUMNS = '_id VARCHAR, _version VARCHAR, _raw VARCHAR, _source VARCHAR, _batch_id VARCHAR, _file VARCHAR, _file_sha256 VARCHAR, _ingested_at TIMESTAMP';

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

function rate(name: string, value: number): string {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return String(value);
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const list = (items: readonly string[]): string => `[${items.map(lit).join(', ')}]`;

/** A uniform draw in [0, 1) for row `i`, deterministic in (seed, i, label). */
const u = (seed: number, label: string, i = 'i'): string => `(CAST(hash(${seed}, ${i}, ${lit(label)}) % 1000000007 AS DOUBLE) / 1000000007.0)`;
/** A whole number in [0, n). */
const pick = (seed: number, label: string, n: number, i = 'i'): string => `CAST(hash(${seed}, ${i}, ${lit(label)}) % ${n} AS BIGINT)`;
/** Centavos → the exact decimal text `pg` returns for numeric. */
const decimalText = (c: string): string => `printf('%d.%02d', (${c}) // 100, (${c}) % 100)`;
/** A log-normal-ish amount in centavos around `median` (pesos), ≥ 1 peso, as the JS generator draws it. */
const amountCentavos = (seed: number, label: string, median: string, spread = 0.8, i = 'i'): string =>
  `CAST(greatest(100, least(400000000, round(${median} * 100 * exp(${spread} * sqrt(-2 * ln(greatest(${u(seed, `${label}.u1`, i)}, 1e-12))) * cos(2 * pi() * ${u(seed, `${label}.u2`, i)}))))) AS BIGINT)`;

function table(schema: string, name: string): string {
  return `{{catalog.bronze}}.${schema}.${name}`;
}

function createBronze(schema: string, name: string): string {
  return `CREATE SCHEMA IF NOT EXISTS {{catalog.bronze}}.${schema};\nCREATE TABLE IF NOT EXISTS ${table(schema, name)} (${BRONZE_COLUMNS});`;
}

interface ScoutResolved {
  rows: number;
  seed: number;
  year: number;
  rates: Readonly<Record<ScoutDefect, number>>;
  duplicateRate: string;
  updateRate: string;
}

function resolveScout(options: BulkScoutOptions): ScoutResolved {
  const rates = options.defectRates ?? BULK_SCOUT_DEFAULTS.defectRates;
  for (const d of SCOUT_DEFECTS) rate(`defectRates.${d}`, rates[d]);
  if (SCOUT_DEFECTS.reduce((s, d) => s + rates[d], 0) > 1) throw new RangeError('the defect rates add up to more than 1');
  return {
    rows: wholeNumber('rows', options.rows, 1),
    seed: wholeNumber('seed', options.seed ?? 42, 0),
    year: wholeNumber('year', options.year ?? 2025, 1970),
    rates,
    duplicateRate: rate('duplicateRate', options.duplicateRate ?? BULK_SCOUT_DEFAULTS.duplicateRate),
    updateRate: rate('updateRate', options.updateRate ?? BULK_SCOUT_DEFAULTS.updateRate),
  };
}

/** `CASE` on the defect roll: the defect kind of transaction `i`'s latest version, or NULL. */
function defectCase(o: ScoutResolved): string {
  let cumulative = 0;
  const whens = SCOUT_DEFECTS.filter((d) => o.rates[d] > 0).map((d) => {
    cumulative += o.rates[d];
    return `WHEN roll < ${cumulative} THEN ${lit(d)}`;
  });
  return whens.length === 0 ? 'CAST(NULL AS VARCHAR)' : `CASE ${whens.join(' ')} END`;
}

/** The per-transaction draws (one row per distinct id), shared by the insert and the ground truth. */
function scoutDraws(o: ScoutResolved): string {
  const s = o.seed;
  return `draws AS (
  SELECT i, roll, ${defectCase(o)} AS defect, updated, dup_old, dup_latest, category_ix, vendor_ix, description_ix, agency_ix, day, created_s, edit_h, has_tin, odd_ix
  FROM (
    SELECT
      i,
      ${u(s, 'defect')} AS roll,
      ${u(s, 'updated')} < ${o.updateRate} AS updated,
      ${u(s, 'dup.old')} < ${o.duplicateRate} AS dup_old,
      ${u(s, 'dup.latest')} < ${o.duplicateRate} AS dup_latest,
      ${pick(s, 'category', Object.keys(SCOUT_CATEGORIES).length)} AS category_ix,
      ${pick(s, 'vendor', 1_000_003)} AS vendor_ix,
      ${pick(s, 'description', 1_000_003)} AS description_ix,
      ${pick(s, 'agency', SCOUT_AGENCIES.length)} AS agency_ix,
      ${pick(s, 'day', 365)} AS day,
      8 * 3600 + ${pick(s, 'created', 13 * 3600)} AS created_s,
      1 + ${pick(s, 'edit', 72)} AS edit_h,
      ${u(s, 'tin')} < 0.9 AS has_tin,
      ${pick(s, 'odd', 4)} AS odd_ix
    FROM range(1, ${o.rows + 1}) AS r(i)
  ) AS d
)`;
}

/**
 * SQL that appends `rows` generated Scout transactions to `{{catalog.bronze}}.scout.transactions`
 * (created when missing), with the JS generator's defect kinds on the latest version (null /
 * negative / absurd > ₱5,000,000 / malformed amount, unknown agency, missing date), older clean
 * versions of edited transactions and exact duplicates. Run it with `warehouse.executeScript`.
 *
 * @example
 * await warehouse.executeScript(scoutBronzeSql({ rows: 10_000_000, seed: 42 }));
 */
export function scoutBronzeSql(options: BulkScoutOptions): string {
  const o = resolveScout(options);
  const s = o.seed;
  const categories = Object.keys(SCOUT_CATEGORIES);
  const spec = (c: string) => SCOUT_CATEGORIES[c] as (typeof SCOUT_CATEGORIES)[string];
  const byCategory = (field: (c: string) => string): string => `CASE category_ix ${categories.map((c, k) => `WHEN ${k} THEN ${field(c)}`).join(' ')} END`;
  const vendor = byCategory((c) => `${list(spec(c).vendors)}[1 + vendor_ix % ${spec(c).vendors.length}]`);
  const description = byCategory((c) => `${list(spec(c).descriptions)}[1 + description_ix % ${spec(c).descriptions.length}]`);
  const median = byCategory((c) => String(spec(c).median));
  const category = `${list(categories)}[1 + category_ix]`;
  const amountText = (c: string) => decimalText(c);
  const latestAmount = `CASE defect
      WHEN 'null_amount' THEN NULL
      WHEN 'negative_amount' THEN '-' || ${amountText('amount_c')}
      WHEN 'absurd_amount' THEN ${amountText(`(5000001 + ${pick(s, 'absurd', 94_999_999)}) * 100`)}
      WHEN 'malformed_amount' THEN ['N/A', '1,250.00', 'PHP 300', ''][1 + odd_ix]
      ELSE ${amountText('amount_c')} END`;
  const record = (amount: string, desc: string, agency: string, date: string, updated: string): string =>
    `CAST(json_object('id', id, 'agency', ${agency}, 'vendor', vendor, 'vendor_tin', vendor_tin, 'category', category, 'description', ${desc},
      'amount', ${amount}, 'currency', 'PHP', 'transaction_date', ${date}, 'created_at', created_at, 'updated_at', ${updated}) AS VARCHAR)`;
  return `-- Generated by @odoo-ce/sample-data scoutBronzeSql (seed ${s}, ${o.rows} transactions, year ${o.year}).
${createBronze('scout', 'transactions')}

INSERT INTO ${table('scout', 'transactions')} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
WITH ${scoutDraws(o)},
fields AS (
  SELECT
    i, defect, updated, dup_old, dup_latest, odd_ix,
    printf('txn-%08d', i) AS id,
    ${list(SCOUT_AGENCIES)}[1 + agency_ix] AS agency,
    ${category} AS category,
    ${vendor} AS vendor,
    ${description} AS description,
    CASE WHEN has_tin THEN printf('%03d-%03d-%03d-000', 100 + hash(${s}, ${vendor}, 'tin') % 900, hash(${s}, ${vendor}, 'tin2') % 1000, hash(${s}, ${vendor}, 'tin3') % 1000) END AS vendor_tin,
    ${amountCentavos(s, 'amount', median)} AS amount_c,
    ${amountCentavos(s, 'amount.old', median)} AS old_amount_c,
    DATE '${o.year}-01-01' + CAST(day AS INTEGER) AS tx_date,
    TIMESTAMP '${o.year}-01-01 00:00:00' + to_seconds(CAST(day AS BIGINT) * 86400 + created_s) AS created_ts,
    edit_h
  FROM draws
),
texts AS (
  SELECT *,
    strftime(tx_date, '%Y-%m-%d') AS date_text,
    strftime(created_ts, '%Y-%m-%dT%H:%M:%S.000Z') AS created_at,
    strftime(CASE WHEN updated THEN created_ts + to_hours(CAST(edit_h AS BIGINT)) ELSE created_ts END, '%Y-%m-%dT%H:%M:%S.000Z') AS latest_updated_at
  FROM fields
),
versions AS (
  -- The latest version (where the defect, if any, lives); edited ones carry a corrected description.
  SELECT id, latest_updated_at AS version, dup_latest AS dup,
    ${record(
      latestAmount,
      "CASE WHEN updated THEN description || ' (corrected)' ELSE description END",
      `CASE WHEN defect = 'unknown_agency' THEN ['XYZ', 'RIMX', 'N/A', 'TEST'][1 + odd_ix] ELSE agency END`,
      "CASE WHEN defect = 'missing_date' THEN NULL ELSE date_text END",
      'latest_updated_at',
    )} AS raw
  FROM texts
  UNION ALL
  -- The older, clean version of an edited transaction (superseded by the latest).
  SELECT id, created_at AS version, dup_old AS dup,
    ${record(amountText('old_amount_c'), 'description', 'agency', 'date_text', 'created_at')} AS raw
  FROM texts
  WHERE updated
)
SELECT id, version, raw, 'bulk_sql', ${lit(`bulk-scout-${s}`)}, 'bulk:scout/transactions', ${lit(`bulk-scout-${s}-${o.rows}`)}, TIMESTAMP '${o.year + 1}-01-01 00:00:00'
FROM versions
UNION ALL
SELECT id, version, raw, 'bulk_sql', ${lit(`bulk-scout-${s}`)}, 'bulk:scout/transactions', ${lit(`bulk-scout-${s}-${o.rows}`)}, TIMESTAMP '${o.year + 1}-01-01 00:00:00'
FROM versions
WHERE dup;
`;
}

/**
 * A query returning one row with the exact ground truth of {@link scoutBronzeSql} for the same
 * options, recomputed from the same draws (not from bronze): `delivered_rows`, `distinct_ids`,
 * `exact_duplicates`, `superseded_versions`, one count per defect kind, `expected_quarantine_rows`
 * (distinct ids whose latest version is defective) and `expected_silver_rows`.
 *
 * @example
 * const [truth] = (await warehouse.query(scoutGroundTruthSql({ rows: 100_000 }))).rows;
 */
export function scoutGroundTruthSql(options: BulkScoutOptions): string {
  const o = resolveScout(options);
  const n = (b: string) => `CAST(count(*) FILTER (WHERE ${b}) AS BIGINT)`;
  return `WITH ${scoutDraws(o)}
SELECT
  CAST(count(*) + count(*) FILTER (WHERE updated) + count(*) FILTER (WHERE dup_latest) + count(*) FILTER (WHERE updated AND dup_old) AS BIGINT) AS delivered_rows,
  CAST(count(*) AS BIGINT) AS distinct_ids,
  CAST(count(*) FILTER (WHERE dup_latest) + count(*) FILTER (WHERE updated AND dup_old) AS BIGINT) AS exact_duplicates,
  ${n('updated')} AS superseded_versions,
  ${SCOUT_DEFECTS.map((d) => `${n(`defect = ${lit(d)}`)} AS ${d}`).join(',\n  ')},
  ${n('defect IS NOT NULL')} AS expected_quarantine_rows,
  ${n('defect IS NULL')} AS expected_silver_rows
FROM draws`;
}

/** Alias of {@link scoutGroundTruthSql}: the expected quarantine rows and the rest of the truth. */
export const groundTruthSql = scoutGroundTruthSql;

/**
 * SQL that appends a generated general ledger to bronze: `{{catalog.bronze}}.odoo.account_move_line`
 * (`lines` journal items, 4 per entry: sales invoices with two income lines, output VAT and the
 * receivable; vendor bills with expense, input VAT, EWT and the payable; every entry balances),
 * `account_move`, `account_account` and `account_account_tag`, plus empty `res_partner`,
 * `account_tax`, `hr_employee`, `hr_payslip` and `hr_payslip_line` tables so the bronze → silver
 * finance task runs. Entries are 94% posted, 4% draft, 2% cancelled.
 *
 * @example
 * await warehouse.executeScript(moveLinesBronzeSql({ lines: 1_000_000, seed: 42 }));
 */
export function moveLinesBronzeSql(options: BulkLedgerOptions): string {
  const lines = wholeNumber('lines', options.lines, 4);
  const s = wholeNumber('seed', options.seed ?? 42, 0);
  const year = wholeNumber('year', options.year ?? 2025, 1970);
  const moves = Math.floor(lines / 4);
  const stamp = odooDatetime(new Date(Date.UTC(year, 0, 1)));
  const batch = lit(`bulk-odoo-${s}`);
  const lineage = (file: string) => `'bulk_sql', ${batch}, ${lit(`bulk:odoo/${file}`)}, ${lit(`bulk-odoo-${s}-${moves}`)}, TIMESTAMP '${year + 1}-01-01 00:00:00'`;
  const staticRows = (name: string, records: readonly { id: number }[], version: (r: { id: number }) => string): string =>
    `INSERT INTO ${table('odoo', name)} VALUES\n${records.map((r) => `  (${lit(String(r.id))}, ${lit(version(r))}, ${lit(JSON.stringify(r))}, ${lineage(name)})`).join(',\n')};`;
  const accounts = chartOfAccounts(stamp);
  const money = (c: string) => `CAST((${c}) / 100 AS DECIMAL(18, 2))`;
  // Per position (0–3): account id and name, display type, signed amount (+ = debit), tags, tax line.
  const acc = (id: number) => {
    const a = accounts.find((x) => x.id === id);
    return `json_array(${id}, ${lit(a?.name ?? '')})`;
  };
  const perPos = (sale: readonly string[], bill: readonly string[]) => `CASE WHEN sale THEN [${sale.join(', ')}] ELSE [${bill.join(', ')}] END[1 + pos]`;
  return `-- Generated by @odoo-ce/sample-data moveLinesBronzeSql (seed ${s}, ${moves} entries × 4 lines, year ${year}).
${['account_move_line', 'account_move', 'account_account', 'account_account_tag', 'res_partner', 'account_tax', 'hr_employee', 'hr_payslip', 'hr_payslip_line'].map((t) => createBronze('odoo', t)).join('\n')}

DELETE FROM ${table('odoo', 'account_account')} WHERE _batch_id = ${batch};
DELETE FROM ${table('odoo', 'account_account_tag')} WHERE _batch_id = ${batch};
${staticRows('account_account', accounts, () => stamp)}
${staticRows('account_account_tag', taxTags(), () => stamp)}

CREATE OR REPLACE TEMP TABLE bulk_moves AS
SELECT
  m,
  sale,
  CASE WHEN state_roll < 0.02 THEN 'cancel' WHEN state_roll < 0.06 THEN 'draft' ELSE 'posted' END AS state,
  doc_date,
  base,
  CAST(round(base * 0.12) AS BIGINT) AS vat,
  CASE WHEN sale THEN 0 ELSE CAST(round(base * 0.02) AS BIGINT) END AS ewt,
  strftime(doc_date + to_seconds(CAST(written_s AS BIGINT)), '%Y-%m-%d %H:%M:%S') AS write_date
FROM (
  SELECT
    i AS m,
    ${u(s, 'sale')} < 0.45 AS sale,
    ${u(s, 'state')} AS state_roll,
    make_date(${year}, 1 + ${pick(s, 'month', 12)}, 1 + ${pick(s, 'day', 28)}) AS doc_date,
    CASE WHEN ${u(s, 'sale')} < 0.45 THEN ${amountCentavos(s, 'base.sale', '85000', 0.9)} ELSE ${amountCentavos(s, 'base.bill', '40000', 0.9)} END AS base,
    86400 + ${pick(s, 'written', 9 * 86400)} AS written_s
  FROM range(1, ${moves + 1}) AS r(i)
) AS d;

INSERT INTO ${table('odoo', 'account_move')} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
SELECT CAST(m AS VARCHAR), write_date,
  CAST(json_object(
    'id', m, 'name', name, 'ref', false, 'move_type', CASE WHEN sale THEN 'out_invoice' ELSE 'in_invoice' END, 'state', state,
    'partner_id', false, 'commercial_partner_id', false, 'invoice_date', strftime(doc_date, '%Y-%m-%d'), 'date', strftime(doc_date, '%Y-%m-%d'),
    'invoice_date_due', strftime(doc_date + INTERVAL 30 DAY, '%Y-%m-%d'), 'journal_id', CASE WHEN sale THEN json_array(1, 'Customer Invoices') ELSE json_array(2, 'Vendor Bills') END,
    'company_id', json_array(1, 'PH Co.'), 'currency_id', json_array(37, 'PHP'),
    'amount_untaxed', ${money('base')}, 'amount_tax', ${money('vat - ewt')}, 'amount_total', ${money('base + vat - ewt')},
    'amount_untaxed_signed', ${money('base')}, 'amount_tax_signed', ${money('vat - ewt')}, 'amount_total_signed', ${money('base + vat - ewt')},
    'amount_residual', CASE WHEN state = 'posted' THEN ${money('base + vat - ewt')} ELSE 0 END, 'payment_state', 'not_paid',
    'line_ids', json_array(4 * m - 3, 4 * m - 2, 4 * m - 1, 4 * m), 'create_date', strftime(doc_date, '%Y-%m-%d %H:%M:%S'), 'write_date', write_date
  ) AS VARCHAR),
  ${lineage('account_move')}
FROM (SELECT *, CASE WHEN state = 'draft' THEN '/' ELSE printf('%s/${year}/%07d', CASE WHEN sale THEN 'INV' ELSE 'BILL' END, m) END AS name FROM bulk_moves) AS mv;

INSERT INTO ${table('odoo', 'account_move_line')} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
SELECT CAST(id AS VARCHAR), write_date,
  CAST(json_object(
    'id', id, 'move_id', json_array(m, name), 'move_name', name, 'date', strftime(doc_date, '%Y-%m-%d'), 'parent_state', state,
    'journal_id', CASE WHEN sale THEN json_array(1, 'Customer Invoices') ELSE json_array(2, 'Vendor Bills') END,
    'company_id', json_array(1, 'PH Co.'), 'account_id', account, 'partner_id', false, 'name', false, 'display_type', display_type,
    'debit', ${money('greatest(amount, 0)')}, 'credit', ${money('greatest(-amount, 0)')}, 'balance', ${money('amount')}, 'amount_currency', ${money('amount')},
    'tax_ids', json('[]'), 'tax_line_id', tax_line, 'tax_tag_ids', tags, 'tax_base_amount', CASE WHEN display_type = 'tax' THEN ${money('base')} ELSE 0 END,
    'date_maturity', CASE WHEN display_type = 'payment_term' THEN strftime(doc_date + INTERVAL 30 DAY, '%Y-%m-%d') END, 'write_date', write_date
  ) AS VARCHAR),
  ${lineage('account_move_line')}
FROM (
  SELECT
    4 * m - 3 + pos AS id, m, pos, sale, state, doc_date, base, write_date,
    CASE WHEN state = 'draft' THEN '/' ELSE printf('%s/${year}/%07d', CASE WHEN sale THEN 'INV' ELSE 'BILL' END, m) END AS name,
    ${perPos([acc(8), acc(8), acc(6), acc(2)], [acc(9), acc(3), acc(7), acc(5)])} AS account,
    ${perPos(["'product'", "'product'", "'tax'", "'payment_term'"], ["'product'", "'tax'", "'tax'", "'payment_term'"])} AS display_type,
    ${perPos(['-(base // 2)', '-(base - base // 2)', '-vat', 'base + vat'], ['base', 'vat', '-ewt', '-(base + vat - ewt)'])} AS amount,
    ${perPos(["json('[100]')", "json('[100]')", "json('[101]')", "json('[]')"], ["json('[103]')", "json('[104]')", "json('[114]')", "json('[]')"])} AS tags,
    ${perPos(["json('false')", "json('false')", "json_array(1, '12% VAT (sales)')", "json('false')"], ["json('false')", "json_array(4, '12% VAT goods')", "json_array(10, 'EWT 2% services - top withholding agent')", "json('false')"])} AS tax_line
  FROM bulk_moves, range(4) AS p(pos)
) AS l;

DROP TABLE bulk_moves;
`;
}
