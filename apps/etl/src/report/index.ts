/**
 * The analytics report and dashboards: one self-contained HTML report of a warehouse's gold layer
 * and latest run ({@link buildReport}, {@link writeReport}), and Lakeview dashboards for
 * Databricks generated from the same analytics queries ({@link writeDashboards}).
 */
export { ANALYTICS_QUERIES, runAnalyticsQuery, renderAnalyticsQuery, type AnalyticsQuery, type AnalyticsQueryName, type AnalyticsParams } from './analytics.js';
export { DASHBOARD_KEYS, DASHBOARD_TARGETS, DASHBOARDS_DIR, generateDashboards, staleDashboards, writeDashboards, type GeneratedDashboard } from './dashboards.js';
export { formatPhp, formatMonth, manilaDate, REPORT_TIME_ZONE } from './format.js';
export { buildReport, writeReport, type BuildReportOptions, type WriteReportOptions } from './report.js';
export type { ReportProblem, RunInfo } from './report-data.js';
