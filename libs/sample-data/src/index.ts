/**
 * @odoo-ce/sample-data — a deterministic generator of Odoo / OCA payroll / Scout data in the
 * shapes the sources return, with injected defects and an exact ground-truth manifest.
 */
export { DEFAULT_DEFECT_RATES, generateDataset, type Dataset, type DatasetOptions, type DefectRates, type GroundTruth } from './lib/dataset.js';
export { TAX_TAG_NAMES, type MoveType, type OdooAccount, type OdooMove, type OdooMoveLine, type OdooPartner, type OdooTag, type OdooTax } from './lib/odoo.js';
export { decimalString, formatTin, m2o, odooDate, odooDatetime, type Many2one } from './lib/odoo-format.js';
export { DEFAULT_PAYROLL_CODES, type OdooEmployee, type OdooPayslip, type OdooPayslipLine, type PayrollCodes, type WithholdingFunction } from './lib/payroll.js';
export { Random } from './lib/random.js';
export { SCOUT_AGENCIES, SCOUT_CATEGORIES, SCOUT_DEFECTS, type ScoutDefect, type ScoutTransaction } from './lib/scout.js';
export { writeDataset, type WrittenFile } from './lib/write.js';
export { generateScoutHistory, HISTORY_SEASON, type ScoutHistoryOptions, type ScoutHistoryTruth } from './lib/scout-history.js';
export { BULK_SCOUT_DEFAULTS, groundTruthSql, moveLinesBronzeSql, scoutBronzeSql, scoutGroundTruthSql, type BulkLedgerOptions, type BulkScoutOptions } from './lib/bulk-sql.js';
