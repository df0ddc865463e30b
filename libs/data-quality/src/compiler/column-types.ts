/** What a column's engine type means for checks, independent of the engine's spelling. */
export type ColumnCategory = 'integer' | 'decimal' | 'float' | 'string' | 'boolean' | 'date' | 'timestamp' | 'other';

/** A column of the table under validation, as the engine reports it. */
export interface TableColumn {
  readonly name: string;
  /** The engine's type name, e.g. `INTEGER`, `DECIMAL(18,2)`, `STRING`, `TIMESTAMP_NTZ`. */
  readonly type: string;
  readonly category: ColumnCategory;
}

/** The canonical base name of an engine type: `DECIMAL(18,2)` → `DECIMAL`, `INT_TYPE` → `INTEGER`, `STRING` → `VARCHAR`. */
export function baseTypeName(engineType: string): string {
  const upper = engineType.trim().toUpperCase().replace(/_TYPE$/, '');
  const head = upper.replace(/\(.*$/, '').trim();
  const aliases: Record<string, string> = {
    INT: 'INTEGER',
    INT4: 'INTEGER',
    SIGNED: 'INTEGER',
    INT8: 'BIGINT',
    LONG: 'BIGINT',
    INT2: 'SMALLINT',
    SHORT: 'SMALLINT',
    INT1: 'TINYINT',
    BYTE: 'TINYINT',
    FLOAT8: 'DOUBLE',
    'DOUBLE PRECISION': 'DOUBLE',
    FLOAT4: 'FLOAT',
    REAL: 'FLOAT',
    NUMERIC: 'DECIMAL',
    DEC: 'DECIMAL',
    STRING: 'VARCHAR',
    TEXT: 'VARCHAR',
    CHAR: 'VARCHAR',
    BPCHAR: 'VARCHAR',
    BOOL: 'BOOLEAN',
    TIMESTAMP_NTZ: 'TIMESTAMP',
    DATETIME: 'TIMESTAMP',
    TIMESTAMP_NS: 'TIMESTAMP',
    TIMESTAMP_MS: 'TIMESTAMP',
    TIMESTAMP_S: 'TIMESTAMP',
    'TIMESTAMP WITH TIME ZONE': 'TIMESTAMPTZ',
    TIMESTAMP_LTZ: 'TIMESTAMPTZ',
  };
  return aliases[head] ?? head;
}

const CATEGORY: Record<string, ColumnCategory> = {
  TINYINT: 'integer',
  SMALLINT: 'integer',
  INTEGER: 'integer',
  BIGINT: 'integer',
  HUGEINT: 'integer',
  UTINYINT: 'integer',
  USMALLINT: 'integer',
  UINTEGER: 'integer',
  UBIGINT: 'integer',
  UHUGEINT: 'integer',
  DECIMAL: 'decimal',
  FLOAT: 'float',
  DOUBLE: 'float',
  VARCHAR: 'string',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamp',
};

/** The category of an engine type name (either engine's spelling). */
export function categoryOf(engineType: string): ColumnCategory {
  return CATEGORY[baseTypeName(engineType)] ?? 'other';
}

/** True for the categories SQL compares as numbers. */
export function isNumeric(category: ColumnCategory): boolean {
  return category === 'integer' || category === 'decimal' || category === 'float';
}

/**
 * SQLAlchemy type names (as GX's `expect_column_values_to_be_of_type` takes them) that each base
 * type satisfies. GX checks `isinstance(column_type, getattr(dialect_module, type_))`, so a type
 * matches its own upper-case class and its generic CamelCase parents, not sibling classes
 * (an INTEGER column is not a `BIGINT`; a DOUBLE is a `Float` but not a `FLOAT`).
 */
const SQLALCHEMY_NAMES: Record<string, readonly string[]> = {
  TINYINT: ['TINYINT', 'SmallInteger', 'Integer'],
  SMALLINT: ['SMALLINT', 'SmallInteger', 'Integer'],
  INTEGER: ['INTEGER', 'INT', 'Integer'],
  BIGINT: ['BIGINT', 'BigInteger', 'Integer'],
  HUGEINT: ['HUGEINT', 'Integer'],
  DECIMAL: ['NUMERIC', 'DECIMAL', 'Numeric'],
  FLOAT: ['REAL', 'FLOAT', 'Float', 'Numeric'],
  DOUBLE: ['DOUBLE_PRECISION', 'DOUBLE', 'Double', 'Float', 'Numeric'],
  VARCHAR: ['VARCHAR', 'TEXT', 'STRING', 'String'],
  BOOLEAN: ['BOOLEAN', 'Boolean'],
  DATE: ['DATE', 'Date'],
  TIMESTAMP: ['TIMESTAMP', 'DATETIME', 'DateTime'],
  TIMESTAMPTZ: ['TIMESTAMP', 'TIMESTAMPTZ', 'DateTime'],
};

/** Every type name `expect_column_values_to_be_of_type` knows; others are a configuration error. */
export const KNOWN_SQL_TYPE_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(SQLALCHEMY_NAMES).flat(),
  'BIT', 'BINARY', 'VARBINARY', 'BLOB', 'BYTEA', 'LargeBinary', 'JSON', 'JSONB', 'UUID', 'TIME', 'Time', 'INTERVAL', 'Interval',
  'ARRAY', 'CHAR', 'NCHAR', 'NVARCHAR', 'CLOB', 'MONEY', 'ENUM', 'Enum', 'Unicode', 'UnicodeText', 'SMALLDATETIME', 'DATETIME2',
  'DATETIMEOFFSET', 'TINYTEXT', 'MEDIUMTEXT', 'LONGTEXT', 'MEDIUMINT', 'YEAR', 'GEOGRAPHY', 'VARIANT', 'OBJECT', 'NUMBER',
]);

/** Whether a column of `engineType` is an instance of the SQLAlchemy type `typeName`. */
export function matchesSqlTypeName(engineType: string, typeName: string): boolean {
  return (SQLALCHEMY_NAMES[baseTypeName(engineType)] ?? [baseTypeName(engineType)]).includes(typeName);
}
