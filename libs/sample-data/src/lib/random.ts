import { SeededRandom } from '@odoo-ce/common';

/**
 * The sample data's generator: the workspace's seeded PRNG (mulberry32, `SeededRandom` of
 * @odoo-ce/common) plus amounts. The same seed gives the same dataset on every machine.
 * Not for cryptography.
 */
export class Random extends SeededRandom {
  /** A log-normal-ish positive amount around `median`, in centavos. */
  amountCentavos(median: number, spread = 0.8): number {
    // Box-Muller on two uniforms.
    const u = Math.max(this.next(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
    return Math.max(100, Math.round(median * 100 * Math.exp(spread * z)));
  }

  /** A child generator, so adding draws in one part does not shift another part's data. */
  override fork(label: string): Random {
    return new Random(this.forkSeed(label));
  }
}
