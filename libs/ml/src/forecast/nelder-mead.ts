/**
 * Nelder–Mead simplex minimisation (no gradients), used to fit the smoothing parameters.
 * Deterministic: the same start gives the same result. Parameters are unconstrained; callers map
 * them into their ranges (see `squash`).
 */
export function nelderMead(f: (x: number[]) => number, start: readonly number[], options: { maxIterations?: number; step?: number; tolerance?: number } = {}): { x: number[]; value: number } {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const step = options.step ?? 0.5;
  const tolerance = options.tolerance ?? 1e-10;
  let simplex = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] = (p[i] as number) + step;
    simplex.push(p);
  }
  let values = simplex.map(f);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
    simplex = order.map((i) => simplex[i] as number[]);
    values = order.map((i) => values[i] as number);
    const best = values[0] as number;
    const worst = values[n] as number;
    if (Math.abs(worst - best) <= tolerance * (Math.abs(best) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] = (centroid[j] as number) + ((simplex[i] as number[])[j] as number) / n;
    const along = (t: number) => centroid.map((c, j) => c + t * (((simplex[n] as number[])[j] as number) - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < best) {
      const expanded = along(-2);
      const fe = f(expanded);
      [simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    } else if (fr < (values[n - 1] as number)) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      const contracted = fr < worst ? along(-0.5) : along(0.5);
      const fc = f(contracted);
      if (fc < Math.min(fr, worst)) {
        [simplex[n], values[n]] = [contracted, fc];
      } else {
        const first = simplex[0] as number[];
        for (let i = 1; i <= n; i++) {
          simplex[i] = first.map((b, j) => b + 0.5 * (((simplex[i] as number[])[j] as number) - b));
          values[i] = f(simplex[i] as number[]);
        }
      }
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if ((values[i] as number) < (values[bestIndex] as number)) bestIndex = i;
  return { x: simplex[bestIndex] as number[], value: values[bestIndex] as number };
}

/** Maps an unconstrained number into (lo, hi) with a logistic curve. */
export function squash(x: number, lo: number, hi: number): number {
  return lo + (hi - lo) / (1 + Math.exp(-x));
}

/** Inverse of {@link squash}. */
export function unsquash(y: number, lo: number, hi: number): number {
  const p = Math.min(1 - 1e-9, Math.max(1e-9, (y - lo) / (hi - lo)));
  return Math.log(p / (1 - p));
}
