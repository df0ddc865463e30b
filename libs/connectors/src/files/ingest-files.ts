import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { PlatformError } from '@odoo-ce/common';
import { compiledQuery, ensureOpsSchema, opsTable, param, type FileFormat, type Layer, type QueryExecutor, type Warehouse } from '@odoo-ce/warehouse';

export type IngestErrorCode = 'FILE_NOT_FOUND' | 'UNKNOWN_FORMAT' | 'NO_MAPPING' | 'INGEST_FAILED';

/** A file that cannot be ingested; names the file and what was expected. */
export class IngestError extends PlatformError<IngestErrorCode> {}

/** Where one kind of file lands in bronze, and how its records are keyed. */
export interface BronzeTarget {
  readonly layer?: Layer;
  readonly schema: string;
  readonly table: string;
  /** JSON path of the record key, e.g. `$.id`. */
  readonly keyPath: string;
  /** JSON path of the record version, e.g. `$.write_date` (Odoo) or `$.updated_at` (Scout). */
  readonly versionPath: string;
}

export interface IngestFileOptions {
  readonly file: string;
  readonly target: BronzeTarget;
  /** The `_source` column, e.g. `google_drive_exports`. */
  readonly source: string;
  readonly format?: FileFormat;
  readonly batchId?: string;
  readonly signal?: AbortSignal;
}

export interface IngestResult {
  readonly file: string;
  readonly table: string;
  readonly status: 'ingested' | 'skipped';
  readonly rows: number;
  readonly batchId: string;
  readonly sha256: string;
}

const FORMATS: Record<string, FileFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.json': 'ndjson', '.csv': 'csv', '.parquet': 'parquet' };

/** The columns every bronze table has: the raw record as JSON text plus lineage. */
export function bronzeTableDdl(executor: QueryExecutor, table: string): string {
  const a = executor.adapter;
  const s = a.typeName('string');
  return `CREATE TABLE IF NOT EXISTS ${table} (_id ${s}, _version ${s}, _raw ${s}, _source ${s}, _batch_id ${s}, _file ${s}, _file_sha256 ${s}, _ingested_at ${a.typeName('timestamp')})`;
}

/**
 * Appends one export file to its bronze table with the engine's own reader (DuckDB
 * `read_ndjson_objects`/`read_csv`/`read_parquet`, Databricks `read_files`), adding `_id`,
 * `_version`, `_source`, `_batch_id`, `_file` and `_ingested_at`. A file whose content hash is
 * already in `<ops>.ingested_files` is skipped, so re-running an ingest never duplicates rows.
 *
 * The ledger lives in another catalog than bronze, and DuckDB lets one transaction write to one
 * attached database only; so the order makes it crash-safe instead: (1) in one bronze
 * transaction, delete rows left by an interrupted attempt at the same file (same `_file_sha256`)
 * and insert the file's rows; (2) then record the file in the ledger. A crash between (1) and (2)
 * is repaired by the next run, never duplicated.
 */
export async function ingestFile(warehouse: Warehouse, options: IngestFileOptions): Promise<IngestResult> {
  const file = resolve(options.file);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new IngestError('FILE_NOT_FOUND', `file ${options.file} does not exist or cannot be read`, { data: { file: options.file } });
  }
  const format = options.format ?? FORMATS[extname(file).toLowerCase()];
  if (!format) {
    throw new IngestError('UNKNOWN_FORMAT', `file ${options.file}: extension "${extname(file)}" is not one of ${Object.keys(FORMATS).join(', ')}`, { data: { file: options.file } });
  }
  const sha256 = await hashFile(file);
  const a = warehouse.adapter;
  const layer = options.target.layer ?? 'bronze';
  const catalog = warehouse.layout.catalogs[layer];
  const table = a.quoteQualified([catalog, options.target.schema, options.target.table]);
  const display = `${catalog}.${options.target.schema}.${options.target.table}`;
  const batchId = options.batchId ?? randomUUID();
  const signal = options.signal ? { signal: options.signal } : {};

  await ensureOpsSchema(warehouse);
  const ledger = opsTable(warehouse, 'ingested_files');
  await warehouse.query(`CREATE TABLE IF NOT EXISTS ${ledger} (sha256 ${a.typeName('string')}, file ${a.typeName('string')}, target_table ${a.typeName('string')}, batch_id ${a.typeName('string')}, rows ${a.typeName('bigint')}, bytes ${a.typeName('bigint')}, ingested_at ${a.typeName('timestamp')})`);
  const seen = await warehouse.query(compiledQuery(`SELECT batch_id, rows FROM ${ledger} WHERE sha256 = :sha AND target_table = :t`, { sha: sha256, t: display }));
  if (seen.rows.length > 0) {
    const row = seen.rows[0] as { batch_id: string; rows: bigint | number };
    return { file, table: display, status: 'skipped', rows: Number(row.rows), batchId: row.batch_id, sha256 };
  }

  await warehouse.query(a.createSchemaSql(catalog, options.target.schema));
  await warehouse.query(bronzeTableDdl(warehouse, table));
  const write = async (tx: QueryExecutor): Promise<number> => {
    await tx.query(compiledQuery(`DELETE FROM ${table} WHERE _file_sha256 = :sha`, { sha: sha256 }), signal);
    const insert = compiledQuery(
      `INSERT INTO ${table} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
       SELECT ${a.jsonExtractString('raw', ':key_path')}, ${a.jsonExtractString('raw', ':version_path')}, raw, :source, :batch, :file, :sha, :now
       FROM ${a.readRecordsAsJson(':path', format)}`,
      { key_path: options.target.keyPath, version_path: options.target.versionPath, source: options.source, batch: batchId, file: basename(file), sha: sha256, now: param.timestamp(new Date()), path: file },
    );
    const inserted = await tx.query(insert, signal);
    return Number(inserted.numAffectedRows ?? 0n);
  };
  let rows: number;
  try {
    rows = a.supportsTransactions ? await warehouse.transaction(write) : await write(warehouse);
    await warehouse.query(
      compiledQuery(`INSERT INTO ${ledger} (sha256, file, target_table, batch_id, rows, bytes, ingested_at) VALUES (:sha, :file, :t, :batch, :rows, :bytes, :now)`, {
        sha: sha256, file, t: display, batch: batchId, rows, bytes: size, now: param.timestamp(new Date()),
      }),
    );
  } catch (error) {
    throw new IngestError('INGEST_FAILED', `cannot ingest ${options.file} into ${display}: ${error instanceof Error ? error.message : String(error)}`, { cause: error, data: { file, table: display } });
  }
  return { file, table: display, status: 'ingested', rows, batchId, sha256 };
}

/** How files in an export directory map to bronze tables. */
export type ExportMapping = (relativePath: string) => BronzeTarget | undefined;

/**
 * The layout `@odoo-ce/sample-data` and the Drive exports use: `odoo/<model>.<ext>` →
 * `bronze.odoo.<model with _>` keyed by id/write_date; `scout/<table>.<ext>` →
 * `bronze.scout.<table>` keyed by id/updated_at.
 */
export const defaultExportMapping: ExportMapping = (relativePath) => {
  const [folder, name, ...rest] = relativePath.split(/[\\/]/);
  if (!folder || !name || rest.length > 0) return undefined;
  const stem = name.slice(0, name.length - extname(name).length).replace(/[^A-Za-z0-9_]/g, '_');
  if (folder === 'odoo') return { schema: 'odoo', table: stem, keyPath: '$.id', versionPath: '$.write_date' };
  if (folder === 'scout') return { schema: 'scout', table: stem, keyPath: '$.id', versionPath: '$.updated_at' };
  return undefined;
};

/** Ingests every file of known format under `dir` (one level of folders) in name order; one batch id for the run. */
export async function ingestDirectory(
  warehouse: Warehouse,
  dir: string,
  options: { readonly source?: string; readonly mapping?: ExportMapping; readonly signal?: AbortSignal } = {},
): Promise<IngestResult[]> {
  const mapping = options.mapping ?? defaultExportMapping;
  const root = resolve(dir);
  let entries: string[];
  try {
    entries = readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
  } catch {
    throw new IngestError('FILE_NOT_FOUND', `directory ${dir} does not exist or cannot be read`, { data: { dir } });
  }
  const batchId = randomUUID();
  const results: IngestResult[] = [];
  for (const entry of entries) {
    const path = join(root, entry);
    if (!FORMATS[extname(entry).toLowerCase()] || !statSync(path).isFile()) continue;
    const target = mapping(relative(root, path));
    if (!target) continue;
    results.push(await ingestFile(warehouse, { file: path, target, source: options.source ?? 'google_drive_exports', batchId, ...(options.signal ? { signal: options.signal } : {}) }));
  }
  return results;
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}
