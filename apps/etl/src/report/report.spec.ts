import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { param, Warehouse, type Row } from '@odoo-ce/warehouse';
import { duckDbDialect } from '@odoo-ce/warehouse/duckdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportCommand } from '../commands/report.js';
import { defaultContext } from '../context.js';
import { runDemoPipeline, type DemoResult } from '../pipeline/demo-pipeline.js';
import { ANALYTICS_QUERIES, REPO_ROOT, runAnalyticsQuery, type AnalyticsQuery } from './analytics.js';
import { generateDashboards } from './dashboards.js';
import { formatPhp } from './format.js';
import { DEFAULT_CHROMIUM, launchHeadlessChromium, type HeadlessPage } from './headless-chromium.js';
import type { LakeviewDashboard } from './lakeview.js';
import { buildReport, writeReport } from './report.js';

const CATALOGS = ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'];
const TEST_OUTPUT = join(import.meta.dirname, '..', '..', 'test-output');
/** A vendor name that would run script if it reached the page unescaped. */
const ATTACK = `<img src=x onerror="document.title='pwned'">`;

describe('analytics queries, the HTML report and the report command on a small pipeline run (DuckDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const dataDir = join(dir, 'data');
  const warehouse = new Warehouse(duckDbDialect({ dataDir, catalogs: CATALOGS }));
  let demo: DemoResult;

  beforeAll(async () => {
    demo = await runDemoPipeline({ warehouse, repoRoot: REPO_ROOT, exportDir: join(dir, 'exports'), seed: 11, scale: 2_000 });
    expect(demo.runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  }, 120_000);
  afterAll(async () => warehouse.close());

  const q = async (sql: string) => (await warehouse.query(sql)).rows;
  const run = (query: AnalyticsQuery, asOf?: string) => runAnalyticsQuery(warehouse, query, asOf ? { as_of: asOf } : {});
  const cents = (v: unknown) => BigInt(String(v).replace('.', ''));
  const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const monthEnd = (period: string) => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const quarterEnd = (period: string) => new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(6)) * 3, 0)).toISOString().slice(0, 10);
  const expectedStatus = (asOf: string, end: string, due: string) => (asOf <= end ? 'upcoming' : asOf <= due ? 'due' : 'overdue');
  const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

  describe('BIR filing status', () => {
    it('is upcoming until the period ends, due until the deadline (inclusive), overdue after it — 1601-C', async () => {
      const gold = await q('select period, due_date, item25_total_taxes_withheld from gold.finance.bir_monthly order by period');
      expect(gold.length).toBe(12);
      const march = gold.find((r) => r['period'] === '2025-03') as Row;
      const boundaries = [monthEnd('2025-03'), addDays(monthEnd('2025-03'), 1), String(march['due_date']), addDays(String(march['due_date']), 1)];
      expect(boundaries).toEqual(['2025-03-31', '2025-04-01', '2025-04-10', '2025-04-11']);
      for (const asOf of boundaries) {
        const rows = await run(ANALYTICS_QUERIES.bir1601c, asOf);
        expect(rows.map((r) => r['period'])).toEqual(gold.map((r) => r['period']));
        for (const [i, row] of rows.entries()) {
          const period = String(row['period']);
          expect(row['period_end']).toBe(monthEnd(period));
          expect(row['due_date']).toBe(gold[i]?.['due_date']);
          expect(row['item25_total_taxes_withheld']).toBe(gold[i]?.['item25_total_taxes_withheld']);
          expect(row['filing_status'], `${period} as of ${asOf}`).toBe(expectedStatus(asOf, monthEnd(period), String(row['due_date'])));
          expect(Number(row['days_to_due'])).toBe(daysBetween(asOf, String(row['due_date'])));
        }
      }
      const marchOn = async (asOf: string) => (await run(ANALYTICS_QUERIES.bir1601c, asOf)).find((r) => r['period'] === '2025-03')?.['filing_status'];
      expect(await Promise.all(boundaries.map(marchOn))).toEqual(['upcoming', 'due', 'due', 'overdue']);
      const december = (await run(ANALYTICS_QUERIES.bir1601c, '2026-01-15')).find((r) => r['period'] === '2025-12');
      expect([december?.['due_date'], december?.['filing_status'], december?.['days_to_due']]).toEqual(['2026-01-15', 'due', 0n]);
    });

    it('follows the same rule for 2550Q (deadline 25 days after the quarter), and the calendar and summary agree', async () => {
      const asOf = '2025-07-05';
      const quarters = await run(ANALYTICS_QUERIES.bir2550q, asOf);
      expect(quarters.map((r) => [r['period'], r['period_end'], r['due_date'], r['filing_status']])).toEqual([
        ['2025-Q1', '2025-03-31', '2025-04-25', 'overdue'],
        ['2025-Q2', '2025-06-30', '2025-07-25', 'due'],
        ['2025-Q3', '2025-09-30', '2025-10-25', 'upcoming'],
        ['2025-Q4', '2025-12-31', '2026-01-25', 'upcoming'],
      ]);
      for (const r of quarters) expect(r['period_end']).toBe(quarterEnd(String(r['period'])));
      const calendar = await run(ANALYTICS_QUERIES.filingCalendar, asOf);
      const monthly = await run(ANALYTICS_QUERIES.bir1601c, asOf);
      expect(calendar.length).toBe(monthly.length + quarters.length);
      expect(calendar.map((r) => String(r['due_date']))).toEqual(calendar.map((r) => String(r['due_date'])).sort());
      const byStatus = (s: string) => calendar.filter((r) => r['filing_status'] === s);
      const [summary] = await run(ANALYTICS_QUERIES.filingStatus, asOf);
      expect([summary?.['overdue_filings'], summary?.['due_filings'], summary?.['upcoming_filings']]).toEqual([BigInt(byStatus('overdue').length), BigInt(byStatus('due').length), BigInt(byStatus('upcoming').length)]);
      expect(cents(summary?.['due_amount'])).toBe(byStatus('due').reduce((n, r) => n + cents(r['amount_payable']), 0n));
      const next = calendar.find((r) => String(r['due_date']) >= asOf);
      expect([summary?.['next_form'], summary?.['next_period'], summary?.['next_due_date']]).toEqual([next?.['form'], next?.['period'], next?.['due_date']]);
      expect(byStatus('due').map((r) => `${String(r['form'])} ${String(r['period'])}`)).toEqual(['1601-C 2025-06', '2550Q 2025-Q2']);
    });
  });

  describe('Scout and executive figures', () => {
    it('add up to the silver and gold tables they come from', async () => {
      const agencies = await run(ANALYTICS_QUERIES.agencySpend);
      const [gold] = await q('select sum(total_php) as total, sum(transactions) as n from gold.scout.agency_summary');
      expect(agencies.reduce((n, r) => n + cents(r['total_php']), 0n)).toBe(cents(gold?.['total']));
      expect(agencies.reduce((n, r) => n + Number(r['transactions']), 0)).toBe(Number(gold?.['n']));
      expect(agencies.reduce((n, r) => n + Number(r['share_pct']), 0)).toBeCloseTo(100, 0);
      const monthly = await run(ANALYTICS_QUERIES.categorySpendMonthly);
      expect(monthly.reduce((n, r) => n + cents(r['total_php']), 0n)).toBe(cents(gold?.['total']));
      const top = await run(ANALYTICS_QUERIES.topVendors);
      expect(top.length).toBe(15);
      expect(top.map((r) => cents(r['total_php']))).toEqual(top.map((r) => cents(r['total_php'])).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
      const vendorMonthly = await run(ANALYTICS_QUERIES.vendorSpendMonthly);
      expect(new Set(vendorMonthly.map((r) => r['vendor']))).toEqual(new Set(top.slice(0, 6).map((r) => r['vendor_name'])));
      for (const vendor of top.slice(0, 6)) {
        const rows = vendorMonthly.filter((r) => r['vendor'] === vendor['vendor_name']);
        expect(rows.reduce((n, r) => n + cents(r['total_php']), 0n), String(vendor['vendor_name'])).toBe(cents(vendor['total_php']));
      }
    });

    it('count quarantined rows and z-score anomalies as an independent reading of the rows does', async () => {
      const reasons = await run(ANALYTICS_QUERIES.quarantineReasons);
      const quarantined = reasons.reduce((n, r) => n + Number(r['quarantined_rows']), 0);
      expect(quarantined).toBe(demo.manifest.scout.expected_quarantine_rows);
      expect(reasons.map((r) => r['failed_expectations'])).toContain('amount_parsed');
      const quality = await run(ANALYTICS_QUERIES.scoutQuality);
      expect(quality.reduce((n, r) => n + Number(r['quarantined']), 0)).toBe(quarantined);
      expect(quality.reduce((n, r) => n + Number(r['transactions']), 0)).toBe(demo.manifest.scout.expected_silver_rows);
      const silver = await q('select category, CAST(amount AS DOUBLE) as amount from silver.scout.transactions');
      const byCategory = new Map<string, number[]>();
      for (const r of silver) byCategory.set(String(r['category']), [...(byCategory.get(String(r['category'])) ?? []), Number(r['amount'])]);
      let anomalies = 0;
      for (const amounts of byCategory.values()) {
        const mean = amounts.reduce((a, b) => a + b, 0) / amounts.length;
        const sd = Math.sqrt(amounts.reduce((a, b) => a + (b - mean) ** 2, 0) / (amounts.length - 1));
        anomalies += amounts.filter((a) => sd > 0 && Math.abs(a - mean) > 3 * sd).length;
      }
      expect(quality.reduce((n, r) => n + Number(r['anomalies']), 0)).toBe(anomalies);
      expect(anomalies).toBeGreaterThan(0);
    });

    it('sum the latest year of the executive dashboard into the headline figures', async () => {
      const [kpis] = await run(ANALYTICS_QUERIES.executiveKpis);
      const months = await run(ANALYTICS_QUERIES.executiveMonthly);
      const year = months.filter((r) => String(r['period']).startsWith(String(kpis?.['year'])));
      expect(Number(kpis?.['months'])).toBe(year.length);
      for (const key of ['revenue', 'expenses', 'net_income']) expect(cents(kpis?.[key]), key).toBe(year.reduce((n, r) => n + cents(r[key]), 0n));
      expect(cents(kpis?.['tax_liabilities'])).toBe(year.reduce((n, r) => n + cents(r['tax_liabilities']), 0n));
      expect(cents(year.at(-1)?.['net_income_ytd'])).toBe(cents(kpis?.['net_income']));
    });
  });

  it('every dashboard widget field names a column its dataset returns on DuckDB', async () => {
    const byName = new Map(Object.values(ANALYTICS_QUERIES).map((query) => [query.key.replace(/\//g, '_'), query as AnalyticsQuery]));
    for (const file of await generateDashboards({ targets: ['prod'] })) {
      const dashboard = JSON.parse(file.content) as LakeviewDashboard;
      const columns = new Map<string, Set<string>>();
      for (const d of dashboard.datasets) {
        const query = byName.get(d.name) as AnalyticsQuery;
        const rendered = await warehouse.query(warehouse.render(await readFile(join(REPO_ROOT, 'databricks', 'sql', 'analytics', `${query.key}.sql`), 'utf8'), { as_of: param.date('2025-07-20') }));
        columns.set(d.name, new Set(rendered.columns.map((c) => c.name)));
      }
      for (const page of dashboard.pages) {
        for (const { widget } of page.layout) {
          for (const wq of widget.queries ?? []) {
            for (const field of wq.query.fields ?? []) {
              for (const [, column] of field.expression.matchAll(/`([^`]+)`/g)) expect(columns.get(wq.query.datasetName)?.has(column as string), `${file.key}/${widget.name}: ${field.expression}`).toBe(true);
            }
          }
        }
      }
    }
  });

  describe('the HTML report', () => {
    let page: string;
    let file: string;

    beforeAll(async () => {
      // Data is not trusted: a vendor name full of markup must reach the page as text only.
      await warehouse.query(`update gold.scout.vendor_analysis set vendor_name = '${ATTACK.replace(/'/g, "''")}' where vendor_key = (select vendor_key from gold.scout.vendor_analysis order by total_php desc, vendor_key limit 1)`);
      await mkdir(TEST_OUTPUT, { recursive: true });
      file = await writeReport(warehouse, {
        out: join(TEST_OUTPUT, 'report.html'),
        asOf: '2026-01-20',
        now: new Date('2026-01-20T02:00:00Z'),
        runInfo: { target: 'local', warehouse: 'DuckDB · test', label: 'test <run> & "label"', runIds: demo.runs.map((r) => r.runId), stepDurationsMs: demo.durationsMs },
      });
      page = await readFile(file, 'utf8');
    }, 60_000);

    it('is one self-contained file: the charting library inlined, nothing fetched', () => {
      expect(page.startsWith('<!doctype html>')).toBe(true);
      expect(page).toContain('Chart.js v4.6.1');
      expect(page.match(/<(script|link|img|iframe)[^>]*\s(src|href)=/i)).toBeNull();
      // The only addresses are the charting library's license comments; nothing refers to the network.
      expect(new Set([...page.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]))).toEqual(new Set(['https://www.chartjs.org', 'https://github.com/kurkle/color#readme']));
      expect(page).toContain('http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;unsafe-inline&#39;;');
      expect(page).not.toContain('Parts of this report could not be built');
    });

    it('shows the figures in pesos, months in Manila time and the filing status on the as-of date', async () => {
      const [december] = await q("select item25_total_taxes_withheld as w, tax_required as t from gold.finance.bir_monthly where period = '2025-12'");
      expect(page).toContain(formatPhp(december?.['w']));
      expect(page).toContain(formatPhp(december?.['t']));
      expect(page).toMatch(/₱\d{1,3}(,\d{3})+\.\d{2}/);
      expect(page).toContain('Dec 2025');
      expect(page).toContain('BIR status as of Jan 20, 2026');
      expect(page).toContain('generated 2026-01-20 10:00:00 PHT');
      const calendar = await run(ANALYTICS_QUERIES.filingCalendar, '2026-01-20');
      expect(calendar.filter((r) => r['filing_status'] === 'due').map((r) => r['period'])).toEqual(['2025-Q4']);
      expect(page).toContain('<span class="badge badge-warn">due</span>');
      expect(page).toContain('5 days late');
    });

    it('summarizes the data quality of the run and its job runs with their durations', () => {
      const quarantined = demo.manifest.scout.expected_quarantine_rows.toLocaleString('en-US');
      expect(page).toMatch(new RegExp(`Quarantined</div><div class="kpi-value">${quarantined}</div>`));
      expect(page).toContain('top reason: ');
      expect(page).toContain('silver.scout.transactions_candidates');
      for (const r of demo.runs) expect(page).toContain(r.runId);
      for (const job of ['bir_etl', 'scout_daily_sync', 'month_end_close']) expect(page).toContain(`Tasks of ${job}`);
      expect(page).toMatch(/<td class="num">\d+(\.\d)? (ms|s)<\/td>/);
    });

    it('escapes every value from the data and the run info', () => {
      expect(page).not.toContain(ATTACK);
      expect(page).toContain('&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;');
      expect(page).toContain('test &lt;run&gt; &amp; &quot;label&quot;');
      const json = /<script type="application\/json" id="report-charts">([^<]*)<\/script>/.exec(page);
      expect(JSON.parse(json?.[1] ?? 'null')).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'chart-scout-vendor-trend', series: expect.arrayContaining([expect.objectContaining({ label: ATTACK })]) })]));
    });

    it('reports queries that cannot run instead of failing', async () => {
      const empty = new Warehouse(duckDbDialect({ dataDir: join(dir, 'empty'), catalogs: CATALOGS }));
      try {
        const told: string[] = [];
        const html = await buildReport(empty, { runInfo: { target: 'local' }, asOf: '2026-01-20', onProblems: (problems) => told.push(...problems.map((p) => p.query)) });
        expect(told).toEqual(expect.arrayContaining(['bir/1601c_monthly', 'scout/spend_by_agency', 'ops/job_runs']));
        expect(html).toContain('Parts of this report could not be built');
        expect(html).toContain('<code>bir/1601c_monthly</code>');
        expect(html).toContain('Not available (see the problems above).');
      } finally {
        await empty.close();
      }
      await expect(buildReport(warehouse, { runInfo: { target: 'local' }, asOf: '2026-02-30' })).rejects.toThrow(/"2026-02-30" is not a date/);
    });

    const skipReason = existsSync(DEFAULT_CHROMIUM) ? undefined : `${DEFAULT_CHROMIUM} not found (install Debian's chromium package: apt-get install -y chromium)`;
    describe.skipIf(skipReason !== undefined)(`in headless Chromium${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
      let browser: HeadlessPage;
      afterAll(async () => browser?.close());

      it('draws every chart, logs no error, fetches nothing and runs no injected markup', async () => {
        browser = await launchHeadlessChromium({ width: 1280, height: 900 });
        await browser.goto(pathToFileURL(file).href);
        const specs = JSON.parse(/id="report-charts">([^<]*)</.exec(page)?.[1] ?? '[]') as { id: string }[];
        expect(specs.length).toBe(10);
        const result = await browser.evaluate<{ drawn: string | null; title: string; images: number; canvases: { id: string; width: number; height: number; differsFromBlank: boolean; painted: number; points: number }[] }>(`(() => {
          const canvases = [...document.querySelectorAll('canvas')].map((canvas) => {
            const blank = document.createElement('canvas');
            blank.width = canvas.width;
            blank.height = canvas.height;
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
            const chart = Chart.getChart(canvas);
            const points = chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0) : 0;
            return { id: canvas.id, width: canvas.width, height: canvas.height, differsFromBlank: canvas.toDataURL() !== blank.toDataURL(), painted, points };
          });
          return { drawn: document.documentElement.getAttribute('data-charts-drawn'), title: document.title, images: document.images.length, canvases };
        })()`);
        expect(result.drawn).toBe(String(specs.length));
        expect(result.canvases.map((c) => c.id)).toEqual(specs.map((s) => s.id));
        for (const canvas of result.canvases) {
          expect(canvas.width * canvas.height, canvas.id).toBeGreaterThan(0);
          expect(canvas.differsFromBlank, `${canvas.id} is blank`).toBe(true);
          expect(canvas.painted, `${canvas.id} painted pixels`).toBeGreaterThan(1000);
          expect(canvas.points, `${canvas.id} data points`).toBeGreaterThan(0);
        }
        expect(result.title).toBe('odoo-ce finance report — local');
        expect(result.images).toBe(0);
        const problems = browser.events.filter((e) => e.kind === 'exception' || e.kind === 'console' || (e.kind === 'log' && e.level === 'error'));
        expect(problems).toEqual([]);
        expect(browser.events.filter((e) => e.kind === 'request').map((e) => e.text)).toEqual([pathToFileURL(file).href]);
        const screenshot = await browser.screenshot();
        expect(screenshot.subarray(1, 4).toString()).toBe('PNG');
        await writeFile(join(TEST_OUTPUT, 'report.png'), screenshot);
      }, 30_000);
    });
  });

  it('`etl report` writes the report of a target and prints its path; `--as-of` must be a date', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const ctx = defaultContext({ env: { LOG_LEVEL: 'warn' }, cwd: dir, print: (t) => void out.push(t) });
    const program = () => {
      const p = new Command('etl').exitOverride().configureOutput({ writeErr: (t) => void err.push(t), writeOut: () => undefined });
      registerReportCommand(p, ctx);
      return p;
    };
    // The command opens its own warehouse on the same data directory (one DuckDB instance per directory).
    await program().parseAsync(['report', '--data-dir', dataDir, '--out', 'out/r.html', '--as-of', '2025-07-20'], { from: 'user' });
    expect(out).toEqual([join(dir, 'out', 'r.html')]);
    const written = await readFile(join(dir, 'out', 'r.html'), 'utf8');
    expect(written).toContain('BIR status as of Jul 20, 2025');
    expect(written).toContain('Target <strong>local</strong>');
    expect(written).toContain(`DuckDB · ${dataDir}`);
    await expect(program().parseAsync(['report', '--data-dir', dataDir, '--as-of', '20-07-2025'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(err.join('')).toContain('--as-of must be a date written YYYY-MM-DD, e.g. 2026-01-20; got "20-07-2025"');
  });
});
