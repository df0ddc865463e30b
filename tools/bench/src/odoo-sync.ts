/**
 * Odoo sync benchmark: 100,000 `account.move.line` records synced from the local Odoo-protocol
 * server (`FakeOdooServer`, JSON-RPC over loopback HTTP, in this process) into bronze on DuckDB
 * (a data directory on disk), for page sizes 500 / 2,000 / 5,000 × concurrency 1 / 4; then the
 * incremental run after 1% of the records changed (requests, rows, seconds).
 *
 * Baseline, measured in the same run: the same keyset pages fetched with plain `fetch` + `JSON.parse`
 * (server, transport and parsing, no validation and no landing) — the ceiling of any client. Ratios
 * are sync rate / baseline rate. Goal: ≥ 5,000 records/s at the best setting. A script, not a test:
 * it checks every run landed every record and asserts nothing about time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { OdooClient, syncOdoo } from '@odoo-ce/connectors/odoo';
import { FakeOdooServer, type FakeOdooDataset } from '@odoo-ce/connectors/odoo/testing';
import { DEFAULT_LAYOUT, openWarehouse, type Warehouse } from '@odoo-ce/warehouse';

const MODEL = 'account.move.line';
const FIELDS = [
  'move_id', 'move_name', 'date', 'parent_state', 'journal_id', 'company_id', 'account_id', 'partner_id', 'name', 'display_type', 'debit', 'credit',
  'balance', 'amount_currency', 'tax_ids', 'tax_line_id', 'tax_tag_ids', 'tax_base_amount', 'date_maturity', 'write_date',
];
const PAGE_SIZES = [500, 2000, 5000] as const;
const CONCURRENCY = [1, 4] as const;
const GOAL = 5000;

export interface OdooSyncBenchOptions {
  /** Records of account.move.line (default 100,000). */
  readonly rows?: number;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const odooDatetime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * `rows` journal items shaped like Odoo 17's `search_read` output (many2one `[id, name] | false`,
 * `false` for empty values), four lines per move, write_dates one second apart per move (so many
 * records share a write_date and the keyset's id tiebreak matters).
 */
export function moveLines(rows: number): FakeOdooDataset {
  const start = Date.UTC(2025, 0, 1);
  const records: Record<string, unknown>[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const move = Math.floor(i / 4) + 1;
    const moveName = `INV/2025/${String(move).padStart(6, '0')}`;
    const amount = Math.round(((i * 7919) % 100_000) + 100) / 100;
    const debit = i % 4 === 0 ? amount * 3 : 0;
    const credit = i % 4 === 0 ? 0 : amount;
    const date = new Date(start + Math.floor(move / 100) * 86_400_000).toISOString().slice(0, 10);
    records[i] = {
      id: i + 1, move_id: [move, moveName], move_name: moveName, date, parent_state: 'posted', journal_id: [1, 'Customer Invoices'],
      company_id: [1, 'TBWA\\SMP Philippines'], account_id: [100 + (i % 20), `4000${i % 20} Revenue`], partner_id: i % 9 === 0 ? false : [1000 + (move % 500), `Partner ${move % 500}`],
      name: i % 4 === 0 ? false : `Service fee ${i}`, display_type: i % 4 === 3 ? 'tax' : 'product', debit, credit, balance: debit - credit, amount_currency: debit - credit,
      tax_ids: i % 4 === 1 ? [3] : [], tax_line_id: i % 4 === 3 ? [3, 'VAT 12%'] : false, tax_tag_ids: i % 4 === 3 ? [21, 22] : [], tax_base_amount: i % 4 === 3 ? amount * 2 : 0,
      date_maturity: i % 4 === 0 ? date : false, write_date: odooDatetime(start + move * 1000),
    };
  }
  return { [MODEL]: records };
}

interface SyncRun {
  readonly pageSize: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly rate: number;
  readonly requests: number;
}

async function freshWarehouse(): Promise<{ warehouse: Warehouse; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-odoo-'));
  return { dir, warehouse: await openWarehouse({ layout: DEFAULT_LAYOUT, warehouse: { engine: 'duckdb', dataDir: dir } }) };
}

function clientFor(server: FakeOdooServer): OdooClient {
  return new OdooClient({ url: server.url, db: server.db, username: server.login, apiKey: server.apiKey });
}

/** The baseline: the keyset pages with plain fetch + JSON.parse (no client, no validation, no landing). */
async function rawFetch(server: FakeOdooServer, pageSize: number, total: number): Promise<number> {
  let id = 0;
  const call = async (params: unknown): Promise<unknown> => {
    const response = await fetch(`${server.url}/jsonrpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: ++id, params }) });
    return (JSON.parse(await response.text()) as { result: unknown }).result;
  };
  const uid = await call({ service: 'common', method: 'authenticate', args: [server.db, server.login, server.apiKey, {}] });
  const started = performance.now();
  let cursor: { wd: string; id: number } | null = null;
  let read = 0;
  for (;;) {
    const domain = cursor ? ['|', ['write_date', '>', cursor.wd], '&', ['write_date', '=', cursor.wd], ['id', '>', cursor.id]] : [];
    const rows = (await call({ service: 'object', method: 'execute_kw', args: [server.db, uid, server.apiKey, MODEL, 'search_read', [], { domain, fields: FIELDS, limit: pageSize, order: 'write_date asc, id asc', context: { active_test: false } }] })) as { id: number; write_date: string }[];
    read += rows.length;
    if (rows.length < pageSize) break;
    const last = rows[rows.length - 1] as { id: number; write_date: string };
    cursor = { wd: last.write_date, id: last.id };
  }
  const seconds = (performance.now() - started) / 1000;
  if (read !== total) throw new Error(`baseline read ${read} records, expected ${total}`);
  return total / seconds;
}

async function fullSync(server: FakeOdooServer, pageSize: number, concurrency: number, total: number): Promise<SyncRun> {
  const { warehouse, dir } = await freshWarehouse();
  try {
    const client = clientFor(server);
    const started = performance.now();
    const result = await syncOdoo(client, warehouse, { models: [MODEL], pageSize, concurrency, reconcileIntervalMs: 0 });
    const seconds = (performance.now() - started) / 1000;
    const m = result.models[0];
    if (!m || m.status !== 'ok' || m.rowsWritten !== total) throw new Error(`sync wrote ${m?.rowsWritten} of ${total} (${m?.error?.message ?? m?.status})`);
    return { pageSize, concurrency, seconds, rate: total / seconds, requests: client.stats.requests };
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Full sync, 1% of the records change, then the incremental run: its requests, rows and seconds. */
async function incremental(server: FakeOdooServer, pageSize: number, concurrency: number, total: number) {
  const { warehouse, dir } = await freshWarehouse();
  try {
    await syncOdoo(clientFor(server), warehouse, { models: [MODEL], pageSize, concurrency, reconcileIntervalMs: 0 });
    const changed = Math.max(1, Math.round(total / 100));
    const ids = Array.from({ length: changed }, (_, k) => 1 + Math.floor((k * total) / changed));
    server.touch(MODEL, ids, { parent_state: 'cancel' });
    const client = clientFor(server);
    const started = performance.now();
    const result = await syncOdoo(client, warehouse, { models: [MODEL], pageSize, concurrency, reconcileIntervalMs: 0 });
    const seconds = (performance.now() - started) / 1000;
    const m = result.models[0];
    if (!m || m.status !== 'ok' || m.rowsWritten !== changed) throw new Error(`incremental sync wrote ${m?.rowsWritten}, expected ${changed}`);
    return { changed, requests: client.stats.requests, searchReads: m.pages, rowsRead: m.rowsRead, rowsWritten: m.rowsWritten, seconds };
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and returns its docs/benchmarks.md section. */
export async function runOdooSyncBenchmark(options: OdooSyncBenchOptions = {}): Promise<string> {
  const total = options.rows ?? 100_000;
  const loadBefore = loadavg();
  const server = await FakeOdooServer.start({ dataset: moveLines(total) });
  const baseline = new Map<number, number>();
  const runs: SyncRun[] = [];
  let inc: Awaited<ReturnType<typeof incremental>>;
  try {
    // Warm-up (JIT, sockets): one baseline pass, untimed.
    await rawFetch(server, 5000, total);
    for (const pageSize of PAGE_SIZES) {
      baseline.set(pageSize, await rawFetch(server, pageSize, total));
      for (const concurrency of CONCURRENCY) {
        const run = await fullSync(server, pageSize, concurrency, total);
        process.stderr.write(`  page ${pageSize} × concurrency ${concurrency}: ${fmt(run.rate)} records/s (${run.seconds.toFixed(1)} s, ${run.requests} requests)\n`);
        runs.push(run);
      }
    }
    const fastest = runs.reduce((a, b) => (b.rate > a.rate ? b : a));
    inc = await incremental(server, fastest.pageSize, fastest.concurrency, total);
  } finally {
    await server.close();
  }
  const best = runs.reduce((a, b) => (b.rate > a.rate ? b : a));
  const rows = runs.map((r) => {
    const base = baseline.get(r.pageSize) as number;
    return `| ${fmt(r.pageSize)} | ${r.concurrency} | ${fmt(r.rate)} | ${r.seconds.toFixed(1)} | ${r.requests} | ${fmt(base)} | ${(r.rate / base).toFixed(2)}× |`;
  });
  return [
    '## Odoo sync',
    '',
    `\`npm run bench -- odoo-sync\` (tools/bench/src/odoo-sync.ts), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${platform()} ${release()}, Node ${process.version}, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}.`,
    `${fmt(total)} \`${MODEL}\` records (${FIELDS.length} fields) from the local Odoo-protocol server (\`FakeOdooServer\`, JSON-RPC over loopback HTTP, same process)`,
    'through `syncOdoo` (OdooClient → zod validation → one INSERT per page into `bronze.odoo.account_move_line` on DuckDB on disk → watermark).',
    'Baseline, same run: the same keyset pages with plain `fetch` + `JSON.parse` (server + transport + parsing; no validation, no landing).',
    '',
    '| page size | concurrency | records/s | seconds | requests | baseline records/s | sync / baseline |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Best: page size ${fmt(best.pageSize)}, concurrency ${best.concurrency}: **${fmt(best.rate)} records/s** (goal ≥ ${fmt(GOAL)}: ${best.rate >= GOAL ? 'met' : 'NOT met'}).`,
    'Concurrency bounds how many models sync at once; with one model, 1 and 4 run the same code (keyset pages are sequential; the next page',
    'is fetched while the previous one lands), so their difference is run-to-run noise — the machine is shared (see the load above).',
    '',
    'What made it fast (profiled): binding one parameter per value (3 per record) cost ~5× the CPU of the INSERT itself, so a page now lands as',
    'one statement with each column as one newline-joined parameter (DuckDB; literal chunks elsewhere); the duplicate check reads only the',
    "page's `_version` range and finds tombstones by `_file` instead of parsing every `_raw`; the next page is prefetched; and the local",
    "server seeks keyset pages in a sorted copy of the model (like Odoo's index) instead of filtering and sorting 100,000 records per page.",
    '',
    `Incremental run after ${fmt(inc.changed)} records (1%) changed, at the best setting: ${inc.requests} requests (${inc.searchReads} \`search_read\` pages), ` +
      `${fmt(inc.rowsRead)} rows read (the changed ones plus the 600 s overlap window re-read before the watermark), ${fmt(inc.rowsWritten)} rows written, ${inc.seconds.toFixed(2)} s.`,
    '',
  ].join('\n');
}
