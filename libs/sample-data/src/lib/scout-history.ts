import { decimalString, formatTin } from './odoo-format.js';
import type { Random } from './random.js';
import { SCOUT_AGENCIES, SCOUT_CATEGORIES, type ScoutTransaction, type ScoutTruth } from './scout.js';

/**
 * Several years of Scout expenses with a known shape, for the ML quality bars: monthly volume per
 * agency = agency size × month-of-year season (December peak, February trough) × a steady trend ×
 * a little noise; amounts log-normal around each category's median, scaled by the same season. Clean rows (no pipeline
 * defects); instead it injects the two kinds of anomaly the detector must find and records them:
 * - `amount_spikes`: an everyday expense (meals, transport, supplies, software) at 20–50× its usual amount;
 * - `duplicate_payments`: the same vendor, agency and amount paid again 0–3 days later under a new id.
 */
export interface ScoutHistoryOptions {
  /** Months of history ending in December of `year` (default 36). */
  readonly months?: number;
  /** Share of rows turned into amount spikes (default 0.004). */
  readonly anomalyRate?: number;
  /** Share of rows paid twice (default 0.004). */
  readonly duplicatePaymentRate?: number;
}

export interface ScoutHistoryTruth {
  readonly first_month: string;
  readonly last_month: string;
  readonly months: number;
  /** Ids of the injected amount spikes. */
  readonly amount_spikes: string[];
  /** The repeated payment's id and the id of the payment it repeats. */
  readonly duplicate_payments: { id: string; original_id: string }[];
  /** The month-of-year volume factors used (index 0 = January). */
  readonly season: readonly number[];
  readonly monthly_trend: number;
}

/** Month-of-year volume factors: Christmas/13th-month December peak, slow January–February. */
export const HISTORY_SEASON = Object.freeze([0.8, 0.75, 0.95, 1.05, 1.0, 0.95, 0.9, 0.95, 1.0, 1.05, 1.15, 1.45]);
const AGENCY_SIZE = [1.4, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5];
const MONTHLY_TREND = 0.01;
const SPIKE_CATEGORIES = ['meals', 'transport', 'supplies', 'software'];
const DAY = 86_400_000;

export function generateScoutHistory(random: Random, scale: number, year: number, options: ScoutHistoryOptions = {}): { rows: ScoutTransaction[]; truth: ScoutTruth; history: ScoutHistoryTruth } {
  const months = options.months ?? 36;
  const anomalyRate = options.anomalyRate ?? 0.004;
  const duplicateRate = options.duplicatePaymentRate ?? 0.004;
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`scoutHistory.months must be a positive whole number, got ${months}`);
  for (const [name, rate] of [['anomalyRate', anomalyRate], ['duplicatePaymentRate', duplicateRate]] as const) {
    if (!(rate >= 0 && rate <= 0.5)) throw new RangeError(`scoutHistory.${name} must be between 0 and 0.5, got ${rate}`);
  }
  const firstIndex = year * 12 + 11 - (months - 1);
  const weights: number[][] = SCOUT_AGENCIES.map((_, a) =>
    Array.from({ length: months }, (_, m) => (AGENCY_SIZE[a] as number) * (HISTORY_SEASON[(firstIndex + m) % 12] as number) * (1 + MONTHLY_TREND) ** m * (0.95 + 0.1 * random.next())),
  );
  const total = weights.flat().reduce((s, w) => s + w, 0);
  const categories = Object.keys(SCOUT_CATEGORIES);
  const tins = new Map<string, string>();
  const rows: ScoutTransaction[] = [];
  const spikes: string[] = [];
  const duplicates: { id: string; original_id: string }[] = [];
  let n = 0;
  const nextId = () => `hist-${String(++n).padStart(8, '0')}`;

  for (let m = 0; m < months; m++) {
    const monthIndex = firstIndex + m;
    const monthStart = Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1);
    const daysInMonth = (Date.UTC(Math.floor((monthIndex + 1) / 12), (monthIndex + 1) % 12, 1) - monthStart) / DAY;
    for (const [a, agency] of SCOUT_AGENCIES.entries()) {
      const count = Math.round((scale * (weights[a]?.[m] as number)) / total);
      // Categories in rotation from a random start: each agency-month has the usual mix (±1 per
      // category), as recurring retainers and subscriptions do, instead of a random mix whose few
      // large professional fees would drown the season in noise.
      const offset = random.int(0, categories.length - 1);
      for (let i = 0; i < count; i++) {
        const category = categories[(offset + i) % categories.length] as string;
        const spec = SCOUT_CATEGORIES[category] as (typeof SCOUT_CATEGORIES)[string];
        const vendor = random.pick(spec.vendors);
        let tin = tins.get(vendor);
        if (!tin) tins.set(vendor, (tin = formatTin(String(random.int(100_000_000, 999_999_999)), '000')));
        const date = new Date(monthStart + random.int(0, daysInMonth - 1) * DAY);
        const created = new Date(date.getTime() + random.int(8, 20) * 3_600_000);
        // Spend per expense follows the season too (year-end events, 13th-month purchases), so the
        // monthly totals are clearly seasonal against the noise of a few large professional fees.
        let centavos = Math.round(random.amountCentavos(spec.median, 0.35) * (HISTORY_SEASON[monthIndex % 12] as number));
        const id = nextId();
        const roll = random.next();
        const spike = SPIKE_CATEGORIES.includes(category) && roll < anomalyRate * (categories.length / SPIKE_CATEGORIES.length);
        if (spike) {
          centavos = Math.min(400_000_000, Math.round(centavos * (20 + 30 * random.next())));
          spikes.push(id);
        }
        const row: ScoutTransaction = {
          id, agency, vendor, vendor_tin: tin, category, description: random.pick(spec.descriptions),
          amount: decimalString(centavos), currency: 'PHP',
          transaction_date: date.toISOString().slice(0, 10), created_at: created.toISOString(), updated_at: created.toISOString(),
        };
        rows.push(row);
        if (!spike && random.chance(duplicateRate)) {
          // Repeated 0–3 days later, or the same day when later would leave the month (the history ends on a month end).
          const later = date.getTime() + random.int(0, 3) * DAY;
          const again = new Date(later < monthStart + daysInMonth * DAY ? later : date.getTime());
          const againCreated = new Date(again.getTime() + random.int(8, 20) * 3_600_000).toISOString();
          const copy: ScoutTransaction = { ...row, id: nextId(), transaction_date: again.toISOString().slice(0, 10), created_at: againCreated, updated_at: againCreated };
          rows.push(copy);
          duplicates.push({ id: copy.id, original_id: id });
        }
      }
    }
  }
  const month = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  return {
    rows,
    truth: {
      delivered_rows: rows.length,
      distinct_ids: rows.length,
      exact_duplicates: 0,
      superseded_versions: 0,
      defects: { null_amount: 0, negative_amount: 0, absurd_amount: 0, unknown_agency: 0, missing_date: 0, malformed_amount: 0 },
      expected_quarantine_rows: 0,
      expected_silver_rows: rows.length,
    },
    history: { first_month: month(firstIndex), last_month: month(firstIndex + months - 1), months, amount_spikes: spikes, duplicate_payments: duplicates, season: HISTORY_SEASON, monthly_trend: MONTHLY_TREND },
  };
}
