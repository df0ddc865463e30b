import { invalidInput } from '../errors.js';
import { findDuplicatePayments, type DuplicateMatch } from './duplicates.js';
import { isolationScore, trainIsolationForest, type IsolationForest } from './isolation-forest.js';
import { groupStats, robustZ, type RobustStats } from './robust-z.js';

/** An expense as the detector sees it (one row of gold.ml_features.expense_prediction). */
export interface ExpenseRecord {
  readonly id: string;
  readonly agency: string;
  readonly vendor: string;
  readonly category: string;
  /** Exact decimal text or a number, in pesos; must be > 0. */
  readonly amount: string | number;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

export interface AnomalyThresholds {
  /** Robust z of log(amount) within the vendor or agency×category at or above which a row is flagged. */
  readonly z: number;
  /** Isolation-forest score at or above which a row is flagged. */
  readonly forest: number;
  /** Same vendor and amount within this many days → possible duplicate payment. */
  readonly duplicateDays: number;
  /** Groups with fewer rows have no robust z (too little history to call anything unusual). */
  readonly minGroup: number;
}

export const DEFAULT_THRESHOLDS: AnomalyThresholds = Object.freeze({ z: 4, forest: 0.75, duplicateDays: 3, minGroup: 8 });

/** The trained anomaly model (plain JSON, stored as the registry artifact). */
export interface AnomalyModel {
  readonly kind: 'expense_anomaly';
  readonly thresholds: AnomalyThresholds;
  readonly vendorStats: Readonly<Record<string, RobustStats>>;
  readonly groupStats: Readonly<Record<string, RobustStats>>;
  readonly forest: IsolationForest;
  readonly trainedRows: number;
  /** Latest transaction date seen in training. */
  readonly windowEnd: string;
}

export interface AnomalyScore {
  readonly id: string;
  /** 0–1: the strongest of the z, isolation-forest and duplicate signals. ≥ 0.5 means flagged by z. */
  readonly score: number;
  /** Why the row is flagged; empty when it is not. */
  readonly reasons: readonly string[];
  /** What could not be checked (unseen vendor, too small a group). */
  readonly notes: readonly string[];
}

const vendorKey = (vendor: string) => vendor.trim().toUpperCase().replace(/\s+/g, ' ');
const groupKey = (r: Pick<ExpenseRecord, 'agency' | 'category'>) => `${r.agency.trim().toUpperCase()}|${r.category}`;

function logAmount(r: ExpenseRecord, field: string): number {
  const amount = typeof r.amount === 'number' ? r.amount : Number(r.amount);
  if (!(Number.isFinite(amount) && amount > 0)) throw invalidInput(`${field}.amount`, r.amount, 'a positive amount in pesos');
  return Math.log(amount);
}

function zScores(model: Pick<AnomalyModel, 'vendorStats' | 'groupStats' | 'thresholds'>, r: ExpenseRecord, x: number) {
  const v = model.vendorStats[vendorKey(r.vendor)];
  const g = model.groupStats[groupKey(r)];
  const usable = (s: RobustStats | undefined) => (s && s.n >= model.thresholds.minGroup ? s : undefined);
  const vs = usable(v);
  const gs = usable(g);
  return { vendor: vs ? robustZ(x, vs) : undefined, group: gs ? robustZ(x, gs) : undefined, vendorStats: v, groupStats: g };
}

/**
 * Learns per-vendor and per agency×category median/MAD of log(amount) and an isolation forest on
 * [vendor z, agency×category z, log amount]. Seeded: the same rows give the same model.
 */
export function trainAnomalyModel(rows: readonly ExpenseRecord[], options: { seed?: number; trees?: number; sampleSize?: number; thresholds?: Partial<AnomalyThresholds> } = {}): AnomalyModel {
  if (rows.length < 2) throw invalidInput('rows', rows.length, 'at least 2 expenses to learn from');
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const logs = rows.map((r, i) => logAmount(r, `rows[${i}]`));
  const byIndex = rows.map((r, i) => ({ r, x: logs[i] as number }));
  const vendorStats = groupStats(byIndex, (e) => vendorKey(e.r.vendor), (e) => e.x);
  const agencyStats = groupStats(byIndex, (e) => groupKey(e.r), (e) => e.x);
  const partial = { vendorStats, groupStats: agencyStats, thresholds };
  const vectors = byIndex.map((e) => featureVector(partial, e.r, e.x));
  const forest = trainIsolationForest(vectors, { seed: options.seed ?? 42, trees: options.trees ?? 100, sampleSize: options.sampleSize ?? 256 });
  const windowEnd = rows.reduce((max, r) => (r.date > max ? r.date : max), '');
  return { kind: 'expense_anomaly', thresholds, vendorStats, groupStats: agencyStats, forest, trainedRows: rows.length, windowEnd };
}

function featureVector(model: Pick<AnomalyModel, 'vendorStats' | 'groupStats' | 'thresholds'>, r: ExpenseRecord, x: number): number[] {
  const z = zScores(model, r, x);
  return [z.vendor ?? 0, z.group ?? 0, x];
}

/** Scores one expense; `duplicate` is the earlier payment it may repeat, when known. */
export function scoreExpense(model: AnomalyModel, r: ExpenseRecord, duplicate?: Pick<DuplicateMatch, 'duplicateOf' | 'daysApart'>): AnomalyScore {
  const x = logAmount(r, r.id);
  const t = model.thresholds;
  const z = zScores(model, r, x);
  const reasons: string[] = [];
  const notes: string[] = [];
  const times = (s: RobustStats) => (Math.exp(x - s.median)).toFixed(1);
  if (z.vendor !== undefined && z.vendor >= t.z) reasons.push(`amount is ${times(z.vendorStats as RobustStats)}× the median for vendor "${r.vendor}" (robust z ${z.vendor.toFixed(1)} ≥ ${t.z})`);
  else if (z.vendor === undefined) notes.push(z.vendorStats ? `vendor "${r.vendor}" has only ${z.vendorStats.n} past expenses (< ${t.minGroup}): vendor check skipped` : `vendor "${r.vendor}" was not seen in training: vendor check skipped`);
  if (z.group !== undefined && z.group >= t.z) reasons.push(`amount is ${times(z.groupStats as RobustStats)}× the median of ${r.agency} ${r.category} expenses (robust z ${z.group.toFixed(1)} ≥ ${t.z})`);
  else if (z.group === undefined) notes.push(`agency ${r.agency} / category "${r.category}" has fewer than ${t.minGroup} past expenses: agency check skipped`);
  const forest = isolationScore(model.forest, [z.vendor ?? 0, z.group ?? 0, x]);
  if (forest >= t.forest) reasons.push(`isolation forest score ${forest.toFixed(2)} ≥ ${t.forest}`);
  if (duplicate) reasons.push(`possible duplicate of ${duplicate.duplicateOf} (same vendor and amount, ${duplicate.daysApart} day(s) apart)`);
  const zMax = Math.max(0, z.vendor ?? 0, z.group ?? 0);
  const score = Math.max(forest, zMax / (zMax + t.z), duplicate ? 0.95 : 0);
  return { id: r.id, score: Number(score.toFixed(6)), reasons, notes };
}

/** Scores every row, with duplicate payments searched among the rows themselves. */
export function detectAnomalies(model: AnomalyModel, rows: readonly ExpenseRecord[]): AnomalyScore[] {
  const duplicates = new Map(
    findDuplicatePayments(rows.map((r) => ({ id: r.id, vendor: r.vendor, amount: String(r.amount), date: r.date })), model.thresholds.duplicateDays).map((d) => [d.id, d]),
  );
  return rows.map((r) => scoreExpense(model, r, duplicates.get(r.id)));
}
