import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DataQualityError, loadSuiteFile, validate, type SuiteTable, type SuiteValidationResult } from '@odoo-ce/data-quality';
import type { Warehouse } from '@odoo-ce/warehouse';
import { CliExit } from '../context.js';
import { formatTable } from '../format.js';

/**
 * What the `dq` and `bir` commands need from the CLI. Structurally a subset of `CliContext`,
 * so `registerDqCommand(program, ctx)` works as is.
 */
export interface CliDeps {
  /** Opens the target's warehouse (`local`, `dev`, `staging`, `prod`). */
  openWarehouse(options: { readonly target?: string }): Promise<Warehouse>;
  /** Command output (tables, JSON) on stdout. */
  print(text: string): void;
  /** Base for relative paths (default: the process's working directory). */
  readonly cwd?: string;
}

interface ValidateOptions {
  readonly target: string;
  readonly suite: string;
  readonly table?: string;
  readonly json?: boolean;
}

/** One table's outcome: results, or the problems that kept it from running. */
type TableOutcome = { readonly table: string; readonly validation: SuiteValidationResult } | { readonly table: string; readonly error: DataQualityError };

/**
 * `etl dq validate --target <t> --suite <file> [--table <name>] [--json]` — validates the tables of
 * a suite file (databricks/quality/*.yml) on a target, one scan per table, and stores the results
 * in the target's `dq_results`.
 *
 * Exit codes (thrown as `CliExit`): 0 all `fail` expectations passed; 1 a `fail` expectation failed;
 * 2 bad input (unreadable or invalid suite, unknown --table, a suite that does not fit its table).
 */
export function registerDqCommand(program: Command, deps: CliDeps): void {
  const dq = program.command('dq').description('data-quality suites: Great Expectations names, Lakeflow actions, one scan per table');
  dq.command('validate')
    .description("validate the tables of a suite file on a target and print each expectation's result")
    .requiredOption('-t, --target <target>', 'target: local, dev, staging or prod')
    .requiredOption('--suite <file>', 'suite file, e.g. databricks/quality/silver.yml')
    .option('--table <name>', 'only this table of the suite (logical name, e.g. silver.finance.moves)')
    .option('--json', 'print the GX-shaped validation results as JSON')
    .action(async (opts: ValidateOptions) => {
      const path = resolve(deps.cwd ?? process.cwd(), opts.suite);
      let file;
      try {
        file = await loadSuiteFile(path);
      } catch (error) {
        throw new CliExit(error instanceof DataQualityError ? `--suite ${opts.suite}: ${error.message}` : String(error), 2);
      }
      const tables: readonly SuiteTable[] = opts.table ? file.tables.filter((t) => t.table === opts.table) : file.tables;
      if (tables.length === 0) {
        throw new CliExit(`--table "${opts.table}" is not in ${opts.suite}; expected one of ${file.tables.map((t) => t.table).join(', ')}`, 2);
      }
      const warehouse = await deps.openWarehouse({ target: opts.target });
      const outcomes: TableOutcome[] = [];
      try {
        for (const entry of tables) {
          try {
            const validation = await validate(warehouse, entry.table, entry.suite, { throwOnFail: false, ...(file.resultFormat ? { resultFormat: file.resultFormat } : {}) });
            outcomes.push({ table: entry.table, validation });
          } catch (error) {
            if (!(error instanceof DataQualityError)) throw error;
            outcomes.push({ table: entry.table, error });
          }
        }
      } finally {
        await warehouse.close();
      }
      deps.print(opts.json ? toJson(file.name, outcomes) : toText(outcomes));
      const broken = outcomes.filter((o): o is Extract<TableOutcome, { error: DataQualityError }> => 'error' in o);
      if (broken.length > 0) throw new CliExit(`${broken.length} table${broken.length === 1 ? '' : 's'} could not be validated: ${broken.map((b) => b.table).join(', ')} (see above)`, 2);
      const failed = outcomes.flatMap((o) => ('validation' in o ? o.validation.meta.failed_fail_expectations.map((n) => `${o.table}:${n}`) : []));
      if (failed.length > 0) throw new CliExit(`${failed.length} expectation${failed.length === 1 ? '' : 's'} with action fail failed: ${failed.join(', ')}`, 1);
    });
}

function toJson(suite: string, outcomes: readonly TableOutcome[]): string {
  return JSON.stringify({
    suite,
    success: outcomes.every((o) => 'validation' in o && o.validation.success),
    tables: outcomes.map((o) => ('validation' in o ? o.validation : { table: o.table, error: { code: o.error.code, message: o.error.message } })),
  });
}

function detail(result: SuiteValidationResult['results'][number]): string {
  const r = result.result;
  if (result.exception_info.raised_exception) return result.exception_info.exception_message ?? 'error';
  if (r.unexpected_count !== undefined) return `${r.unexpected_count} unexpected of ${r.element_count}${r.unexpected_percent != null ? ` (${r.unexpected_percent.toFixed(2)}%)` : ''}`;
  if (r.observed_value !== undefined) return `observed ${JSON.stringify(r.observed_value)}`;
  return '';
}

function toText(outcomes: readonly TableOutcome[]): string {
  const columns = ['status', 'action', 'expectation', 'type', 'detail'].map((name) => ({ name, type: 'VARCHAR' }));
  return outcomes
    .map((o) => {
      if ('error' in o) return `${o.table}: ${o.error.message}`;
      const v = o.validation;
      const rows = v.results.map((r) => ({
        status: r.exception_info.raised_exception ? 'ERROR' : r.success ? 'PASS' : 'FAIL',
        action: r.expectation_config.meta.action,
        expectation: r.expectation_config.meta.name,
        type: r.expectation_config.type,
        detail: detail(r),
      }));
      return `${o.table} — ${v.statistics.successful_expectations}/${v.statistics.evaluated_expectations} expectations met (run ${v.meta.run_id})\n${formatTable(columns, rows, 70)}`;
    })
    .join('\n\n');
}
