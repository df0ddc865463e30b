/**
 * The seeded PRNG lives in @odoo-ce/common (one mulberry32 for sample-data and ml); training uses
 * it so that the same features give byte-identical artifacts (isolation-forest subsamples).
 */
export { SeededRandom } from '@odoo-ce/common';

/** FNV-1a of a string (`fnv1a` of @odoo-ce/common): stable ids → buckets (held-out split) independent of row order. */
export { fnv1a as hashString } from '@odoo-ce/common';
