import { param, type CatalogLayout, type ParameterValue } from '@odoo-ce/warehouse';
import { Decimal } from '../decimal.js';
import type { Problem } from '../errors.js';
import { expectationDefinition, expectationTypes } from '../expectations/registry.js';
import { ROW_FAMILIES, type BuildContext, type ExpectationDefinition, type Family, type ResolvedColumn } from '../expectations/definition.js';
import type { ExpectationConfig, ExpectationSuite } from '../model/expectation-config.js';
import { normalizeResultFormat, sampleSize, type ResultFormat, type ResultFormatInput } from '../model/result-format.js';
import { isSuiteParameter, resolveSuiteParameters } from '../model/suite-parameters.js';
import { resolveTableName, type ResolvedTableName } from '../runner/table-name.js';
import type { CheckCompilerBase, ScanItem } from './check-compiler.js';
import { RowCheck, type CheckNode } from './checks.js';
import { isNumeric, type TableColumn } from './column-types.js';

/** One expectation after planning: validated kwargs, its check (when it compiled) and its problems. */
export interface PlannedExpectation {
  readonly index: number;
  readonly config: ExpectationConfig;
  readonly family: Family | undefined;
  readonly resultFormat: ResultFormat;
  readonly mostly: number;
  /** Report this expectation's problems in its result instead of throwing (`catch_exceptions`). */
  readonly catchExceptions: boolean;
  readonly node: CheckNode | undefined;
  readonly problems: readonly Problem[];
  readonly item: ScanItem | undefined;
}

/** A suite compiled against one table's schema. */
export interface SuitePlan {
  readonly table: ResolvedTableName;
  readonly columns: readonly TableColumn[];
  readonly expectations: readonly PlannedExpectation[];
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Suite-level problems (order_by columns, duplicate names). */
  readonly problems: readonly Problem[];
  /** Reference tables checks read (quoted), to bind-check before scanning. */
  readonly references: readonly string[];
}

export interface PlanInput {
  readonly suite: ExpectationSuite;
  readonly table: ResolvedTableName;
  readonly columns: readonly TableColumn[];
  readonly compiler: CheckCompilerBase;
  readonly layout: CatalogLayout;
  readonly resultFormat?: ResultFormatInput;
  readonly catchExceptions?: boolean;
  readonly now?: Date;
}

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_TEXT = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

function kindOf(value: unknown): string {
  if (value instanceof Date) return 'a date/time';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'number' ? 'a number' : typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}

/**
 * Validates an expectation's type and kwargs (zod) without a table: an unknown type lists the
 * valid ones; each bad kwarg is named with its value.
 */
export function checkExpectationConfig(config: ExpectationConfig, location: Problem['location'] = {}): { definition?: ExpectationDefinition; kwargs?: Record<string, unknown>; problems: Problem[] } {
  const where = { ...location, expectation: location.expectation ?? config.meta.name };
  const definition = expectationDefinition(config.type);
  if (!definition) {
    return {
      problems: [
        {
          code: 'UNKNOWN_EXPECTATION_TYPE',
          severity: 'error',
          message: `unknown expectation type "${config.type}"; valid types are: ${expectationTypes().join(', ')}`,
          location: { ...where, path: 'type' },
        },
      ],
    };
  }
  const problems: Problem[] = [];
  if (config.meta.action === 'drop' && !ROW_FAMILIES.has(definition.family)) {
    problems.push({ code: 'INVALID_KWARGS', severity: 'error', message: `action drop needs a row-level expectation; ${config.type} is a ${definition.family} expectation (use warn or fail)`, location: { ...where, path: 'action' } });
  }
  let kwargs: Record<string, unknown>;
  try {
    kwargs = resolveSuiteParameters(config.kwargs);
  } catch (error) {
    problems.push({ code: 'INVALID_KWARGS', severity: 'error', message: (error as Error).message, location: { ...where, path: 'kwargs' } });
    return { definition, problems };
  }
  const parsed = definition.schema.safeParse(kwargs);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = ['kwargs', ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys') {
        problems.push({
          code: 'INVALID_KWARGS',
          severity: 'error',
          message: `unknown kwarg${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')} for ${config.type}; allowed: ${Object.keys((definition.schema as unknown as { shape?: object }).shape ?? {}).join(', ')}`,
          location: { ...where, path },
        });
        continue;
      }
      const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey], kwargs);
      const shown = value === undefined ? 'missing' : `got ${isSuiteParameter(value) ? JSON.stringify(value) : JSON.stringify(value)}`;
      problems.push({ code: 'INVALID_KWARGS', severity: 'error', message: `${issue.message} (${shown})`, location: { ...where, path } });
    }
    return { definition, problems };
  }
  return { definition, kwargs: parsed.data as Record<string, unknown>, problems };
}

/**
 * Plans a suite against a table's schema: validates every expectation, resolves columns, binds
 * values as named parameters and builds each check node. Problems are collected, never thrown.
 */
export function planSuite(input: PlanInput): SuitePlan {
  const { suite, table, columns, compiler } = input;
  const adapter = compiler.adapter;
  const parameters: Record<string, ParameterValue> = {};
  const references = new Set<string>();
  const suiteProblems: Problem[] = [];
  let aliasCounter = 0;
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const resolve = (c: TableColumn): ResolvedColumn => ({ ...c, sql: adapter.quoteIdentifier(c.name) });
  const location = { table: table.logical };

  const orderBy: ResolvedColumn[] = [];
  for (const name of suite.orderBy ?? []) {
    const c = byName.get(name.toLowerCase());
    if (c) orderBy.push(resolve(c));
    else suiteProblems.push(unknownColumn(table.logical, name, columns, { ...location, path: 'order_by' }));
  }
  const seen = new Set<string>();
  for (const e of suite.expectations) {
    if (e.meta.name.length === 0 || [...e.meta.name].some((ch) => ch.charCodeAt(0) < 0x20)) {
      suiteProblems.push({ code: 'INVALID_SUITE', severity: 'error', message: `expectation name ${JSON.stringify(e.meta.name)} must be non-empty text without control characters`, location: { ...location, expectation: e.meta.name } });
    }
    if (seen.has(e.meta.name)) {
      suiteProblems.push({ code: 'INVALID_SUITE', severity: 'error', message: `expectation name "${e.meta.name}" is used twice; names must be unique per table`, location: { ...location, expectation: e.meta.name } });
    }
    seen.add(e.meta.name);
  }

  const expectations = suite.expectations.map((config, index): PlannedExpectation => {
    const where = { ...location, expectation: config.meta.name };
    const checked = checkExpectationConfig(config, where);
    const problems = [...checked.problems];
    const rawFormat = (checked.kwargs?.['result_format'] ?? config.kwargs['result_format']) as ResultFormatInput | undefined;
    let resultFormat = normalizeResultFormat(undefined, 'SUMMARY');
    try {
      resultFormat = normalizeResultFormat(rawFormat ?? input.resultFormat, 'SUMMARY');
    } catch {
      // invalid result_format is already a kwargs problem
    }
    const catchExceptions = config.kwargs['catch_exceptions'] === true || input.catchExceptions === true;
    const mostly = typeof checked.kwargs?.['mostly'] === 'number' ? (checked.kwargs['mostly'] as number) : 1;
    const base = { index, config, family: checked.definition?.family, resultFormat, mostly, catchExceptions };
    if (!checked.definition || !checked.kwargs || problems.length > 0) return { ...base, node: undefined, problems, item: undefined };

    const ctx: BuildContext = {
      adapter,
      sql: compiler,
      relation: table.sql,
      tableName: table.logical,
      orderBy,
      column(name, path) {
        const c = byName.get(name.toLowerCase());
        if (c) return resolve(c);
        problems.push(unknownColumn(table.logical, name, columns, { ...where, path }));
        return undefined;
      },
      columns: () => columns.map(resolve),
      param(value) {
        const name = `dq_p${Object.keys(parameters).length}`;
        parameters[name] = value;
        return `:${name}`;
      },
      comparable(column, value, path) {
        return ctx.accepts(column, value, path) ? ctx.param(comparableParameter(column, value) as ParameterValue) : undefined;
      },
      fits: (column, value) => comparableParameter(column, value) !== undefined,
      accepts(column, value, path) {
        if (comparableParameter(column, value) !== undefined) return true;
        const label = path.replace(/^kwargs\./, '');
        problems.push({
          code: 'TYPE_MISMATCH',
          severity: 'error',
          message: `${label} ${JSON.stringify(value)} is ${kindOf(value)} but column ${column.name} is ${column.type}: column values, min_value and max_value must either be None or of the same type`,
          location: { ...where, path },
        });
        return false;
      },
      alias: (prefix) => `_dq_${prefix}_${aliasCounter++}`,
      table(logical, path) {
        const resolved = resolveTableName(adapter, input.layout, logical);
        if ('error' in resolved) {
          problems.push({ code: 'UNKNOWN_TABLE', severity: 'error', message: resolved.error, location: { ...where, path } });
          return undefined;
        }
        references.add(resolved.sql);
        return resolved.sql;
      },
      problem(code, message, path) {
        problems.push({ code, severity: 'error', message, location: { ...where, ...(path ? { path } : {}) } });
      },
    };
    const node = checked.definition.build(checked.kwargs, ctx);
    if (!node || problems.length > 0) return { ...base, node: undefined, problems, item: undefined };

    const indexColumns: { label: string; sql: string }[] = [];
    for (const [i, name] of resultFormat.unexpected_index_column_names.entries()) {
      const c = ctx.column(name, `result_format.unexpected_index_column_names[${i}]`);
      if (c) indexColumns.push({ label: c.name, sql: c.sql });
    }
    if (problems.length > 0) return { ...base, node: undefined, problems, item: undefined };
    const order = indexColumns.length > 0 ? indexColumns.map((c) => c.sql) : orderBy.map((c) => c.sql);
    const item: ScanItem = Object.freeze({
      index,
      node,
      sampleSize: RowCheck.is(node) ? sampleSize(resultFormat) : 0,
      indexColumns: Object.freeze(indexColumns),
      sampleOrder: Object.freeze(order),
    });
    return { ...base, node, problems, item };
  });

  return Object.freeze({ table, columns, expectations, parameters, problems: suiteProblems, references: [...references] });
}

function unknownColumn(table: string, name: string, columns: readonly TableColumn[], location: Problem['location']): Problem {
  return {
    code: 'UNKNOWN_COLUMN',
    severity: 'error',
    message: `table ${table} has no column "${name}" (columns: ${columns.map((c) => c.name).join(', ')})`,
    location,
  };
}

/** The parameter value for comparing `value` with `column`, or undefined when their types differ. */
function comparableParameter(column: TableColumn, value: unknown): ParameterValue | undefined {
  const category = column.category;
  if (isNumeric(category)) {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return value;
    if (typeof value === 'string' && Decimal.isDecimal(value)) return param.decimal(Decimal.parse(value).toString());
    return undefined;
  }
  if (category === 'string') return typeof value === 'string' ? value : undefined;
  if (category === 'boolean') return typeof value === 'boolean' ? value : undefined;
  if (category === 'timestamp' || category === 'date') {
    if (value instanceof Date) return value;
    if (typeof value === 'string' && DATE_TEXT.test(value)) return category === 'date' ? param.date(value) : { type: 'TIMESTAMP', value: `${value} 00:00:00` };
    if (typeof value === 'string' && DATETIME_TEXT.test(value)) return { type: 'TIMESTAMP', value: value.replace('T', ' ') };
    return undefined;
  }
  if (value === null || typeof value === 'object') return value instanceof Date ? value : undefined;
  return value as ParameterValue;
}
