/**
 * Warehouse fetch benchmark: rows/s for one 1,000,000-row result read into JS row objects through
 * the `Warehouse` facade, on three paths measured in the same run:
 *
 *  (a) DuckDB in-process — the baseline;
 *  (b) the real `@databricks/sql` driver → the local endpoint, Arrow results (what a SQL warehouse sends);
 *  (b') the same with the endpoint in a child process, as a remote warehouse would be;
 *  (c) the driver → the endpoint, Thrift column results.
 *
 * Goal: (b) ≥ 300,000 rows/s. A script, not a test: it reports numbers and ratios and asserts nothing
 * about time (it does check every run returned every row).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { startLocalEndpoint, type LocalEndpoint } from '@odoo-ce/warehouse/endpoint';
import { startEndpointProcess } from './endpoint-process.js';
import { formatLoad } from './stats.js';

/** Options of {@link measureWarehouseFetch}; the defaults are the documented run. */
export interface WarehouseFetchOptions {
  readonly rows?: number;
  /** Measured repetitions per path (after one warm-up run each). */
  readonly repetitions?: number;
}

/** One path's timings, in the order they were measured. */
export interface FetchPath {
  readonly id: 'a' | 'b' | 'c' | "b'";
  readonly label: string;
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
}

/** Everything {@link renderWarehouseFetchSection} needs to write the docs section. */
export interface WarehouseFetchReport {
  readonly rows: number;
  readonly repetitions: number;
  readonly sql: string;
  readonly paths: readonly FetchPath[];
  readonly date: string;
  readonly machine: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly versions: string;
}

const GOAL_ROWS_PER_SECOND = 300_000;

interface Contender {
  readonly id: FetchPath['id'];
  readonly label: string;
  readonly warehouse: Warehouse;
}

async function openEndpointWarehouse(endpoint: Pick<LocalEndpoint, 'host' | 'port' | 'httpPath' | 'certFile'>, token: string): Promise<Warehouse> {
  return openWarehouse({
    layout: DEFAULT_LAYOUT,
    warehouse: {
      engine: 'databricks',
      host: `${endpoint.host}:${endpoint.port}`,
      httpPath: endpoint.httpPath,
      auth: { kind: 'pat', token },
      caCertFile: endpoint.certFile,
    },
  });
}

/**
 * A full garbage collection, run (untimed) before each measurement so no path pays for the
 * garbage of the one before it. `--expose-gc` is turned on at run time (the npm script passes no flags).
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Runs `sql` once and returns wall and CPU milliseconds; throws unless every row came back. */
async function measure(warehouse: Warehouse, sql: string, rows: number): Promise<{ wall: number; cpu: number }> {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await warehouse.query(sql);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (result.rows.length !== rows) throw new Error(`expected ${rows} rows, got ${result.rows.length}`);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/**
 * Measures the three paths. Each repetition runs every path once, in an order that rotates, so a
 * noisy neighbour slows every contender alike.
 */
export async function measureWarehouseFetch(options: WarehouseFetchOptions = {}): Promise<WarehouseFetchReport> {
  const rows = options.rows ?? 1_000_000;
  const repetitions = options.repetitions ?? 5;
  const sql = `select range as id, random() as x from range(${rows})`;
  const token = randomBytes(18).toString('base64url');
  const loadBefore = loadavg();
  const endpoints: { close(): Promise<void> }[] = [];
  const contenders: Contender[] = [];
  try {
    contenders.push({ id: 'a', label: 'DuckDB in-process (`Warehouse` on `./duckdb`)', warehouse: await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: ':memory:' } }) });
    for (const [id, format] of [['b', 'arrow'], ['c', 'column']] as const) {
      const endpoint = await startLocalEndpoint({ token, dataDir: ':memory:', resultFormat: format });
      endpoints.push(endpoint);
      const label = `\`@databricks/sql\` → local endpoint, ${format === 'arrow' ? 'Arrow' : 'Thrift column'} results`;
      contenders.push({ id, label, warehouse: await openEndpointWarehouse(endpoint, token) });
    }
    const remote = await startEndpointProcess(token, 'arrow');
    endpoints.push(remote);
    contenders.push({ id: "b'", label: '`@databricks/sql` → local endpoint in a child process, Arrow results', warehouse: await openEndpointWarehouse(remote, token) });
    const duckdbVersion = String(((await contenders[0]?.warehouse.query('select version() as v'))?.rows[0] as { v: unknown }).v);
    const timings = new Map(contenders.map((c) => [c.id, { wall: [] as number[], cpu: [] as number[] }]));
    for (const c of contenders) await measure(c.warehouse, sql, rows); // warm-up: code paths, sessions, sockets
    for (let round = 0; round < repetitions; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(round + k) % contenders.length] as Contender;
        const { wall, cpu } = await measure(c.warehouse, sql, rows);
        timings.get(c.id)?.wall.push(wall);
        timings.get(c.id)?.cpu.push(cpu);
      }
    }
    const require = createRequire(import.meta.url);
    const deps = (require('@odoo-ce/warehouse/package.json') as { dependencies: Record<string, string> }).dependencies;
    const cpu = cpus();
    return {
      rows,
      repetitions,
      sql,
      paths: contenders.map((c) => ({ id: c.id, label: c.label, wallMs: timings.get(c.id)?.wall ?? [], cpuMs: timings.get(c.id)?.cpu ?? [] })),
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`,
      loadBefore,
      loadAfter: loadavg(),
      versions: `DuckDB ${duckdbVersion} (\`@duckdb/node-api\` ${deps['@duckdb/node-api']}), \`@databricks/sql\` ${deps['@databricks/sql']}, apache-arrow ${deps['apache-arrow']}`,
    };
  } finally {
    for (const c of contenders) await c.warehouse.close();
    for (const e of endpoints) await e.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('en-US')}`;

/** The "Warehouse fetch" section of docs/benchmarks.md, starting with its `## ` heading. */
export function renderWarehouseFetchSection(report: WarehouseFetchReport): string {
  const baseline = report.paths.find((p) => p.id === 'a');
  const base = { best: Math.min(...(baseline?.wallMs ?? [NaN])), median: median(baseline?.wallMs ?? [NaN]) };
  const order = ['a', 'b', "b'", 'c'];
  const paths = [...report.paths].sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id));
  const table = paths.map((p) => {
    const best = Math.min(...p.wallMs);
    const mid = median(p.wallMs);
    return `| (${p.id}) ${p.label} | ${seconds(best)} | ${seconds(mid)} | ${perSecond(report.rows, best)} | ${perSecond(report.rows, mid)} | ${seconds(median(p.cpuMs))} | ${(best / base.best).toFixed(2)}× | ${(mid / base.median).toFixed(2)}× |`;
  });
  const rate = (id: FetchPath['id'], pick: 'best' | 'median') => {
    const path = report.paths.find((p) => p.id === id);
    return path ? (report.rows / (pick === 'best' ? Math.min(...path.wallMs) : median(path.wallMs))) * 1000 : 0;
  };
  const rates = (id: FetchPath['id']) =>
    `(${id}) best ${Math.round(rate(id, 'best')).toLocaleString('en-US')} rows/s, median ${Math.round(rate(id, 'median')).toLocaleString('en-US')} rows/s`;
  const met = rate('b', 'median') >= GOAL_ROWS_PER_SECOND ? '**met**' : rate('b', 'best') >= GOAL_ROWS_PER_SECOND ? '**met by the best run**' : '**not met on this run**';
  const verdict = `${met}: ${rates('b')}; ${rates("b'")}`;
  return [
    '## Warehouse fetch',
    '',
    `\`tools/bench/src/warehouse-fetch.ts\` (\`npm run bench -- warehouse-fetch\`), run on ${report.date}.`,
    '',
    `- **Machine:** ${report.machine}; load average (1/5/15 min) ${formatLoad(report.loadBefore)} before, ${formatLoad(report.loadAfter)} after — the machine is shared, so absolute times are noisy; the ratios are measured in the same run.`,
    `- **Versions:** ${report.versions}.`,
    `- **Method:** \`Warehouse.query("${report.sql}")\` (a BIGINT and a DOUBLE column) returns ${report.rows.toLocaleString('en-US')} row objects in the canonical mapping; every run is checked to hold every row. ` +
      `Each path has one warm-up run, then ${report.repetitions} measured repetitions; each repetition runs every path once, in rotating order, ` +
      'after a full (untimed) garbage collection. ' +
      "For (b) and (c) the endpoint runs in the client's process (its DuckDB work, Arrow/Thrift encoding and TLS share the thread and heap " +
      "with the driver); for (b') it runs in a child process, like a remote warehouse. The client trusts the endpoint through `caCertFile`. " +
      "Wall time per query, and the client process's CPU time (user + system, all threads; for (b') the endpoint's CPU is not included).",
    '',
    '| path | best | median | rows/s (best) | rows/s (median) | CPU time (median) | time vs (a), best | time vs (a), median |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...table,
    '',
    `Goal (b) ≥ ${GOAL_ROWS_PER_SECOND.toLocaleString('en-US')} rows/s: ${verdict}.`,
    '',
    'Where the time goes on (b), from CPU profiles of the same query: the endpoint (DuckDB scan, fixed-width vectors copied into Arrow',
    "buffers, IPC + Thrift encoding, TLS) plus the driver's transport and Arrow decoding take 0.4–0.8 s per million rows (measured with the",
    "driver's `disableRowMaterialization`); the rest is the driver's per-row materialisation (`ArrowResultConverter`: a `StructRow`, a",
    '`toJSON()` object, per-field lookup maps and per-cell type dispatch for every row) and garbage collection — a third of the CPU goes to',
    "V8's GC, which has to copy and mark a million retained row objects while the driver allocates its temporaries. A real SQL warehouse",
    "costs the client the same. (b') takes the endpoint's work off the client's thread and heap. (c) adds Thrift column encoding and",
    'decoding of every value (BIGINT as node-int64) on both sides.',
    '',
  ].join('\n');
}

/** Measures and renders, like the other benchmarks of this package. */
export async function runWarehouseFetchBenchmark(options: WarehouseFetchOptions = {}): Promise<string> {
  return renderWarehouseFetchSection(await measureWarehouseFetch(options));
}
