/** Small helpers the benchmarks share for summarising repeated measurements. */

/** The middle value of `values` (the upper one of the two middles for an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** `os.loadavg()` as `1.23 / 0.98 / 0.75` (1, 5 and 15 min) — the shared machine's load beside a result. */
export function formatLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(' / ');
}
