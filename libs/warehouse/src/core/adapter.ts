import { WarehouseError } from './errors.js';

export type DialectName = 'duckdb' | 'databricks';

/** File formats the engines read natively. */
export type FileFormat = 'ndjson' | 'csv' | 'parquet';

/** Portable logical types; each adapter spells them in its engine's SQL. */
export type LogicalType =
  | 'boolean'
  | 'int'
  | 'bigint'
  | 'double'
  | 'string'
  | 'date'
  | 'timestamp'
  | { readonly decimal: readonly [precision: number, scale: number] };

/** Result of {@link DialectAdapter.validateTableName}. */
export type TableNameResult =
  | { readonly ok: true; readonly parts: readonly string[]; readonly canonical: string }
  | { readonly ok: false; readonly error: string };

/**
 * Everything that differs between engines, in one place: quoting, type names, the few functions
 * whose names differ, and capability flags. Code outside libs/warehouse asks the adapter instead
 * of testing the engine's name.
 */
export interface DialectAdapter {
  readonly dialect: DialectName;
  /** MERGE INTO … WHEN MATCHED / NOT MATCHED. */
  readonly supportsMerge: boolean;
  /** BEGIN / COMMIT / ROLLBACK around several statements. */
  readonly supportsTransactions: boolean;
  /** `count(*) FILTER (WHERE …)` aggregate filters. */
  readonly supportsAggregateFilter: boolean;
  /** BIGINT values above 2^53 survive the round trip. */
  readonly preservesBigintPrecision: boolean;
  /**
   * Databricks' metadata statements — `SHOW CATALOGS | SCHEMAS | TABLES | GRANTS`, `DESCRIBE
   * SCHEMA | CATALOG` — run as written. Where not (DuckDB), callers answer them from the
   * information schema themselves.
   */
  readonly runsDatabricksMetadataStatements: boolean;
  readonly identifierQuote: '"' | '`';
  /** How a quote inside a string literal is escaped: doubled (`''`) or with a backslash (`\'`). */
  readonly stringLiteralStyle: 'doubled' | 'backslash';
  readonly maxIdentifierLength: number;

  quoteIdentifier(name: string): string;
  /** Quotes each part of a dotted name: `bronze.scout.tx` → `"bronze"."scout"."tx"`. */
  quoteQualified(parts: readonly string[]): string;
  /** A string literal, escaped for the engine. Prefer parameters; this is for DDL comments and the like. */
  literalString(value: string): string;
  /** Validates a 1–3 part table name of plain identifiers (letters, digits, `_`). */
  validateTableName(input: string): TableNameResult;
  typeName(type: LogicalType): string;
  /** Boolean expression: `value` matches the regular expression `pattern` (both SQL expressions). */
  regexpMatches(value: string, pattern: string): string;
  /** String expression: the JSON value at `path` (`$.a.b`) of the JSON text `json`. */
  jsonExtractString(json: string, path: string): string;
  /** String expression: `value` (date/timestamp) formatted as `YYYY-MM` — Asia/Manila reporting months. */
  formatYearMonth(value: string): string;
  /** String expression: every match of `pattern` in `value` replaced (DuckDB needs the 'g' flag, Spark replaces all). */
  regexpReplaceAll(value: string, pattern: string, replacement: string): string;
  /** Integer expression: whole days from date `start` to date `end` (end − start). */
  daysBetween(start: string, end: string): string;
  /** String expression: the character length of `value`. */
  stringLength(value: string): string;
  /**
   * A relation with one column `raw` (JSON text) per record of the file(s) at `path` (a SQL
   * expression, usually a `:param`), read with the engine's own reader: NDJSON lines, CSV rows
   * (all columns as strings) or Parquet rows.
   */
  readRecordsAsJson(path: string, format: FileFormat): string;
  /**
   * A relation (without alias) whose column `name` holds the lines of the string parameter `param`
   * (split on `\n`), the columns zipped line by line: many rows bound as a few parameters. Returns
   * `undefined` where the engine has no cheap way to do it (callers then bind rows as literals).
   */
  rowsFromLines(columns: readonly { readonly name: string; readonly param: string }[]): string | undefined;
  /** Statement creating a catalog if missing (DuckDB: the driver attaches a file instead). */
  createCatalogSql(name: string, comment?: string): string;
  createSchemaSql(catalog: string, schema: string, comment?: string): string;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Defaults shared by all engines; subclasses override only what differs. */
export abstract class DialectAdapterBase implements DialectAdapter {
  abstract readonly dialect: DialectName;
  readonly supportsMerge: boolean = true;
  readonly supportsTransactions: boolean = false;
  readonly supportsAggregateFilter: boolean = true;
  readonly preservesBigintPrecision: boolean = true;
  readonly runsDatabricksMetadataStatements: boolean = false;
  abstract readonly identifierQuote: '"' | '`';
  abstract readonly stringLiteralStyle: 'doubled' | 'backslash';
  readonly maxIdentifierLength: number = 255;

  quoteIdentifier(name: string): string {
    if (name.length === 0) throw new WarehouseError('INVALID_IDENTIFIER', 'identifier must not be empty');
    if (name.length > this.maxIdentifierLength) {
      throw new WarehouseError('INVALID_IDENTIFIER', `identifier "${name.slice(0, 40)}…" is longer than ${this.maxIdentifierLength} characters`);
    }
    if (name.includes('\u0000')) throw new WarehouseError('INVALID_IDENTIFIER', 'identifier must not contain NUL');
    const q = this.identifierQuote;
    return q + name.split(q).join(q + q) + q;
  }

  quoteQualified(parts: readonly string[]): string {
    return parts.map((p) => this.quoteIdentifier(p)).join('.');
  }

  literalString(value: string): string {
    if (value.includes('\u0000')) throw new WarehouseError('INVALID_SQL', 'string literal must not contain NUL');
    if (this.stringLiteralStyle === 'doubled') return `'${value.split("'").join("''")}'`;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }

  validateTableName(input: string): TableNameResult {
    const parts = input.split('.');
    if (parts.length < 1 || parts.length > 3) {
      return { ok: false, error: `table name "${input}" must have 1 to 3 dot-separated parts (catalog.schema.table)` };
    }
    for (const part of parts) {
      if (!PLAIN_IDENTIFIER.test(part)) {
        return {
          ok: false,
          error: `table name "${input}": part "${part}" must start with a letter or _ and hold only letters, digits and _`,
        };
      }
      if (part.length > this.maxIdentifierLength) {
        return { ok: false, error: `table name "${input}": part "${part}" is longer than ${this.maxIdentifierLength} characters` };
      }
    }
    return { ok: true, parts, canonical: this.quoteQualified(parts) };
  }

  typeName(type: LogicalType): string {
    if (typeof type === 'object') return `DECIMAL(${type.decimal[0]}, ${type.decimal[1]})`;
    const names: Record<Exclude<LogicalType, object>, string> = {
      boolean: 'BOOLEAN',
      int: 'INT',
      bigint: 'BIGINT',
      double: 'DOUBLE',
      string: this.stringTypeName,
      date: 'DATE',
      timestamp: 'TIMESTAMP',
    };
    return names[type];
  }

  protected abstract readonly stringTypeName: string;
  abstract regexpMatches(value: string, pattern: string): string;
  abstract jsonExtractString(json: string, path: string): string;
  abstract formatYearMonth(value: string): string;
  abstract readRecordsAsJson(path: string, format: FileFormat): string;
  abstract daysBetween(start: string, end: string): string;
  abstract regexpReplaceAll(value: string, pattern: string, replacement: string): string;

  rowsFromLines(columns: readonly { readonly name: string; readonly param: string }[]): string | undefined {
    void columns; // engines without a list path bind rows as literals
    return undefined;
  }

  stringLength(value: string): string {
    return `length(${value})`;
  }

  createCatalogSql(name: string, comment?: string): string {
    return `CREATE CATALOG IF NOT EXISTS ${this.quoteIdentifier(name)}${comment ? ` COMMENT ${this.literalString(comment)}` : ''}`;
  }

  createSchemaSql(catalog: string, schema: string, comment?: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteQualified([catalog, schema])}${comment ? ` COMMENT ${this.literalString(comment)}` : ''}`;
  }
}

/** DuckDB: `"` identifiers, doubled-quote literals, PCRE-ish regexes via RE2. */
export class DuckDbAdapter extends DialectAdapterBase {
  readonly dialect = 'duckdb' as const;
  override readonly supportsTransactions = true;
  readonly identifierQuote = '"' as const;
  readonly stringLiteralStyle = 'doubled' as const;
  protected readonly stringTypeName = 'VARCHAR';

  regexpMatches(value: string, pattern: string): string {
    return `regexp_matches(${value}, ${pattern})`;
  }
  jsonExtractString(json: string, path: string): string {
    return `json_extract_string(${json}, ${path})`;
  }
  formatYearMonth(value: string): string {
    return `strftime(${value}, '%Y-%m')`;
  }
  daysBetween(start: string, end: string): string {
    return `date_diff('day', ${start}, ${end})`;
  }
  regexpReplaceAll(value: string, pattern: string, replacement: string): string {
    return `regexp_replace(${value}, ${pattern}, ${replacement}, 'g')`;
  }
  readRecordsAsJson(path: string, format: FileFormat): string {
    switch (format) {
      case 'ndjson':
        return `(SELECT CAST(json AS VARCHAR) AS raw FROM read_ndjson_objects(${path}))`;
      case 'csv':
        return `(SELECT CAST(to_json(r) AS VARCHAR) AS raw FROM read_csv(${path}, all_varchar = true, header = true) AS r)`;
      case 'parquet':
        return `(SELECT CAST(to_json(r) AS VARCHAR) AS raw FROM read_parquet(${path}) AS r)`;
    }
  }
  // DuckDB has no COMMENT clause on CREATE SCHEMA; comments go through COMMENT ON.
  override rowsFromLines(columns: readonly { readonly name: string; readonly param: string }[]): string {
    return `(SELECT ${columns.map((c) => `unnest(string_split(:${c.param}, chr(10))) AS ${this.quoteIdentifier(c.name)}`).join(', ')})`;
  }

  override createSchemaSql(catalog: string, schema: string): string {
    return `CREATE SCHEMA IF NOT EXISTS ${this.quoteQualified([catalog, schema])}`;
  }
}

/**
 * Databricks SQL (Spark SQL on a SQL warehouse): backtick identifiers, backslash-escaped string
 * literals (Spark concatenates adjacent literals, so `''` is not an escape), no multi-statement
 * transactions.
 */
export class DatabricksAdapter extends DialectAdapterBase {
  readonly dialect = 'databricks' as const;
  override readonly preservesBigintPrecision = false;
  override readonly runsDatabricksMetadataStatements = true;
  readonly identifierQuote = '`' as const;
  readonly stringLiteralStyle = 'backslash' as const;
  protected readonly stringTypeName = 'STRING';

  regexpMatches(value: string, pattern: string): string {
    return `regexp_like(${value}, ${pattern})`;
  }
  jsonExtractString(json: string, path: string): string {
    return `get_json_object(${json}, ${path})`;
  }
  formatYearMonth(value: string): string {
    return `date_format(${value}, 'yyyy-MM')`;
  }
  daysBetween(start: string, end: string): string {
    return `datediff(${end}, ${start})`;
  }
  regexpReplaceAll(value: string, pattern: string, replacement: string): string {
    return `regexp_replace(${value}, ${pattern}, ${replacement})`;
  }
  readRecordsAsJson(path: string, format: FileFormat): string {
    switch (format) {
      case 'ndjson':
        return `(SELECT value AS raw FROM read_files(${path}, format => 'text'))`;
      case 'csv':
        return `(SELECT to_json(struct(*)) AS raw FROM read_files(${path}, format => 'csv', header => true, inferSchema => false))`;
      case 'parquet':
        return `(SELECT to_json(struct(*)) AS raw FROM read_files(${path}, format => 'parquet'))`;
    }
  }
}

const ADAPTERS: Record<DialectName, () => DialectAdapter> = {
  duckdb: () => new DuckDbAdapter(),
  databricks: () => new DatabricksAdapter(),
};

/** The adapter for a dialect, without loading the engine's SDK. */
export function adapterFor(dialect: DialectName): DialectAdapter {
  return ADAPTERS[dialect]();
}
