import type { Row } from '@odoo-ce/warehouse';
import { CHART_RUNTIME, hasData, type ChartSeries, type ChartSpec } from './charts.js';
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMonth,
  formatPercent,
  formatPhp,
  toChartNumber,
  REPORT_TIME_ZONE,
} from './format.js';
import { html, jsonForScript, scriptSource, trustedHtml, type HtmlValue, type SafeHtml } from './html.js';
import type { JobRunData, ReportData } from './report-data.js';

/** A column of an HTML table. */
interface Column {
  readonly header: string;
  readonly cell: (row: Row) => HtmlValue;
  /** Right-aligned, tabular figures. */
  readonly numeric?: boolean;
}

const text = (value: unknown): string => (value === null || value === undefined ? '—' : value instanceof Date ? formatDateTime(value) : String(value));
const count = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

function table(rows: readonly Row[] | undefined, columns: readonly Column[], empty = 'No rows.'): SafeHtml {
  if (!rows) return html`<p class="empty">Not available (see the problems above).</p>`;
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap"><table>
<thead><tr>${columns.map((c) => html`<th class="${c.numeric ? 'num' : ''}">${c.header}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${columns.map((c) => html`<td class="${c.numeric ? 'num' : ''}">${c.cell(row)}</td>`)}</tr>
`)}</tbody>
</table></div>`;
}

const money = (header: string, key: string): Column => ({ header, numeric: true, cell: (r) => amount(r[key]) });
const integer = (header: string, key: string): Column => ({ header, numeric: true, cell: (r) => formatCount(r[key]) });
const plain = (header: string, key: string): Column => ({ header, cell: (r) => text(r[key]) });
const month = (header: string, key = 'period'): Column => ({ header, cell: (r) => formatMonth(r[key]) });
const date = (header: string, key: string): Column => ({ header, cell: (r) => formatDate(r[key]) });

function amount(value: unknown): SafeHtml {
  const formatted = formatPhp(value);
  return formatted.startsWith('-') ? html`<span class="neg">${formatted}</span>` : html`${formatted}`;
}

function check(value: unknown): SafeHtml {
  if (value === null || value === undefined) return html`—`;
  return value === true ? html`<span class="ok">✓ yes</span>` : html`<span class="bad">✗ no</span>`;
}

function badge(status: unknown): SafeHtml {
  const label = text(status);
  const kind = ['overdue', 'failed', 'upstream_failed'].includes(label) ? 'bad' : ['due', 'running', 'warn'].includes(label) ? 'warn' : ['succeeded', 'upcoming'].includes(label) ? 'ok' : 'neutral';
  return html`<span class="badge badge-${kind}">${label}</span>`;
}

/** Days until a deadline: `in 5 days`, `today`, `12 days late`. */
function daysText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const days = Number(value);
  if (days === 0) return 'today';
  const n = formatCount(Math.abs(days));
  const unit = Math.abs(days) === 1 ? 'day' : 'days';
  return days > 0 ? `in ${n} ${unit}` : `${n} ${unit} late`;
}

function kpi(label: string, value: HtmlValue, note?: HtmlValue, tone?: 'bad' | 'warn' | 'ok'): SafeHtml {
  return html`<div class="kpi${tone ? ` kpi-${tone}` : ''}"><div class="kpi-label">${label}</div><div class="kpi-value">${value}</div>${note !== undefined ? html`<div class="kpi-note">${note}</div>` : ''}</div>`;
}

/** A canvas for a chart, or a note when there is nothing to draw (then the spec is dropped). */
function chartBox(title: string, spec: ChartSpec, charts: ChartSpec[], wide = false): SafeHtml {
  if (!hasData(spec)) return html`<figure class="chart-card${wide ? ' wide' : ''}"><figcaption>${title}</figcaption><p class="empty">No data to chart.</p></figure>`;
  charts.push(spec);
  return html`<figure class="chart-card${wide ? ' wide' : ''}"><figcaption>${title}</figcaption><div class="chart"><canvas id="${spec.id}" role="img" aria-label="${title}"></canvas></div></figure>`;
}

/** Category labels and one series per distinct `seriesKey` value, from long-format rows. */
function pivot(rows: readonly Row[], labelKey: string, seriesKey: string, valueKey: string, formatLabel: (v: unknown) => string = text, seriesOrder?: readonly string[]): { labels: string[]; series: ChartSeries[] } {
  const labels = [...new Set(rows.map((r) => String(r[labelKey])))].sort();
  const names = seriesOrder ?? [...new Set(rows.map((r) => String(r[seriesKey])))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const series = names.map((name) => {
    const values: (number | null)[] = labels.map(() => null);
    for (const row of rows) if (String(row[seriesKey]) === name) values[index.get(String(row[labelKey])) as number] = toChartNumber(row[valueKey]);
    return { label: name, values };
  });
  return { labels: labels.map(formatLabel), series };
}

/** A category label short enough for a chart axis (the tables carry the full text). */
const shorten = (label: string, max = 32): string => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

const series = (rows: readonly Row[], label: string, key: string, extra: Partial<ChartSeries> = {}): ChartSeries => ({ label, values: rows.map((r) => toChartNumber(r[key])), ...extra });

function executiveSection(d: ReportData, charts: ChartSpec[]): SafeHtml {
  const k = d.kpis;
  const months = d.executiveMonthly ?? [];
  const note = k ? html`${text(k['year'])} · ${formatMonth(k['first_period'])} – ${formatMonth(k['last_period'])}` : undefined;
  return html`<section id="executive">
<h2>Executive summary</h2>
${k
  ? html`<div class="kpis">
${kpi('Revenue', formatPhp(k['revenue']), note)}
${kpi('Expenses', formatPhp(k['expenses']), note)}
${kpi('Net income', amount(k['net_income']), html`net margin ${formatPercent(k['net_margin_pct'])}`, count(k['net_income']) < 0 ? 'bad' : 'ok')}
${kpi('Tax liabilities', formatPhp(k['tax_liabilities']), html`withholding ${formatPhp(k['withholding_on_compensation'])} · VAT ${formatPhp(k['vat_payable'])}`)}
${kpi('Scout field expenses', formatPhp(k['field_expenses']), html`${formatCount(k['field_transactions'])} validated transactions`)}
</div>`
  : html`<p class="empty">Headline figures not available.</p>`}
<div class="charts">
${chartBox('Revenue, expenses and net income by month', { id: 'chart-exec-pnl', kind: 'bar', money: true, labels: months.map((r) => formatMonth(r['period'])), series: [series(months, 'Revenue', 'revenue', { color: '#0f766e' }), series(months, 'Expenses', 'expenses', { color: '#c2410c' }), series(months, 'Net income', 'net_income', { kind: 'line', color: '#1d4ed8' })] }, charts)}
${chartBox('Tax liabilities by month', { id: 'chart-exec-tax', kind: 'bar', money: true, stacked: true, labels: months.map((r) => formatMonth(r['period'])), series: [series(months, 'Withholding on compensation (1601-C)', 'withholding_on_compensation', { color: '#7c3aed' }), series(months, 'Net VAT payable (2550Q, quarter end)', 'vat_payable_quarter_end', { color: '#a16207' })] }, charts)}
</div>
<h3>By month</h3>
${table(d.executiveMonthly, [month('Month'), money('Revenue', 'revenue'), money('Expenses', 'expenses'), money('Net income', 'net_income'), money('Net income YTD', 'net_income_ytd'), money('Withholding on compensation', 'withholding_on_compensation'), money('VAT payable (quarter end)', 'vat_payable_quarter_end'), money('Tax liabilities', 'tax_liabilities')], 'No ledger months in the gold layer yet.')}
<h3>Month-end close</h3>
${table(d.monthEndClose, [month('Month'), money('Debits', 'total_debit'), money('Credits', 'total_credit'), { header: 'Trial balance', cell: (r) => check(r['trial_balance_ok']) }, { header: 'Entries balanced', cell: (r) => check(r['entries_balanced_ok']) }, integer('Unposted entries', 'unposted_entries'), money('AP over 90 days', 'ap_over_90_days'), { header: 'Ready to close', cell: (r) => check(r['ready_to_close']) }])}
</section>`;
}

function birSection(d: ReportData, charts: ChartSpec[]): SafeHtml {
  const s = d.filingStatus;
  const monthly = d.bir1601c ?? [];
  const quarterly = d.bir2550q ?? [];
  return html`<section id="bir">
<h2>BIR compliance</h2>
<p class="lede">Filing status as of <strong>${formatDate(d.asOf)}</strong>: <em>upcoming</em> while the period is still open, <em>due</em> from its close until the deadline, <em>overdue</em> after the deadline.</p>
${s
  ? html`<div class="kpis">
${kpi('Overdue returns', formatCount(s['overdue_filings']), html`${formatPhp(s['overdue_amount'])} to remit`, count(s['overdue_filings']) > 0 ? 'bad' : 'ok')}
${kpi('Due now', formatCount(s['due_filings']), html`${formatPhp(s['due_amount'])} to remit`, count(s['due_filings']) > 0 ? 'warn' : undefined)}
${kpi('Upcoming', formatCount(s['upcoming_filings']), 'periods not closed yet')}
${kpi('Next deadline', s['next_due_date'] ? formatDate(s['next_due_date']) : '—', s['next_form'] ? html`${text(s['next_form'])} ${text(s['next_period'])} · ${formatPhp(s['next_amount_payable'])}` : 'none ahead')}
</div>`
  : ''}
<h3>Filing calendar</h3>
${table(d.filingCalendar, [plain('Form', 'form'), plain('Return', 'description'), month('Period'), date('Period end', 'period_end'), date('Deadline', 'due_date'), money('Amount to remit', 'amount_payable'), { header: 'Status', cell: (r) => badge(r['filing_status']) }, { header: 'Deadline in', numeric: true, cell: (r) => daysText(r['days_to_due']) }], 'No BIR returns in the gold layer yet.')}
<div class="charts">
${chartBox('1601-C: tax required vs withheld', { id: 'chart-bir-1601c', kind: 'bar', money: true, labels: monthly.map((r) => formatMonth(r['period'])), series: [series(monthly, 'Tax required (2023+ table)', 'tax_required', { color: '#1d4ed8' }), series(monthly, 'Taxes withheld (item 25)', 'item25_total_taxes_withheld', { color: '#0f766e' })] }, charts)}
${chartBox('2550Q: output VAT, allowable input tax and net VAT payable', { id: 'chart-bir-2550q', kind: 'bar', money: true, labels: quarterly.map((r) => text(r['period'])), series: [series(quarterly, 'Output VAT (line 31)', 'line31_output_vat', { color: '#c2410c' }), series(quarterly, 'Allowable input tax (line 60)', 'line60_allowable_input_tax', { color: '#0f766e' }), series(quarterly, 'Net VAT payable (line 61)', 'line61_net_vat_payable', { color: '#7c3aed' })] }, charts)}
</div>
<h3>1601-C — withholding tax on compensation</h3>
${table(d.bir1601c, [month('Month'), integer('Employees', 'employees'), money('Compensation (item 14)', 'item14_total_compensation'), money('Non-taxable (item 21)', 'item21_total_non_taxable'), money('Taxable (item 22)', 'item22_total_taxable'), money('Tax required', 'tax_required'), money('Withheld (item 25)', 'item25_total_taxes_withheld'), money('Variance', 'variance'), integer('Under-withheld', 'under_withheld_employees'), date('Deadline', 'due_date'), { header: 'Status', cell: (r) => badge(r['filing_status']) }])}
<h3>2550Q — quarterly VAT</h3>
${table(d.bir2550q, [plain('Quarter', 'period'), money('Vatable sales (31)', 'line31_vatable_sales'), money('Output VAT (31)', 'line31_output_vat'), money('Zero-rated (32)', 'line32_zero_rated_sales'), money('Exempt (33)', 'line33_exempt_sales'), money('Input tax (50)', 'line50_current_input_tax'), money('Allowable input (60)', 'line60_allowable_input_tax'), money('Net VAT payable (61)', 'line61_net_vat_payable'), money('Still payable (21)', 'line21_tax_still_payable'), date('Deadline', 'due_date'), { header: 'Status', cell: (r) => badge(r['filing_status']) }])}
</section>`;
}

function scoutSection(d: ReportData, charts: ChartSpec[]): SafeHtml {
  const agencies = d.agencySpend ?? [];
  const byAgency = pivot(d.agencySpendMonthly ?? [], 'period', 'agency', 'total_php', formatMonth, agencies.map((r) => String(r['agency'])));
  const byCategory = pivot(d.categorySpendMonthly ?? [], 'period', 'category', 'total_php', formatMonth);
  const vendorRows = d.vendorSpendMonthly ?? [];
  const vendorOrder = [...new Map(vendorRows.map((r) => [Number(r['spend_rank']), String(r['vendor'])])).entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  const byVendor = pivot(vendorRows, 'period', 'vendor', 'total_php', formatMonth, vendorOrder);
  const top = (d.topVendors ?? []).slice(0, 10);
  const quality = (d.scoutQuality ?? []).filter((r) => /^\d{4}-\d{2}$/.test(String(r['period'])));
  const totals = {
    transactions: agencies.reduce((n, r) => n + count(r['transactions']), 0),
    quarantined: (d.quarantineReasons ?? []).reduce((n, r) => n + count(r['quarantined_rows']), 0),
    anomalies: (d.scoutQuality ?? []).reduce((n, r) => n + count(r['anomalies']), 0),
  };
  return html`<section id="scout">
<h2>Scout field expenses</h2>
<div class="kpis">
${kpi('Agencies', formatCount(agencies.length), html`${formatCount(totals.transactions)} validated transactions`)}
${kpi('Largest spender', agencies[0] ? text(agencies[0]['agency']) : '—', agencies[0] ? html`${formatPhp(agencies[0]['total_php'])} · ${formatPercent(agencies[0]['share_pct'])} of spend` : undefined)}
${kpi('Top vendor', top[0] ? text(top[0]['vendor_name']) : '—', top[0] ? formatPhp(top[0]['total_php']) : undefined)}
${kpi('Anomalies flagged', formatCount(totals.anomalies), 'amount > 3σ from its category mean', totals.anomalies > 0 ? 'warn' : undefined)}
${kpi('Quarantined', formatCount(totals.quarantined), 'rows held back by the silver gate', totals.quarantined > 0 ? 'warn' : 'ok')}
</div>
<div class="charts">
${chartBox('Spend by agency and month', { id: 'chart-scout-agency', kind: 'line', money: true, ...byAgency }, charts)}
${chartBox('Spend by category and month', { id: 'chart-scout-category', kind: 'bar', money: true, stacked: true, ...byCategory }, charts)}
${chartBox('Top vendors by spend', { id: 'chart-scout-vendors', kind: 'bar', money: true, horizontal: true, labels: top.map((r) => shorten(text(r['vendor_name']))), series: [series(top, 'Spend', 'total_php', { color: '#0369a1' })] }, charts)}
${chartBox('Spend with the largest vendors by month', { id: 'chart-scout-vendor-trend', kind: 'line', money: true, ...byVendor }, charts)}
${chartBox('Anomalies and quarantined rows by month', { id: 'chart-scout-quality', kind: 'bar', money: false, labels: quality.map((r) => formatMonth(r['period'])), series: [series(quality, 'Anomalies', 'anomalies', { color: '#a16207' }), series(quality, 'Quarantined', 'quarantined', { color: '#be123c' })] }, charts, true)}
</div>
<h3>By agency</h3>
${table(d.agencySpend, [plain('Agency', 'agency'), integer('Transactions', 'transactions'), integer('Vendors', 'vendors'), money('Total spend', 'total_php'), money('Average', 'average_php'), { header: 'Share', numeric: true, cell: (r) => formatPercent(r['share_pct']) }, date('First', 'first_transaction'), date('Last', 'last_transaction')], 'No validated Scout transactions yet.')}
<h3>Top vendors</h3>
${table(d.topVendors, [plain('Vendor', 'vendor_name'), plain('TIN', 'vendor_tin'), plain('Odoo partner', 'odoo_partner_name'), integer('Agencies', 'agencies'), integer('Transactions', 'transactions'), money('Total spend', 'total_php'), date('First', 'first_seen'), date('Last', 'last_seen')])}
</section>`;
}

interface TableQuality {
  table: string;
  checked: number;
  expectations: number;
  passed: number;
  warned: number;
  warnedRows: number;
  dropFailed: number;
  dropRows: number;
  hardFailed: number;
  runTime: unknown;
}

function summarizeDq(rows: readonly Row[]): TableQuality[] {
  const byTable = new Map<string, TableQuality>();
  for (const r of rows) {
    const name = String(r['table_name']);
    const t = byTable.get(name) ?? { table: name, checked: 0, expectations: 0, passed: 0, warned: 0, warnedRows: 0, dropFailed: 0, dropRows: 0, hardFailed: 0, runTime: r['run_time'] };
    t.checked = Math.max(t.checked, count(r['element_count']));
    t.expectations += 1;
    if (r['success'] === true) {
      t.passed += 1;
    } else if (r['action'] === 'warn') {
      t.warned += 1;
      t.warnedRows += count(r['unexpected_count']);
    } else if (r['action'] === 'drop') {
      t.dropFailed += 1;
      t.dropRows += count(r['unexpected_count']);
    } else {
      t.hardFailed += 1;
    }
    byTable.set(name, t);
  }
  return [...byTable.values()];
}

function qualitySection(d: ReportData, charts: ChartSpec[]): SafeHtml {
  const tables = summarizeDq(d.dqResults ?? []);
  const reasons = d.quarantineReasons ?? [];
  const quarantined = reasons.reduce((n, r) => n + count(r['quarantined_rows']), 0);
  const sum = (f: (t: TableQuality) => number) => tables.reduce((n, t) => n + f(t), 0);
  const failing = (d.dqResults ?? []).filter((r) => r['success'] !== true);
  const topReasons = reasons.slice(0, 8);
  return html`<section id="quality">
<h2>Data quality of the run</h2>
<p class="lede">Latest validation of every table in <code>ops.dq_results</code>; quarantined rows from <code>silver.scout.transactions_quarantine</code> (bronze rows = silver rows + quarantined rows).</p>
<div class="kpis">
${kpi('Passed', html`${formatCount(Math.max(0, sum((t) => t.checked) - quarantined))} <small>of ${formatCount(sum((t) => t.checked))} rows</small>`, html`${formatCount(sum((t) => t.passed))} of ${formatCount(sum((t) => t.expectations))} expectations passed · ${formatCount(tables.length)} table(s)`, sum((t) => t.hardFailed) === 0 ? 'ok' : undefined)}
${kpi('Warned', formatCount(sum((t) => t.warned)), html`${formatCount(sum((t) => t.warnedRows))} rows kept with a warning`, sum((t) => t.warned) > 0 ? 'warn' : 'ok')}
${kpi('Quarantined', formatCount(quarantined), topReasons[0] ? html`top reason: ${text(topReasons[0]['failed_expectations'])}` : 'no rows held back', quarantined > 0 ? 'warn' : 'ok')}
${kpi('Failed', formatCount(sum((t) => t.hardFailed)), 'expectations that stop a task', sum((t) => t.hardFailed) > 0 ? 'bad' : 'ok')}
</div>
${table(
  tables.map((t) => ({ ...t })),
  [
    plain('Table', 'table'),
    { header: 'Validated at', cell: (r) => formatDateTime(r['runTime']) },
    integer('Rows checked', 'checked'),
    { header: 'Expectations passed', numeric: true, cell: (r) => `${formatCount(r['passed'])} / ${formatCount(r['expectations'])}` },
    { header: 'Warnings (rows)', numeric: true, cell: (r) => `${formatCount(r['warned'])} (${formatCount(r['warnedRows'])})` },
    { header: 'Quarantine rules failed (rows)', numeric: true, cell: (r) => `${formatCount(r['dropFailed'])} (${formatCount(r['dropRows'])})` },
    integer('Failed', 'hardFailed'),
  ],
  'No data-quality results recorded yet.',
)}
<div class="charts">
${chartBox('Quarantined rows by failed expectations', { id: 'chart-dq-reasons', kind: 'bar', money: false, horizontal: true, labels: topReasons.map((r) => shorten(text(r['failed_expectations']))), series: [series(topReasons, 'Rows', 'quarantined_rows', { color: '#be123c' })] }, charts)}
<div class="chart-card"><h3 class="card-title">Top quarantine reasons</h3>
${table(topReasons, [plain('Failed expectations', 'failed_expectations'), integer('Rows', 'quarantined_rows'), money('Amount (as parsed)', 'amount_php')], 'Nothing quarantined.')}</div>
</div>
<h3>Expectations that did not pass</h3>
${table(failing, [plain('Table', 'table_name'), plain('Expectation', 'expectation_name'), plain('Type', 'expectation_type'), { header: 'Action', cell: (r) => badge(r['action']) }, integer('Rows checked', 'element_count'), integer('Unexpected', 'unexpected_count'), { header: 'Unexpected %', numeric: true, cell: (r) => formatPercent(r['unexpected_percent']) }], 'Every expectation passed.')}
</section>`;
}

function duration(start: unknown, end: unknown): number | null {
  if (!(start instanceof Date) || !(end instanceof Date)) return null;
  return end.getTime() - start.getTime();
}

function runSection(d: ReportData): SafeHtml {
  const runs = d.jobRuns;
  const info = d.runInfo;
  const steps = Object.entries(info.stepDurationsMs ?? {});
  const jobRow = (j: JobRunData): Row => ({
    ...j.run,
    duration: duration(j.run['started_at'], j.run['ended_at']),
    tasks_ok: j.tasks.filter((t) => t['status'] === 'succeeded').length,
    tasks_total: j.tasks.length,
  });
  return html`<section id="run">
<h2>Run</h2>
<dl class="meta-list">
<dt>Target</dt><dd>${info.target}</dd>
${info.warehouse ? html`<dt>Warehouse</dt><dd>${info.warehouse}</dd>` : ''}
${info.label ? html`<dt>Run</dt><dd>${info.label}</dd>` : ''}
<dt>BIR status as of</dt><dd>${formatDate(d.asOf)}</dd>
<dt>Generated</dt><dd>${formatDateTime(d.generatedAt)}</dd>
</dl>
<h3>Jobs</h3>
${table(runs?.map(jobRow), [plain('Job', 'job'), { header: 'Run id', cell: (r) => html`<code>${text(r['run_id'])}</code>` }, { header: 'Status', cell: (r) => badge(r['status']) }, integer('Attempt', 'attempt'), { header: 'Started', cell: (r) => formatDateTime(r['started_at']) }, { header: 'Duration', numeric: true, cell: (r) => formatDuration(r['duration'] as number | null) }, { header: 'Tasks succeeded', numeric: true, cell: (r) => `${formatCount(r['tasks_ok'])} / ${formatCount(r['tasks_total'])}` }, { header: 'Error', cell: (r) => text(r['error'] ?? '') }], 'No job runs recorded in the ops schema yet.')}
${(runs ?? []).map(
  (j) => html`<h3>Tasks of ${text(j.run['job'])}</h3>
${table(j.tasks.map((t) => ({ ...t, duration: duration(t['started_at'], t['ended_at']) })), [plain('Task', 'task_key'), { header: 'Status', cell: (r) => badge(r['status']) }, integer('Attempt', 'attempt'), { header: 'Started', cell: (r) => formatDateTime(r['started_at']) }, { header: 'Duration', numeric: true, cell: (r) => formatDuration(r['duration'] as number | null) }, integer('Rows affected', 'rows_affected'), { header: 'Error', cell: (r) => text(r['error'] ?? '') }])}`,
)}
${steps.length > 0
  ? html`<h3>Steps</h3>${table(steps.map(([step, ms]) => ({ step, ms })), [plain('Step', 'step'), { header: 'Duration', numeric: true, cell: (r) => formatDuration(r['ms'] as number) }])}`
  : ''}
</section>`;
}

const STYLE = `
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #fff; --ok: #15803d; --warn: #b45309; --bad: #b91c1c; --accent: #0f766e; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #0f172a; color: #f8fafc; padding: 20px 32px 12px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top .meta { margin: 0 0 10px; color: #cbd5e1; }
header.top nav a { color: #99f6e4; margin-right: 18px; text-decoration: none; font-weight: 600; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 32px 40px; }
section { margin-top: 28px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 8px; }
.lede { color: var(--muted); }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; margin: 12px 0; }
.kpi { background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 10px 14px; }
.kpi-ok { border-left-color: var(--ok); } .kpi-warn { border-left-color: var(--warn); } .kpi-bad { border-left-color: var(--bad); }
.kpi-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.kpi-value { font-size: 21px; font-weight: 700; margin-top: 2px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.kpi-value small { font-size: 13px; color: var(--muted); font-weight: 500; }
.kpi-note { color: var(--muted); font-size: 12px; margin-top: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 14px; margin: 14px 0; }
.chart-card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; margin: 0; padding: 12px 14px; min-width: 0; }
.chart-card.wide { grid-column: 1 / -1; }
.chart-card figcaption, .card-title { font-weight: 600; margin: 0 0 8px; font-size: 14px; }
.chart { position: relative; height: 280px; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: #f1f5f9; font-weight: 600; white-space: normal; vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:last-child td { border-bottom: 0; }
.neg { color: var(--bad); }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.badge-ok { background: #dcfce7; color: #166534; } .badge-warn { background: #fef3c7; color: #92400e; }
.badge-bad { background: #fee2e2; color: #991b1b; } .badge-neutral { background: #e2e8f0; color: #334155; }
.empty { color: var(--muted); font-style: italic; }
.problems { background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 10px 16px; margin-top: 18px; }
.problems h2 { border: 0; color: var(--bad); margin: 0 0 6px; font-size: 16px; }
dl.meta-list { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
dl.meta-list dt { color: var(--muted); } dl.meta-list dd { margin: 0; }
code { font-size: 12px; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 20px; }
@media print { header.top nav { display: none; } .chart-card, .table-wrap, .kpi { break-inside: avoid; } }
`;

/** Nothing leaves the file: no network, no external script, style, font or image. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * The report as one self-contained HTML document: the data as tables, the charts as canvases drawn
 * by the inlined charting library from a JSON payload. Every value is escaped.
 */
export function renderReportHtml(data: ReportData, chartLibrary: string): string {
  const charts: ChartSpec[] = [];
  const body = [executiveSection(data, charts), birSection(data, charts), scoutSection(data, charts), qualitySection(data, charts), runSection(data)];
  const title = `odoo-ce finance report — ${data.runInfo.target}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="generator" content="odoo-ce etl report">
<title>${title}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<header class="top">
<h1>odoo-ce data platform — finance report</h1>
<p class="meta">Target <strong>${data.runInfo.target}</strong>${data.runInfo.label ? html` · ${data.runInfo.label}` : ''} · BIR status as of ${formatDate(data.asOf)} · generated ${formatDateTime(data.generatedAt)} · amounts in PHP · months and times in ${REPORT_TIME_ZONE}</p>
<nav><a href="#executive">Executive</a><a href="#bir">BIR</a><a href="#scout">Scout</a><a href="#quality">Data quality</a><a href="#run">Run</a></nav>
</header>
<main>
${data.problems.length > 0
  ? html`<div class="problems" role="alert"><h2>Parts of this report could not be built</h2><ul>${data.problems.map((p) => html`<li><code>${p.query}</code>: ${p.message}</li>`)}</ul></div>`
  : ''}
${body}
</main>
<footer>Built from <code>databricks/sql/analytics</code> on the ${data.runInfo.target} target. Charts drawn offline with Chart.js.</footer>
<script type="application/json" id="report-charts">${trustedHtml(jsonForScript(charts))}</script>
<script>${scriptSource(chartLibrary)}</script>
<script>${scriptSource(CHART_RUNTIME)}</script>
</body>
</html>
`;
  return page.value;
}
