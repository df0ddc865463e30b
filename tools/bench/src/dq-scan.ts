/**
 * Data-quality scan benchmark: validating N rows against 10 and 20 row-level expectations with
 * `@odoo-ce/data-quality`, against baselines measured in the same run on the same DuckDB table:
 *
 *  (a) the floor — the same predicates in ONE hand-written `SELECT count(*) FILTER (WHERE …), …`;
 *  (b) one `SELECT count(*) … WHERE <predicate>` per expectation;
 *  (c) fetching rows into JS and validating each with zod (on 1/10 of the rows, scaled ×10).
 *
 * Goals: validate ≤ 1.2× (a); split (validation + routing every row to target or quarantine) ≤ 2× (a).
 * A script, not a test: it reports ratios and never asserts on time.
 */
import { compiledQuery, DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { ExpectationConfig, expectationSuite, split, TIN_PATTERN, validate, type Action } from '@odoo-ce/data-quality';
import { z } from 'zod';
import { median } from './stats.js';

/** Options of {@link runDqBenchmark}; the defaults are the documented run. */
export interface DqBenchmarkOptions {
  readonly rows?: number;
  /** Rows fetched for the zod baseline (the time is scaled to `rows`). */
  readonly zodRows?: number;
  readonly runs?: number;
  readonly threads?: number;
}

interface Rule {
  readonly name: string;
  readonly type: string;
  readonly kwargs: Record<string, unknown>;
  readonly action: Action;
  /** The same rule, hand-written: a row is unexpected when this holds. */
  readonly unexpected: string;
  /** The same rule for one fetched row (zod). */
  readonly zod: z.ZodType;
}

const AGENCIES = ['RIM', 'NCR', 'CAR', 'BAR', 'MIM'];
const TIN = new RegExp(TIN_PATTERN);
const dec = (v: unknown) => (v === null ? null : Number(v));

/** 20 row-level rules over the generated table; the first 10 form the small suite. */
const RULES: readonly Rule[] = [
  { name: 'agency_present', type: 'expect_column_values_to_not_be_null', kwargs: { column: 'agency' }, action: 'drop', unexpected: 'agency IS NULL', zod: z.string() },
  { name: 'amount_in_range', type: 'expect_column_values_to_be_between', kwargs: { column: 'amount', min_value: 0, max_value: 1000 }, action: 'drop', unexpected: 'amount IS NOT NULL AND NOT (amount >= 0 AND amount <= 1000)', zod: z.string().nullable().refine((v) => v === null || (Number(v) >= 0 && Number(v) <= 1000)) },
  { name: 'state_known', type: 'expect_column_values_to_be_in_set', kwargs: { column: 'state', value_set: ['draft', 'posted', 'cancel'] }, action: 'drop', unexpected: "state IS NOT NULL AND NOT (state IN ('draft', 'posted', 'cancel'))", zod: z.enum(['draft', 'posted', 'cancel']).nullable() },
  { name: 'tin_format', type: 'expect_column_values_to_match_regex', kwargs: { column: 'tin', regex: TIN_PATTERN }, action: 'warn', unexpected: `tin IS NOT NULL AND NOT regexp_matches(tin, '${TIN_PATTERN}')`, zod: z.string().regex(TIN).nullable() },
  { name: 'qty_in_range', type: 'expect_column_values_to_be_between', kwargs: { column: 'qty', min_value: 0, max_value: 49 }, action: 'warn', unexpected: 'qty IS NOT NULL AND NOT (qty >= 0 AND qty <= 49)', zod: z.number().min(0).max(49).nullable() },
  { name: 'vendor_length', type: 'expect_column_value_lengths_to_be_between', kwargs: { column: 'vendor', min_value: 2, max_value: 4 }, action: 'warn', unexpected: 'vendor IS NOT NULL AND NOT (length(vendor) >= 2 AND length(vendor) <= 4)', zod: z.string().min(2).max(4).nullable() },
  { name: 'base_non_negative', type: 'expect_sql_condition', kwargs: { condition: 'base >= 0', columns: ['id', 'base'] }, action: 'warn', unexpected: 'NOT coalesce(base >= 0, FALSE)', zod: z.string().refine((v) => Number(v) >= 0) },
  { name: 'vat_12_percent', type: 'expect_vat_to_be_rate_of_base', kwargs: { base_column: 'base', vat_column: 'vat' }, action: 'warn', unexpected: 'NOT (base IS NULL AND vat IS NULL) AND NOT coalesce(abs(vat - base * 0.12) <= 0.01, FALSE)', zod: z.string() },
  { name: 'created_recent', type: 'expect_column_values_to_be_between', kwargs: { column: 'created_at', min_value: '2024-01-01' }, action: 'warn', unexpected: "created_at IS NOT NULL AND NOT (created_at >= TIMESTAMP '2024-01-01 00:00:00')", zod: z.date().min(new Date('2024-01-01T00:00:00Z')).nullable() },
  { name: 'id_present', type: 'expect_column_values_to_not_be_null', kwargs: { column: 'id' }, action: 'fail', unexpected: 'id IS NULL', zod: z.bigint() },
  { name: 'state_present', type: 'expect_column_values_to_not_be_null', kwargs: { column: 'state' }, action: 'warn', unexpected: 'state IS NULL', zod: z.string() },
  { name: 'vendor_not_x', type: 'expect_column_values_to_not_match_regex', kwargs: { column: 'vendor', regex: '^x' }, action: 'warn', unexpected: "vendor IS NOT NULL AND regexp_matches(vendor, '^x')", zod: z.string().refine((v) => !v.startsWith('x')).nullable() },
  { name: 'agency_not_test', type: 'expect_column_values_to_not_be_in_set', kwargs: { column: 'agency', value_set: ['TEST'] }, action: 'warn', unexpected: "agency IS NOT NULL AND agency IN ('TEST')", zod: z.string().refine((v) => v !== 'TEST').nullable() },
  { name: 'id_in_range', type: 'expect_column_values_to_be_between', kwargs: { column: 'id', min_value: 0 }, action: 'warn', unexpected: 'id IS NOT NULL AND NOT (id >= 0)', zod: z.bigint().nonnegative() },
  { name: 'qty_small', type: 'expect_sql_condition', kwargs: { condition: 'qty * 2 < 200', columns: ['id', 'qty'] }, action: 'warn', unexpected: 'NOT coalesce(qty * 2 < 200, FALSE)', zod: z.number().refine((v) => v * 2 < 200) },
  { name: 'agency_known', type: 'expect_column_values_to_be_in_set', kwargs: { column: 'agency', value_set: AGENCIES }, action: 'warn', unexpected: `agency IS NOT NULL AND NOT (agency IN (${AGENCIES.map((a) => `'${a}'`).join(', ')}))`, zod: z.enum(AGENCIES as [string, ...string[]]).nullable() },
  { name: 'tin_valid', type: 'expect_column_values_to_be_valid_ph_tin', kwargs: { column: 'tin' }, action: 'warn', unexpected: `tin IS NOT NULL AND NOT regexp_matches(tin, '${TIN_PATTERN}')`, zod: z.string().regex(TIN).nullable() },
  { name: 'base_in_range', type: 'expect_column_values_to_be_between', kwargs: { column: 'base', min_value: 0, max_value: 100000 }, action: 'warn', unexpected: 'base IS NOT NULL AND NOT (base >= 0 AND base <= 100000)', zod: z.string().refine((v) => Number(v) >= 0 && Number(v) <= 100000).nullable() },
  { name: 'base_covers_vat', type: 'expect_column_pair_values_a_to_be_greater_than_b', kwargs: { column_A: 'base', column_B: 'vat', or_equal: true }, action: 'warn', unexpected: 'NOT (base IS NULL AND vat IS NULL) AND NOT coalesce(base >= vat, FALSE)', zod: z.string() },
  { name: 'state_length', type: 'expect_column_value_lengths_to_be_between', kwargs: { column: 'state', min_value: 4, max_value: 6 }, action: 'warn', unexpected: 'state IS NOT NULL AND NOT (length(state) >= 4 AND length(state) <= 6)', zod: z.string().min(4).max(6).nullable() },
];

/** Row rules that need two columns, as zod object refinements. */
const PAIR_CHECKS: Record<string, (row: Record<string, unknown>) => boolean> = {
  vat_12_percent: (r) => (r['base'] === null && r['vat'] === null) || Math.abs(Number(dec(r['vat'])) - Number(dec(r['base'])) * 0.12) <= 0.01 + 1e-9,
  base_covers_vat: (r) => (r['base'] === null && r['vat'] === null) || Number(dec(r['base'])) >= Number(dec(r['vat'])),
};

const TABLE = 'sandbox.bench.tx';

async function generate(warehouse: Warehouse, rows: number): Promise<void> {
  await warehouse.query('CREATE SCHEMA IF NOT EXISTS sandbox.bench');
  await warehouse.query(
    compiledQuery(
      `CREATE OR REPLACE TABLE ${TABLE} AS
       SELECT
         range AS id,
         CASE WHEN range % 97 = 0 THEN NULL ELSE ['RIM', 'NCR', 'CAR', 'BAR', 'MIM'][1 + CAST(range % 5 AS INTEGER)] END AS agency,
         CAST((range * 7919) % 100000 / 100.0 - CASE WHEN range % 1013 = 0 THEN 2000 ELSE 0 END AS DECIMAL(18, 2)) AS amount,
         CAST(range % 50 AS INTEGER) AS qty,
         CASE WHEN range % 101 = 0 THEN 'X' ELSE ['draft', 'posted', 'cancel'][1 + CAST(range % 3 AS INTEGER)] END AS state,
         CASE WHEN range % 211 = 0 THEN 'bad' ELSE printf('%03d-%03d-%03d', range % 1000, (range // 7) % 1000, (range // 13) % 1000) END AS tin,
         TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(range % 31536000 AS BIGINT)) AS created_at,
         CAST((range * 31) % 1000000 / 100.0 AS DECIMAL(18, 2)) AS base,
         CAST(round((range * 31) % 1000000 / 100.0 * 0.12, 2) + CASE WHEN range % 499 = 0 THEN 1 ELSE 0 END AS DECIMAL(18, 2)) AS vat,
         'v' || CAST(range % 1000 AS VARCHAR) AS vendor
       FROM range(:rows)`,
      { rows: BigInt(rows) },
    ),
  );
}

/** Wall time and process CPU time (user + system, all DuckDB threads) of one call, in seconds. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  return (await measure(fn)).wall;
}

/** Medians of wall and CPU time. */
function medianTiming(timings: readonly Timing[]): Timing {
  return { wall: median(timings.map((t) => t.wall)), cpu: median(timings.map((t) => t.cpu)) };
}

function suiteOf(rules: readonly Rule[]) {
  return expectationSuite(
    `bench_${rules.length}`,
    rules.map((r) => ExpectationConfig.create(r.type, r.kwargs, { name: r.name, action: r.action })),
  );
}

/** Validates fetched rows with zod, counting failures per rule (one schema per rule and row). */
async function zodBaseline(warehouse: Warehouse, rules: readonly Rule[], rows: number): Promise<number> {
  const failures = new Map<string, number>();
  const shape = Object.fromEntries(rules.filter((r) => !PAIR_CHECKS[r.name]).map((r) => [String(r.kwargs['column'] ?? (r.kwargs['columns'] as string[] | undefined)?.[1] ?? r.name), r.zod]));
  const schema = z.object(shape);
  for await (const batch of warehouse.stream<Record<string, unknown>>(compiledQuery(`SELECT * FROM ${TABLE} LIMIT :n`, { n: BigInt(rows) }), { chunkSize: 50_000 })) {
    for (const row of batch) {
      const parsed = schema.safeParse(row);
      if (!parsed.success) for (const issue of parsed.error.issues) failures.set(String(issue.path[0]), (failures.get(String(issue.path[0])) ?? 0) + 1);
      for (const rule of rules) if (PAIR_CHECKS[rule.name] && !PAIR_CHECKS[rule.name]?.(row)) failures.set(rule.name, (failures.get(rule.name) ?? 0) + 1);
    }
  }
  return failures.size;
}

const fmt = (s: number) => `${s.toFixed(2)} s`;
const ratio = (x: number, floor: number) => `${(x / floor).toFixed(2)}×`;

/**
 * Runs the benchmark and returns a markdown section for docs/benchmarks.md.
 *
 * @example
 * process.stdout.write(await runDqBenchmark());
 */
export async function runDqBenchmark(options: DqBenchmarkOptions = {}): Promise<string> {
  const rows = options.rows ?? 10_000_000;
  const zodRows = options.zodRows ?? Math.min(1_000_000, rows);
  const runs = options.runs ?? 3;
  const warehouse = await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: ':memory:', ...(options.threads ? { threads: options.threads } : {}) } });
  const lines: string[] = [];
  try {
    await generate(warehouse, rows);
    const results: string[] = [];
    for (const n of [10, 20]) {
      const rules = RULES.slice(0, n);
      const suite = suiteOf(rules);
      const floorSql = `SELECT ${rules.map((r, i) => `count(*) FILTER (WHERE ${r.unexpected}) AS c${i}`).join(', ')} FROM ${TABLE}`;
      await warehouse.query(floorSql); // warm-up: the table's pages in memory
      // Interleaved rounds, so a noisy neighbour slows every contender alike; medians per contender.
      const t = { floor: [] as Timing[], validate: [] as Timing[], split: [] as Timing[], copy: [] as Timing[] };
      for (let round = 0; round < runs; round++) {
        t.floor.push(await measure(() => warehouse.query(floorSql)));
        t.validate.push(await measure(() => validate(warehouse, TABLE, suite, { persist: false, throwOnFail: false })));
        t.split.push(
          await measure(() =>
            split(warehouse, { source: TABLE, target: 'sandbox.bench.tx_clean', quarantine: 'sandbox.bench.tx_quarantine' }, suite, { persist: false, mode: 'overwrite' }),
          ),
        );
        t.copy.push(await measure(() => warehouse.query(`CREATE OR REPLACE TABLE sandbox.bench.tx_copy AS SELECT * FROM ${TABLE}`)));
        await warehouse.query('DROP TABLE IF EXISTS sandbox.bench.tx_quarantine');
      }
      const floor = medianTiming(t.floor);
      const validated = medianTiming(t.validate);
      const splitTime = medianTiming(t.split);
      const copy = medianTiming(t.copy);
      const perQuery = await time(async () => {
        for (const r of rules) await warehouse.query(`SELECT count(*) FROM ${TABLE} WHERE ${r.unexpected}`);
      });
      const zodTime = (await time(() => zodBaseline(warehouse, rules, zodRows))) * (rows / zodRows);
      await warehouse.query('DROP TABLE IF EXISTS sandbox.bench.tx_copy');
      await warehouse.query('DROP TABLE IF EXISTS sandbox.bench.tx_clean');
      const both = (x: Timing, base: Timing) => `${ratio(x.wall, base.wall)} wall, ${ratio(x.cpu, base.cpu)} CPU`;
      results.push(
        `| ${n} | ${fmt(floor.wall)} | ${fmt(validated.wall)} (${both(validated, floor)}) | ${fmt(splitTime.wall)} (${both(splitTime, floor)}; ` +
          `${ratio(splitTime.wall, floor.wall + copy.wall)} of a + d) | ${fmt(copy.wall)} | ${fmt(perQuery)} (${ratio(perQuery, floor.wall)}) | ${fmt(zodTime)} (${ratio(zodTime, floor.wall)}) |`,
      );
    }
    const threads = (await warehouse.query(`SELECT current_setting('threads') AS t`)).rows[0] as { t: unknown };
    lines.push(
      '## Data quality: one scan per table',
      '',
      `\`tools/bench/src/dq-scan.ts\` — ${rows.toLocaleString('en-US')} rows generated with \`range()\` in in-memory DuckDB (${String(threads.t)} threads), ` +
        `row-level expectations only (null, between, set, regex, length, SQL condition, VAT, column pair). Median of ${runs} interleaved runs; every ratio is against the floor ` +
        'measured in the same run, in wall time and in process CPU time (user + system of all DuckDB threads; steadier on a shared machine).',
      '',
      '| expectations | (a) floor: one hand-written `count(*) FILTER` query | `validate()` | `split()`: validate + route every row | (d) copy floor: `CREATE TABLE AS SELECT *` | (b) one query per expectation | (c) fetch + zod (1/10 of the rows, ×10) |',
      '|---:|---:|---:|---:|---:|---:|---:|',
      ...results,
      '',
      'Goals: `validate()` ≤ 1.2× (a); `split()` ≤ 2× (a). `validate()` also counts the non-null rows of each check and samples up to 20 unexpected',
      'rows per expectation in the same scan (bounded `min(CASE WHEN <unexpected> THEN rowid END, 20)` aggregates; the sampled rows are then fetched',
      'by rowid afterwards); with `result_format: BOOLEAN_ONLY` it skips the samples. `split()` (overwrite mode, one transaction)',
      'evaluates each row once into a stage holding only the failing rows (with their `rowid`), reads row counts and statistics from the source',
      'without re-evaluating predicates, and writes every passing row to the target and every dropped row to the quarantine — so it also pays',
      'for copying the table, which (d) measures on its own: `split()` is compared with (a) and with (a) + (d).',
    );
  } finally {
    await warehouse.close();
  }
  return `${lines.join('\n')}\n`;
}
