import { decimalString, formatTin } from './odoo-format.js';
import type { Random } from './random.js';

/** The agencies Scout knows; anything else is an injected defect. */
export const SCOUT_AGENCIES = ['RIM', 'CKVC', 'BOM', 'JPAL', 'JLI', 'JAP', 'LAS', 'RMQB'] as const;

/** Expense categories with typical vendors, descriptions and a median amount in pesos. */
export const SCOUT_CATEGORIES: Readonly<Record<string, { vendors: readonly string[]; descriptions: readonly string[]; median: number }>> = {
  meals: { vendors: ['Jollibee Foods Corp', 'Max\'s Restaurant', 'Mang Inasal', 'Starbucks Coffee PH', 'Chowking'], descriptions: ['team lunch', 'client dinner', 'overtime meal', 'coffee meeting'], median: 850 },
  transport: { vendors: ['Grab Philippines', 'Angkas', 'Petron Corp', 'Shell Pilipinas', 'Toll Regulatory Board'], descriptions: ['grab to client site', 'fuel reimbursement', 'toll fees', 'taxi fare'], median: 420 },
  travel: { vendors: ['Cebu Pacific Air', 'Philippine Airlines', 'AirAsia Philippines', 'Go Hotels', 'Red Planet Hotels'], descriptions: ['flight to Cebu', 'hotel stay Davao', 'flight to Manila', 'provincial field visit'], median: 6500 },
  supplies: { vendors: ['National Book Store', 'Office Warehouse', 'Ace Hardware PH', 'SM Supermarket'], descriptions: ['printer paper and toner', 'office supplies', 'cleaning supplies', 'pantry restock'], median: 1800 },
  utilities: { vendors: ['Globe Telecom', 'PLDT Inc', 'Smart Communications', 'Meralco', 'Manila Water'], descriptions: ['monthly internet', 'mobile postpaid', 'electricity bill', 'water bill'], median: 3200 },
  professional_fees: { vendors: ['Reyes & Santos Law', 'Cruz CPA Firm', 'Dela Cruz Consulting'], descriptions: ['legal retainer', 'audit fee', 'consulting services'], median: 25000 },
  software: { vendors: ['Microsoft Philippines', 'Google Asia Pacific', 'Zoom Video', 'Canva Pty'], descriptions: ['subscription renewal', 'licenses', 'cloud storage'], median: 4200 },
};

export type ScoutDefect = 'null_amount' | 'negative_amount' | 'absurd_amount' | 'unknown_agency' | 'missing_date' | 'malformed_amount';
export const SCOUT_DEFECTS: readonly ScoutDefect[] = ['null_amount', 'negative_amount', 'absurd_amount', 'unknown_agency', 'missing_date', 'malformed_amount'];

/** A Scout expense transaction as Supabase's Postgres returns it through `pg` (numeric as string). */
export interface ScoutTransaction {
  id: string;
  agency: string;
  vendor: string;
  vendor_tin: string | null;
  category: string;
  description: string;
  amount: string | null;
  currency: 'PHP';
  transaction_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScoutOptions {
  /** Distinct transactions (the delivered rows are more: duplicates and superseded versions). */
  readonly transactions: number;
  readonly year: number;
  /** Probability that a transaction's final version carries each defect (one defect at most per transaction). */
  readonly defectRates: Readonly<Record<ScoutDefect, number>>;
  /** Probability that a version is delivered twice (exact duplicate). */
  readonly duplicateRate: number;
  /** Probability that a transaction was edited: an older version is delivered too. */
  readonly updateRate: number;
}

export interface ScoutTruth {
  delivered_rows: number;
  distinct_ids: number;
  exact_duplicates: number;
  superseded_versions: number;
  defects: Record<ScoutDefect, number>;
  /** Rows the silver suite must quarantine: distinct ids whose latest version is defective. */
  expected_quarantine_rows: number;
  expected_silver_rows: number;
}

const VENDOR_TINS = new Map<string, string>();

function vendorTin(random: Random, vendor: string): string {
  let tin = VENDOR_TINS.get(vendor);
  if (!tin) {
    tin = formatTin(String(random.int(100_000_000, 999_999_999)), '000');
    VENDOR_TINS.set(vendor, tin);
  }
  return tin;
}

/** Generates Scout transactions with injected defects and returns their exact ground truth. */
export function generateScoutTransactions(random: Random, options: ScoutOptions): { rows: ScoutTransaction[]; truth: ScoutTruth } {
  VENDOR_TINS.clear();
  const rows: ScoutTransaction[] = [];
  const defects = Object.fromEntries(SCOUT_DEFECTS.map((d) => [d, 0])) as Record<ScoutDefect, number>;
  let duplicates = 0;
  let superseded = 0;
  const categories = Object.keys(SCOUT_CATEGORIES);
  const yearStart = Date.UTC(options.year, 0, 1);
  const daysInYear = (Date.UTC(options.year + 1, 0, 1) - yearStart) / 86_400_000;

  for (let i = 1; i <= options.transactions; i++) {
    const category = random.pick(categories);
    const spec = SCOUT_CATEGORIES[category] as (typeof SCOUT_CATEGORIES)[string];
    const vendor = random.pick(spec.vendors);
    const day = random.int(0, daysInYear - 1);
    const date = new Date(yearStart + day * 86_400_000);
    const created = new Date(date.getTime() + random.int(8, 20) * 3_600_000 + random.int(0, 3599) * 1000);
    const latest: ScoutTransaction = {
      id: `txn-${String(i).padStart(8, '0')}`,
      agency: random.pick(SCOUT_AGENCIES),
      vendor,
      vendor_tin: random.chance(0.9) ? vendorTin(random, vendor) : null,
      category,
      description: random.pick(spec.descriptions),
      amount: decimalString(random.amountCentavos(spec.median)),
      currency: 'PHP',
      transaction_date: date.toISOString().slice(0, 10),
      created_at: created.toISOString(),
      updated_at: created.toISOString(),
    };

    const versions: ScoutTransaction[] = [];
    if (random.chance(options.updateRate)) {
      // The delivered older version is clean; the edit (a later updated_at) changes the amount/description.
      versions.push({ ...latest });
      latest.amount = decimalString(random.amountCentavos(spec.median));
      latest.description = `${latest.description} (corrected)`;
      latest.updated_at = new Date(created.getTime() + random.int(1, 72) * 3_600_000).toISOString();
      superseded++;
    }

    let roll = random.next();
    for (const defect of SCOUT_DEFECTS) {
      const rate = options.defectRates[defect];
      if (roll < rate) {
        applyDefect(latest, defect, random);
        defects[defect]++;
        break;
      }
      roll -= rate;
    }
    versions.push(latest);

    for (const version of versions) {
      rows.push(version);
      if (random.chance(options.duplicateRate)) {
        rows.push({ ...version });
        duplicates++;
      }
    }
  }

  const quarantined = SCOUT_DEFECTS.reduce((s, d) => s + defects[d], 0);
  return {
    rows,
    truth: {
      delivered_rows: rows.length,
      distinct_ids: options.transactions,
      exact_duplicates: duplicates,
      superseded_versions: superseded,
      defects,
      expected_quarantine_rows: quarantined,
      expected_silver_rows: options.transactions - quarantined,
    },
  };
}

function applyDefect(row: ScoutTransaction, defect: ScoutDefect, random: Random): void {
  switch (defect) {
    case 'null_amount':
      row.amount = null;
      break;
    case 'negative_amount':
      row.amount = `-${row.amount}`;
      break;
    case 'absurd_amount':
      row.amount = decimalString(random.int(5_000_001, 99_999_999) * 100);
      break;
    case 'unknown_agency':
      row.agency = random.pick(['XYZ', 'RIMX', 'N/A', 'TEST']);
      break;
    case 'missing_date':
      row.transaction_date = null;
      break;
    case 'malformed_amount':
      row.amount = random.pick(['N/A', '1,250.00', 'PHP 300', '']);
      break;
  }
}
