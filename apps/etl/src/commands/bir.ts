import type { Command } from 'commander';
import { Decimal, MAX_TAXABLE_SCALE, WITHHOLDING_PERIODS, WITHHOLDING_TAX_TABLE, withholdingTax, type WithholdingPeriod } from '@odoo-ce/data-quality';
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

/** `0.15` → `15`, `0.025` → `2.5` (exact). */
function percent(rate: string): string {
  return Decimal.parse(rate).times(Decimal.parse('100')).toString().replace(/\.?0+$/, '') || '0';
}
