/**
 * MCP server latency: p50/p95 of one small `execute_sql` call (12 rows) through the real server,
 * over stdio and over Streamable HTTP, against the same query as a raw `Warehouse.query` in this
 * process — the baseline — all measured in the same run, interleaved round by round.
 *
 *  (a) raw `Warehouse.query` in-process (DuckDB, its own copy of the data);
 *  (b) `execute_sql` over stdio: the `databricks-mcp-server` bin in a child process (gate, grants,
 *      streaming, audit line, JSON-RPC over pipes), called by the SDK client;
 *  (c) the same over Streamable HTTP on 127.0.0.1 with a bearer token;
 *  (d) `list_catalogs` over stdio: no warehouse query, so the protocol + server floor.
 *
 * Goal: p50 < 15 ms on the local target, overhead (b − a, c − a at p50) < 5 ms. Reports numbers; asserts
 * nothing about time (it checks every call returned the 12 rows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '@odoo-ce/common';
import { openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { formatLoad } from './stats.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(REPO, 'apps', 'databricks-mcp-server', 'bin', 'databricks-mcp-server.mjs');
const SQL = 'SELECT period, tax_required FROM gold.finance.bir_monthly ORDER BY period';
const ROWS = 12;
const TOKEN = 'bench-token-0123456789abcdef';

export interface McpLatencyOptions {
  /** Rounds; each round runs every path `perRound` times, in rotating order. */
  readonly repetitions?: number;
  readonly perRound?: number;
}

interface Path {
  readonly id: string;
  readonly label: string;
  readonly call: () => Promise<void>;
  readonly ms: number[];
}

async function seed(dataDir: string): Promise<void> {
  const wh = await openWarehouse(loadConfig({ target: 'local', dataDir, env: {} }).target);
  await wh.query('CREATE SCHEMA IF NOT EXISTS gold.finance');
  await wh.query(
    "CREATE OR REPLACE TABLE gold.finance.bir_monthly AS SELECT strftime(DATE '2025-01-01' + to_months(CAST(range AS INTEGER)), '%Y-%m') AS period, CAST(1000 + range * 12.5 AS DECIMAL(18,2)) AS tax_required FROM range(12)",
  );
  await wh.close();
}

function serverArgs(dataDir: string, extra: string[]): string[] {
  // --grants policy: the gate evaluates databricks/catalog/grants.yml (no grants table to seed);
  // a generous rate limit so the benchmark measures latency, not the limiter.
  return [BIN, '--target', 'local', '--data-dir', dataDir, '--grants', 'policy', '--rate-limit', '100000/s,burst=100000', ...extra];
}

async function stdioClient(dataDir: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: serverArgs(dataDir, []), env: { ...process.env, LOG_LEVEL: 'info' } as Record<string, string>, stderr: 'ignore' }));
  return client;
}

async function httpClient(dataDir: string): Promise<{ client: Client; child: ChildProcess }> {
  const child = spawn(process.execPath, serverArgs(dataDir, ['--transport', 'http', '--port', '0']), { env: { ...process.env, MCP_TOKENS: JSON.stringify({ [TOKEN]: 'odoo-ce-mcp' }) }, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const m = /"url":"([^"]+)"/.exec(line);
      if (!m) return;
      // Stop parsing: from here on the audit lines are only drained, so the benchmark process does
      // not spend its time reading the server's log (the stdio server's stderr goes to /dev/null).
      lines.close();
      child.stderr?.resume();
      resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`the HTTP server exited with ${code} before listening`)));
  });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  return { client, child };
}

function checkRows(result: unknown): void {
  const r = result as { isError?: boolean; structuredContent?: { row_count?: number }; content?: { text?: string }[] };
  if (r.isError || r.structuredContent?.row_count !== ROWS) throw new Error(`unexpected result: ${JSON.stringify(r.content ?? r).slice(0, 300)}`);
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${fmt(Math.abs(ms))}`;

export async function runMcpLatencyBenchmark(options: McpLatencyOptions = {}): Promise<string> {
  const rounds = options.repetitions ?? 15;
  const perRound = options.perRound ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'bench-mcp-'));
  const loadBefore = loadavg();
  let raw: Warehouse | undefined;
  let stdio: Client | undefined;
  let http: { client: Client; child: ChildProcess } | undefined;
  try {
    await seed(join(dir, 'a'));
    // One copy of the data per process: DuckDB locks its files.
    cpSync(join(dir, 'a'), join(dir, 'b'), { recursive: true });
    cpSync(join(dir, 'a'), join(dir, 'c'), { recursive: true });
    raw = await openWarehouse(loadConfig({ target: 'local', dataDir: join(dir, 'a'), env: {} }).target);
    stdio = await stdioClient(join(dir, 'b'));
    http = await httpClient(join(dir, 'c'));
    const rawWh = raw;
    const stdioClientRef = stdio;
    const httpClientRef = http.client;
    const paths: Path[] = [
      {
        id: 'a',
        label: '(a) raw `Warehouse.query`, in-process',
        ms: [],
        call: async () => {
          const { rows } = await rawWh.query(SQL);
          if (rows.length !== ROWS) throw new Error(`raw query returned ${rows.length} rows`);
        },
      },
      { id: 'b', label: '(b) `execute_sql` over stdio', ms: [], call: async () => checkRows(await stdioClientRef.callTool({ name: 'execute_sql', arguments: { sql: SQL } })) },
      { id: 'c', label: '(c) `execute_sql` over Streamable HTTP (bearer token)', ms: [], call: async () => checkRows(await httpClientRef.callTool({ name: 'execute_sql', arguments: { sql: SQL } })) },
      {
        id: 'd',
        label: '(d) `list_catalogs` over stdio (no warehouse query)',
        ms: [],
        call: async () => {
          const r = (await stdioClientRef.callTool({ name: 'list_catalogs', arguments: {} })) as { isError?: boolean };
          if (r.isError) throw new Error('list_catalogs failed');
        },
      },
    ];
    for (const p of paths) for (let i = 0; i < 30; i++) await p.call(); // warm-up: JIT, parser, first sessions
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < paths.length; k++) {
        const p = paths[(round + k) % paths.length] as Path;
        for (let i = 0; i < perRound; i++) {
          const t0 = performance.now();
          await p.call();
          p.ms.push(performance.now() - t0);
        }
      }
    }
    const loadAfter = loadavg();
    const stats = paths.map((p) => {
      const sorted = [...p.ms].sort((x, y) => x - y);
      return { ...p, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), mean: p.ms.reduce((s, x) => s + x, 0) / p.ms.length };
    });
    const base = stats[0] as (typeof stats)[number];
    const rowsMd = stats.map(
      (s) =>
        `| ${s.label} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.mean)} | ${s.id === 'a' ? '—' : signed(s.p50 - base.p50)} | ${s.id === 'a' ? '1.00×' : `${(s.p50 / base.p50).toFixed(1)}×`} |`,
    );
    const b = stats[1] as (typeof stats)[number];
    const c = stats[2] as (typeof stats)[number];
    const verdict = (s: typeof b) => `${s.p50 < 15 ? 'met' : 'not met'} (p50 ${fmt(s.p50)}), overhead ${s.p50 - base.p50 < 5 ? 'met' : 'not met'} (${signed(s.p50 - base.p50)})`;
    return [
      '## MCP server latency',
      '',
      `\`tools/bench/src/mcp-latency.ts\` (\`npm run bench -- mcp-latency [--reps N]\`), run on ${new Date().toISOString().slice(0, 10)}.`,
      '',
      `- **Machine:** ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}; load average ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after (shared machine: absolute times are noisy; paths are interleaved round by round).`,
      `- **Method:** \`${SQL}\` (12 rows) on a local DuckDB target; each path has 30 warm-up calls, then ${rounds} rounds × ${perRound} calls in rotating order (${rounds * perRound} per path), one call at a time, wall time per call from the client's side. The servers are the real \`databricks-mcp-server\` bin in child processes (gate with DuckDB's parser, grants from the policy, streaming with a row cap, one audit line per call on stderr); (a) is the same query through \`Warehouse.query\` in the benchmark's process on its own copy of the data.`,
      '',
      '| path | p50 | p95 | mean | overhead vs (a), p50 | time vs (a), p50 |',
      '|---|---:|---:|---:|---:|---:|',
      ...rowsMd,
      '',
      `Goal p50 < 15 ms and overhead < 5 ms: stdio ${verdict(b)}; HTTP ${verdict(c)}. (d) shows how much of the overhead is the protocol and server plumbing alone.`,
      '',
    ].join('\n');
  } finally {
    await stdio?.close().catch(() => undefined);
    await http?.client.close().catch(() => undefined);
    http?.child.kill('SIGTERM');
    await raw?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
