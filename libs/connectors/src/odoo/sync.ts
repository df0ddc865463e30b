import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@odoo-ce/common';
import { compiledQuery, ensureOpsSchema, opsTable, param, type ParameterValue, type QueryExecutor, type Warehouse } from '@odoo-ce/warehouse';
import { bronzeTableDdl } from '../files/index.js';
import type { OdooClient, OdooContext, OdooDomain, OdooRecord } from './client.js';
import { OdooRpcError } from './errors.js';
import { pageRowSources } from './page-rows.js';
import { DEFAULT_ODOO_MODELS, describeZodError, kindForOdooType, ODOO_MODEL_FIELDS, recordSchema, type OdooFieldKind } from './schemas.js';

/** A position in a model's `(write_date, id)` order. */
export interface OdooWatermark {
  readonly writeDate: string;
  readonly id: number;
}

/** A record that failed validation: kept out of bronze, written to `<ops>.odoo_rejected_records`. */
export interface RejectedRecord {
  readonly model: string;
  readonly recordId: string | null;
  readonly writeDate: string | null;
  readonly reason: string;
  readonly raw: string;
}

/** What one model's sync did. */
export interface ModelSyncResult {
  readonly model: string;
  readonly table: string;
  readonly status: 'ok' | 'failed';
  readonly mode: 'full' | 'incremental';
  readonly pages: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rejected: readonly RejectedRecord[];
  readonly reconciled: boolean;
  readonly tombstones: number;
  readonly watermark: OdooWatermark | null;
  readonly missingFields: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface OdooSyncResult {
  readonly batchId: string;
  readonly ok: boolean;
  readonly models: readonly ModelSyncResult[];
}

export interface OdooSyncOptions {
  /** Models to sync (default {@link DEFAULT_ODOO_MODELS}). */
  readonly models?: readonly string[];
  /** Records per `search_read` page (default 500). */
  readonly pageSize?: number;
  /** Models synced at the same time (default 2). */
  readonly concurrency?: number;
  /** How far to rewind the watermark to catch late-committed transactions (default 600 s). */
  readonly overlapSeconds?: number;
  /** Run the id reconciliation (delete detection) for every model now. */
  readonly fullReconcile?: boolean;
  /** Reconcile a model automatically when its last reconciliation is older than this (default 24 h; 0 = only with fullReconcile). */
  readonly reconcileIntervalMs?: number;
  /** Fields to read per model (default: {@link ODOO_MODEL_FIELDS}, or every stored field for other models). */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /** Extra context; `active_test: false` is the default so archived records are synced too. */
  readonly context?: OdooContext;
  /** The `_source` column (default `odoo`). */
  readonly source?: string;
  readonly batchId?: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
  /** Called after a page's bronze write committed and before the watermark moves (tests simulate crashes here). */
  readonly onBronzeCommitted?: (info: { model: string; page: number; rows: number }) => void | Promise<void>;
  readonly now?: () => Date;
}

interface StateRow {
  watermark: OdooWatermark | null;
  lastReconciledAt: Date | null;
}

/** The bronze table of an Odoo model: `<bronze>.odoo.<model with . → _>`. */
export function bronzeTableForModel(model: string): { schema: string; table: string } {
  return { schema: 'odoo', table: model.replace(/[^A-Za-z0-9_]/g, '_') };
}

/**
 * Incrementally copies Odoo models into bronze (`bronze.odoo.<model>`, the same shape as file
 * ingestion: `_id` = id, `_version` = write_date, `_raw` = record JSON, `_source` = 'odoo').
 *
 * Per model: keyset paging on `(write_date, id)` (`order: 'write_date asc, id asc'`) from the
 * watermark in `<ops>.ingestion_state`, rewound by an overlap window; records are validated with
 * zod (bad ones → `<ops>.odoo_rejected_records`); each page is one INSERT that skips rows whose
 * `(_id, _version)` is already present, so overlap re-reads and replays after a crash never
 * duplicate; the watermark moves only after that INSERT committed. A periodic full id
 * reconciliation writes a tombstone (the last `_raw` plus `"_deleted": true`) for ids that vanished.
 * Models run with bounded concurrency; one model failing does not stop the others (its result
 * says `failed` with the error code). Throws only when authentication or the ops setup fails.
 */
export async function syncOdoo(client: OdooClient, warehouse: Warehouse, options: OdooSyncOptions = {}): Promise<OdooSyncResult> {
  const models = options.models ?? DEFAULT_ODOO_MODELS;
  const batchId = options.batchId ?? randomUUID();
  // Fail fast (AUTH_FAILED, network) once, instead of once per model.
  await client.authenticate(options.signal);
  const ctx = new SyncContext(client, warehouse, options, batchId);
  await ctx.prepare();
  const results: ModelSyncResult[] = new Array<ModelSyncResult>(models.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < models.length) {
      const index = next++;
      results[index] = await ctx.syncModel(models[index] as string);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, models.length));
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { batchId, ok: results.every((r) => r.status === 'ok'), models: results };
}

/** `"YYYY-MM-DD HH:MM:SS"` minus `seconds`. */
export function rewindOdooDatetime(value: string, seconds: number): string {
  const t = Date.parse(`${value.replace(' ', 'T')}Z`);
  if (Number.isNaN(t)) return value;
  return new Date(t - seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The keyset domain `write_date > wd OR (write_date = wd AND id > id)`. */
export function keysetDomain(position: OdooWatermark): OdooDomain {
  return ['|', ['write_date', '>', position.writeDate], '&', ['write_date', '=', position.writeDate], ['id', '>', position.id]];
}

function compareWatermark(a: OdooWatermark, b: OdooWatermark): number {
  return a.writeDate < b.writeDate ? -1 : a.writeDate > b.writeDate ? 1 : a.id - b.id;
}

class SyncContext {
  readonly #a;
  #opsChain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly client: OdooClient,
    readonly warehouse: Warehouse,
    readonly options: OdooSyncOptions,
    readonly batchId: string,
  ) {
    this.#a = warehouse.adapter;
  }

  get source(): string {
    return this.options.source ?? 'odoo';
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Creates the ops tables and the bronze schema once, before models run concurrently. */
  async prepare(): Promise<void> {
    const a = this.#a;
    const s = a.typeName('string');
    await ensureOpsSchema(this.warehouse);
    await this.warehouse.query(
      `CREATE TABLE IF NOT EXISTS ${opsTable(this.warehouse, 'ingestion_state')} (source ${s}, model ${s}, watermark_write_date ${s}, watermark_id ${a.typeName('bigint')}, updated_at ${a.typeName('timestamp')}, last_reconciled_at ${a.typeName('timestamp')})`,
    );
    await this.warehouse.query(
      `CREATE TABLE IF NOT EXISTS ${opsTable(this.warehouse, 'odoo_rejected_records')} (source ${s}, model ${s}, record_id ${s}, write_date ${s}, reason ${s}, raw ${s}, batch_id ${s}, rejected_at ${a.typeName('timestamp')})`,
    );
    await this.warehouse.query(a.createSchemaSql(this.warehouse.layout.catalogs.bronze, 'odoo'));
  }

  /** Serialises writes to the ops catalog (DuckDB: concurrent transactions on one table may conflict). */
  async #ops<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#opsChain.then(fn, fn);
    this.#opsChain = run.catch(() => undefined);
    return run;
  }

  async syncModel(model: string): Promise<ModelSyncResult> {
    const log = this.options.logger?.child({ model });
    const { schema, table } = bronzeTableForModel(model);
    const catalog = this.warehouse.layout.catalogs.bronze;
    const display = `${catalog}.${schema}.${table}`;
    const quoted = this.#a.quoteQualified([catalog, schema, table]);
    const rejected: RejectedRecord[] = [];
    let pages = 0;
    let rowsRead = 0;
    let rowsWritten = 0;
    let reconciled = false;
    let tombstones = 0;
    let missingFields: string[] = [];
    let state: StateRow = { watermark: null, lastReconciledAt: null };
    const started = Date.now();
    try {
      await this.warehouse.query(bronzeTableDdl(this.warehouse, quoted));
      state = await this.#readState(model);
      const resolved = await this.#resolveFields(model);
      missingFields = resolved.missing;
      if (missingFields.length > 0) log?.warn({ event: 'odoo.fields_missing', fields: missingFields }, `fields not on this server: ${missingFields.join(', ')}`);
      const schemaOf = recordSchema(resolved.kinds);
      const fields = Object.keys(resolved.kinds);
      const pageSize = this.options.pageSize ?? 500;
      const context: OdooContext = { active_test: false, ...this.options.context };
      const overlap = this.options.overlapSeconds ?? 600;
      let watermark = state.watermark;
      const cursor: OdooWatermark | null = watermark ? (overlap > 0 ? { writeDate: rewindOdooDatetime(watermark.writeDate, overlap), id: 0 } : watermark) : null;
      // Keyset pages are sequential (each starts after the last record of the one before), but the
      // next page is requested as soon as this one arrives, so fetching overlaps validating and landing.
      const fetchPage = (from: OdooWatermark | null): Promise<OdooRecord[]> => {
        const domain: OdooDomain = from ? keysetDomain(from) : [];
        // Odoo: object.execute_kw(model, 'search_read', [], {domain, fields, limit, order: 'write_date asc, id asc', context})
        const page = this.client.searchRead(model, domain, { fields, limit: pageSize, order: 'write_date asc, id asc', context, ...(this.options.signal ? { signal: this.options.signal } : {}) });
        // Handled here so an abandoned prefetch (the sync failed meanwhile) is not an unhandled rejection; awaiting it still throws.
        page.catch(() => undefined);
        return page;
      };
      let next: Promise<OdooRecord[]> | undefined = fetchPage(cursor);
      while (next) {
        const records = await next;
        next = undefined;
        pages++;
        rowsRead += records.length;
        if (records.length === 0) break;
        const last = lastPosition(records);
        if (!last) throw new OdooRpcError('SYNC_FAILED', `${model}: a page of ${records.length} records has no record with a numeric id and a write_date; cannot continue the keyset`);
        if (records.length >= pageSize) next = fetchPage(last);
        const valid: (Record<string, unknown> & { id: number; write_date: string })[] = [];
        const bad: RejectedRecord[] = [];
        for (const record of records) {
          const parsed = schemaOf.safeParse(record);
          if (parsed.success) valid.push(record as OdooRecord & { write_date: string });
          else bad.push(rejectedOf(model, record, describeZodError(parsed.error)));
        }
        if (bad.length > 0) {
          await this.#ops(() => this.#writeRejected(bad));
          rejected.push(...bad);
          log?.warn({ event: 'odoo.records_rejected', count: bad.length, first: bad[0]?.reason }, `${bad.length} malformed ${model} record(s) quarantined`);
        }
        rowsWritten += await this.#writeBronze(quoted, model, valid);
        await this.options.onBronzeCommitted?.({ model, page: pages, rows: valid.length });
        if (!watermark || compareWatermark(last, watermark) > 0) watermark = last;
        const wm = watermark;
        await this.#ops(() => this.#writeState(model, wm, state.lastReconciledAt));
      }
      const interval = this.options.reconcileIntervalMs ?? 24 * 3600_000;
      const due = this.options.fullReconcile === true || (interval > 0 && (state.lastReconciledAt === null || this.now().getTime() - state.lastReconciledAt.getTime() >= interval));
      if (due) {
        tombstones = await this.#reconcile(model, quoted, context);
        reconciled = true;
        const reconciledAt = this.now();
        const wm = watermark;
        await this.#ops(() => this.#writeState(model, wm, reconciledAt));
      }
      log?.info({ event: 'odoo.model_synced', pages, rows_read: rowsRead, rows_written: rowsWritten, rejected: rejected.length, tombstones, ms: Date.now() - started }, `synced ${model}`);
      return { model, table: display, status: 'ok', mode: state.watermark ? 'incremental' : 'full', pages, rowsRead, rowsWritten, rejected, reconciled, tombstones, watermark, missingFields };
    } catch (error) {
      const code = error instanceof OdooRpcError ? error.code : 'SYNC_FAILED';
      const message = error instanceof Error ? error.message : String(error);
      log?.error({ event: 'odoo.model_failed', code, error: message }, `sync of ${model} failed`);
      const current = await this.#readState(model).catch(() => state);
      return { model, table: display, status: 'failed', mode: state.watermark ? 'incremental' : 'full', pages, rowsRead, rowsWritten, rejected, reconciled, tombstones, watermark: current.watermark, missingFields, error: { code, message } };
    }
  }

  async #resolveFields(model: string): Promise<{ kinds: Record<string, OdooFieldKind>; missing: string[] }> {
    // Odoo: object.execute_kw(model, 'fields_get', [], {attributes: ['type', 'store']})
    const available = await this.client.fieldsGet(model, { attributes: ['type', 'store'], ...(this.options.signal ? { signal: this.options.signal } : {}) });
    const known = ODOO_MODEL_FIELDS[model];
    const wanted = this.options.fields?.[model] ?? (known ? Object.keys(known) : Object.entries(available).filter(([, f]) => f['store'] !== false && f['type'] !== 'binary').map(([name]) => name));
    const kinds: Record<string, OdooFieldKind> = {};
    const missing: string[] = [];
    for (const name of wanted) {
      if (name === 'id') continue;
      const meta = available[name];
      if (!meta) {
        missing.push(name);
        continue;
      }
      kinds[name] = known?.[name] ?? kindForOdooType(meta['type']);
    }
    if (!available['write_date']) throw new OdooRpcError('SYNC_FAILED', `${model} has no write_date field; it cannot be synced incrementally`);
    kinds['write_date'] = 'datetime';
    return { kinds, missing };
  }

  async #readState(model: string): Promise<StateRow> {
    const { rows } = await this.warehouse.query<{ watermark_write_date: string | null; watermark_id: bigint | number | null; last_reconciled_at: Date | null }>(
      compiledQuery(`SELECT watermark_write_date, watermark_id, last_reconciled_at FROM ${opsTable(this.warehouse, 'ingestion_state')} WHERE source = :source AND model = :model`, { source: this.source, model }),
    );
    const row = rows[0];
    if (!row) return { watermark: null, lastReconciledAt: null };
    return {
      watermark: row.watermark_write_date !== null && row.watermark_id !== null ? { writeDate: row.watermark_write_date, id: Number(row.watermark_id) } : null,
      lastReconciledAt: row.last_reconciled_at,
    };
  }

  async #writeState(model: string, watermark: OdooWatermark | null, lastReconciledAt: Date | null): Promise<void> {
    const table = opsTable(this.warehouse, 'ingestion_state');
    const params: Record<string, ParameterValue> = {
      source: this.source, model, wd: watermark?.writeDate ?? null, wid: watermark ? param.bigint(BigInt(watermark.id)) : param.bigint(null),
      now: param.timestamp(this.now()), rec: param.timestamp(lastReconciledAt),
    };
    const write = async (tx: QueryExecutor): Promise<void> => {
      await tx.query(compiledQuery(`DELETE FROM ${table} WHERE source = :source AND model = :model`, { source: this.source, model }));
      await tx.query(compiledQuery(`INSERT INTO ${table} (source, model, watermark_write_date, watermark_id, updated_at, last_reconciled_at) VALUES (:source, :model, :wd, :wid, :now, :rec)`, params));
    };
    if (this.#a.supportsTransactions) {
      await this.warehouse.transaction(write);
    } else {
      await this.warehouse.query(
        compiledQuery(
          `MERGE INTO ${table} AS t USING (SELECT :source AS source, :model AS model, :wd AS wd, :wid AS wid, :now AS now, :rec AS rec) AS s
           ON t.source = s.source AND t.model = s.model
           WHEN MATCHED THEN UPDATE SET watermark_write_date = s.wd, watermark_id = s.wid, updated_at = s.now, last_reconciled_at = s.rec
           WHEN NOT MATCHED THEN INSERT (source, model, watermark_write_date, watermark_id, updated_at, last_reconciled_at) VALUES (s.source, s.model, s.wd, s.wid, s.now, s.rec)`,
          params,
        ),
      );
    }
  }

  async #writeRejected(bad: readonly RejectedRecord[]): Promise<void> {
    const table = opsTable(this.warehouse, 'odoo_rejected_records');
    const params: Record<string, ParameterValue> = { source: this.source, batch: this.batchId, now: param.timestamp(this.now()) };
    const values = bad.map((r, i) => {
      params[`m${i}`] = r.model;
      params[`i${i}`] = r.recordId;
      params[`w${i}`] = r.writeDate;
      params[`r${i}`] = r.reason;
      params[`x${i}`] = r.raw;
      return `(:m${i}, :i${i}, :w${i}, :r${i}, :x${i})`;
    });
    await this.warehouse.query(
      compiledQuery(
        `INSERT INTO ${table} (source, model, record_id, write_date, reason, raw, batch_id, rejected_at)
         SELECT :source, v.model, v.record_id, v.write_date, v.reason, v.raw, :batch, :now FROM (VALUES ${values.join(', ')}) AS v(model, record_id, write_date, reason, raw)
         WHERE NOT EXISTS (SELECT 1 FROM ${table} AS t WHERE t.source = :source AND t.model = v.model AND t.raw = v.raw)`,
        params,
      ),
    );
  }

  /**
   * Lands a page: rows whose (_id, _version) is already in bronze (and not a tombstone) are skipped.
   * The rows go in as a few large parameters or literal chunks ({@link pageRowSources}); several
   * statements run in one transaction where the engine has them, so a page is written whole or not
   * at all (without transactions a crash may leave part of a page, which the replay completes by the
   * same skip rule before the watermark moves). The skip check reads only bronze rows within the
   * page's version range (redundant for correctness; it lets the engine prune by min/max statistics
   * instead of hashing the whole table), and tells tombstones apart by `_file`
   * (`odoo:<model>#deleted`), a plain column, so it never parses `_raw`.
   */
  async #writeBronze(table: string, model: string, records: readonly (Record<string, unknown> & { id: number; write_date: string })[], deleted = false): Promise<number> {
    if (records.length === 0) return 0;
    const a = this.#a;
    const hash = createHash('sha256').update(model);
    for (const r of records) hash.update(`\n${r.id}@${r.write_date}`);
    const common: Record<string, ParameterValue> = {
      source: this.source, batch: this.batchId, file: `odoo:${model}${deleted ? '#deleted' : ''}`, tombstone: `odoo:${model}#deleted`, sha: hash.digest('hex'), now: param.timestamp(this.now()),
    };
    let [minVersion, maxVersion] = [records[0]?.write_date ?? '', records[0]?.write_date ?? ''];
    for (const r of records) {
      if (r.write_date < minVersion) minVersion = r.write_date;
      if (r.write_date > maxVersion) maxVersion = r.write_date;
    }
    const rows = records.map((r) => ({ id: String(r.id), version: r.write_date, raw: JSON.stringify(r) }));
    const statements = pageRowSources(a, rows).map((source) =>
      compiledQuery(
        `INSERT INTO ${table} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
         SELECT v._id, v._version, v._raw, :source, :batch, :file, :sha, :now FROM ${source.sql}
         WHERE NOT EXISTS (SELECT 1 FROM ${table} AS b WHERE b._version BETWEEN :min_version AND :max_version AND b._id = v._id AND b._version = v._version AND b._file ${deleted ? '=' : '<>'} :tombstone)`,
        { ...common, ...source.params, min_version: minVersion, max_version: maxVersion },
      ),
    );
    const options = this.options.signal ? { signal: this.options.signal } : {};
    const run = async (executor: QueryExecutor): Promise<number> => {
      let written = 0;
      for (const statement of statements) written += Number((await executor.query(statement, options)).numAffectedRows ?? 0n);
      return written;
    };
    return statements.length > 1 && this.#a.supportsTransactions ? this.warehouse.transaction(run) : run(this.warehouse);
  }

  /** Ids in bronze (latest version not a tombstone) that Odoo no longer has → tombstone rows. */
  async #reconcile(model: string, table: string, context: OdooContext): Promise<number> {
    const a = this.#a;
    const { rows } = await this.warehouse.query<{ _id: string; deleted: string | null }>(
      compiledQuery(
        `SELECT _id, deleted FROM (SELECT _id, ${a.jsonExtractString('_raw', ':p')} AS deleted, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS rn FROM ${table}) AS latest WHERE rn = 1`,
        { p: '$._deleted' },
      ),
    );
    const live = new Set(rows.filter((r) => r.deleted === null).map((r) => r._id));
    if (live.size === 0) return 0;
    const pageSize = Math.max(this.options.pageSize ?? 500, 2000);
    let lastId = 0;
    for (;;) {
      // Odoo: object.execute_kw(model, 'search', [], {domain: [['id', '>', last]], order: 'id asc', limit, context: {active_test: false}})
      const ids = await this.client.search(model, [['id', '>', lastId]], { order: 'id asc', limit: pageSize, context, ...(this.options.signal ? { signal: this.options.signal } : {}) });
      for (const id of ids) live.delete(String(id));
      if (ids.length < pageSize) break;
      lastId = ids[ids.length - 1] as number;
    }
    if (live.size === 0) return 0;
    const vanished = [...live];
    let written = 0;
    const deletedAt = this.now().toISOString().slice(0, 19).replace('T', ' ');
    for (let i = 0; i < vanished.length; i += 500) {
      const chunk = vanished.slice(i, i + 500);
      const params: Record<string, ParameterValue> = {};
      const markers = chunk.map((id, j) => {
        params[`k${j}`] = id;
        return `:k${j}`;
      });
      const latest = await this.warehouse.query<{ _id: string; _version: string; _raw: string }>(
        compiledQuery(
          `SELECT _id, _version, _raw FROM (SELECT _id, _version, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS rn FROM ${table} WHERE _id IN (${markers.join(', ')})) AS l WHERE rn = 1`,
          params,
        ),
      );
      const stones = latest.rows.map((r) => {
        let raw: Record<string, unknown>;
        try {
          raw = JSON.parse(r._raw) as Record<string, unknown>;
        } catch {
          raw = { id: Number(r._id) };
        }
        return { ...raw, id: Number(r._id), write_date: r._version, _deleted: true, _deleted_detected_at: deletedAt };
      });
      written += await this.#writeBronze(table, model, stones, true);
    }
    this.options.logger?.info({ event: 'odoo.deletes_detected', model, count: written }, `${written} deleted ${model} record(s) tombstoned`);
    return written;
  }
}

function rejectedOf(model: string, record: unknown, reason: string): RejectedRecord {
  const r = (record && typeof record === 'object' ? record : {}) as Record<string, unknown>;
  const id = r['id'];
  const wd = r['write_date'];
  return { model, recordId: typeof id === 'number' || typeof id === 'string' ? String(id) : null, writeDate: typeof wd === 'string' ? wd : null, reason, raw: JSON.stringify(record) ?? 'null' };
}

/** The keyset position of the page: the last record with a numeric id and a string write_date. */
function lastPosition(records: readonly unknown[]): OdooWatermark | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as Record<string, unknown> | null;
    if (r && typeof r['id'] === 'number' && typeof r['write_date'] === 'string') return { writeDate: r['write_date'], id: r['id'] };
  }
  return undefined;
}
