import { z } from 'zod';
import { RowCheck } from '../compiler/checks.js';
import { isNumeric } from '../compiler/column-types.js';
import { param } from '@odoo-ce/warehouse';
import { ATC_CODES } from '../bir/atc.js';
import { TIN_PATTERN } from '../bir/tin.js';
import { VAT_RATE, VAT_TOLERANCE } from '../bir/vat.js';
import { MAX_TAXABLE_SCALE, WITHHOLDING_PERIODS } from '../bir/withholding.js';
import { WITHHOLDING_TAX_TABLE_NAME } from '../bir/withholding-table.js';
import { columnMapCheck, inSetSql } from './column-map.js';
import { columnName, commonKwargs, defineExpectation, mostlyKwarg, type BuildContext, type ResolvedColumn } from './definition.js';
import { consideredRows } from './multi-column.js';

const decimalString = (name: string) =>
  z
    .union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()], { error: `${name} must be a non-negative decimal such as 0.01` })
    .transform((v) => String(v));

function numericColumns(ctx: BuildContext, cols: readonly (ResolvedColumn | undefined)[]): cols is ResolvedColumn[] {
  if (!cols.every((c): c is ResolvedColumn => c !== undefined)) return false;
  const bad = cols.find((c) => !isNumeric(c.category));
  if (bad) ctx.problem('TYPE_MISMATCH', `column ${bad.name} is ${bad.type}; amounts must be numeric (DECIMAL)`, 'kwargs');
  return bad === undefined;
}

/** An exact decimal literal as a bound parameter: `CAST(:p AS DECIMAL(18, s))`. */
function decimalParam(ctx: BuildContext, value: string): string {
  const scale = Math.min(MAX_TAXABLE_SCALE, value.split('.')[1]?.length ?? 0);
  return `CAST(${ctx.param(param.decimal(value))} AS ${ctx.adapter.typeName({ decimal: [18, scale] })})`;
}

export const BIR_EXPECTATIONS = [
  defineExpectation({
    type: 'expect_column_values_to_be_valid_ph_tin',
    family: 'column_map',
    description: 'Non-null values are Philippine TINs: ###-###-### with an optional 3- or 5-digit branch code (format only; there is no public check digit).',
    schema: z.strictObject({ column: columnName(), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      if (col.category !== 'string') {
        ctx.problem('TYPE_MISMATCH', `a TIN column must be text; column ${col.name} is ${col.type}`, 'kwargs.column');
        return undefined;
      }
      return columnMapCheck(col, ctx.adapter.regexpMatches(col.sql, ctx.param(TIN_PATTERN)), { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_column_values_to_be_valid_atc',
    family: 'column_map',
    description: 'Non-null values are known EWT ATC codes (optionally only individual or juridical payees).',
    schema: z.strictObject({ column: columnName(), payee: z.enum(['individual', 'juridical'], { error: 'payee must be individual or juridical' }).optional(), ...mostlyKwarg, ...commonKwargs }),
    build(k, ctx) {
      const col = ctx.column(k.column, 'kwargs.column');
      if (!col) return undefined;
      const codes = ATC_CODES.filter((a) => !k.payee || a.payee === k.payee).map((a) => a.code);
      const sql = inSetSql(ctx, col, codes, 'kwargs.column');
      return sql === undefined ? undefined : columnMapCheck(col, sql, { nullFree: true });
    },
  }),
  defineExpectation({
    type: 'expect_vat_to_be_rate_of_base',
    family: 'column_pair',
    description: 'Per document, |vat − rate × vatable base| <= tolerance (12% and ±0.01 by default), in exact decimals. Rows with both amounts NULL are not considered; one NULL is unexpected.',
    schema: z.strictObject({
      base_column: columnName('base_column'),
      vat_column: columnName('vat_column'),
      rate: decimalString('rate').optional(),
      tolerance: decimalString('tolerance').optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      const cols = [ctx.column(k.base_column, 'kwargs.base_column'), ctx.column(k.vat_column, 'kwargs.vat_column')];
      if (!numericColumns(ctx, cols)) return undefined;
      const [base, vat] = cols as [ResolvedColumn, ResolvedColumn];
      return RowCheck.create({
        considered: consideredRows([base, vat], 'both_values_are_missing'),
        passes: `abs(${vat.sql} - ${base.sql} * ${decimalParam(ctx, k.rate ?? VAT_RATE)}) <= ${decimalParam(ctx, k.tolerance ?? VAT_TOLERANCE)}`,
        values: [
          { key: 'v0', label: base.name, sql: base.sql },
          { key: 'v1', label: vat.name, sql: vat.sql },
        ],
        shape: 'pair',
      });
    },
  }),
  defineExpectation({
    type: 'expect_ewt_to_match_atc_rate',
    family: 'multicolumn',
    description: "Expanded withholding equals base × the ATC's rate within tolerance (±0.01); an unknown ATC is unexpected.",
    schema: z.strictObject({
      atc_column: columnName('atc_column'),
      base_column: columnName('base_column'),
      tax_column: columnName('tax_column'),
      tolerance: decimalString('tolerance').optional(),
      ...mostlyKwarg,
      ...commonKwargs,
    }),
    build(k, ctx) {
      const atc = ctx.column(k.atc_column, 'kwargs.atc_column');
      const amounts = [ctx.column(k.base_column, 'kwargs.base_column'), ctx.column(k.tax_column, 'kwargs.tax_column')];
      if (!atc || !numericColumns(ctx, amounts)) return undefined;
      const [base, tax] = amounts as [ResolvedColumn, ResolvedColumn];
      const rate = `CASE upper(${atc.sql}) ${ATC_CODES.map((a) => `WHEN ${ctx.param(a.code)} THEN ${decimalParam(ctx, a.rate)}`).join(' ')} END`;
      return RowCheck.create({
        considered: consideredRows([atc, base, tax], 'all_values_are_missing'),
        passes: `abs(${tax.sql} - ${base.sql} * ${rate}) <= ${decimalParam(ctx, k.tolerance ?? VAT_TOLERANCE)}`,
        values: [atc, base, tax].map((c, i) => ({ key: `v${i}`, label: c.name, sql: c.sql })),
        shape: 'object',
      });
    },
  }),
  defineExpectation({
    type: 'expect_withholding_to_match_tax_table',
    family: 'multicolumn',
    description:
      'Withholding on compensation equals the 2023+ table (reference table silver.shared.withholding_tax_table) for the period, within tolerance (0 by default). A taxable amount with no bracket (negative) is unexpected.',
    schema: z
      .strictObject({
        taxable_column: columnName('taxable_column'),
        tax_column: columnName('tax_column'),
        period: z.enum(WITHHOLDING_PERIODS, { error: `period must be one of ${WITHHOLDING_PERIODS.join(', ')}` }).optional(),
        period_column: columnName('period_column').optional(),
        tolerance: decimalString('tolerance').optional(),
        table: z.string({ error: 'table must be a table name' }).optional(),
        ...mostlyKwarg,
        ...commonKwargs,
      })
      .refine((k) => (k.period === undefined) !== (k.period_column === undefined), { error: 'give exactly one of period and period_column' }),
    build(k, ctx) {
      const amounts = [ctx.column(k.taxable_column, 'kwargs.taxable_column'), ctx.column(k.tax_column, 'kwargs.tax_column')];
      const periodCol = k.period_column === undefined ? undefined : ctx.column(k.period_column, 'kwargs.period_column');
      const ref = ctx.table(k.table ?? WITHHOLDING_TAX_TABLE_NAME, 'kwargs.table');
      if (!numericColumns(ctx, amounts) || (k.period_column !== undefined && !periodCol) || !ref) return undefined;
      const [taxable, tax] = amounts as [ResolvedColumn, ResolvedColumn];
      const q = (s: string) => ctx.adapter.quoteIdentifier(s);
      const join = ctx.alias('wt');
      const expected = ctx.alias('expected_tax');
      const src = (c: ResolvedColumn) => `${q('_dq_t')}.${c.sql}`;
      const x = `CAST(${src(taxable)} AS ${ctx.adapter.typeName({ decimal: [24, MAX_TAXABLE_SCALE] })})`;
      const period = periodCol ? src(periodCol) : ctx.param(k.period as string);
      return RowCheck.create({
        considered: consideredRows([taxable, tax], 'both_values_are_missing'),
        passes: `abs(${tax.sql} - ${q(expected)}) <= ${decimalParam(ctx, k.tolerance ?? '0.00')}`,
        values: [
          { key: 'v0', label: taxable.name, sql: taxable.sql },
          { key: 'v1', label: tax.name, sql: tax.sql },
          { key: 'v2', label: 'expected_tax', sql: q(expected) },
        ],
        shape: 'object',
        joins: [
          {
            alias: join,
            table: ref,
            on: `${q(join)}.period = ${period} AND ${x} >= ${q(join)}.lower_bound AND (${q(join)}.upper_bound IS NULL OR ${x} < ${q(join)}.upper_bound)`,
            columns: [{ alias: expected, sql: `round(${q(join)}.fixed_tax + ${q(join)}.rate * (${x} - ${q(join)}.lower_bound), 2)` }],
          },
        ],
      });
    },
  }),
];
