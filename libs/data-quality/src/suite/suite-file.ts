import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { checkExpectationConfig } from '../compiler/plan.js';
import { DataQualityError, type Problem } from '../errors.js';
import { ACTIONS, ExpectationConfig, expectationSuite, type ExpectationSuite } from '../model/expectation-config.js';
import { ResultFormatSchema, type ResultFormatInput } from '../model/result-format.js';

/** One table's entry of a suite file. */
export interface SuiteTable {
  /** Logical name, e.g. `bronze.scout.transactions` (the layer is mapped per target). */
  readonly table: string;
  readonly suite: ExpectationSuite;
  /** Where `split` sends the table's rows, when the suite gates a bronze → silver step. */
  readonly split?: { readonly target: string; readonly quarantine: string };
}

/** A parsed, validated suite file (`databricks/quality/<layer>.yml`). */
export interface SuiteFile {
  readonly name: string;
  readonly description?: string;
  readonly file?: string;
  /** Default result format for the file's expectations. */
  readonly resultFormat?: ResultFormatInput;
  readonly tables: readonly SuiteTable[];
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const ExpectationEntrySchema = z.strictObject({
  name: z.string({ error: 'name must be a string' }).regex(identifier, { error: 'name must be a plain identifier (letters, digits, _)' }).optional(),
  type: z.string({ error: 'type must be an expectation type name' }),
  kwargs: z.record(z.string(), z.unknown(), { error: 'kwargs must be a mapping' }).optional(),
  action: z.enum(ACTIONS as [string, ...string[]], { error: `action must be one of ${ACTIONS.join(', ')}` }).optional(),
  notes: z.string({ error: 'notes must be a string' }).optional(),
});

const SuiteFileSchema = z.strictObject({
  suite: z.string({ error: 'suite must be the suite name' }).min(1),
  description: z.string().optional(),
  result_format: ResultFormatSchema.optional(),
  tables: z
    .array(
      z.strictObject({
        table: z.string({ error: 'table must be a table name such as bronze.scout.transactions' }).regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*){0,2}$/, {
          error: 'table must be 1 to 3 dot-separated plain identifiers (catalog.schema.table)',
        }),
        order_by: z.array(z.string(), { error: 'order_by must be a list of column names' }).optional(),
        split: z.strictObject({ target: z.string({ error: 'split.target must be a table name' }), quarantine: z.string({ error: 'split.quarantine must be a table name' }) }).optional(),
        expectations: z.array(ExpectationEntrySchema, { error: 'expectations must be a list' }),
      }),
      { error: 'tables must be a list of {table, expectations}' },
    )
    .min(1, { error: 'a suite needs at least one table' }),
});

/**
 * Parses and validates a suite file (YAML). Every problem is collected — YAML syntax, unknown keys,
 * unknown expectation types (listing the valid ones), kwargs of the wrong type, duplicate tables or
 * expectation names — and thrown together as `DataQualityError('INVALID_SUITE')`. Column checks
 * need the table and happen in `validate`/`split`, still before any row is read.
 *
 * @example
 * const file = parseSuite(readFileSync('databricks/quality/bronze.yml', 'utf8'), 'bronze.yml');
 * file.tables[0].suite.expectations.length;
 */
export function parseSuite(text: string, file?: string): SuiteFile {
  const at = file ? { file } : {};
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    throw DataQualityError.fromProblems(
      'INVALID_SUITE',
      doc.errors.map((e) => ({ code: 'INVALID_SUITE', severity: 'error', message: `YAML: ${e.message.split('\n')[0]} (line ${text.slice(0, e.pos[0]).split('\n').length})`, location: at })),
    );
  }
  const parsed = SuiteFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw DataQualityError.fromProblems(
      'INVALID_SUITE',
      parsed.error.issues.map((i) => ({ code: 'INVALID_SUITE', severity: 'error', message: i.message, location: { ...at, path: i.path.join('.') || '(root)' } })),
    );
  }
  const problems: Problem[] = [];
  const seenTables = new Set<string>();
  const tables = parsed.data.tables.map((entry, t) => {
    if (seenTables.has(entry.table)) problems.push({ code: 'INVALID_SUITE', severity: 'error', message: `table ${entry.table} appears twice; use one entry per table`, location: { ...at, path: `tables.${t}` } });
    seenTables.add(entry.table);
    const names = new Set<string>();
    const configs = entry.expectations.map((e, i) => {
      const config = ExpectationConfig.create(e.type, e.kwargs ?? {}, {
        ...(e.name ? { name: e.name } : {}),
        ...(e.action ? { action: e.action as ExpectationConfig['meta']['action'] } : {}),
        ...(e.notes ? { notes: e.notes } : {}),
      });
      const location = { ...at, table: entry.table, expectation: e.name ?? `#${i + 1} (${e.type})` };
      if (names.has(config.meta.name)) problems.push({ code: 'INVALID_SUITE', severity: 'error', message: `expectation name ${config.meta.name} is used twice in this table`, location });
      names.add(config.meta.name);
      problems.push(...checkExpectationConfig(config, location).problems);
      return config;
    });
    return Object.freeze({
      table: entry.table,
      suite: expectationSuite(`${parsed.data.suite}:${entry.table}`, configs, entry.order_by ? { orderBy: entry.order_by } : {}),
      ...(entry.split ? { split: Object.freeze({ ...entry.split }) } : {}),
    });
  });
  if (problems.length > 0) throw DataQualityError.fromProblems('INVALID_SUITE', problems);
  return Object.freeze({
    name: parsed.data.suite,
    ...(parsed.data.description ? { description: parsed.data.description } : {}),
    ...(file ? { file } : {}),
    ...(parsed.data.result_format ? { resultFormat: parsed.data.result_format } : {}),
    tables: Object.freeze(tables),
  });
}

/** Reads and parses a suite file. */
export async function loadSuiteFile(path: string): Promise<SuiteFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataQualityError('INVALID_SUITE', `cannot read suite file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseSuite(text, path);
}
