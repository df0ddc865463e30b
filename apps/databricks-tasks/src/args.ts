import { CliExit, displayValue, type CatalogLayout } from '@odoo-ce/common';
import { z } from 'zod';

/**
 * The command line of the runner: `<entry point> --key=value …`. Databricks' python_wheel_task
 * turns `named_parameters` into exactly these `--key=value` pairs (the Python side forwards them
 * untouched), so this is the one place that checks what a job passes.
 */

/** Exit code for a bad command line (EX_USAGE), as in the other CLIs of the platform. */
export const EXIT_USAGE = 64;

/** The wheel's entry points: the ml_training model steps and the data-quality gate. */
export const ENTRY_POINTS = ['train', 'evaluate', 'promote', 'score', 'quality_gate'] as const;
export type EntryPoint = (typeof ENTRY_POINTS)[number];

/** One named parameter per layout slot; together they build the target's `CatalogLayout`. */
export const LAYOUT_KEYS = ['bronze_catalog', 'silver_catalog', 'gold_catalog', 'platinum_catalog', 'sandbox_catalog', 'ops_catalog', 'ops_schema'] as const;

/** Passed to every entry point. */
export const COMMON_KEYS = ['target', 'run_id', 'warehouse_id', ...LAYOUT_KEYS] as const;
/** Passed to `quality_gate` only: the logical table whose suite runs, and the gated task (for logs). */
export const GATE_KEYS = ['table', 'task'] as const;
/** Passed to the ml steps (the handlers' `params`). */
export const ML_KEYS = ['seed', 'forecast_months'] as const;
/**
 * Optional everywhere: `job` (for logs), `quality-dir` (where the gate's suites are; the wheel
 * ships them next to runner.mjs, tests running from src point at databricks/quality) and
 * `job_parameters` (see {@link readPairs}).
 */
export const OPTIONAL_KEYS = ['job', 'quality-dir', 'job_parameters'] as const;

/**
 * Every key the runner itself reads, whatever the entry point: an ml step may also see a gate's keys
 * and the other way round; those are ignored.
 */
export const KNOWN_KEYS: readonly string[] = [...COMMON_KEYS, ...GATE_KEYS, ...ML_KEYS, ...OPTIONAL_KEYS];

const nonEmpty = z.string().min(1, 'a non-empty value');
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain identifier (letters, digits and _, not starting with a digit)');
const wholeNumber = z.string().regex(/^\d+$/, 'a whole number ≥ 0');

const CommonSchema = z.object({
  target: nonEmpty,
  run_id: nonEmpty,
  warehouse_id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'a SQL warehouse id (letters, digits, - and _)'),
  bronze_catalog: identifier,
  silver_catalog: identifier,
  gold_catalog: identifier,
  platinum_catalog: identifier,
  sandbox_catalog: identifier,
  ops_catalog: identifier,
  ops_schema: identifier,
  job: nonEmpty.optional(),
  'quality-dir': nonEmpty.optional(),
});

const GateSchema = z.object({ table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2}$/, 'a logical table name catalog.schema.table, e.g. silver.scout.transactions_candidates'), task: nonEmpty });
const MlSchema = z.object({ seed: wholeNumber.optional(), forecast_months: wholeNumber.optional() });

/** What one run is asked to do, checked. */
export interface TaskArgs {
  readonly entryPoint: EntryPoint;
  readonly target: string;
  readonly runId: string;
  readonly warehouseId: string;
  readonly layout: CatalogLayout;
  readonly job: string | undefined;
  readonly qualityDir: string | undefined;
  /** `quality_gate` only. */
  readonly gate: { readonly table: string; readonly task: string } | undefined;
  /** ml steps only: `seed`, `forecast_months` as given (the handlers check them). */
  readonly mlParams: Readonly<Record<string, string>>;
}

function usage(message: string): CliExit {
  return new CliExit(`${message}\nusage: <${ENTRY_POINTS.join('|')}> --key=value …  (known keys: ${KNOWN_KEYS.join(', ')})`, EXIT_USAGE);
}

/**
 * `--key=value` pairs → a record; a malformed, unknown or repeated key is a usage error naming it.
 * Databricks pushes every job parameter down to a python_wheel_task with named parameters (as one
 * more `--name=value`), so `deploy bundle render` lists the job's parameter names in
 * `--job_parameters=a,b,…`: those keys are accepted (and ignored unless the runner reads them); any
 * other unknown key is still a typo.
 */
function readPairs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const listed = argv.map((a) => /^--job_parameters=(.*)$/s.exec(a)?.[1]).find((v) => v !== undefined);
  const jobParameters = new Set((listed ?? '').split(',').map((n) => n.trim()).filter((n) => n !== ''));
  for (const [index, arg] of argv.entries()) {
    const match = /^--([^=]+)=(.*)$/s.exec(arg);
    // A stray word may be a secret given as `--token <value>`: name its position, never its text.
    if (!match) throw usage(`argument ${index + 1} after the entry point${arg.startsWith('--') ? ` (${arg.split('=')[0]})` : ''}: expected --key=value`);
    const [, key, value] = match as unknown as [string, string, string];
    if (!KNOWN_KEYS.includes(key)) {
      if (jobParameters.has(key)) continue;
      throw usage(`unknown parameter --${key} (value ${displayValue(key, value)})`);
    }
    // Databricks merges job and task parameters into one `--key=value` each; a repeat is a hand-written
    // command line, harmless when identical.
    if (key in out && out[key] !== value) throw usage(`parameter --${key} given twice with different values`);
    out[key] = value;
  }
  return out;
}

/** Checks one schema; every problem in one message: `--key = value: expected …` or `--key is missing`. */
function check<T>(schema: z.ZodType<T>, pairs: Record<string, string>, required: readonly string[]): T {
  const parsed = schema.safeParse(pairs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    return pairs[key] === undefined ? `--${key} is missing` : `--${key} = ${displayValue(key, pairs[key])}: expected ${issue.message}`;
  });
  throw usage(`${problems.join('; ')} (required: ${required.map((k) => `--${k}`).join(', ')})`);
}

/**
 * Parses the runner's command line. Throws a {@link CliExit} with exit code 64 naming the entry
 * point, key and value (secret-looking values masked) and what was expected.
 *
 * @example
 * parseTaskArgs(['quality_gate', '--target=dev', '--run_id=42', '--warehouse_id=abc', …, '--table=silver.scout.transactions_candidates', '--task=transaction_ingestion']);
 */
export function parseTaskArgs(argv: readonly string[]): TaskArgs {
  const [entryPoint, ...rest] = argv;
  if (entryPoint === undefined || !(ENTRY_POINTS as readonly string[]).includes(entryPoint)) {
    throw usage(`entry point ${displayValue('entry point', entryPoint)}: expected one of ${ENTRY_POINTS.join(', ')}`);
  }
  const ep = entryPoint as EntryPoint;
  const pairs = readPairs(rest);
  const isGate = ep === 'quality_gate';
  const required = isGate ? [...COMMON_KEYS, ...GATE_KEYS] : COMMON_KEYS;
  const common: z.infer<typeof CommonSchema> & Partial<z.infer<typeof GateSchema>> & z.infer<typeof MlSchema> = isGate
    ? check(CommonSchema.extend(GateSchema.shape), pairs, required)
    : check(CommonSchema.extend(MlSchema.shape), pairs, required);
  const layout: CatalogLayout = {
    catalogs: {
      bronze: common.bronze_catalog,
      silver: common.silver_catalog,
      gold: common.gold_catalog,
      platinum: common.platinum_catalog,
      sandbox: common.sandbox_catalog,
    },
    ops: { catalog: common.ops_catalog, schema: common.ops_schema },
  };
  const mlParams: Record<string, string> = {};
  if (!isGate) for (const key of ML_KEYS) if (common[key] !== undefined) mlParams[key] = common[key];
  return {
    entryPoint: ep,
    target: common.target,
    runId: common.run_id,
    warehouseId: common.warehouse_id,
    layout,
    job: common.job,
    qualityDir: common['quality-dir'],
    gate: isGate ? { table: common.table as string, task: common.task as string } : undefined,
    mlParams,
  };
}
