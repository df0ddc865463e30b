import { forecastSeries, MlError, scoreTransaction } from '@odoo-ce/ml';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { McpToolError } from '../errors.js';
import { defineTool } from '../tool.js';

/** The Unity Catalog function that stands for the forecast: EXECUTE on it is what `predict` checks. */
export const FORECAST_FUNCTION = 'ml_features.get_bir_forecast';
/** The feature table anomaly scoring reads (duplicate-payment search): SELECT on it is checked. */
export const ANOMALY_TABLE = 'ml_features.expense_prediction';

const input = z
  .object({
    kind: z.enum(['forecast', 'anomaly']).describe('forecast: the next N months of a BIR series; anomaly: the anomaly score of one Scout transaction'),
    series: z.string().min(1).max(200).optional().describe('forecast: a series of gold.ml_features.bir_forecasting, e.g. "ewt:RIM"'),
    months: z.number().int().min(1).max(24).optional().describe('forecast: months ahead (default 3)'),
    transaction: z
      .object({
        id: z.string().max(200).optional(),
        agency: z.string().min(1).max(200),
        vendor: z.string().min(1).max(400),
        category: z.string().min(1).max(200),
        amount: z.union([z.number(), z.string().max(40)]).describe('pesos, > 0'),
        date: z.string().describe('YYYY-MM-DD'),
      })
      .strict()
      .optional()
      .describe('anomaly: the transaction'),
  })
  .strict();

const output = z.object({
  kind: z.enum(['forecast', 'anomaly']),
  model_version: z.number(),
  series: z.string().optional(),
  method: z.string().optional(),
  points: z.array(z.object({ month: z.string(), point: z.number(), lower: z.number(), upper: z.number() })).optional(),
  score: z.number().optional(),
  reasons: z.array(z.string()).optional(),
  notes: z.array(z.string()),
});

/**
 * `predict`: serving from the production models of `@odoo-ce/ml` (registry in platinum). A
 * forecast needs EXECUTE on `gold.ml_features.get_bir_forecast`; an anomaly score needs SELECT on
 * the feature table it searches. No production model → a clean "no model registered".
 */
export function predictTool(ctx: ServerContext) {
  const gold = ctx.warehouse.layout.catalogs.gold;
  return defineTool({
    name: 'predict',
    title: 'Forecast a BIR series or score a transaction',
    description:
      'kind=forecast: the next N months (1–24) of a monthly BIR series with a 95% interval (series such as "ewt:RIM"); ' +
      'kind=anomaly: the anomaly score (0–1) of one Scout transaction, with reasons.',
    input,
    output,
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      try {
        if (args.kind === 'forecast') {
          if (!args.series) throw new McpToolError('INVALID_ARGUMENT', 'series: required for kind=forecast, e.g. "ewt:RIM"');
          const fn = `${gold}.${FORECAST_FUNCTION}`;
          if (!(await ctx.access.canExecute(call.principal, fn))) throw new McpToolError('REFUSED', `${call.principal} lacks EXECUTE on FUNCTION ${fn}`);
          const f = await forecastSeries(ctx.warehouse, { series: args.series, months: args.months ?? 3 });
          return {
            data: { kind: 'forecast' as const, model_version: f.model_version, series: f.series, method: f.method, points: f.points.map((p) => ({ ...p })), notes: [...f.notes] },
            summary: `${f.points.length}-month forecast of ${f.series} (${f.method}, model v${f.model_version})`,
          };
        }
        if (!args.transaction) throw new McpToolError('INVALID_ARGUMENT', 'transaction: required for kind=anomaly ({agency, vendor, category, amount, date})');
        const [schema, table] = ANOMALY_TABLE.split('.') as [string, string];
        call.audit.tables = [`${gold}.${ANOMALY_TABLE}`];
        // The score can carry row data (a duplicate's transaction id): SELECT, not BROWSE.
        if (!(await ctx.access.canRead(call.principal, { catalog: gold, schema, table }))) throw new McpToolError('REFUSED', `${call.principal} may not read ${gold}.${ANOMALY_TABLE}`);
        const tx = args.transaction;
        const s = await scoreTransaction(ctx.warehouse, { ...(tx.id !== undefined ? { id: tx.id } : {}), agency: tx.agency, vendor: tx.vendor, category: tx.category, amount: tx.amount, date: tx.date });
        return {
          data: { kind: 'anomaly' as const, model_version: s.model_version, score: s.score, reasons: [...s.reasons], notes: [...s.notes] },
          summary: `anomaly score ${s.score.toFixed(3)}${s.reasons.length ? `: ${s.reasons.join('; ')}` : ' (nothing unusual)'}`,
        };
      } catch (error) {
        throw fromMl(error, args.kind);
      }
    },
  });
}

function fromMl(error: unknown, kind: 'forecast' | 'anomaly'): unknown {
  if (!(error instanceof MlError)) return error;
  switch (error.code) {
    case 'NO_MODEL':
      // The library's message names the registry table; the agent only needs to know there is no model.
      return new McpToolError('NOT_FOUND', `no model registered: no ${kind} model is in production on this target`, { cause: error });
    case 'UNKNOWN_SERIES':
    case 'SERIES_TOO_SHORT':
    case 'NO_FEATURES':
      return new McpToolError('NOT_FOUND', error.message, { cause: error });
    case 'INVALID_INPUT':
      return new McpToolError('INVALID_ARGUMENT', error.message, { cause: error });
    default:
      return error;
  }
}
