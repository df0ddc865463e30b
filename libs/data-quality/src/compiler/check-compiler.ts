import { compiledQuery, type CompiledQuery, type DialectAdapter, type DialectName, type ParameterValue } from '@odoo-ce/warehouse';
import type { BuilderSql } from '../expectations/definition.js';
import { AggregateCheck, RowCheck, type CheckNode } from './checks.js';

/** A check placed in a scan: its position (for output aliases) and what to sample. */
export interface ScanItem {
  readonly index: number;
  readonly node: CheckNode;
  /** Unexpected rows to sample (0 = none). */
  readonly sampleSize: number;
  /** Columns reported with each sampled row (GX `unexpected_index_column_names`), quoted SQL by label. */
  readonly indexColumns: readonly { readonly label: string; readonly sql: string }[];
  /** Order of the samples (quoted SQL); empty = any order. */
  readonly sampleOrder: readonly string[];
}

/** Everything the scan needs: the relation to read, the checks, and their bound parameters. */
export interface ScanInput {
  /** Quoted table name (or a staged table) the checks read. */
  readonly table: string;
  readonly items: readonly ScanItem[];
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /**
   * What to compute (default: everything). `split` reads row counts and statistics from the
   * source and failures from its stage.
   */
  readonly parts?: { readonly counts: boolean; readonly failures: boolean; readonly aggregates: boolean };
  /**
   * Quoted names of `table`'s own columns: sample fields among them can be fetched by row
   * identity after the scan. Undefined: every field is a column of `table` (a stage).
   */
  readonly baseColumns?: ReadonlySet<string>;
}

/** The compiled scan plus what is needed to read its single result row. */
export interface CompiledScan {
  readonly query: CompiledQuery;
  /** Row-check indexes whose samples are not in the scan (the engine has no bounded sample aggregate). */
  readonly samplesOutsideScan: readonly number[];
  /** Aggregate values computed by their own query after the scan: output alias → query. */
  readonly queriesOutsideScan: readonly { readonly alias: string; readonly query: CompiledQuery }[];
  /** Row checks whose scan column `_dq_<i>_rowids` lists row identities; their values are fetched by {@link CheckCompilerBase.fetchRowsSql}. */
  readonly samplesByRowId: readonly { readonly index: number; readonly fields: readonly { readonly key: string; readonly sql: string }[] }[];
}

/**
 * A bounded sample aggregate: a list of structs with `v*`/`i*` keys, a list of bare values (one
 * value, no order), or a list of row identities whose values are fetched after the scan.
 */
export interface SampleAggregate {
  readonly sql: string;
  readonly form: 'structs' | 'values' | 'rowids';
}

/** The row-identity column scans expose for sampling (DuckDB). */
export const SCAN_ROW_KEY = '_dq_row';

/** Output column of the scan for check `index` and `key`. */
export function scanAlias(index: number, key: string): string {
  return `_dq_${index}_${key}`;
}

/** Helper columns of the stage table in `split`: the failure flag of row check `index`. */
export function flagAlias(index: number): string {
  return `_dq_f${index}`;
}

/** The row-identity column a stage keeps when the engine has one. */
export const ROW_ID = '_dq_rid';

/**
 * Compiles a table's checks to SQL: ONE scan with every row-level check as a conditional
 * aggregate, the statistics next to them, and bounded samples of unexpected rows where the engine
 * has a bounded aggregate for it. Dialect subclasses override only the protected hooks; quoting,
 * regex and types come from the warehouse's {@link DialectAdapter}.
 *
 * @example
 * const compiler = checkCompilerFor(warehouse.adapter);
 * const { query } = compiler.compileScan({ table: '"bronze"."scout"."transactions"', items, parameters });
 */
export abstract class CheckCompilerBase implements BuilderSql {
  constructor(readonly adapter: DialectAdapter) {}

  // ---- dialect hooks ---------------------------------------------------------------------------

  /**
   * A pseudo-column identifying a row of a base table within one transaction (DuckDB `rowid`), or
   * null. With it, `split` stages only the failing rows instead of a copy of the table.
   */
  abstract readonly rowIdentity: string | null;

  /** An aggregate yielding `[{key, value}]` — each distinct non-null value of `column` and its count — or null. */
  abstract distinctValueCounts(column: string): string | null;

  /**
   * A bounded aggregate collecting up to `limit` unexpected rows (`fields`) where `filter` holds,
   * ordered by `order` (empty: any order), or null when the engine has none (samples are then
   * fetched with a LIMIT query after the scan, only for checks with unexpected rows).
   */
  protected abstract sampleAggregate(
    fields: readonly { key: string; sql: string }[],
    order: readonly string[],
    limit: number,
    filter: string,
    rowKey: string | null,
    fetchable: boolean,
  ): SampleAggregate | null;

  /** `SELECT <row identity> AS _dq_row, <fields> FROM table WHERE <row identity> IN (:dq_rows)`; `dq_rows` is a list literal. */
  fetchRowsSql(table: string, fields: readonly { key: string; sql: string }[]): string {
    return `SELECT ${this.rowIdentity ?? 'NULL'} AS ${this.q(SCAN_ROW_KEY)}, ${fields.map((f) => `${f.sql} AS ${this.q(f.key)}`).join(', ')} FROM ${table} WHERE ${this.rowIdentity} IN (SELECT unnest(CAST(:dq_rows AS BIGINT[])))`;
  }

  /**
   * A SQL array of the non-null string expressions in `items` (at least one item). `separator` is
   * a parameter marker holding a character no item contains, for engines that build it from text.
   */
  abstract nonNullStringArray(items: readonly string[], separator: string): string;

  /** `CREATE … TABLE name AS select` for the per-run stage of `split`. */
  abstract createStageSql(name: string, select: string): string;

  /** The quoted name of a run's stage table (`ops` is the ops catalog and schema). */
  abstract stageTableName(id: string, ops: readonly string[]): string;

  /** Replaces the rows of `target` with the result of `select` (listing `columns`). */
  abstract overwriteSql(target: string, columns: string, select: string): string;

  // ---- shared SQL ------------------------------------------------------------------------------

  protected q(name: string): string {
    return this.adapter.quoteIdentifier(name);
  }

  /** Counts rows where `condition` holds. */
  countIf(condition: string): string {
    return this.adapter.supportsAggregateFilter ? `count(*) FILTER (WHERE ${condition})` : `coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
  }

  /** SQL boolean: the row is unexpected (considered and `passes` is not TRUE — NULL counts as failing). */
  unexpectedSql(check: RowCheck): string {
    const failing = check.nullFree ? `NOT (${check.passes})` : `NOT coalesce(${check.passes}, FALSE)`;
    return check.considered === null ? failing : `(${check.considered}) AND ${failing}`;
  }

  /**
   * The relation the checks read: the table, LEFT JOINed to reference data and extended with
   * window helper columns when checks need them (uniqueness, previous value); with `rowId`, the
   * engine's row identity as column `_dq_rid`.
   */
  relation(table: string, checks: readonly RowCheck[], options: { readonly rowId?: string } = {}): string {
    const joins = checks.flatMap((c) => c.joins);
    const windows = checks.flatMap((c) => c.windows);
    let rel = table;
    if (options.rowId && this.rowIdentity) rel = `(SELECT ${this.rowIdentity} AS ${this.q(options.rowId)}, * FROM ${table})`;
    if (joins.length > 0) {
      const cols = joins.flatMap((j) => j.columns.map((c) => `${c.sql} AS ${this.q(c.alias)}`));
      const from = joins.map((j) => `LEFT JOIN ${j.table} AS ${this.q(j.alias)} ON ${j.on}`).join(' ');
      rel = `(SELECT ${this.q('_dq_t')}.*, ${cols.join(', ')} FROM ${rel} AS ${this.q('_dq_t')} ${from})`;
    }
    if (windows.length > 0) {
      rel = `(SELECT *, ${windows.map((w) => `${w.sql} AS ${this.q(w.alias)}`).join(', ')} FROM ${rel} AS ${this.q('_dq_j')})`;
    }
    return rel === table ? table : `${rel} AS ${this.q('_dq_src')}`;
  }

  /** The fields of a sampled row: values `v*` then index columns `i*`. */
  sampleFields(check: RowCheck, item: ScanItem): { key: string; sql: string }[] {
    return [...check.values.map((v) => ({ key: v.key, sql: v.sql })), ...item.indexColumns.map((c, i) => ({ key: `i${i}`, sql: c.sql }))];
  }

  /** The single scan over `input.table` for all checks. */
  compileScan(input: ScanInput): CompiledScan {
    const parts = input.parts ?? { counts: true, failures: true, aggregates: true };
    const rowChecks = input.items.map((i) => i.node).filter(RowCheck.is);
    // Samples are taken by row identity where the engine has one (values fetched after the scan).
    const needsRowKey = input.items.some((i) => RowCheck.is(i.node) && i.sampleSize > 0);
    const rowKey = parts.failures && this.rowIdentity && needsRowKey ? this.q(SCAN_ROW_KEY) : null;
    const from = parts.failures ? this.relation(input.table, rowChecks, rowKey ? { rowId: SCAN_ROW_KEY } : {}) : input.table;
    const plainRelation = rowChecks.every((c) => c.joins.length === 0 && c.windows.length === 0);
    const selects = [`count(*) AS ${this.q('_dq_n')}`];
    const outside: number[] = [];
    const separate: { alias: string; query: CompiledQuery }[] = [];
    const byRowId: { index: number; fields: { key: string; sql: string }[] }[] = [];
    for (const item of input.items) {
      const node = item.node;
      if (RowCheck.is(node)) {
        if (parts.counts && node.considered !== null) selects.push(`${node.consideredCount ?? this.countIf(node.considered)} AS ${this.q(scanAlias(item.index, 'considered'))}`);
        if (!parts.failures) continue;
        const unexpected = this.unexpectedSql(node);
        selects.push(`${this.countIf(unexpected)} AS ${this.q(scanAlias(item.index, 'unexpected'))}`);
        // not_be_null's unexpected values are all NULL: nothing to sample unless rows are identified.
        if (item.sampleSize > 0 && !(node.valuesAreNull && item.indexColumns.length === 0)) {
          const fields = this.sampleFields(node, item);
          const fetchable = input.baseColumns ? fields.every((f) => input.baseColumns?.has(f.sql)) : plainRelation;
          const sample = this.sampleAggregate(fields, item.sampleOrder, item.sampleSize, unexpected, rowKey, fetchable);
          if (sample === null) outside.push(item.index);
          else selects.push(`${sample.sql} AS ${this.q(scanAlias(item.index, sample.form === 'structs' ? 'sample' : sample.form))}`);
          if (sample?.form === 'rowids') byRowId.push({ index: item.index, fields });
        }
      } else if (AggregateCheck.is(node) && parts.aggregates) {
        for (const s of node.selects) {
          if (s.separate) separate.push({ alias: scanAlias(item.index, s.key), query: compiledQuery(s.sql, pickParameters(s.sql, input.parameters)) });
          else selects.push(`${s.sql} AS ${this.q(scanAlias(item.index, s.key))}`);
        }
      }
    }
    const sql = `SELECT ${selects.join(', ')} FROM ${from}`;
    return Object.freeze({
      query: compiledQuery(sql, pickParameters(sql, input.parameters)),
      samplesOutsideScan: Object.freeze(outside),
      queriesOutsideScan: Object.freeze(separate),
      samplesByRowId: Object.freeze(byRowId),
    });
  }

  /** `SELECT <sample fields> FROM … WHERE <unexpected> [ORDER BY …] LIMIT n`: "select the failing rows". */
  compileFailingRows(table: string, item: ScanItem, parameters: Readonly<Record<string, ParameterValue>>, limit?: number): CompiledQuery {
    const node = item.node as RowCheck;
    const fields = this.sampleFields(node, item).map((f) => `${f.sql} AS ${this.q(f.key)}`);
    const order = item.sampleOrder.length > 0 ? ` ORDER BY ${item.sampleOrder.join(', ')}` : '';
    const sql = `SELECT ${fields.join(', ')} FROM ${this.relation(table, [node])} WHERE ${this.unexpectedSql(node)}${order}${limit === undefined ? '' : ` LIMIT ${Math.trunc(limit)}`}`;
    return compiledQuery(sql, pickParameters(sql, parameters));
  }

  /** `SELECT * FROM … WHERE <unexpected>`: the failing rows, for people (GX `unexpected_index_query`). */
  failingRowsSql(table: string, node: RowCheck): string {
    return `SELECT * FROM ${this.relation(table, [node])} WHERE ${this.unexpectedSql(node)}`;
  }

  /**
   * The stage of `split`: every column of the relation plus one failure flag per row check,
   * evaluated once. With a row identity, only the failing rows are kept (and `_dq_rid`);
   * otherwise the stage is a flagged copy of the table.
   */
  stageSelect(table: string, items: readonly ScanItem[]): { readonly sql: string; readonly failuresOnly: boolean } {
    const rowItems = items.filter((i) => RowCheck.is(i.node));
    const failuresOnly = this.rowIdentity !== null;
    const rel = this.relation(table, rowItems.map((i) => i.node as RowCheck), failuresOnly ? { rowId: ROW_ID } : {});
    const flags = rowItems.map((i) => `coalesce(${this.unexpectedSql(i.node as RowCheck)}, FALSE) AS ${this.q(flagAlias(i.index))}`);
    const flagged = `SELECT *${flags.map((f) => `, ${f}`).join('')} FROM ${rel}`;
    if (!failuresOnly) return { sql: flagged, failuresOnly };
    const any = rowItems.length > 0 ? rowItems.map((i) => this.q(flagAlias(i.index))).join(' OR ') : 'FALSE';
    return { sql: `SELECT * FROM (${flagged}) AS ${this.q('_dq_flagged')} WHERE ${any}`, failuresOnly };
  }
}

/** Keeps only the parameters whose `:name` occurs in `sql`. */
export function pickParameters(sql: string, parameters: Readonly<Record<string, ParameterValue>>): Record<string, ParameterValue> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => new RegExp(`:${name}(?![A-Za-z0-9_])`).test(sql)));
}

/**
 * DuckDB: samples in the scan as bounded `min(rowid, n)` / `arg_min(rowid, order, n)` aggregates
 * (the few sampled rows are then fetched by rowid), value counts with
 * `histogram`, and `rowid` so `split` stages only failing rows.
 */
export class DuckDbCheckCompiler extends CheckCompilerBase {
  readonly rowIdentity = 'rowid';

  distinctValueCounts(column: string): string {
    return `map_entries(histogram(${column}))`;
  }

  protected sampleAggregate(fields: readonly { key: string; sql: string }[], order: readonly string[], limit: number, filter: string, rowKey: string | null, fetchable: boolean): SampleAggregate {
    const n = Math.trunc(limit);
    const key = order.length === 0 ? null : order.length === 1 ? (order[0] as string) : `{${order.map((o, i) => `'o${i}': ${o}`).join(', ')}}`;
    // Collecting values (let alone a struct per row) costs more than most checks; collecting row
    // identities is a bounded aggregate over one integer, and the few rows are fetched afterwards.
    // CASE rather than FILTER: both aggregates skip NULLs, and DuckDB evaluates the CASE cheaper.
    const id = `CASE WHEN ${filter} THEN ${rowKey} END`;
    if (rowKey && fetchable) return { sql: key === null ? `min(${id}, ${n})` : `arg_min(${id}, ${key}, ${n})`, form: 'rowids' };
    if (key === null && fields.length === 1) return { sql: `min(${(fields[0] as { sql: string }).sql}, ${n}) FILTER (WHERE ${filter})`, form: 'values' };
    const struct = `{${fields.map((f) => `${this.adapter.literalString(f.key)}: ${f.sql}`).join(', ')}}`;
    return { sql: `arg_min(${struct}, ${key ?? rowKey ?? struct}, ${n}) FILTER (WHERE ${filter})`, form: 'structs' };
  }

  nonNullStringArray(items: readonly string[]): string {
    return `list_filter([${items.join(', ')}], lambda x: x IS NOT NULL)`;
  }

  // A TEMP table lives on the connection running split's transaction, never on disk.
  createStageSql(name: string, select: string): string {
    return `CREATE TEMP TABLE ${name} AS ${select}`;
  }

  stageTableName(id: string): string {
    return this.q(`_dq_stage_${id}`);
  }

  overwriteSql(target: string, columns: string, select: string): string {
    return `CREATE OR REPLACE TABLE ${target} AS SELECT ${columns} FROM (${select}) AS ${this.q('_dq_rows')}`;
  }
}

/**
 * Databricks SQL: no bounded top-n aggregate, so samples come from a LIMIT query after the scan
 * (only for checks with unexpected rows); value counts from a grouped query after the scan; no
 * row identity, so `split` stages a flagged copy of the table.
 */
export class DatabricksCheckCompiler extends CheckCompilerBase {
  readonly rowIdentity = null;

  distinctValueCounts(): null {
    return null;
  }

  protected sampleAggregate(): null {
    return null;
  }

  // concat_ws skips NULLs; split turns the text back into ARRAY<STRING>. Plain functions both
  // Databricks and the DuckDB-backed local endpoint run (no lambdas, no array constructor).
  nonNullStringArray(items: readonly string[], separator: string): string {
    return `split(concat_ws(${separator}, ${items.join(', ')}), ${separator})`;
  }

  createStageSql(name: string, select: string): string {
    return `CREATE TABLE ${name} AS ${select}`;
  }

  stageTableName(id: string, ops: readonly string[]): string {
    return this.adapter.quoteQualified([...ops, `_dq_stage_${id}`]);
  }

  overwriteSql(target: string, columns: string, select: string): string {
    return `INSERT OVERWRITE ${target} (${columns}) ${select}`;
  }
}

const COMPILERS: Record<DialectName, (adapter: DialectAdapter) => CheckCompilerBase> = {
  duckdb: (adapter) => new DuckDbCheckCompiler(adapter),
  databricks: (adapter) => new DatabricksCheckCompiler(adapter),
};

/** The check compiler for a warehouse's dialect. */
export function checkCompilerFor(adapter: DialectAdapter): CheckCompilerBase {
  return COMPILERS[adapter.dialect](adapter);
}
