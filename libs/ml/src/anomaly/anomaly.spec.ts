import { describe, expect, it } from 'vitest';
import { detectAnomalies, trainAnomalyModel, type ExpenseRecord } from './detector.js';
import { findDuplicatePayments } from './duplicates.js';
import { averagePathLength, isolationScore, trainIsolationForest } from './isolation-forest.js';
import { robustStats, robustZ } from './robust-z.js';

describe('robust z (median / MAD)', () => {
  it('matches the hand-computed modified z-score', () => {
    // values 1..9 and 100: median 5.5; |x − 5.5| sorted 0.5 0.5 1.5 1.5 2.5 2.5 3.5 3.5 4.5 94.5 → MAD 2.5.
    const s = robustStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    expect(s.median).toBe(5.5);
    expect(s.mad).toBe(2.5);
    expect(robustZ(100, s)).toBeCloseTo((0.6745 * 94.5) / 2.5, 12);
  });
});

describe('isolation forest', () => {
  it('c(n) is the average unsuccessful-search path length', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649015329) - (2 * 255) / 256, 12);
  });

  it('scores an isolated point above the cluster, and is deterministic for a seed', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [Math.sin(i) * 0.5, Math.cos(i * 1.7) * 0.5]);
    rows.push([8, 8]);
    const forest = trainIsolationForest(rows, { seed: 5, trees: 50 });
    expect(isolationScore(forest, [8, 8])).toBeGreaterThan(0.7);
    expect(isolationScore(forest, [0, 0])).toBeLessThan(0.5);
    expect(JSON.stringify(trainIsolationForest(rows, { seed: 5, trees: 50 }))).toBe(JSON.stringify(forest));
    expect(JSON.stringify(trainIsolationForest(rows, { seed: 6, trees: 50 }))).not.toBe(JSON.stringify(forest));
  });

  it('rejects rows with the wrong width or non-finite values', () => {
    expect(() => trainIsolationForest([[1, 2], [3]])).toThrowError('rows[1]: got "[3]", expected 2 finite numbers');
  });
});

describe('duplicate payments', () => {
  it('pairs the same vendor and amount within 3 days, reporting the later one', () => {
    const d = findDuplicatePayments([
      { id: 'p1', vendor: 'Globe Telecom', amount: '3200.00', date: '2025-03-01' },
      { id: 'p2', vendor: 'globe  telecom', amount: '3200', date: '2025-03-03' },
      { id: 'p3', vendor: 'Globe Telecom', amount: '3200.00', date: '2025-03-10' },
      { id: 'p4', vendor: 'Globe Telecom', amount: '3200.01', date: '2025-03-01' },
    ]);
    expect(d).toEqual([{ id: 'p2', duplicateOf: 'p1', daysApart: 2 }]);
  });
});

describe('the expense anomaly detector', () => {
  const rows: ExpenseRecord[] = Array.from({ length: 60 }, (_, i) => ({
    id: `t${String(i).padStart(3, '0')}`, agency: 'RIM', vendor: 'Jollibee', category: 'meals',
    amount: (800 + ((i * 37) % 100)).toFixed(2), date: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
  }));

  it('flags an amount far above the vendor median and a repeated payment (the later id on a tie), with reasons; nothing else', () => {
    const model = trainAnomalyModel(rows, { seed: 1, trees: 30 });
    const scored = detectAnomalies(model, [
      ...rows,
      { id: 'spike', agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: '30000.00', date: '2025-02-01' },
      { id: 'u-again', agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: rows[5]?.amount as string, date: rows[5]?.date as string },
    ]);
    const flagged = scored.filter((s) => s.reasons.length > 0);
    expect(flagged.map((s) => s.id).sort()).toEqual(['spike', 'u-again']);
    expect(flagged.find((s) => s.id === 'spike')?.reasons[0]).toMatch(/^amount is \d+\.\d× the median for vendor "Jollibee" \(robust z \d+\.\d ≥ 4\)$/);
    expect(flagged.find((s) => s.id === 'u-again')?.reasons).toContain('possible duplicate of t005 (same vendor and amount, 0 day(s) apart)');
    for (const s of scored) expect(s.score >= 0 && s.score <= 1).toBe(true);
  });

  it('says what it could not check for an unseen vendor, and rejects non-positive amounts', () => {
    const model = trainAnomalyModel(rows, { seed: 1, trees: 10 });
    const [unseen] = detectAnomalies(model, [{ id: 'x', agency: 'LAS', vendor: 'New Vendor', category: 'travel', amount: 100, date: '2025-01-01' }]);
    expect(unseen?.notes).toEqual([
      'vendor "New Vendor" was not seen in training: vendor check skipped',
      'agency LAS / category "travel" has fewer than 8 past expenses: agency check skipped',
    ]);
    expect(() => detectAnomalies(model, [{ id: 'y', agency: 'RIM', vendor: 'Jollibee', category: 'meals', amount: '-5', date: '2025-01-01' }])).toThrowError('y.amount: got "-5", expected a positive amount in pesos');
  });
});
