import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** One GX test (gx-conformance/v1). */
export interface ConformanceTest {
  readonly id: string;
  readonly title: string;
  readonly kwargs: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
  readonly exact_match_out?: boolean;
  readonly effective_result_format?: unknown;
  readonly only_for?: readonly string[] | null;
  readonly suppress_test_for?: readonly string[] | null;
  readonly error?: { readonly traceback_substring?: string } | null;
  readonly derived?: Record<string, number | null> | null;
}

/** One dataset and its tests. */
export interface ConformanceDataset {
  readonly name: string;
  readonly pk_column?: boolean;
  readonly load_schema: Record<string, string>;
  readonly columns: Record<string, unknown[]>;
  readonly only_for?: readonly string[] | null;
  readonly suppress_test_for?: readonly string[] | null;
  readonly tests: readonly ConformanceTest[];
}

/** One file: all tests of one expectation type. */
export interface ConformanceFile {
  readonly expectation_type: string;
  readonly datasets: readonly ConformanceDataset[];
}

const names = z.array(z.string()).nullable().optional();
const TestSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  kwargs: z.record(z.string(), z.unknown()),
  expected: z.record(z.string(), z.unknown()),
  exact_match_out: z.boolean().optional(),
  effective_result_format: z.unknown().optional(),
  only_for: names,
  suppress_test_for: names,
  error: z.looseObject({ traceback_substring: z.string().optional() }).nullable().optional(),
  derived: z.record(z.string(), z.number().nullable()).nullable().optional(),
});
const FileSchema = z.looseObject({
  format: z.literal('gx-conformance/v1'),
  expectation_type: z.string(),
  datasets: z.array(
    z.looseObject({
      name: z.string(),
      pk_column: z.boolean().optional(),
      load_schema: z.record(z.string(), z.string()),
      columns: z.record(z.string(), z.array(z.unknown())),
      only_for: names,
      suppress_test_for: names,
      tests: z.array(TestSchema),
    }),
  ),
});

/** Reads every `*.json` case file of a gx-conformance folder, sorted by expectation type. */
export async function loadConformanceCases(dir: string): Promise<ConformanceFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: ConformanceFile[] = [];
  for (const f of files) {
    const parsed = FileSchema.safeParse(JSON.parse(await readFile(join(dir, f), 'utf8')));
    if (!parsed.success) throw new Error(`${f}: not a gx-conformance/v1 file: ${parsed.error.issues[0]?.message ?? ''}`);
    out.push(parsed.data as ConformanceFile);
  }
  return out;
}

/** GX's rule: a test runs iff only_for ∩ identities ≠ ∅ (when given) and suppress_test_for ∩ identities = ∅, at both levels. */
export function isApplicable(dataset: ConformanceDataset, test: ConformanceTest, identities: ReadonlySet<string>): boolean {
  const ok = (only?: readonly string[] | null, suppress?: readonly string[] | null) =>
    (!only || only.length === 0 || only.some((n) => identities.has(n))) && (!suppress || !suppress.some((n) => identities.has(n)));
  return ok(dataset.only_for, dataset.suppress_test_for) && ok(test.only_for, test.suppress_test_for);
}
