import { invalidInput } from '../errors.js';
import { SeededRandom } from '../random.js';

/**
 * One isolation tree as flat arrays (compact JSON). Node i is a leaf when `feature[i] < 0`; then
 * `size[i]` is how many sample points reached it.
 */
export interface IsolationTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly size: number[];
}

export interface IsolationForest {
  readonly kind: 'isolation_forest';
  readonly trees: readonly IsolationTree[];
  readonly sampleSize: number;
  readonly features: number;
  readonly seed: number;
}

export interface IsolationForestOptions {
  readonly trees?: number;
  readonly sampleSize?: number;
  readonly seed?: number;
}

/** Average path length of an unsuccessful BST search among n points: c(n) = 2H(n−1) − 2(n−1)/n. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

/**
 * Liu, Ting & Zhou (2008): random axis-parallel splits isolate outliers in few steps. Trees are
 * grown on seeded subsamples of `sampleSize` rows to depth ⌈log2 sampleSize⌉, so the same data and
 * seed give the same forest.
 */
export function trainIsolationForest(rows: readonly (readonly number[])[], options: IsolationForestOptions = {}): IsolationForest {
  const treeCount = options.trees ?? 100;
  const seed = options.seed ?? 42;
  if (rows.length < 2) throw invalidInput('rows', rows.length, 'at least 2 rows to train an isolation forest');
  const features = (rows[0] as readonly number[]).length;
  for (const [i, row] of rows.entries()) {
    if (row.length !== features || row.some((v) => !Number.isFinite(v))) throw invalidInput(`rows[${i}]`, `[${row.join(', ')}]`, `${features} finite numbers`);
  }
  const sampleSize = Math.min(options.sampleSize ?? 256, rows.length);
  const depthLimit = Math.ceil(Math.log2(sampleSize));
  const random = new SeededRandom(seed);
  const trees: IsolationTree[] = [];
  for (let t = 0; t < treeCount; t++) {
    const sample = random.sample(rows.length, sampleSize);
    const tree: IsolationTree = { feature: [], threshold: [], left: [], right: [], size: [] };
    const grow = (points: number[], depth: number): number => {
      const id = tree.feature.length;
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.size.push(points.length);
      if (depth >= depthLimit || points.length <= 1) return id;
      // Pick a feature that still varies among the points (try each once, in seeded order).
      const order = random.sample(features, features);
      for (const f of order) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const p of points) {
          const v = (rows[p] as readonly number[])[f] as number;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        if (hi <= lo) continue;
        const split = lo + random.next() * (hi - lo);
        const leftPoints = points.filter((p) => ((rows[p] as readonly number[])[f] as number) < split);
        const rightPoints = points.filter((p) => ((rows[p] as readonly number[])[f] as number) >= split);
        tree.feature[id] = f;
        tree.threshold[id] = split;
        tree.left[id] = grow(leftPoints, depth + 1);
        tree.right[id] = grow(rightPoints, depth + 1);
        return id;
      }
      return id;
    };
    grow(sample, 0);
    trees.push(tree);
  }
  return { kind: 'isolation_forest', trees, sampleSize, features, seed };
}

/** Anomaly score in (0, 1): 2^(−E[h(x)]/c(ψ)); ≈ 0.5 for ordinary points, → 1 for isolated ones. */
export function isolationScore(forest: IsolationForest, x: readonly number[]): number {
  if (x.length !== forest.features || x.some((v) => !Number.isFinite(v))) throw invalidInput('features', `[${x.join(', ')}]`, `${forest.features} finite numbers`);
  let total = 0;
  for (const tree of forest.trees) {
    let node = 0;
    let depth = 0;
    while ((tree.feature[node] as number) >= 0) {
      node = (x[tree.feature[node] as number] as number) < (tree.threshold[node] as number) ? (tree.left[node] as number) : (tree.right[node] as number);
      depth++;
    }
    total += depth + averagePathLength(tree.size[node] as number);
  }
  return 2 ** (-(total / forest.trees.length) / averagePathLength(forest.sampleSize));
}
