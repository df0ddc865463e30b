import { compiledQuery, param, type CompiledQuery, type ParameterValue, type QueryExecutor } from '@odoo-ce/warehouse';
import { DataQualityError } from '../errors.js';
import { resolveTableName, type ResolvedTableName } from '../runner/table-name.js';
import { formatAmount, MAX_TAXABLE_SCALE, parseTaxable, parseWithholdingPeriod, WITHHOLDING_TAX_TABLE, type WithholdingResult } from './withholding.js';

/** Where SQL finds the withholding table (logical name; the layer is mapped per target). */
export const WITHHOLDING_TAX_TABLE_NAME = 'silver.shared.withholding_tax_table';

function resolve(executor: QueryExecutor, logical: string): ResolvedTableName {
  const resolved = resolveTableName(executor.adapter, executor.layout, logical);
  if ('error' in resolved) throw new DataQualityError('INVALID_INPUT', resolved.error);
  return resolved;
}

/**
 * The statements that (re)create the reference table `silver.shared.withholding_tax_table`
 * (period, bracket, lower_bound, upper_bound — the next bracket's lower bound, exclusive; NULL
 * for the top bracket —, fixed_tax, rate, effective_from, source) from {@link WITHHOLDING_TAX_TABLE}.
 */
export function withholdingTaxTableStatements(executor: QueryExecutor, logical = WITHHOLDING_TAX_TABLE_NAME): CompiledQuery[] {
  const a = executor.adapter;
  const t = resolve(executor, logical);
  const money = a.typeName({ decimal: [18, 2] });
  const statements: CompiledQuery[] = [];
  if (t.parts.length === 3) statements.push(compiledQuery(a.createSchemaSql(t.parts[0] as string, t.parts[1] as string)));
  statements.push(
    compiledQuery(
      `CREATE OR REPLACE TABLE ${t.sql} (period ${a.typeName('string')}, bracket ${a.typeName('int')}, lower_bound ${money}, upper_bound ${money}, ` +
        `fixed_tax ${money}, rate ${a.typeName({ decimal: [6, 4] })}, effective_from ${a.typeName('date')}, source ${a.typeName('string')})`,
    ),
  );
  const params: Record<string, ParameterValue> = { source: 'RR 11-2018 Annex E (2023+); NIRC 24(A)(2)(a) annual table', from: param.date('2023-01-01') };
  const rows = WITHHOLDING_TAX_TABLE.map((b, i) => {
    const next = WITHHOLDING_TAX_TABLE[i + 1];
    const upper = next && next.period === b.period ? next.lower : null;
    params[`p${i}`] = b.period;
    params[`b${i}`] = b.bracket;
    params[`l${i}`] = param.decimal(b.lower);
    params[`u${i}`] = param.decimal(upper);
    params[`f${i}`] = param.decimal(b.fixed);
    params[`r${i}`] = param.decimal(b.rate);
    return `(:p${i}, :b${i}, CAST(:l${i} AS ${money}), CAST(:u${i} AS ${money}), CAST(:f${i} AS ${money}), CAST(:r${i} AS ${a.typeName({ decimal: [6, 4] })}), :from, :source)`;
  });
  statements.push(compiledQuery(`INSERT INTO ${t.sql} VALUES ${rows.join(', ')}`, params));
  return statements;
}

/** Creates (or replaces) the withholding reference table on the executor's target. */
export async function installWithholdingTaxTable(executor: QueryExecutor, logical = WITHHOLDING_TAX_TABLE_NAME): Promise<void> {
  for (const statement of withholdingTaxTableStatements(executor, logical)) await executor.query(statement);
}

/**
 * The SQL twin of `withholdingTax`: one row `(bracket, tax)` from the reference table, in exact
 * DECIMAL arithmetic, `round(…, 2)` (half-up on both engines).
 */
export function withholdingTaxQuery(executor: QueryExecutor, period: string, taxable: string, logical = WITHHOLDING_TAX_TABLE_NAME): CompiledQuery {
  const p = parseWithholdingPeriod(period);
  const amount = parseTaxable(taxable);
  const a = executor.adapter;
  const t = resolve(executor, logical);
  const x = `CAST(:taxable AS ${a.typeName({ decimal: [24, MAX_TAXABLE_SCALE] })})`;
  return compiledQuery(
    `SELECT w.bracket AS bracket, CAST(round(w.fixed_tax + w.rate * (${x} - w.lower_bound), 2) AS ${a.typeName({ decimal: [18, 2] })}) AS tax ` +
      `FROM ${t.sql} AS w WHERE w.period = :period AND ${x} >= w.lower_bound AND (w.upper_bound IS NULL OR ${x} < w.upper_bound)`,
    { period: p, taxable: param.decimal(amount.toString()) },
  );
}

/** Runs {@link withholdingTaxQuery}; the result has the same shape as `withholdingTax`. */
export async function withholdingTaxFromTable(executor: QueryExecutor, period: string, taxable: string, logical = WITHHOLDING_TAX_TABLE_NAME): Promise<WithholdingResult> {
  const { rows } = await executor.query<{ bracket: unknown; tax: unknown }>(withholdingTaxQuery(executor, period, taxable, logical));
  if (rows.length !== 1) throw new DataQualityError('INVALID_INPUT', `${logical} has ${rows.length} brackets for ${period} ${taxable}; expected exactly one`);
  const row = rows[0] as { bracket: unknown; tax: unknown };
  return Object.freeze({ period: parseWithholdingPeriod(period), taxable_compensation: formatAmount(parseTaxable(taxable)), bracket: Number(row.bracket), tax: String(row.tax) });
}
