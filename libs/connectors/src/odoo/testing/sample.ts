import { generateDataset } from '@odoo-ce/sample-data';
import type { FakeOdooDataset } from './server.js';

/**
 * The Odoo records of `@odoo-ce/sample-data`'s `generateDataset({seed, scale}).odoo`, for the
 * local Odoo-protocol server (tests and benchmarks). The connectors lib may depend on sample-data
 * for this testing subpath only (eslint allows `scope:connectors` → `scope:sample-data`).
 */
export function loadSampleOdooDataset(options: { seed?: number; scale?: number } = {}): FakeOdooDataset {
  return generateDataset(options).odoo as unknown as FakeOdooDataset;
}
