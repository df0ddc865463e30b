/**
 * `npm run bench [-- <name>…] [--rows N] [--reps N] [--no-write]` — runs the benchmarks (all by
 * default), prints each markdown section and writes it into docs/benchmarks.md, replacing that
 * section only. Benchmarks report numbers and ratios measured in the same run; nothing asserts on time.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateSection } from './markdown-sections.js';
import { runWarehouseFetchBenchmark } from './warehouse-fetch.js';

interface RunOptions {
  readonly rows?: number;
  readonly repetitions?: number;
}

/** Every benchmark: a name on the command line → a run returning its docs section. */
const BENCHMARKS: Readonly<Record<string, (options: RunOptions) => Promise<string>>> = {
  'warehouse-fetch': (o) => runWarehouseFetchBenchmark(o),
  'dq-scan': async (o) =>
    (await import('./dq-scan.js')).runDqBenchmark({ ...(o.rows ? { rows: o.rows } : {}), ...(o.repetitions ? { runs: o.repetitions } : {}) }),
  pipeline: async (o) => (await import('./pipeline.js')).runPipelineBenchmark(o),
  'mcp-latency': async (o) => (await import('./mcp-latency.js')).runMcpLatencyBenchmark(o.repetitions ? { repetitions: o.repetitions } : {}),
  'odoo-sync': async (o) => (await import('./odoo-sync.js')).runOdooSyncBenchmark(o),
  ml: async (o) => (await import('./ml.js')).runMlBenchmark(o),
};

const DOC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'benchmarks.md');
const HEADER = '# Benchmarks\n\nWritten by `npm run bench` (`tools/bench`). Each section is replaced by its benchmark; ratios are against a baseline measured in the same run.\n';

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} expects a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function parseArgs(argv: readonly string[]): { names: string[]; options: RunOptions; write: boolean } {
  const names: string[] = [];
  let rows: number | undefined;
  let repetitions: number | undefined;
  let write = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--rows') rows = positiveInt('--rows', argv[++i]);
    else if (arg === '--reps') repetitions = positiveInt('--reps', argv[++i]);
    else if (arg === '--no-write') write = false;
    else if (arg in BENCHMARKS) names.push(arg);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; benchmarks: ${Object.keys(BENCHMARKS).join(', ')}; flags: --rows N, --reps N, --no-write`);
  }
  return { names: names.length > 0 ? names : Object.keys(BENCHMARKS), options: { ...(rows ? { rows } : {}), ...(repetitions ? { repetitions } : {}) }, write };
}

const { names, options, write } = parseArgs(process.argv.slice(2));
for (const name of names) {
  process.stderr.write(`running ${name}…\n`);
  const section = await (BENCHMARKS[name] as (o: RunOptions) => Promise<string>)(options);
  process.stdout.write(`${section}\n`);
  if (write) {
    writeFileSync(DOC, updateSection(existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER, section));
    process.stderr.write(`updated ${DOC}\n`);
  }
}
