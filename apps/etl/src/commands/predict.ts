import type { Command } from 'commander';
import { classifyExpense, forecastSeries, listForecastSeries, listModelVersions, scoreTransaction } from '@odoo-ce/ml';
import type { CliContext, TargetOptions } from '../context.js';
import { formatTable } from '../format.js';
import { parsePositiveInt } from './query.js';

interface ForecastOptions extends TargetOptions {
  readonly series: string;
  readonly months: number;
  readonly json?: boolean;
}

interface AnomalyOptions extends TargetOptions {
  readonly agency: string;
  readonly vendor: string;
  readonly category: string;
  readonly amount: string;
  readonly date: string;
  readonly id?: string;
  readonly json?: boolean;
}

interface CategoryOptions extends TargetOptions {
  readonly vendor: string;
  readonly description: string;
  readonly amount: string;
  readonly json?: boolean;
}

const peso = (n: number) => n.toLocaleString('en-PH', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * `etl predict forecast --series <name> --months N [--json]`, `etl predict series`, `etl predict models`,
 * `etl predict anomaly …`, `etl predict category …` — the production models of
 * platinum.models.registry (trained by `etl run ml_training`). Errors are one line:
 * `[NO_MODEL] …` when nothing is in production, `[UNKNOWN_SERIES] …` listing the known series.
 */
export function registerPredictCommand(program: Command, ctx: CliContext): void {
  const predict = program.command('predict').description('predictions from the production ML models (run the ml_training job first)');
  const targetOptions = (c: Command) =>
    c.option('-t, --target <target>', 'platform target: local, dev, staging or prod (default: $ETL_TARGET or local)').option('--data-dir <dir>', 'DuckDB data directory (default: $ETL_DATA_DIR or .data/<target>)');
  const withWarehouse = async <T>(opts: TargetOptions, fn: (w: Awaited<ReturnType<CliContext['openWarehouse']>>) => Promise<T>): Promise<T> => {
    const warehouse = await ctx.openWarehouse({ ...(opts.target !== undefined ? { target: opts.target } : {}), ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}) });
    try {
      return await fn(warehouse);
    } finally {
      await warehouse.close();
    }
  };

  targetOptions(
    predict
      .command('forecast')
      .description('monthly forecast with a 95 % prediction interval for one series (e.g. ewt:RIM, input_vat:BOM, 1601c:withheld)')
      .requiredOption('--series <name>', 'series name (etl predict series lists them)')
      .option('--months <n>', 'months after the last month of data (default 12)', parsePositiveInt('--months'), 12)
      .option('--json', 'print {series, model_version, method, notes, points:[{month, point, lower, upper}]}'),
  ).action(async (opts: ForecastOptions) => {
    const result = await withWarehouse(opts, (w) => forecastSeries(w, { series: opts.series, months: opts.months }));
    if (opts.json) return ctx.print(JSON.stringify(result));
    const head = `${result.series} — bir_monthly_forecast v${result.model_version} (${result.method})${result.notes.length ? `\nnote: ${result.notes.join('\nnote: ')}` : ''}`;
    const columns = ['month', 'point', 'lower', 'upper'].map((name) => ({ name, type: name === 'month' ? 'VARCHAR' : 'DOUBLE' }));
    ctx.print(`${head}\n${formatTable(columns, result.points.map((p) => ({ month: p.month, point: peso(p.point), lower: peso(p.lower), upper: peso(p.upper) })))}`);
  });

  targetOptions(predict.command('series').description('the series the production forecast model knows').option('--json', 'print JSON')).action(
    async (opts: TargetOptions & { json?: boolean }) => {
      const result = await withWarehouse(opts, (w) => listForecastSeries(w));
      ctx.print(opts.json ? JSON.stringify(result) : `bir_monthly_forecast v${result.model_version}: ${result.series.join(', ')}`);
    },
  );

  targetOptions(predict.command('models').description('the versions in platinum.models.registry, newest first, with their stage and promotion metric').option('--json', 'print JSON')).action(
    async (opts: TargetOptions & { json?: boolean }) => {
      const versions = await withWarehouse(opts, (w) => listModelVersions(w));
      const rows = versions.map((v) => ({ name: v.name, version: v.version, stage: v.stage, metric: v.promotionMetric, value: v.promotionValue, run: v.trainingRunId, created_at: v.createdAt.toISOString() }));
      if (opts.json) return ctx.print(JSON.stringify(rows));
      const columns = ['name', 'version', 'stage', 'metric', 'value', 'run', 'created_at'].map((name) => ({ name, type: name === 'version' || name === 'value' ? 'DOUBLE' : 'VARCHAR' }));
      ctx.print(formatTable(columns, rows));
    },
  );

  targetOptions(
    predict
      .command('anomaly')
      .description('anomaly score of one expense (robust z per vendor and agency×category, isolation forest, duplicate payments)')
      .requiredOption('--agency <code>', 'agency, e.g. RIM')
      .requiredOption('--vendor <name>', 'vendor name')
      .requiredOption('--category <name>', 'expense category, e.g. meals')
      .requiredOption('--amount <pesos>', 'amount in pesos, e.g. 1250.00')
      .requiredOption('--date <YYYY-MM-DD>', 'transaction date')
      .option('--id <id>', 'transaction id (excluded from the duplicate search)')
      .option('--json', 'print {score, reasons, notes, model_version}'),
  ).action(async (opts: AnomalyOptions) => {
    const result = await withWarehouse(opts, (w) =>
      scoreTransaction(w, { agency: opts.agency, vendor: opts.vendor, category: opts.category, amount: opts.amount, date: opts.date, ...(opts.id ? { id: opts.id } : {}) }),
    );
    if (opts.json) return ctx.print(JSON.stringify(result));
    const lines = [`score ${result.score.toFixed(3)} (expense_anomaly v${result.model_version}): ${result.reasons.length ? 'FLAGGED' : 'nothing unusual'}`];
    for (const r of result.reasons) lines.push(`  reason: ${r}`);
    for (const n of result.notes) lines.push(`  note: ${n}`);
    ctx.print(lines.join('\n'));
  });

  targetOptions(
    predict
      .command('category')
      .description('expense category from vendor, description and amount')
      .requiredOption('--vendor <name>', 'vendor name')
      .option('--description <text>', 'description', '')
      .requiredOption('--amount <pesos>', 'amount in pesos')
      .option('--json', 'print {category, probability, model_version, unknown_tokens}'),
  ).action(async (opts: CategoryOptions) => {
    const result = await withWarehouse(opts, (w) => classifyExpense(w, { vendor: opts.vendor, description: opts.description, amount: opts.amount }));
    ctx.print(opts.json ? JSON.stringify(result) : `${result.category} (p = ${result.probability.toFixed(3)}, expense_classifier v${result.model_version})${result.note ? `\nnote: ${result.note}` : ''}`);
  });
}
