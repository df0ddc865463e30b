import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTypeId,
  DuckDBUnionValue,
  StatementType,
  type DuckDBBlobValue,
  type DuckDBDataChunk,
  type DuckDBDateValue,
  type DuckDBDecimalType,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { arrow, type ArrowData, type ArrowDataType, type ArrowSchema } from './arrow.js';
import {
  Int64,
  TSparkRowSetType,
  TStatusCode,
  TTypeId,
  int64FromBigInt,
  type TColumn,
  type TColumnDesc,
  type TGetResultSetMetadataResp,
  type TRowSet,
  type TTableSchema,
} from './thrift.js';

/**
 * DuckDB result columns → what a Databricks SQL warehouse would send for them: the Thrift
 * column descriptions, an Arrow schema with native Decimal/Date/Timestamp types (so the real
 * driver returns the same JS types as against a real warehouse), and per page either Arrow IPC
 * record batches or Thrift column sets.
 */

const {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64: ArrowInt64,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  tableToIPC,
} = arrow;

/** How a column's values travel; each kind has one Thrift type, one Arrow type and one column arm. */
type Kind = 'bool' | 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'decimal' | 'date' | 'timestamp' | 'string' | 'binary' | 'json';

/** One result column: its name, where it comes from in the DuckDB chunk, and how it is encoded. */
export interface ResultColumn {
  readonly name: string;
  /** Index of the DuckDB column the values are read from. */
  readonly source: number;
  readonly kind: Kind;
  readonly thriftType: TTypeId;
  readonly precision?: number;
  readonly scale?: number;
  /** A non-null DuckDB value → the kind's JS representation (see {@link Kind}). */
  readonly read: (value: Exclude<DuckDBValue, null>) => unknown;
  /** For fixed-width types stored exactly as Arrow stores them: DuckDB's typed array, copied as is. */
  readonly storage?: FixedWidthStorage;
}

/** The typed arrays DuckDB vectors and Arrow buffers share for fixed-width types (little-endian, same width). */
type FixedWidthStorage =
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** Rows `[start, end)` of one DuckDB data chunk. */
export interface ChunkSlice {
  readonly chunk: DuckDBDataChunk;
  readonly start: number;
  readonly end: number;
}

/** One page of rows, as slices of the DuckDB chunks they came from (no copy until encoding). */
export interface Page {
  readonly length: number;
  readonly slices: readonly ChunkSlice[];
}

type ColumnType = Omit<ResultColumn, 'name' | 'source'>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function int64In(typeName: string) {
  return (value: Exclude<DuckDBValue, null>): bigint => {
    const v = BigInt(value as bigint | number);
    if (v < INT64_MIN || v > INT64_MAX) throw new RangeError(`${typeName} value ${v} does not fit in BIGINT`);
    return v;
  };
}

const same = (value: Exclude<DuckDBValue, null>): unknown => value;
const text = (value: Exclude<DuckDBValue, null>): string => String(value);
const json = (value: Exclude<DuckDBValue, null>): string => JSON.stringify(jsonValue(value));

const simple = (kind: Kind, thriftType: TTypeId, read: ColumnType['read'] = same) => (): ColumnType => ({ kind, thriftType, read });
const fixed = (kind: Kind, thriftType: TTypeId, storage: FixedWidthStorage, read: ColumnType['read'] = same) => (): ColumnType => ({
  kind,
  thriftType,
  read,
  storage,
});
const asString = simple('string', TTypeId.STRING_TYPE, text);

/**
 * Every DuckDB type → its Databricks counterpart. Exhaustive on purpose: a new DuckDB type id
 * fails the build here. Unsigned and 128-bit integers become BIGINT (DuckDB's `sum(int)` is a
 * HUGEINT where Spark's is a BIGINT); types Databricks lacks (TIME, UUID, ENUM, …) become STRING.
 */
const COLUMN_TYPES: Record<DuckDBTypeId, (type: DuckDBType) => ColumnType> = {
  [DuckDBTypeId.BOOLEAN]: simple('bool', TTypeId.BOOLEAN_TYPE),
  [DuckDBTypeId.TINYINT]: fixed('i8', TTypeId.TINYINT_TYPE, Int8Array),
  [DuckDBTypeId.SMALLINT]: fixed('i16', TTypeId.SMALLINT_TYPE, Int16Array),
  [DuckDBTypeId.INTEGER]: fixed('i32', TTypeId.INT_TYPE, Int32Array),
  [DuckDBTypeId.BIGINT]: fixed('i64', TTypeId.BIGINT_TYPE, BigInt64Array),
  [DuckDBTypeId.UTINYINT]: simple('i16', TTypeId.SMALLINT_TYPE),
  [DuckDBTypeId.USMALLINT]: simple('i32', TTypeId.INT_TYPE),
  [DuckDBTypeId.UINTEGER]: simple('i64', TTypeId.BIGINT_TYPE, int64In('UINTEGER')),
  [DuckDBTypeId.UBIGINT]: simple('i64', TTypeId.BIGINT_TYPE, int64In('UBIGINT')),
  [DuckDBTypeId.HUGEINT]: simple('i64', TTypeId.BIGINT_TYPE, int64In('HUGEINT')),
  [DuckDBTypeId.UHUGEINT]: simple('i64', TTypeId.BIGINT_TYPE, int64In('UHUGEINT')),
  [DuckDBTypeId.FLOAT]: fixed('f32', TTypeId.FLOAT_TYPE, Float32Array),
  [DuckDBTypeId.DOUBLE]: fixed('f64', TTypeId.DOUBLE_TYPE, Float64Array),
  [DuckDBTypeId.DECIMAL]: (type) => {
    const { width, scale } = type as DuckDBDecimalType;
    return { kind: 'decimal', thriftType: TTypeId.DECIMAL_TYPE, precision: width, scale, read: (v) => (v as DuckDBDecimalValue).value };
  },
  [DuckDBTypeId.DATE]: fixed('date', TTypeId.DATE_TYPE, Int32Array, (v) => (v as DuckDBDateValue).days),
  [DuckDBTypeId.TIMESTAMP]: fixed('timestamp', TTypeId.TIMESTAMP_TYPE, BigInt64Array, (v) => (v as DuckDBTimestampValue).micros),
  [DuckDBTypeId.TIMESTAMP_TZ]: fixed('timestamp', TTypeId.TIMESTAMP_TYPE, BigInt64Array, (v) => (v as DuckDBTimestampTZValue).micros),
  [DuckDBTypeId.TIMESTAMP_S]: simple('timestamp', TTypeId.TIMESTAMP_TYPE, (v) => (v as DuckDBTimestampSecondsValue).seconds * 1_000_000n),
  [DuckDBTypeId.TIMESTAMP_MS]: simple('timestamp', TTypeId.TIMESTAMP_TYPE, (v) => (v as DuckDBTimestampMillisecondsValue).millis * 1000n),
  [DuckDBTypeId.TIMESTAMP_NS]: simple('timestamp', TTypeId.TIMESTAMP_TYPE, (v) => floorDiv((v as DuckDBTimestampNanosecondsValue).nanos, 1000n)),
  [DuckDBTypeId.VARCHAR]: simple('string', TTypeId.STRING_TYPE),
  [DuckDBTypeId.BLOB]: simple('binary', TTypeId.BINARY_TYPE, (v) => (v as DuckDBBlobValue).bytes),
  [DuckDBTypeId.LIST]: simple('json', TTypeId.ARRAY_TYPE, json),
  [DuckDBTypeId.ARRAY]: simple('json', TTypeId.ARRAY_TYPE, json),
  [DuckDBTypeId.STRUCT]: simple('json', TTypeId.STRUCT_TYPE, json),
  [DuckDBTypeId.MAP]: simple('json', TTypeId.MAP_TYPE, json),
  [DuckDBTypeId.TIME]: asString,
  [DuckDBTypeId.TIME_TZ]: asString,
  [DuckDBTypeId.TIME_NS]: asString,
  [DuckDBTypeId.INTERVAL]: asString,
  [DuckDBTypeId.UUID]: asString,
  [DuckDBTypeId.ENUM]: asString,
  [DuckDBTypeId.BIT]: asString,
  [DuckDBTypeId.UNION]: asString,
  [DuckDBTypeId.BIGNUM]: asString,
  [DuckDBTypeId.VARIANT]: asString,
  [DuckDBTypeId.GEOMETRY]: asString,
  [DuckDBTypeId.SQLNULL]: asString,
  [DuckDBTypeId.ANY]: asString,
  [DuckDBTypeId.INVALID]: asString,
  [DuckDBTypeId.STRING_LITERAL]: asString,
  [DuckDBTypeId.INTEGER_LITERAL]: asString,
};

/** A nested DuckDB value as Spark renders complex types in JSON: maps as objects, 64-bit integers as numbers when exact. */
function jsonValue(value: DuckDBValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(jsonValue);
  if (value instanceof DuckDBStructValue) return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, jsonValue(v)]));
  if (value instanceof DuckDBMapValue) return Object.fromEntries(value.entries.map((e) => [String(jsonValue(e.key)), jsonValue(e.value)]));
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (value instanceof DuckDBUnionValue) return jsonValue(value.value);
  return String(value);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The columns of a DuckDB query result, under DuckDB's de-duplicated names. */
export function resultColumns(names: readonly string[], types: readonly DuckDBType[]): ResultColumn[] {
  return names.map((name, source) => {
    const type = types[source] as DuckDBType;
    return { name, source, ...COLUMN_TYPES[type.typeId](type) };
  });
}

/**
 * Databricks answers DML with a one-row result: `num_affected_rows` (and `num_inserted_rows`
 * for INSERT). DuckDB's own answer is one BIGINT column `Count`, read for both.
 */
export function changedRowsColumns(statementType: StatementType): ResultColumn[] {
  const count = (name: string): ResultColumn => ({ name, source: 0, kind: 'i64', thriftType: TTypeId.BIGINT_TYPE, read: int64In('Count') });
  return statementType === StatementType.INSERT ? [count('num_affected_rows'), count('num_inserted_rows')] : [count('num_affected_rows')];
}

/** Encodes pages of one result set; built once per operation. */
export class ResultEncoder {
  readonly schema: TTableSchema;
  readonly #columns: readonly ResultColumn[];
  readonly #format: 'arrow' | 'column';
  #arrow: { schema: ArrowSchema; message: Buffer } | undefined;

  constructor(columns: readonly ResultColumn[], format: 'arrow' | 'column') {
    this.#columns = columns;
    this.#format = format;
    this.schema = { columns: columns.map(columnDesc) };
  }

  get columnCount(): number {
    return this.#columns.length;
  }

  /** `GetResultSetMetadata`: the format decides which result handler the driver uses. */
  metadata(): TGetResultSetMetadataResp {
    const base = { status: { statusCode: TStatusCode.SUCCESS_STATUS }, schema: this.schema, lz4Compressed: false };
    if (this.#format === 'column') return { ...base, resultFormat: TSparkRowSetType.COLUMN_BASED_SET };
    // Only the IPC schema message: the driver prepends it to each batch to read one IPC stream.
    return { ...base, resultFormat: TSparkRowSetType.ARROW_BASED_SET, arrowSchema: this.#arrowSchema().message };
  }

  /** One `TRowSet` holding `page`, which starts at row `offset` of the result. */
  rowSet(page: Page, offset: number): TRowSet {
    const startRowOffset = new Int64(offset);
    if (this.#format === 'column') {
      return { startRowOffset, rows: [], columns: this.#columns.map((c) => thriftColumn(c, gather(c, page))) };
    }
    if (page.length === 0) return { startRowOffset, rows: [], arrowBatches: [] };
    const { schema } = this.#arrowSchema();
    const children = this.#columns.map((c) => arrowColumn(c, page));
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: page.length, nullCount: 0, children }));
    const ipc = tableToIPC(new Table([batch]), 'stream');
    // The stream is [schema message][record batch message][8-byte end-of-stream marker]; keep the middle.
    const body = Buffer.from(ipc.buffer, ipc.byteOffset + messageLength(ipc), ipc.byteLength - messageLength(ipc) - 8);
    return { startRowOffset, rows: [], arrowBatches: [{ batch: body, rowCount: new Int64(page.length) }] };
  }

  #arrowSchema(): { schema: ArrowSchema; message: Buffer } {
    if (!this.#arrow) {
      const schema = new Schema(this.#columns.map((c) => new Field(c.name, arrowType(c), true)));
      const ipc = tableToIPC(new Table(schema), 'stream');
      this.#arrow = { schema, message: Buffer.from(ipc.subarray(0, messageLength(ipc))) };
    }
    return this.#arrow;
  }
}

/** Length of the first IPC message: continuation marker, int32 metadata length, metadata (a schema has no body). */
function messageLength(ipc: Uint8Array): number {
  return 8 + new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength).getInt32(4, true);
}

function columnDesc(c: ResultColumn, index: number): TColumnDesc {
  const qualifiers =
    c.kind === 'decimal' ? { typeQualifiers: { qualifiers: { precision: { i32Value: c.precision ?? 38 }, scale: { i32Value: c.scale ?? 0 } } } } : {};
  return { columnName: c.name, position: index + 1, typeDesc: { types: [{ primitiveEntry: { type: c.thriftType, ...qualifiers } }] } };
}

/** The column's values for one page, in the kind's representation (null for SQL NULL). */
function gather(c: ResultColumn, page: Page): unknown[] {
  const out = new Array<unknown>(page.length);
  let k = 0;
  for (const { chunk, start, end } of page.slices) {
    const vector = chunk.getColumnVector(c.source);
    for (let i = start; i < end; i++) {
      const value = vector.getItem(i);
      out[k++] = value === null ? null : c.read(value);
    }
  }
  return out;
}

// ---- Arrow ------------------------------------------------------------------------------------

function arrowType(c: ResultColumn): ArrowDataType {
  switch (c.kind) {
    case 'bool':
      return new Bool();
    case 'i8':
      return new Int8();
    case 'i16':
      return new Int16();
    case 'i32':
      return new Int32();
    case 'i64':
      return new ArrowInt64();
    case 'f32':
      return new Float32();
    case 'f64':
      return new Float64();
    case 'decimal':
      return new Decimal(c.scale ?? 0, c.precision ?? 38, 128);
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMicrosecond('Etc/UTC');
    case 'binary':
      return new Binary();
    case 'string':
    case 'json':
      return new Utf8();
  }
}

function validity(values: readonly unknown[]): { nullCount: number; nullBitmap?: Uint8Array } {
  let nullCount = 0;
  for (const v of values) if (v === null) nullCount++;
  if (nullCount === 0) return { nullCount };
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  for (let i = 0; i < values.length; i++) if (values[i] !== null) nullBitmap[i >> 3] |= 1 << (i & 7);
  return { nullCount, nullBitmap };
}

/** Arrow data for one column of a page: copied straight from DuckDB's buffers when the layouts agree. */
function arrowColumn(c: ResultColumn, page: Page): ArrowData {
  const raw = c.storage ? rawColumn(c.storage, c.source, page) : undefined;
  if (!raw) return arrowData(c, gather(c, page));
  const { data, ...nulls } = raw;
  const length = page.length;
  switch (c.kind) {
    case 'i8':
      return makeData({ type: new Int8(), length, ...nulls, data: data as Int8Array });
    case 'i16':
      return makeData({ type: new Int16(), length, ...nulls, data: data as Int16Array });
    case 'i32':
      return makeData({ type: new Int32(), length, ...nulls, data: data as Int32Array });
    case 'date':
      return makeData({ type: new DateDay(), length, ...nulls, data: data as Int32Array });
    case 'i64':
      return makeData({ type: new ArrowInt64(), length, ...nulls, data: data as BigInt64Array });
    case 'f32':
      return makeData({ type: new Float32(), length, ...nulls, data: data as Float32Array });
    case 'f64':
      return makeData({ type: new Float64(), length, ...nulls, data: data as Float64Array });
    case 'timestamp':
      return makeData({ type: new TimestampMicrosecond('Etc/UTC'), length, ...nulls, data: new Int32Array((data as BigInt64Array).buffer) });
    default:
      return arrowData(c, gather(c, page));
  }
}

/** The typed array and null bitmap DuckDB keeps for a vector (internal fields of @duckdb/node-api's vector classes). */
interface VectorInternals {
  readonly items?: unknown;
  readonly validity?: { readonly data?: BigUint64Array | null; readonly offset?: number };
}

type FixedWidthArray = Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

/**
 * Copies a fixed-width column out of DuckDB's vectors (memcpy per chunk) and builds the Arrow
 * validity bitmap from DuckDB's (same bit order). Returns undefined — and the caller reads values
 * one by one — if the vector internals are not the expected typed arrays (another node-api version).
 */
function rawColumn(storage: FixedWidthStorage, source: number, page: Page): { data: FixedWidthArray; nullCount: number; nullBitmap?: Uint8Array } | undefined {
  const parts: { items: FixedWidthArray; valid: Uint8Array | undefined; start: number; end: number }[] = [];
  for (const { chunk, start, end } of page.slices) {
    const vector = chunk.getColumnVector(source) as unknown as VectorInternals;
    if (!(vector.items instanceof storage) || (vector.validity?.offset ?? 0) !== 0) return undefined;
    const bits = vector.validity?.data;
    parts.push({ items: vector.items, valid: bits ? new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength) : undefined, start, end });
  }
  const data = new storage(page.length);
  let nullBitmap: Uint8Array | undefined;
  let nullCount = 0;
  let k = 0;
  for (const { items, valid, start, end } of parts) {
    (data as { set(array: ArrayLike<number | bigint>, offset: number): void }).set(items.subarray(start, end), k);
    if (valid) {
      for (let i = start; i < end; i++) {
        if (((valid[i >> 3] as number) >> (i & 7)) & 1) continue;
        nullBitmap ??= new Uint8Array((page.length + 7) >> 3).fill(0xff);
        const at = k + i - start;
        nullBitmap[at >> 3] = (nullBitmap[at >> 3] as number) & ~(1 << (at & 7));
        nullCount++;
      }
    }
    k += end - start;
  }
  return nullBitmap ? { data, nullCount, nullBitmap } : { data, nullCount };
}

function arrowData(c: ResultColumn, values: readonly unknown[]): ArrowData {
  const length = values.length;
  const nulls = validity(values);
  const fill = <A extends { [i: number]: number | bigint }>(array: A, zero: number | bigint): A => {
    for (let i = 0; i < length; i++) array[i] = (values[i] ?? zero) as number | bigint;
    return array;
  };
  switch (c.kind) {
    case 'bool': {
      const bits = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true) bits[i >> 3] |= 1 << (i & 7);
      return makeData({ type: new Bool(), length, ...nulls, data: bits });
    }
    case 'i8':
      return makeData({ type: new Int8(), length, ...nulls, data: fill(new Int8Array(length), 0) });
    case 'i16':
      return makeData({ type: new Int16(), length, ...nulls, data: fill(new Int16Array(length), 0) });
    case 'i32':
      return makeData({ type: new Int32(), length, ...nulls, data: fill(new Int32Array(length), 0) });
    case 'date':
      return makeData({ type: new DateDay(), length, ...nulls, data: fill(new Int32Array(length), 0) });
    case 'f32':
      return makeData({ type: new Float32(), length, ...nulls, data: fill(new Float32Array(length), 0) });
    case 'f64':
      return makeData({ type: new Float64(), length, ...nulls, data: fill(new Float64Array(length), 0) });
    case 'i64':
      return makeData({ type: new ArrowInt64(), length, ...nulls, data: fill(new BigInt64Array(length), 0n) });
    case 'timestamp': {
      // Arrow 13 keeps 64-bit timestamps as (lo, hi) Int32 pairs: the same bytes as a BigInt64Array.
      const micros = fill(new BigInt64Array(length), 0n);
      return makeData({ type: new TimestampMicrosecond('Etc/UTC'), length, ...nulls, data: new Int32Array(micros.buffer) });
    }
    case 'decimal': {
      // 128-bit two's complement, little-endian 32-bit words.
      const words = new Uint32Array(length * 4);
      for (let i = 0; i < length; i++) {
        let v = BigInt.asUintN(128, (values[i] as bigint | null) ?? 0n);
        for (let w = 0; w < 4; w++, v >>= 32n) words[i * 4 + w] = Number(v & 0xffffffffn);
      }
      return makeData({ type: new Decimal(c.scale ?? 0, c.precision ?? 38, 128), length, ...nulls, data: words });
    }
    case 'string':
    case 'json':
    case 'binary': {
      const parts = values.map((v) => (v === null ? EMPTY : typeof v === 'string' ? Buffer.from(v, 'utf8') : (v as Uint8Array)));
      const valueOffsets = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) valueOffsets[i + 1] = (valueOffsets[i] as number) + (parts[i] as Uint8Array).byteLength;
      const data = Buffer.concat(parts);
      return c.kind === 'binary'
        ? makeData({ type: new Binary(), length, ...nulls, valueOffsets, data })
        : makeData({ type: new Utf8(), length, ...nulls, valueOffsets, data });
    }
  }
}

const EMPTY = new Uint8Array(0);

// ---- Thrift columns -----------------------------------------------------------------------------

function thriftColumn(c: ResultColumn, values: readonly unknown[]): TColumn {
  const nulls = Buffer.alloc((values.length + 7) >> 3);
  let anyNull = false;
  values.forEach((v, i) => {
    if (v === null) {
      nulls[i >> 3] = (nulls[i >> 3] as number) | (1 << (i & 7));
      anyNull = true;
    }
  });
  const set = { nulls: anyNull ? nulls : Buffer.alloc(0) };
  const map = <T>(fn: (v: never) => T, zero: T): T[] => values.map((v) => (v === null ? zero : fn(v as never)));
  switch (c.kind) {
    case 'bool':
      return { boolVal: { ...set, values: map((v: boolean) => v, false) } };
    case 'i8':
      return { byteVal: { ...set, values: map((v: number) => v, 0) } };
    case 'i16':
      return { i16Val: { ...set, values: map((v: number) => v, 0) } };
    case 'i32':
      return { i32Val: { ...set, values: map((v: number) => v, 0) } };
    case 'i64':
      return { i64Val: { ...set, values: map((v: bigint) => int64FromBigInt(v), new Int64(0)) } };
    case 'f32':
    case 'f64':
      return { doubleVal: { ...set, values: map((v: number) => v, 0) } };
    case 'decimal':
      return { stringVal: { ...set, values: map((v: bigint) => decimalText(v, c.scale ?? 0), '') } };
    case 'date':
      return { stringVal: { ...set, values: map((v: number) => dateText(v), '') } };
    case 'timestamp':
      return { stringVal: { ...set, values: map((v: bigint) => timestampText(v), '') } };
    case 'string':
    case 'json':
      return { stringVal: { ...set, values: map((v: string) => v, '') } };
    case 'binary':
      return { binaryVal: { ...set, values: map((v: Uint8Array) => Buffer.from(v), Buffer.alloc(0)) } };
  }
}

/** `1234` with scale 2 → `'12.34'`. */
function decimalText(unscaled: bigint, scale: number): string {
  if (scale === 0) return unscaled.toString();
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${unscaled < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Days since the epoch → `'YYYY-MM-DD'`. */
function dateText(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** Microseconds since the epoch (UTC) → `'YYYY-MM-DD HH:MM:SS.ffffff'`, as Spark prints timestamps. */
function timestampText(micros: bigint): string {
  const ms = floorDiv(micros, 1000n);
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(micros - ms * 1000n).padStart(3, '0')}`;
}
