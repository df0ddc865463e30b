import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { loadBundle } from '@odoo-ce/bundle';
import { adapterFor, renderSql, type CatalogLayout } from '@odoo-ce/warehouse';
import { ANALYTICS_QUERIES, ANALYTICS_SQL_DIR, loadAnalyticsSql, REPO_ROOT, type AnalyticsQuery } from './analytics.js';
import {
  chartWidget,
  counterWidget,
  datePickerWidget,
  dateParameter,
  queryLines,
  tableWidget,
  textWidget,
  type LakeviewDashboard,
  type LakeviewDataset,
  type LakeviewPage,
  type LakeviewPosition,
  type LakeviewWidget,
} from './lakeview.js';

/** The bundle targets that get their own copy of every dashboard (catalog names differ per target). */
export const DASHBOARD_TARGETS = ['dev', 'staging', 'prod'] as const;

/** Where the generated dashboards live, relative to the repository root: `<dir>/<target>/<key>.lvdash.json`. */
export const DASHBOARDS_DIR = join('databricks', 'dashboards');

/** The dashboards, by file name (and bundle resource key). */
export const DASHBOARD_KEYS = ['bir_compliance', 'scout_expenses', 'executive_summary'] as const;

/** One generated dashboard file. */
export interface GeneratedDashboard {
  readonly target: string;
  readonly key: (typeof DASHBOARD_KEYS)[number];
  /** Path relative to the repository root. */
  readonly path: string;
  /** The file content: pretty-printed JSON with a final newline. */
  readonly content: string;
}

/** Options of {@link generateDashboards}. */
export interface GenerateDashboardsOptions {
  /** Bundle targets to generate for (default: {@link DASHBOARD_TARGETS}). */
  readonly targets?: readonly string[];
  readonly repoRoot?: string;
}

/** The dataset name of an analytics query: `bir/1601c_monthly` → `bir_1601c_monthly`. */
export function datasetName(query: AnalyticsQuery): string {
  return query.key.replace(/\//g, '_');
}

/**
 * The catalogs a bundle target deploys to, from the bundle's own variables (`bronze_catalog`, …,
 * `ops_catalog`, `ops_schema`): the same names its jobs write to.
 */
export async function bundleLayout(target: string, repoRoot: string = REPO_ROOT): Promise<CatalogLayout> {
  const bundle = await loadBundle(join(repoRoot, 'databricks', 'bundles'), { target, env: {} });
  const variable = (name: string): string => {
    const value = bundle.variables[name]?.value;
    if (typeof value !== 'string' || value === '') throw new Error(`bundle variable ${name} has no value for target ${target}`);
    return value;
  };
  const prefix = typeof bundle.variables['catalog_prefix']?.value === 'string' ? (bundle.variables['catalog_prefix'].value as string) : '';
  return {
    catalogs: {
      bronze: variable('bronze_catalog'),
      silver: variable('silver_catalog'),
      gold: variable('gold_catalog'),
      platinum: variable('platinum_catalog'),
      sandbox: `${prefix}sandbox`,
    },
    ops: { catalog: variable('ops_catalog'), schema: variable('ops_schema') },
  };
}

/** A page under construction: widgets placed row by row on the 6-column grid. */
class PageBuilder {
  readonly #layout: { widget: LakeviewWidget; position: LakeviewPosition }[] = [];
  #y = 0;

  constructor(
    readonly name: string,
    readonly displayName: string,
  ) {}

  /** Places widgets side by side in one row of the given height; widths must add up to at most 6. */
  row(height: number, ...cells: readonly (readonly [width: number, widget: LakeviewWidget])[]): this {
    let x = 0;
    for (const [width, widget] of cells) {
      this.#layout.push({ widget, position: { x, y: this.#y, width, height } });
      x += width;
    }
    if (x > 6) throw new Error(`page ${this.name}: a row is ${x} columns wide (at most 6)`);
    this.#y += height;
    return this;
  }

  build(): LakeviewPage {
    return { name: this.name, displayName: this.displayName, layout: this.#layout };
  }
}

const Q = ANALYTICS_QUERIES;
const ds = datasetName;

function birDashboard(): { queries: AnalyticsQuery[]; pages: LakeviewPage[] } {
  const asOfDatasets = [ds(Q.filingStatus), ds(Q.filingCalendar), ds(Q.bir1601c), ds(Q.bir2550q)];
  const status = new PageBuilder('filing_status', 'Filing status')
    .row(2, [6, textWidget('title', '# BIR compliance\nDeadlines and filing status of 1601-C (withholding on compensation, monthly) and 2550Q (VAT, quarterly) on the as-of date: *upcoming* while the period is open, *due* from its close until the deadline, *overdue* after it. Amounts in PHP.')])
    .row(1, [2, datePickerWidget('as_of', 'as_of', 'Filing status as of', asOfDatasets)])
    .row(
      2,
      [2, counterWidget('overdue_filings', ds(Q.filingStatus), 'overdue_filings', 'Overdue returns', 'count')],
      [2, counterWidget('due_filings', ds(Q.filingStatus), 'due_filings', 'Returns due now', 'count')],
      [2, counterWidget('due_amount', ds(Q.filingStatus), 'due_amount', 'To remit with the returns due now', 'php')],
    )
    .row(9, [
      6,
      tableWidget('filing_calendar', ds(Q.filingCalendar), 'Filing calendar', [
        { field: 'form', title: 'Form', format: 'text' },
        { field: 'description', title: 'Return', format: 'text' },
        { field: 'period', title: 'Period', format: 'text' },
        { field: 'period_end', title: 'Period end', format: 'date' },
        { field: 'due_date', title: 'Deadline', format: 'date' },
        { field: 'amount_payable', title: 'Amount to remit (PHP)', format: 'php' },
        { field: 'filing_status', title: 'Status', format: 'text' },
        { field: 'days_to_due', title: 'Days to deadline', format: 'count' },
      ]),
    ])
    .build();
  const withholding = new PageBuilder('bir_1601c', '1601-C withholding on compensation')
    .row(6, [
      6,
      chartWidget({
        name: 'tax_required_vs_withheld',
        dataset: ds(Q.bir1601c),
        title: 'Tax required vs taxes withheld by month',
        kind: 'bar',
        x: { field: 'month', temporal: true, title: 'Month' },
        y: [
          { field: 'tax_required', title: 'Tax required (2023+ table)' },
          { field: 'item25_total_taxes_withheld', title: 'Taxes withheld (item 25)' },
        ],
        yTitle: 'PHP',
        yFormat: 'php',
      }),
    ])
    .row(8, [
      6,
      tableWidget('bir_1601c_table', ds(Q.bir1601c), '1601-C per month', [
        { field: 'period', title: 'Month', format: 'text' },
        { field: 'employees', title: 'Employees', format: 'count' },
        { field: 'item14_total_compensation', title: 'Compensation (14)', format: 'php' },
        { field: 'item21_total_non_taxable', title: 'Non-taxable (21)', format: 'php' },
        { field: 'item22_total_taxable', title: 'Taxable (22)', format: 'php' },
        { field: 'tax_required', title: 'Tax required', format: 'php' },
        { field: 'item25_total_taxes_withheld', title: 'Withheld (25)', format: 'php' },
        { field: 'variance', title: 'Variance', format: 'php' },
        { field: 'under_withheld_employees', title: 'Under-withheld employees', format: 'count' },
        { field: 'due_date', title: 'Deadline', format: 'date' },
        { field: 'filing_status', title: 'Status', format: 'text' },
      ]),
    ])
    .build();
  const vat = new PageBuilder('bir_2550q', '2550Q quarterly VAT')
    .row(6, [
      6,
      chartWidget({
        name: 'vat_by_quarter',
        dataset: ds(Q.bir2550q),
        title: 'Output VAT, allowable input tax and net VAT payable by quarter',
        kind: 'bar',
        x: { field: 'period', temporal: false, title: 'Quarter' },
        y: [
          { field: 'line31_output_vat', title: 'Output VAT (31)' },
          { field: 'line60_allowable_input_tax', title: 'Allowable input tax (60)' },
          { field: 'line61_net_vat_payable', title: 'Net VAT payable (61)' },
        ],
        yTitle: 'PHP',
        yFormat: 'php',
      }),
    ])
    .row(6, [
      6,
      tableWidget('bir_2550q_table', ds(Q.bir2550q), '2550Q per quarter', [
        { field: 'period', title: 'Quarter', format: 'text' },
        { field: 'line31_vatable_sales', title: 'Vatable sales (31)', format: 'php' },
        { field: 'line31_output_vat', title: 'Output VAT (31)', format: 'php' },
        { field: 'line32_zero_rated_sales', title: 'Zero-rated (32)', format: 'php' },
        { field: 'line33_exempt_sales', title: 'Exempt (33)', format: 'php' },
        { field: 'line50_current_input_tax', title: 'Input tax (50)', format: 'php' },
        { field: 'line60_allowable_input_tax', title: 'Allowable input (60)', format: 'php' },
        { field: 'line61_net_vat_payable', title: 'Net VAT payable (61)', format: 'php' },
        { field: 'line21_tax_still_payable', title: 'Still payable (21)', format: 'php' },
        { field: 'due_date', title: 'Deadline', format: 'date' },
        { field: 'filing_status', title: 'Status', format: 'text' },
      ]),
    ])
    .build();
  return { queries: [Q.filingStatus, Q.filingCalendar, Q.bir1601c, Q.bir2550q], pages: [status, withholding, vat] };
}

function scoutDashboard(): { queries: AnalyticsQuery[]; pages: LakeviewPage[] } {
  const spend = new PageBuilder('spend', 'Spend')
    .row(2, [6, textWidget('title', '# Scout field expenses\nValidated (silver) Scout transactions by agency, category and vendor, per month in the Asia/Manila calendar. Amounts in PHP.')])
    .row(
      6,
      [3, chartWidget({ name: 'spend_by_agency', dataset: ds(Q.agencySpendMonthly), title: 'Spend by agency and month', kind: 'line', x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'total_php', title: 'Spend' }], yTitle: 'PHP', yFormat: 'php', color: { field: 'agency', title: 'Agency' } })],
      [3, chartWidget({ name: 'spend_by_category', dataset: ds(Q.categorySpendMonthly), title: 'Spend by category and month', kind: 'bar', stacked: true, x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'total_php', title: 'Spend' }], yTitle: 'PHP', yFormat: 'php', color: { field: 'category', title: 'Category' } })],
    )
    .row(
      6,
      [3, chartWidget({ name: 'top_vendors', dataset: ds(Q.topVendors), title: 'Top vendors by spend', kind: 'bar', horizontal: true, x: { field: 'vendor_name', temporal: false, title: 'Vendor' }, y: [{ field: 'total_php', title: 'Spend' }], yTitle: 'PHP', yFormat: 'php' })],
      [3, chartWidget({ name: 'largest_vendors_by_month', dataset: ds(Q.vendorSpendMonthly), title: 'Spend with the largest vendors by month', kind: 'line', x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'total_php', title: 'Spend' }], yTitle: 'PHP', yFormat: 'php', color: { field: 'vendor', title: 'Vendor' } })],
    )
    .row(5, [
      6,
      tableWidget('agencies', ds(Q.agencySpend), 'By agency', [
        { field: 'agency', title: 'Agency', format: 'text' },
        { field: 'transactions', title: 'Transactions', format: 'count' },
        { field: 'vendors', title: 'Vendors', format: 'count' },
        { field: 'total_php', title: 'Total spend (PHP)', format: 'php' },
        { field: 'average_php', title: 'Average (PHP)', format: 'php' },
        { field: 'share_pct', title: 'Share (%)', format: 'percent' },
        { field: 'first_transaction', title: 'First', format: 'date' },
        { field: 'last_transaction', title: 'Last', format: 'date' },
      ]),
    ])
    .build();
  const quality = new PageBuilder('data_quality', 'Data quality')
    .row(2, [6, textWidget('quality_title', '# Data quality\nQuarantined rows are Scout transactions the silver quality gate held back (bronze = silver + quarantine); anomalies are validated transactions more than 3 standard deviations from their category mean.')])
    .row(6, [
      6,
      chartWidget({
        name: 'quality_by_month',
        dataset: ds(Q.scoutQuality),
        title: 'Anomalies and quarantined rows by month',
        kind: 'bar',
        x: { field: 'period', temporal: false, title: 'Month' },
        y: [
          { field: 'anomalies', title: 'Anomalies' },
          { field: 'quarantined', title: 'Quarantined' },
        ],
        yTitle: 'Rows',
        yFormat: 'count',
      }),
    ])
    .row(5, [
      6,
      tableWidget('quarantine_reasons', ds(Q.quarantineReasons), 'Quarantine reasons', [
        { field: 'failed_expectations', title: 'Failed expectations', format: 'text' },
        { field: 'quarantined_rows', title: 'Rows', format: 'count' },
        { field: 'amount_php', title: 'Amount as parsed (PHP)', format: 'php' },
      ]),
    ])
    .build();
  return { queries: [Q.agencySpendMonthly, Q.categorySpendMonthly, Q.topVendors, Q.vendorSpendMonthly, Q.agencySpend, Q.scoutQuality, Q.quarantineReasons], pages: [spend, quality] };
}

function executiveDashboard(): { queries: AnalyticsQuery[]; pages: LakeviewPage[] } {
  const page = new PageBuilder('summary', 'Summary')
    .row(2, [6, textWidget('title', '# Executive summary\nRevenue, expenses and net income from the posted ledger; tax liabilities from the 1601-C and 2550Q computations. Headline figures cover the latest calendar year. Amounts in PHP.')])
    .row(
      2,
      [2, counterWidget('revenue', ds(Q.executiveKpis), 'revenue', 'Revenue', 'php')],
      [2, counterWidget('expenses', ds(Q.executiveKpis), 'expenses', 'Expenses', 'php')],
      [2, counterWidget('net_income', ds(Q.executiveKpis), 'net_income', 'Net income', 'php')],
    )
    .row(
      2,
      [2, counterWidget('tax_liabilities', ds(Q.executiveKpis), 'tax_liabilities', 'Tax liabilities', 'php')],
      [2, counterWidget('withholding', ds(Q.executiveKpis), 'withholding_on_compensation', 'Withholding on compensation', 'php')],
      [2, counterWidget('field_expenses', ds(Q.executiveKpis), 'field_expenses', 'Scout field expenses', 'php')],
    )
    .row(
      6,
      [3, chartWidget({ name: 'revenue_expenses', dataset: ds(Q.executiveMonthly), title: 'Revenue and expenses by month', kind: 'bar', x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'revenue', title: 'Revenue' }, { field: 'expenses', title: 'Expenses' }], yTitle: 'PHP', yFormat: 'php' })],
      [3, chartWidget({ name: 'net_income_trend', dataset: ds(Q.executiveMonthly), title: 'Net income and net income year to date', kind: 'line', x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'net_income', title: 'Net income' }, { field: 'net_income_ytd', title: 'Net income YTD' }], yTitle: 'PHP', yFormat: 'php' })],
    )
    .row(5, [
      6,
      chartWidget({ name: 'tax_liabilities_by_month', dataset: ds(Q.executiveMonthly), title: 'Tax liabilities by month', kind: 'bar', stacked: true, x: { field: 'month', temporal: true, title: 'Month' }, y: [{ field: 'withholding_on_compensation', title: 'Withholding on compensation (1601-C)' }, { field: 'vat_payable_quarter_end', title: 'Net VAT payable (2550Q)' }], yTitle: 'PHP', yFormat: 'php' }),
    ])
    .row(8, [
      6,
      tableWidget('monthly', ds(Q.executiveMonthly), 'By month', [
        { field: 'period', title: 'Month', format: 'text' },
        { field: 'revenue', title: 'Revenue', format: 'php' },
        { field: 'expenses', title: 'Expenses', format: 'php' },
        { field: 'net_income', title: 'Net income', format: 'php' },
        { field: 'net_income_ytd', title: 'Net income YTD', format: 'php' },
        { field: 'withholding_on_compensation', title: 'Withholding on compensation', format: 'php' },
        { field: 'vat_payable_quarter_end', title: 'VAT payable (quarter end)', format: 'php' },
        { field: 'tax_liabilities', title: 'Tax liabilities', format: 'php' },
      ]),
    ])
    .row(7, [
      6,
      tableWidget('month_end_close', ds(Q.monthEndClose), 'Month-end close', [
        { field: 'period', title: 'Month', format: 'text' },
        { field: 'total_debit', title: 'Debits', format: 'php' },
        { field: 'total_credit', title: 'Credits', format: 'php' },
        { field: 'trial_balance_ok', title: 'Trial balance', format: 'boolean' },
        { field: 'entries_balanced_ok', title: 'Entries balanced', format: 'boolean' },
        { field: 'unposted_entries', title: 'Unposted entries', format: 'count' },
        { field: 'ap_over_90_days', title: 'AP over 90 days', format: 'php' },
        { field: 'ready_to_close', title: 'Ready to close', format: 'boolean' },
      ]),
    ])
    .build();
  return { queries: [Q.executiveKpis, Q.executiveMonthly, Q.monthEndClose], pages: [page] };
}

const DEFINITIONS: Record<(typeof DASHBOARD_KEYS)[number], { readonly title: string; readonly build: () => { queries: AnalyticsQuery[]; pages: LakeviewPage[] } }> = {
  bir_compliance: { title: 'BIR compliance', build: birDashboard },
  scout_expenses: { title: 'Scout field expenses', build: scoutDashboard },
  executive_summary: { title: 'Executive summary', build: executiveDashboard },
};

/**
 * One dashboard for one target's catalogs: each dataset is an analytics query rendered for
 * Databricks SQL (backtick-quoted catalogs, `:name` parameter markers declared as dataset
 * parameters).
 */
export async function buildDashboard(key: (typeof DASHBOARD_KEYS)[number], layout: CatalogLayout, repoRoot: string = REPO_ROOT): Promise<LakeviewDashboard> {
  const { queries, pages } = DEFINITIONS[key].build();
  const adapter = adapterFor('databricks');
  const datasets: LakeviewDataset[] = [];
  for (const query of queries) {
    const source = `${ANALYTICS_SQL_DIR}/${query.key}.sql`;
    // Values are never part of the SQL text: any value renders the same `:name` markers.
    const params = Object.fromEntries(query.params.map((p) => [p, null]));
    const { sql } = renderSql(await loadAnalyticsSql(query, repoRoot), { layout, adapter, params, source });
    datasets.push({
      name: ds(query),
      displayName: query.title,
      queryLines: queryLines(sql),
      ...(query.params.includes('as_of') ? { parameters: [dateParameter('as_of', 'As of')] } : {}),
    });
  }
  return { datasets, pages };
}

/**
 * Every dashboard for every requested bundle target, as file contents (nothing is written).
 *
 * @example
 * const files = await generateDashboards({ targets: ['dev'] });
 */
export async function generateDashboards(options: GenerateDashboardsOptions = {}): Promise<GeneratedDashboard[]> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const out: GeneratedDashboard[] = [];
  for (const target of options.targets ?? DASHBOARD_TARGETS) {
    const layout = await bundleLayout(target, repoRoot);
    for (const key of DASHBOARD_KEYS) {
      const dashboard = await buildDashboard(key, layout, repoRoot);
      out.push({ target, key, path: join(DASHBOARDS_DIR, target, `${key}.lvdash.json`), content: `${JSON.stringify(dashboard, null, 2)}\n` });
    }
  }
  return out;
}

/**
 * Generates the dashboards and writes them under `outDir` (default: the repository root, so into
 * databricks/dashboards/<target>/); returns the absolute paths written.
 */
export async function writeDashboards(options: GenerateDashboardsOptions & { readonly outDir?: string } = {}): Promise<string[]> {
  const root = options.outDir ?? options.repoRoot ?? REPO_ROOT;
  const written: string[] = [];
  for (const file of await generateDashboards(options)) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content, 'utf8');
    written.push(path);
  }
  return written;
}

/**
 * The committed dashboard files that differ from freshly generated ones (or are missing), as
 * paths relative to the repository root; empty when everything is up to date.
 */
export async function staleDashboards(options: GenerateDashboardsOptions = {}): Promise<string[]> {
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  const stale: string[] = [];
  for (const file of await generateDashboards(options)) {
    const committed = await readFile(join(repoRoot, file.path), 'utf8').catch(() => undefined);
    if (committed !== file.content) stale.push(relative(repoRoot, join(repoRoot, file.path)));
  }
  return stale;
}
