import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConformanceCases } from './cases.js';
import { duckDbEngine, PASS_THRESHOLD } from './cli.js';
import { runConformance } from './run-conformance.js';

/** GX's own test definitions, read in place from ../shared (never copied into the repository). */
const CASES = join(import.meta.dirname, '../../../../../shared/conformance/gx');

describe.skipIf(!existsSync(CASES))('GX conformance on DuckDB', () => {
  it(`passes at least ${PASS_THRESHOLD * 100}% of the applicable cases`, async () => {
    const files = await loadConformanceCases(CASES);
    const report = await runConformance(files, duckDbEngine());
    expect(files).toHaveLength(23);
    expect(report.applicable).toBeGreaterThan(100);
    expect(report.failed, JSON.stringify(report.failed, null, 2)).toEqual([]);
    expect(report.passed / report.applicable).toBeGreaterThanOrEqual(PASS_THRESHOLD);
  });
});
