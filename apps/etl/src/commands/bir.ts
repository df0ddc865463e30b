import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DataQualityError, Decimal, MAX_TAXABLE_SCALE, vat2550q, WITHHOLDING_PERIODS, WITHHOLDING_TAX_TABLE, withholdingTax, type WithholdingPeriod } from '@odoo-ce/data-quality';
import { CliExit } from '../context.js';
import type { CliDeps } from './dq.js';

interface WithholdingOptions {
  readonly period: string;
  readonly taxable: string;
  readonly json?: boolean;
}

/**
 * `etl bir withholding --period <p> --taxable <amount> [--json]` — withholding tax on compensation
 * for one pay period (2023+ table, RR 11-2018 Annex "E"; `annual` uses the annual income tax
 * table), exact decimal arithmetic, half-up to centavos. With --json prints
 * `{"period","taxable_compensation","tax"}` with decimal strings.
 *
 * Exit codes (thrown as `CliExit`): 0 ok; 2 bad input, with one message naming the option, the
 * value and what was expected.
 */
export function registerBirCommand(program: Command, deps: Pick<CliDeps, 'print'>): void {
  const bir = program.command('bir').description('Philippine BIR helpers (bir-rules.md)');
  registerVat2550qCommand(bir, deps);
  bir
    .command('withholding')
    .description('withholding tax on compensation for one pay period')
    .requiredOption('--period <period>', `pay period: ${WITHHOLDING_PERIODS.join(', ')}`)
    .requiredOption('--taxable <amount>', 'taxable compensation for the period, a decimal amount such as 25000.00')
    .option('--json', 'print {"period","taxable_compensation","tax"} as JSON')
    .action((opts: WithholdingOptions) => {
      if (!(WITHHOLDING_PERIODS as readonly string[]).includes(opts.period)) {
        throw new CliExit(`--period "${opts.period}" is not a pay period; expected one of ${WITHHOLDING_PERIODS.join(', ')}`, 2);
      }
      const taxable = opts.taxable.trim();
      if (!Decimal.isDecimal(taxable) || taxable.startsWith('-') || (taxable.split('.')[1]?.length ?? 0) > MAX_TAXABLE_SCALE) {
        throw new CliExit(`--taxable "${opts.taxable}" is not an amount; expected a non-negative decimal with at most ${MAX_TAXABLE_SCALE} decimal places, e.g. 25000.00`, 2);
      }
      const result = withholdingTax(opts.period as WithholdingPeriod, taxable);
      if (opts.json) {
        deps.print(JSON.stringify({ period: result.period, taxable_compensation: result.taxable_compensation, tax: result.tax }));
        return;
      }
      const b = WITHHOLDING_TAX_TABLE.find((x) => x.period === result.period && x.bracket === result.bracket);
      const rule = b ? `${b.fixed} + ${percent(b.rate)}% over ${b.lower}` : '';
      deps.print(`period: ${result.period}\ntaxable compensation: ${result.taxable_compensation}\nbracket: ${result.bracket} (${rule})\ntax: ${result.tax}`);
    });
}

/**
 * `etl bir vat-2550q --input <file.json> [--json]` — a 2550Q from a quarter's totals (decimal
 * strings; absent = 0), per bir-rules.md §3.2, each tax half-up to centavos. Exit 2 on bad input,
 * naming every bad field with its value.
 */
export function registerVat2550qCommand(bir: Command, deps: Pick<CliDeps, 'print'>): void {
  bir
    .command('vat-2550q')
    .description('quarterly VAT return (2550Q) lines from a quarter of totals')
    .requiredOption('--input <file>', 'JSON: vatable_sales, zero_rated_sales, exempt_sales, purchases{…}, input_tax_carried_over, creditable_vat_withheld')
    .option('--json', 'print the lines as JSON')
    .action((opts: { input: string; json?: boolean }) => {
      let input: unknown;
      try {
        input = JSON.parse(readFileSync(opts.input, 'utf8'));
      } catch (error) {
        throw new CliExit(`--input "${opts.input}" is not a readable JSON file: ${error instanceof Error ? error.message : String(error)}`, 2);
      }
      let lines: ReturnType<typeof vat2550q>;
      try {
        lines = vat2550q(input);
      } catch (error) {
        if (error instanceof DataQualityError) throw new CliExit(error.message, 2);
        throw error;
      }
      deps.print(opts.json ? JSON.stringify(lines) : Object.entries(lines).map(([k, v]) => `${k}: ${v}`).join('\n'));
    });
}

/** `0.15` → `15`, `0.025` → `2.5` (exact). */
function percent(rate: string): string {
  return Decimal.parse(rate).times(Decimal.parse('100')).toString().replace(/\.?0+$/, '') || '0';
}
