import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { QueryExecutor } from '@odoo-ce/warehouse';
import { chartLibrarySource } from './charts.js';
import { isIsoDate, manilaDate } from './format.js';
import { loadReportData, type ReportProblem, type RunInfo } from './report-data.js';
import { renderReportHtml } from './report-html.js';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** What the report says about the run: target, warehouse, which job runs, step timings. */
  readonly runInfo: RunInfo;
  /** As-of date of the BIR filing status, `YYYY-MM-DD`; default: today in Asia/Manila. */
  readonly asOf?: string;
  /** The clock for "generated at" and the default as-of date (default: now). */
  readonly now?: Date;
  /** Told about the queries that failed (their sections are empty and listed atop the report). */
  readonly onProblems?: (problems: readonly ReportProblem[]) => void;
}

/** Options of {@link writeReport}: {@link BuildReportOptions} plus where to write the file. */
export interface WriteReportOptions extends BuildReportOptions {
  /** Path of the HTML file (parent directories are created). */
  readonly out: string;
}

/**
 * Builds the HTML report of a warehouse's gold layer and latest run: executive summary, BIR
 * compliance (1601-C, 2550Q, deadlines and filing status on the as-of date), Scout expenses,
 * the data-quality summary of the run and run metadata. One self-contained file: Chart.js is
 * inlined, nothing is fetched, so it opens offline. Every value is HTML-escaped.
 *
 * Queries that fail (a table not built yet) leave their section empty and are listed at the top.
 *
 * @example
 * const html = await buildReport(warehouse, { runInfo: { target: 'local' }, asOf: '2026-01-20' });
 */
export async function buildReport(warehouse: Pick<QueryExecutor, 'render' | 'query'>, options: BuildReportOptions): Promise<string> {
  const now = options.now ?? new Date();
  const asOf = options.asOf ?? manilaDate(now);
  if (!isIsoDate(asOf)) throw new Error(`as-of date "${asOf}" is not a date; expected YYYY-MM-DD, e.g. 2026-01-20`);
  const [data, library] = await Promise.all([loadReportData(warehouse, { runInfo: options.runInfo, asOf, generatedAt: now }), chartLibrarySource()]);
  if (data.problems.length > 0) options.onProblems?.(data.problems);
  return renderReportHtml(data, library);
}

/**
 * Builds the report ({@link buildReport}) and writes it to `options.out`; returns the absolute
 * path of the file.
 *
 * @example
 * const path = await writeReport(warehouse, { out: join(dataDir, 'report.html'), runInfo: { target: 'local', runIds } });
 */
export async function writeReport(warehouse: Pick<QueryExecutor, 'render' | 'query'>, options: WriteReportOptions): Promise<string> {
  const path = resolve(options.out);
  const page = await buildReport(warehouse, options);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, page, 'utf8');
  return path;
}
