import { DBSQLParameter, DBSQLParameterType } from '@databricks/sql';
import { WarehouseError } from '../core/errors.js';
import { findParameterMarkers } from '../core/sql-scan.js';
import { isTypedParameter, type ColumnInfo, type CompiledQuery, type ParameterType, type Row } from '../core/types.js';

/** The part of a Thrift `TTableSchema` this module reads (the driver's `operation.getSchema()`). */
export interface ResultSchema {
  readonly columns: ReadonlyArray<{
    readonly columnName: string;
    readonly position: number;
    readonly typeDesc: {
      readonly types: ReadonlyArray<{
        readonly primitiveEntry?: {
          readonly type: number;
          readonly typeQualifiers?: { readonly qualifiers?: Readonly<Record<string, { readonly i32Value?: number | null } | undefined>> | null } | null;
        } | null;
      }>;
    };
  }>;
}

/** A value the driver types itself (`DBSQLParameterValue`, not exported by the package root). */
export type DriverParameterValue = ConstructorParameters<typeof DBSQLParameter>[0]['value'];

const PARAMETER_TYPES: Record<ParameterType, DBSQLParameterType> = {
  BOOLEAN: DBSQLParameterType.BOOLEAN,
  INTEGER: DBSQLParameterType.INTEGER,
  BIGINT: DBSQLParameterType.BIGINT,
  DOUBLE: DBSQLParameterType.DOUBLE,
  DECIMAL: DBSQLParameterType.DECIMAL,
  STRING: DBSQLParameterType.STRING,
  DATE: DBSQLParameterType.DATE,
  TIMESTAMP: DBSQLParameterType.TIMESTAMP,
};

/**
 * A compiled query's parameters as the driver's `namedParameters`. Only parameters the SQL
 * mentions are sent. Plain JS values are typed by the driver (int32 → INTEGER, other safe
 * integers and bigint → BIGINT, other numbers → DOUBLE, Date → TIMESTAMP); typed parameters keep
 * their type. Binary values cannot travel as Databricks parameters (NOT_SUPPORTED).
 */
export function namedParameters(query: CompiledQuery): Record<string, DBSQLParameter | DriverParameterValue> {
  const mentioned = new Set(findParameterMarkers(query.sql).map((m) => m.name));
  const out: Record<string, DBSQLParameter | DriverParameterValue> = {};
  for (const [name, value] of Object.entries(query.parameters)) {
    if (!mentioned.has(name)) continue;
    if (value instanceof Uint8Array) {
      throw new WarehouseError('NOT_SUPPORTED', `parameter :${name} is binary; Databricks SQL parameters cannot carry BINARY values`);
    }
    out[name] = isTypedParameter(value) ? new DBSQLParameter({ type: PARAMETER_TYPES[value.type], value: value.value }) : value;
  }
  return out;
}

/** Thrift `TTypeId` → the Databricks type name (DECIMAL gets its precision and scale). */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'BOOLEAN',
  1: 'TINYINT',
  2: 'SMALLINT',
  3: 'INT',
  4: 'BIGINT',
  5: 'FLOAT',
  6: 'DOUBLE',
  7: 'STRING',
  8: 'TIMESTAMP',
  9: 'BINARY',
  10: 'ARRAY',
  11: 'MAP',
  12: 'STRUCT',
  13: 'UNIONTYPE',
  14: 'USER_DEFINED',
  15: 'DECIMAL',
  16: 'VOID',
  17: 'DATE',
  18: 'VARCHAR',
  19: 'CHAR',
  20: 'INTERVAL YEAR TO MONTH',
  21: 'INTERVAL DAY TO SECOND',
};

const BIGINT = 4;
const DECIMAL = 15;
const DATE = 17;
const TIMESTAMP = 8;

interface ColumnShape {
  readonly info: ColumnInfo;
  readonly typeId: number;
  readonly scale: number;
}

function shapeOf(schema: ResultSchema | null | undefined): ColumnShape[] {
  return [...(schema?.columns ?? [])]
    .sort((a, b) => a.position - b.position)
    .map((c) => {
      const entry = c.typeDesc.types[0]?.primitiveEntry;
      const typeId = entry?.type ?? 7;
      const q = entry?.typeQualifiers?.qualifiers ?? {};
      const precision = q['precision']?.i32Value ?? 10;
      const scale = q['scale']?.i32Value ?? 0;
      const type = typeId === DECIMAL ? `DECIMAL(${precision},${scale})` : (TYPE_NAMES[typeId] ?? 'STRING');
      return { info: { name: c.columnName, type }, typeId, scale };
    });
}

/** Converts one non-null value; `applies` says whether values like this one need it at all. */
interface Normaliser {
  readonly applies: (value: unknown) => boolean;
  readonly convert: (value: unknown) => unknown;
}

/**
 * Driver values → the canonical JS mapping (core/types.ts). With Arrow results and
 * `preserveBigNumericPrecision` the driver already returns BIGINT as bigint, DECIMAL as an exact
 * string, TIMESTAMP as Date and BINARY as a Buffer (as DuckDB does); DATE arrives as a Date at UTC
 * midnight. Column-based results (old servers) arrive as numbers and strings and are converted as
 * well as their precision allows.
 */
function normaliserFor(column: ColumnShape): Normaliser | undefined {
  switch (column.typeId) {
    case BIGINT:
      return { applies: (v) => typeof v === 'number', convert: (v) => (Number.isInteger(v) ? BigInt(v as number) : v) };
    case DECIMAL:
      return { applies: (v) => typeof v === 'number', convert: (v) => (v as number).toFixed(column.scale) };
    case DATE:
      return { applies: (v) => v instanceof Date, convert: (v) => (v as Date).toISOString().slice(0, 10) };
    case TIMESTAMP:
      return {
        applies: (v) => typeof v === 'string',
        convert: (v) => new Date(`${(v as string).replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(v as string) ? '' : 'Z'}`),
      };
    default:
      return undefined;
  }
}

/** How the rows of one result are shaped: their columns, and an in-place normaliser for driver rows. */
export interface ResultShape {
  readonly columns: ColumnInfo[];
  normalise<R>(rows: object[]): R[];
}

/** The result shape for a driver schema (`null` for statements without a result set). */
export function resultShape(schema: ResultSchema | null | undefined): ResultShape {
  const columns = shapeOf(schema);
  const normalisers = columns.flatMap((c) => {
    const n = normaliserFor(c);
    return n ? [{ name: c.info.name, ...n }] : [];
  });
  return {
    columns: columns.map((c) => c.info),
    normalise<R>(rows: object[]): R[] {
      // A column's values all have one JS type: look at the first non-null one and skip columns
      // that are already canonical (BIGINT/DECIMAL/TIMESTAMP with Arrow results), row loop and all.
      const active = normalisers.filter(({ name, applies }) => {
        const first = (rows as Row[]).find((r) => r[name] !== null && r[name] !== undefined)?.[name];
        return first !== undefined && applies(first);
      });
      if (active.length > 0) {
        for (const row of rows as Row[]) {
          for (const { name, convert } of active) {
            const v = row[name];
            if (v !== null && v !== undefined) row[name] = convert(v);
          }
        }
      }
      return rows as R[];
    },
  };
}

const DML = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*(INSERT|UPDATE|DELETE|MERGE)\b/i;

/**
 * Databricks answers DML with one row `{num_affected_rows, …}`; the canonical result is
 * `numAffectedRows` with no rows, as the DuckDB driver reports it.
 */
export function affectedRows(sql: string, columns: readonly ColumnInfo[], rows: readonly object[]): bigint | undefined {
  if (!DML.test(sql) || columns[0]?.name !== 'num_affected_rows' || rows.length !== 1) return undefined;
  const value = (rows[0] as Row)['num_affected_rows'];
  return typeof value === 'bigint' ? value : typeof value === 'number' ? BigInt(value) : undefined;
}
