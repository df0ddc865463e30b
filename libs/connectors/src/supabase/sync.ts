import { createHash, randomUUID } from 'node:crypto';
import { retry, type Logger, type RetryOptions } from '@odoo-ce/common';
import { compiledQuery, ensureOpsSchema, opsTable, param, type ParameterValue, type QueryExecutor, type Warehouse } from '@odoo-ce/warehouse';
import pg from 'pg';
import { bronzeTableDdl } from '../files/index.js';
import { SupabaseError, toSupabaseError } from './errors.js';
import type { SupabaseSettings } from './settings.js';

/** A position in the `(updated_at, id)` order: `updatedAt` is ISO-8601 UTC with microseconds. */
export interface SupabaseWatermark {
  readonly updatedAt: string;
  readonly id: string;
}

/** What one sync did. */
export interface SupabaseSyncResult {
  readonly batchId: string;
  /** The bronze table written, e.g. `bronze.scout.transactions`. */
  readonly table: string;
  readonly mode: 'full' | 'incremental';
  readonly pages: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly watermark: SupabaseWatermark | null;
}

/** Options of {@link syncSupabaseTransactions}. */
export interface SupabaseSyncOptions {
  /** Source table, `schema.table` (default `scout.transactions`); bronze gets `bronze.<schema>.<table>`. */
  readonly table?: string;
  /** Rows per page (default 1000). */
  readonly pageSize?: number;
  /** Rewind the watermark by this many seconds to catch late-committed transactions (default 600). */
  readonly overlapSeconds?: number;
  /** The `_source` column (default `supabase`). */
  readonly source?: string;
  readonly batchId?: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** Retry of connecting and of each page query on connection trouble (default 5 attempts). */
  readonly retry?: Pick<RetryOptions, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'random'>;
  /** Connection timeout in ms (default 10 000). */
  readonly connectTimeoutMs?: number;
  /** Called after a page's bronze write committed and before the watermark moves (tests simulate crashes here). */
  readonly onBronzeCommitted?: (info: { page: number; rows: number }) => void | Promise<void>;
  readonly now?: () => Date;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PG_DATE = 1082;
const PG_TIMESTAMP = 1114;
const PG_TIMESTAMPTZ = 1184;

/**
 * Postgres timestamp text (`2025-01-02 03:04:05.12+08`, as `pg` receives it) → ISO-8601 UTC with
 * microseconds (`2025-01-01T19:04:05.120000Z`): fixed width, so text order is time order, and
 * no precision lost (a JS Date would drop microseconds and break the keyset). Values it cannot
 * read (`infinity`, BC dates) are returned unchanged.
 */
export function pgTimestampToIso(text: string, assumeUtc = false): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?|Z)?$/.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0', os = '0'] = m;
  if (!sign && !assumeUtc && !text.endsWith('Z')) return text;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60 + Number(os)) : 0;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 1000;
  return `${new Date(t).toISOString().slice(0, 19)}.${frac.padEnd(6, '0')}Z`;
}

/** ISO `…SS.ffffffZ` minus `seconds`, keeping the microseconds. */
export function rewindIso(iso: string, seconds: number): string {
  const m = /^(.*T\d\d:\d\d:\d\d)\.(\d{6})Z$/.exec(iso);
  if (!m) return iso;
  const t = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t - seconds * 1000).toISOString().slice(0, 19)}.${m[2]}Z`;
}

/** Type parsers: dates stay `YYYY-MM-DD` text, timestamps become ISO strings; everything else as `pg` returns it (numeric, int8 as strings). */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === PG_DATE) return (v: string) => v;
    if (oid === PG_TIMESTAMPTZ) return (v: string) => pgTimestampToIso(v);
    if (oid === PG_TIMESTAMP) return (v: string) => pgTimestampToIso(v, true);
    return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
  },
};

/** The `pg` client configuration (TLS per {@link SupabaseSettings.sslMode}). */
export function pgClientConfig(settings: SupabaseSettings, connectTimeoutMs = 10_000): pg.ClientConfig {
  const ssl = settings.sslMode === 'disable' ? false : settings.sslMode === 'require' ? { rejectUnauthorized: false } : { rejectUnauthorized: true, ...(settings.caCert ? { ca: settings.caCert } : {}) };
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl,
    application_name: 'odoo-ce-etl',
    connectionTimeoutMillis: connectTimeoutMs,
    types: TYPES,
  };
}

/**
 * Incrementally copies Scout transactions from Supabase's Postgres into
 * `bronze.scout.transactions` (the file shape: `_id` = id, `_version` = updated_at as ISO text,
 * `_raw` = the row as JSON — numeric as string as `pg` returns it, `transaction_date`
 * `YYYY-MM-DD`, timestamps ISO — `_source` = 'supabase', `_file` = `supabase:scout.transactions`).
 *
 * Keyset paging on `(updated_at, id)` from the watermark in `<ops>.ingestion_state`
 * (`source = 'supabase'`, `model` = the table; `watermark_write_date` holds the position as JSON
 * `{"updated_at", "id"}` because ids need not be integers), rewound by an overlap window. Each
 * page is one INSERT that skips `(_id, _version)` pairs already present; the watermark moves only
 * after that INSERT committed (bronze and ops are different catalogs), so a crash replays the
 * page without duplicates. Throws {@link SupabaseError} (password never included).
 */
export async function syncSupabaseTransactions(settings: SupabaseSettings, warehouse: Warehouse, options: SupabaseSyncOptions = {}): Promise<SupabaseSyncResult> {
  const sourceTable = options.table ?? 'scout.transactions';
  const parts = sourceTable.split('.');
  if (parts.length !== 2 || !parts.every((p) => IDENT.test(p))) throw new SupabaseError('INVALID_CONFIG', `table must be schema.table with plain identifiers, got "${sourceTable}"`);
  const [schema, tableName] = parts as [string, string];
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new SupabaseError('INVALID_CONFIG', `pageSize must be a positive whole number, got ${pageSize}`);
  const source = options.source ?? 'supabase';
  const batchId = options.batchId ?? randomUUID();
  const now = (): Date => options.now?.() ?? new Date();
  const log = options.logger?.child({ source, table: sourceTable });
  const a = warehouse.adapter;
  const catalog = warehouse.layout.catalogs.bronze;
  const display = `${catalog}.${schema}.${tableName}`;
  const bronze = a.quoteQualified([catalog, schema, tableName]);
  const stateTable = opsTable(warehouse, 'ingestion_state');
  const s = a.typeName('string');

  await ensureOpsSchema(warehouse);
  await warehouse.query(
    `CREATE TABLE IF NOT EXISTS ${stateTable} (source ${s}, model ${s}, watermark_write_date ${s}, watermark_id ${a.typeName('bigint')}, updated_at ${a.typeName('timestamp')}, last_reconciled_at ${a.typeName('timestamp')})`,
  );
  await warehouse.query(a.createSchemaSql(catalog, schema));
  await warehouse.query(bronzeTableDdl(warehouse, bronze));
  const previous = await readWatermark(warehouse, stateTable, source, sourceTable);

  const retryOptions: RetryOptions = {
    maxAttempts: 5,
    ...options.retry,
    isRetryable: (e) => e instanceof SupabaseError && e.retryable,
    ...(options.signal ? { signal: options.signal } : {}),
    onRetry: ({ error, attempt, delayMs }) => log?.warn({ event: 'supabase.retry', attempt, delay_ms: delayMs, code: (error as SupabaseError).code }, 'retrying Supabase'),
  };
  let client: pg.Client | undefined;
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client(pgClientConfig(settings, options.connectTimeoutMs));
    c.on('error', () => undefined); // a dropped idle connection surfaces on the next query
    try {
      await c.connect();
      return c;
    } catch (error) {
      await c.end().catch(() => undefined);
      throw toSupabaseError(error, 'connect', settings.password, settings.display);
    }
  };
  const q = `${quoteIdent(schema)}.${quoteIdent(tableName)}`;
  const page = async (cursor: { updatedAt: string; id: string | null } | null): Promise<Record<string, unknown>[]> =>
    retry(async () => {
      client ??= await connect();
      try {
        const sql =
          cursor === null
            ? `SELECT * FROM ${q} WHERE updated_at IS NOT NULL ORDER BY updated_at, id LIMIT $1`
            : cursor.id === null
              ? `SELECT * FROM ${q} WHERE updated_at >= $2::timestamptz ORDER BY updated_at, id LIMIT $1`
              : `SELECT * FROM ${q} WHERE (updated_at, id) > ($2::timestamptz, $3) ORDER BY updated_at, id LIMIT $1`;
        const values: unknown[] = cursor === null ? [pageSize] : cursor.id === null ? [pageSize, cursor.updatedAt] : [pageSize, cursor.updatedAt, cursor.id];
        const result = await client.query<Record<string, unknown>>(sql, values);
        return result.rows;
      } catch (error) {
        const e = toSupabaseError(error, `read ${sourceTable}`, settings.password, settings.display);
        if (e.retryable) {
          const dead = client;
          client = undefined;
          await dead.end().catch(() => undefined);
        }
        throw e;
      }
    }, retryOptions);

  let pages = 0;
  let rowsRead = 0;
  let rowsWritten = 0;
  let watermark = previous;
  const overlap = options.overlapSeconds ?? 600;
  let cursor: { updatedAt: string; id: string | null } | null = previous ? (overlap > 0 ? { updatedAt: rewindIso(previous.updatedAt, overlap), id: null } : previous) : null;
  const started = Date.now();
  try {
    for (;;) {
      const rows = await page(cursor);
      pages++;
      rowsRead += rows.length;
      if (rows.length === 0) break;
      const keyed = rows.map((row) => {
        const id = row['id'];
        const updatedAt = row['updated_at'];
        if ((typeof id !== 'string' && typeof id !== 'number') || typeof updatedAt !== 'string') {
          throw new SupabaseError('SYNC_FAILED', `${sourceTable}: a row without a usable id/updated_at (id ${JSON.stringify(id)}); cannot continue the keyset`);
        }
        return { id: String(id), version: updatedAt, raw: JSON.stringify(row) };
      });
      rowsWritten += await writeBronze(warehouse, bronze, keyed, { source, batchId, file: `supabase:${sourceTable}`, now: now(), ...(options.signal ? { signal: options.signal } : {}) });
      await options.onBronzeCommitted?.({ page: pages, rows: rows.length });
      const last = keyed[keyed.length - 1] as { id: string; version: string };
      const position: SupabaseWatermark = { updatedAt: last.version, id: last.id };
      if (!watermark || compareWatermark(position, watermark) > 0) watermark = position;
      await writeWatermark(warehouse, stateTable, source, sourceTable, watermark, now());
      cursor = position;
      if (rows.length < pageSize) break;
    }
  } finally {
    await client?.end().catch(() => undefined);
  }
  log?.info({ event: 'supabase.synced', pages, rows_read: rowsRead, rows_written: rowsWritten, ms: Date.now() - started }, `synced ${sourceTable}`);
  return { batchId, table: display, mode: previous ? 'incremental' : 'full', pages, rowsRead, rowsWritten, watermark };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function compareWatermark(a: SupabaseWatermark, b: SupabaseWatermark): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? -1 : 1;
  if (/^\d+$/.test(a.id) && /^\d+$/.test(b.id)) return BigInt(a.id) < BigInt(b.id) ? -1 : BigInt(a.id) > BigInt(b.id) ? 1 : 0;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The stored position of `model`, or null before the first sync. */
export async function readWatermark(warehouse: Warehouse, stateTable: string, source: string, model: string): Promise<SupabaseWatermark | null> {
  const { rows } = await warehouse.query<{ watermark_write_date: string | null }>(
    compiledQuery(`SELECT watermark_write_date FROM ${stateTable} WHERE source = :source AND model = :model`, { source, model }),
  );
  const text = rows[0]?.watermark_write_date;
  if (text === null || text === undefined) return null;
  try {
    const parsed = JSON.parse(text) as { updated_at?: unknown; id?: unknown };
    if (typeof parsed.updated_at === 'string' && typeof parsed.id === 'string') return { updatedAt: parsed.updated_at, id: parsed.id };
  } catch {
    // fall through
  }
  throw new SupabaseError('SYNC_FAILED', `unreadable watermark for ${source}/${model} in ${stateTable}: ${text}`);
}

async function writeWatermark(warehouse: Warehouse, table: string, source: string, model: string, wm: SupabaseWatermark, now: Date): Promise<void> {
  const params: Record<string, ParameterValue> = {
    source, model, wd: JSON.stringify({ updated_at: wm.updatedAt, id: wm.id }), wid: param.bigint(/^\d{1,18}$/.test(wm.id) ? BigInt(wm.id) : null), now: param.timestamp(now),
  };
  if (warehouse.adapter.supportsTransactions) {
    await warehouse.transaction(async (tx: QueryExecutor) => {
      await tx.query(compiledQuery(`DELETE FROM ${table} WHERE source = :source AND model = :model`, { source, model }));
      await tx.query(compiledQuery(`INSERT INTO ${table} (source, model, watermark_write_date, watermark_id, updated_at, last_reconciled_at) VALUES (:source, :model, :wd, :wid, :now, NULL)`, params));
    });
  } else {
    await warehouse.query(
      compiledQuery(
        `MERGE INTO ${table} AS t USING (SELECT :source AS source, :model AS model, :wd AS wd, :wid AS wid, :now AS now) AS s
         ON t.source = s.source AND t.model = s.model
         WHEN MATCHED THEN UPDATE SET watermark_write_date = s.wd, watermark_id = s.wid, updated_at = s.now
         WHEN NOT MATCHED THEN INSERT (source, model, watermark_write_date, watermark_id, updated_at, last_reconciled_at) VALUES (s.source, s.model, s.wd, s.wid, s.now, NULL)`,
        params,
      ),
    );
  }
}

/** One INSERT per page; rows whose `(_id, _version)` is already in bronze are skipped. */
async function writeBronze(
  warehouse: Warehouse,
  table: string,
  rows: readonly { id: string; version: string; raw: string }[],
  meta: { source: string; batchId: string; file: string; now: Date; signal?: AbortSignal },
): Promise<number> {
  if (rows.length === 0) return 0;
  const hash = createHash('sha256').update(meta.file);
  const params: Record<string, ParameterValue> = {};
  const values = rows.map((r, i) => {
    hash.update(`\n${r.id}@${r.version}`);
    params[`i${i}`] = r.id;
    params[`v${i}`] = r.version;
    params[`r${i}`] = r.raw;
    return `(:i${i}, :v${i}, :r${i})`;
  });
  Object.assign(params, { source: meta.source, batch: meta.batchId, file: meta.file, sha: hash.digest('hex'), now: param.timestamp(meta.now) });
  const result = await warehouse.query(
    compiledQuery(
      `INSERT INTO ${table} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
       SELECT v._id, v._version, v._raw, :source, :batch, :file, :sha, :now FROM (VALUES ${values.join(', ')}) AS v(_id, _version, _raw)
       WHERE NOT EXISTS (SELECT 1 FROM ${table} AS b WHERE b._id = v._id AND b._version = v._version)`,
      params,
    ),
    meta.signal ? { signal: meta.signal } : {},
  );
  return Number(result.numAffectedRows ?? 0n);
}
