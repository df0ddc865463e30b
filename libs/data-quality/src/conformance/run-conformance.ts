import { compiledQuery, type DialectName, type ParameterValue, type Warehouse } from '@odoo-ce/warehouse';
import { ExpectationConfig, expectationSuite } from '../model/expectation-config.js';
import type { ExpectationValidationResult } from '../model/results.js';
import { validate } from '../runner/validate.js';
import { isApplicable, type ConformanceDataset, type ConformanceFile, type ConformanceTest } from './cases.js';
import { checkResult } from './check-result.js';

/** A warehouse to run the cases on, with the GX backend identities it answers to. */
export interface ConformanceEngine {
  /** Shown in reports, e.g. `duckdb` or `databricks (local endpoint)`. */
  readonly name: string;
  /** GX backend names for only_for / suppress_test_for (README: DuckDB → sqlalchemy, postgresql). */
  readonly identities: ReadonlySet<string>;
  open(): Promise<{ readonly warehouse: Warehouse; close(): Promise<void> }>;
}

/** Recommended identities per dialect (conformance README, "Which tests apply"). */
export const ENGINE_IDENTITIES: Record<DialectName, ReadonlySet<string>> = {
  duckdb: new Set(['sqlalchemy', 'postgresql']),
  databricks: new Set(['sqlalchemy', 'spark']),
};

/** How the portable `load_schema` types are spelled per dialect (README, "Loading a dataset"). */
const TYPE_NAMES: Record<DialectName, (type: string) => string> = {
  duckdb: (t) => (t === 'TIMESTAMPTZ' ? 'TIMESTAMP WITH TIME ZONE' : t === 'DECIMAL' ? 'DECIMAL(38, 10)' : t),
  databricks: (t) => ({ VARCHAR: 'STRING', TIMESTAMP: 'TIMESTAMP_NTZ', TIMESTAMPTZ: 'TIMESTAMP', REAL: 'FLOAT', DECIMAL: 'DECIMAL(38, 10)' })[t] ?? t,
};

/** One failed case. */
export interface ConformanceFailure {
  readonly type: string;
  readonly title: string;
  readonly id: string;
  readonly reason: string;
}

/** Per-engine outcome. */
export interface EngineReport {
  readonly engine: string;
  readonly total: number;
  readonly applicable: number;
  readonly passed: number;
  readonly failed: ConformanceFailure[];
  readonly byType: Record<string, { passed: number; failed: number; skipped: number }>;
}

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** Clock for `now()` suite parameters. */
  readonly now?: Date;
  /** Catalog.schema the datasets are loaded into (default `sandbox.gx_conformance`). */
  readonly schema?: readonly [string, string];
}

/**
 * Runs every applicable GX case on one engine: loads each dataset into a table (with `pk_index`
 * for the map families), validates all of the dataset's applicable tests as ONE suite (one scan;
 * `catch_exceptions` so a bad configuration is reported per test) and compares each result with
 * GX's expected output. Falls back to one test at a time when the batch cannot run.
 */
export async function runConformance(files: readonly ConformanceFile[], engine: ConformanceEngine, options: ConformanceOptions = {}): Promise<EngineReport> {
  const { warehouse, close } = await engine.open();
  const report: { -readonly [K in keyof EngineReport]: EngineReport[K] } = { engine: engine.name, total: 0, applicable: 0, passed: 0, failed: [], byType: {} };
  const [catalog, schema] = options.schema ?? ['sandbox', 'gx_conformance'];
  try {
    const realCatalog = (warehouse.layout.catalogs as Record<string, string>)[catalog] ?? catalog;
    await warehouse.query(warehouse.adapter.createSchemaSql(realCatalog, schema));
    for (const file of files) {
      const tally = (report.byType[file.expectation_type] ??= { passed: 0, failed: 0, skipped: 0 });
      for (const dataset of file.datasets) {
        report.total += dataset.tests.length;
        const tests = dataset.tests.filter((t) => isApplicable(dataset, t, engine.identities));
        tally.skipped += dataset.tests.length - tests.length;
        if (tests.length === 0) continue;
        report.applicable += tests.length;
        const table = `${catalog}.${schema}.${dataset.name}`;
        let loadError: string | undefined;
        try {
          await loadDataset(warehouse, `${realCatalog}.${schema}.${dataset.name}`, dataset);
        } catch (error) {
          loadError = `the dataset did not load: ${(error as Error).message.split('\n')[0]}`;
        }
        const results = loadError ? [] : await runTests(warehouse, table, file.expectation_type, dataset, tests, options);
        tests.forEach((test, i) => {
          const verdict = loadError ? { pass: false as const, reason: loadError } : checkResult(test, results[i] as ExpectationValidationResult);
          if (verdict.pass) {
            report.passed++;
            tally.passed++;
          } else {
            report.failed.push({ type: file.expectation_type, title: test.title, id: test.id, reason: verdict.reason });
            tally.failed++;
          }
        });
      }
    }
  } finally {
    await close();
  }
  return report;
}

async function runTests(warehouse: Warehouse, table: string, type: string, dataset: ConformanceDataset, tests: readonly ConformanceTest[], options: ConformanceOptions): Promise<ExpectationValidationResult[]> {
  const configs = tests.map((t, i) => {
    const kwargs = { ...t.kwargs };
    if (kwargs['result_format'] === undefined && t.effective_result_format !== undefined) kwargs['result_format'] = t.effective_result_format;
    return ExpectationConfig.create(type, kwargs, { name: `t${i}` });
  });
  const run = async (subset: readonly ExpectationConfig[]) =>
    (
      await validate(warehouse, table, expectationSuite(dataset.name, subset, dataset.pk_column ? { orderBy: ['pk_index'] } : {}), {
        catchExceptions: true,
        persist: false,
        throwOnFail: false,
        ...(options.now ? { now: options.now } : {}),
      })
    ).results;
  try {
    return await run(configs);
  } catch {
    const out: ExpectationValidationResult[] = [];
    for (const config of configs) {
      try {
        out.push(...(await run([config])));
      } catch (error) {
        out.push({
          success: false,
          expectation_config: { type: config.type, kwargs: { ...config.kwargs }, meta: { ...config.meta } },
          result: {},
          exception_info: { raised_exception: true, exception_message: (error as Error).message, exception_traceback: null },
        });
      }
    }
    return out;
  }
}

/** CREATE OR REPLACE the dataset's table (load_schema order, plus pk_index) and insert its rows with named parameters. */
async function loadDataset(warehouse: Warehouse, table: string, dataset: ConformanceDataset): Promise<void> {
  const a = warehouse.adapter;
  const typeName = TYPE_NAMES[a.dialect];
  const columns = Object.entries(dataset.load_schema).map(([name, type]) => ({ name, type: typeName(type) }));
  if (dataset.pk_column) columns.push({ name: 'pk_index', type: 'INTEGER' });
  const quoted = a.quoteQualified(table.split('.'));
  await warehouse.query(`CREATE OR REPLACE TABLE ${quoted} (${columns.map((c) => `${a.quoteIdentifier(c.name)} ${c.type}`).join(', ')})`);
  const rowCount = Math.max(0, ...Object.values(dataset.columns).map((v) => v.length));
  if (rowCount === 0) return;
  const params: Record<string, ParameterValue> = {};
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    rows.push(
      `(${columns
        .map((c, i) => {
          const value = c.name === 'pk_index' && dataset.pk_column && !(c.name in dataset.load_schema) ? r : (dataset.columns[c.name]?.[r] ?? null);
          params[`c${i}_${r}`] = value as ParameterValue;
          return `CAST(:c${i}_${r} AS ${c.type})`;
        })
        .join(', ')})`,
    );
  }
  await warehouse.query(compiledQuery(`INSERT INTO ${quoted} VALUES ${rows.join(', ')}`, params));
}

/** Sums engine reports for the CLI's totals. */
export function summarize(reports: readonly EngineReport[]): { total: number; applicable: number; passed: number; failed: (ConformanceFailure & { engine: string })[] } {
  return {
    total: reports.reduce((n, r) => n + r.total, 0),
    applicable: reports.reduce((n, r) => n + r.applicable, 0),
    passed: reports.reduce((n, r) => n + r.passed, 0),
    failed: reports.flatMap((r) => r.failed.map((f) => ({ ...f, engine: r.engine }))),
  };
}
