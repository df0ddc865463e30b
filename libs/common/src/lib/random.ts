/**
 * mulberry32: a small seeded PRNG, so the same seed gives the same data set (sample-data) and the
 * same model artifact (ml) on every machine. One implementation for the whole workspace: the
 * sample data's exact counts and the models' byte-identical artifacts both depend on its sequence.
 * Not for cryptography.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks with relative weights: `weighted([['a', 3], ['b', 1]])`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, weight] of items) {
      r -= weight;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** `k` distinct indexes of [0, n) (partial Fisher–Yates), k ≤ n. */
  sample(n: number, k: number): number[] {
    const pool = Array.from({ length: n }, (_, i) => i);
    const take = Math.min(k, n);
    for (let i = 0; i < take; i++) {
      const j = i + this.below(n - i);
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    return pool.slice(0, take);
  }

  /**
   * The seed of a child generator for `label` (FNV-1a over the label, from the current state), so
   * adding draws in one part does not shift another part's data. Subclasses build their own child.
   */
  forkSeed(label: string): number {
    return fnv1a(label, this.#state);
  }

  /** A child generator (see {@link forkSeed}). */
  fork(label: string): SeededRandom {
    return new SeededRandom(this.forkSeed(label));
  }
}

/**
 * 32-bit FNV-1a of a string, its offset basis mixed with `seed`: stable ids → buckets and labels →
 * seeds, independent of order (unsigned result).
 */
export function fnv1a(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
