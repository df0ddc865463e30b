/** Per-class and overall quality of a classifier on held-out rows. */
export interface ClassificationMetrics {
  readonly examples: number;
  readonly accuracy: number;
  /** Unweighted mean of the per-class F1 (classes with no support and no prediction are left out). */
  readonly macroF1: number;
  readonly perClass: Readonly<Record<string, { precision: number; recall: number; f1: number; support: number }>>;
  /** `matrix[i][j]`: rows of actual class `labels[i]` predicted as `labels[j]`. */
  readonly confusion: { readonly labels: readonly string[]; readonly matrix: readonly (readonly number[])[] };
}

export function classificationMetrics(actual: readonly string[], predicted: readonly string[]): ClassificationMetrics {
  if (actual.length !== predicted.length) throw new RangeError(`actual has ${actual.length} labels, predicted ${predicted.length}`);
  const labels = [...new Set([...actual, ...predicted])].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  let correct = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = index.get(actual[i] as string) as number;
    const p = index.get(predicted[i] as string) as number;
    const row = matrix[a] as number[];
    row[p] = (row[p] as number) + 1;
    if (a === p) correct++;
  }
  const perClass: Record<string, { precision: number; recall: number; f1: number; support: number }> = {};
  const f1s: number[] = [];
  for (const [i, label] of labels.entries()) {
    const actualRow = matrix[i] as number[];
    const tp = actualRow[i] as number;
    const support = actualRow.reduce((s, v) => s + v, 0);
    const predictedCount = matrix.reduce((s, row) => s + (row[i] as number), 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[label] = { precision, recall, f1, support };
    f1s.push(f1);
  }
  return {
    examples: actual.length,
    accuracy: actual.length ? correct / actual.length : 0,
    macroF1: f1s.length ? f1s.reduce((s, v) => s + v, 0) / f1s.length : 0,
    perClass,
    confusion: { labels, matrix },
  };
}
