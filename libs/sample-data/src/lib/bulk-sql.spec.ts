import { describe, expect, it } from 'vitest';
import { moveLinesBronzeSql, scoutBronzeSql } from './bulk-sql.js';

// The pipeline run over bulk-generated data (ground truth = quarantine) is tested in
// apps/etl/src/pipeline/bulk-scale.spec.ts, where the bundle and the quality gates live.
describe('bulk SQL text', () => {
  it('is deterministic in its options and rejects bad ones', () => {
    expect(scoutBronzeSql({ rows: 10, seed: 1 })).toBe(scoutBronzeSql({ rows: 10, seed: 1 }));
    expect(scoutBronzeSql({ rows: 10, seed: 1 })).not.toBe(scoutBronzeSql({ rows: 10, seed: 2 }));
    expect(moveLinesBronzeSql({ lines: 8 })).toContain('{{catalog.bronze}}.odoo.account_move_line');
    expect(() => scoutBronzeSql({ rows: 0 })).toThrow(RangeError);
    expect(() => scoutBronzeSql({ rows: 10, duplicateRate: 2 })).toThrow(RangeError);
    expect(() => moveLinesBronzeSql({ lines: 2.5 })).toThrow(RangeError);
  });
});
