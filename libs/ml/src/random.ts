/**
 * The seeded PRNG lives in @odoo-ce/common (one mulberry32 for sample-data and ml); training uses
 * it so that the same features give byte-identical artifacts (isolation-forest subsamples).
 */
export { SeededRandom } from '@odoo-ce/common';

/** FNV-1a of a string: stable ids → buckets (held-out split) independent of row order. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
