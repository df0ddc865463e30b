import { calendarFeatures, entityAggregates, growthFeatures, lagFeatures, rollingFeatures, safeRatio, type SeriesWindow } from './builders.js';

/**
 * Expanded withholding (EWT) rates a Top Withholding Agent applies to Scout expense categories
 * (shared/domain/bir-rules.md §2.1, juridical payees): professional fees WC010 10 %, purchases of
 * goods WC158 1 %, purchases of services WC160 2 %. Scout does not record the payee's ATC, so this is
 * the estimate the forecast series use, not a filing figure.
 */
export const EWT_RATES: Readonly<Record<string, number>> = Object.freeze({ professional_fees: 0.1, supplies: 0.01 });
export const EWT_DEFAULT_RATE = 0.02;
/** Input VAT inside a VAT-inclusive receipt: 12/112. */
export const INPUT_VAT_SHARE = '12.0 / 112.0';

function ewtRateSql(column: string): string {
  const cases = Object.entries(EWT_RATES).map(([category, rate]) => `WHEN '${category}' THEN ${rate.toFixed(2)}`).join(' ');
  return `CASE ${column} ${cases} ELSE ${EWT_DEFAULT_RATE.toFixed(2)} END`;
}

const SERIES: SeriesWindow = { partitionBy: ['series'], orderBy: 'month' };

/** Integer month index (year × 12 + month − 1) of a `YYYY-MM` string, for calendar arithmetic both engines share. */
const monthIndexSql = (column: string) => `CAST(substr(${column}, 1, 4) AS INT) * 12 + CAST(substr(${column}, 6, 2) AS INT) - 1`;

const indent = (lines: readonly string[], pad = '  ') => lines.map((l) => `${pad}${l}`).join(',\n');

/**
 * The SQL template of gold.ml_features.bir_forecasting: one row per series and month (long format)
 * with the value to forecast and its features. Series: `ewt:<AGENCY>` (estimated EWT on Scout
 * expenses), `input_vat:<AGENCY>` (input VAT in the receipts), `1601c:withheld` (gold.finance.bir_monthly
 * item 25) and `vat:payable` (output − input VAT of posted journal items by 2550Q tag, per month).
 * The month spine is the calendar: every month between the first and last month any series
 * observed (a month no source has is still a row, so the row-based lags and YoY growth stay on the
 * right month). Built from a 10⁴-row digits cross join rather than `sequence`/`range`/`generate_series`,
 * which the two engines spell differently; 10 000 months is far beyond any tax history. Each series
 * gets the spine months between its own first and last month; Scout months without expenses are 0
 * (true zero spend), company months without data stay NULL (`value_observed` = 0).
 */
export function birForecastingSql(): string {
  return `CREATE OR REPLACE TABLE {{catalog.gold}}.ml_features.bir_forecasting AS
WITH scout_monthly AS (
  SELECT
    agency,
    {{ ym(transaction_date) }} AS month,
    sum(amount) AS spend,
    sum(amount * ${ewtRateSql('category')}) AS ewt,
    sum(amount * ${INPUT_VAT_SHARE}) AS input_vat,
    count(*) AS transactions
  FROM {{catalog.silver}}.scout.transactions
  GROUP BY agency, {{ ym(transaction_date) }}
),
vendor_monthly AS (
  SELECT agency, {{ ym(transaction_date) }} AS month, vendor, sum(amount) AS vendor_spend
  FROM {{catalog.silver}}.scout.transactions
  GROUP BY agency, {{ ym(transaction_date) }}, vendor
),
agency_features AS (
  SELECT
    s.agency AS entity,
    s.month,
${indent([safeRatio('s.ewt', 's.spend', 'effective_withholding_rate'), safeRatio('s.input_vat', 's.spend', 'vat_ratio'), 's.transactions'], '    ')},
    sum(power(CAST(v.vendor_spend AS DOUBLE) / nullif(CAST(s.spend AS DOUBLE), 0), 2)) AS vendor_concentration
  FROM scout_monthly AS s
  JOIN vendor_monthly AS v ON v.agency = s.agency AND v.month = s.month
  GROUP BY s.agency, s.month, s.ewt, s.input_vat, s.spend, s.transactions
),
vat_monthly AS (
  SELECT
    {{ ym(l.date) }} AS month,
    -sum(CASE WHEN t.tag_name = '31B' THEN l.balance ELSE 0 END)
      - sum(CASE WHEN t.tag_name IN ('44B', '44SB', 'CAPB', '53B', '45B', '46B') THEN l.balance ELSE 0 END) AS payable
  FROM {{catalog.silver}}.finance.move_lines AS l
  JOIN {{catalog.silver}}.finance.move_line_tags AS t ON t.line_id = l.id
  WHERE l.parent_state = 'posted'
  GROUP BY {{ ym(l.date) }}
),
observations AS (
  SELECT concat('ewt:', agency) AS series, 'ewt' AS measure, agency AS entity, month, CAST(ewt AS DOUBLE) AS value FROM scout_monthly
  UNION ALL
  SELECT concat('input_vat:', agency), 'input_vat', agency, month, CAST(input_vat AS DOUBLE) FROM scout_monthly
  UNION ALL
  SELECT '1601c:withheld', '1601c_withheld', 'company', period, CAST(item25_total_taxes_withheld AS DOUBLE) FROM {{catalog.gold}}.finance.bir_monthly
  UNION ALL
  SELECT 'vat:payable', 'vat_payable', 'company', month, CAST(payable AS DOUBLE) FROM vat_monthly
),
observed_range AS (
  SELECT min(${monthIndexSql('month')}) AS first_index, max(${monthIndexSql('month')}) AS last_index FROM observations
),
digits AS (SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t(d)),
month_offsets AS (
  SELECT d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d AS k
  FROM digits AS d1 CROSS JOIN digits AS d2 CROSS JOIN digits AS d3 CROSS JOIN digits AS d4
),
months AS (
  SELECT {{ ym(make_date(CAST(floor((r.first_index + o.k) / 12) AS INT), CAST((r.first_index + o.k) % 12 + 1 AS INT), 1)) }} AS month
  FROM observed_range AS r
  JOIN month_offsets AS o ON o.k <= r.last_index - r.first_index
),
bounds AS (
  SELECT series, measure, entity, min(month) AS first_month, max(month) AS last_month
  FROM observations
  GROUP BY series, measure, entity
),
spine AS (
  SELECT
    b.series,
    b.measure,
    b.entity,
    m.month,
    CASE WHEN o.value IS NULL AND b.entity <> 'company' THEN 0 ELSE o.value END AS value,
    CASE WHEN o.value IS NULL THEN 0 ELSE 1 END AS value_observed
  FROM bounds AS b
  JOIN months AS m ON m.month BETWEEN b.first_month AND b.last_month
  LEFT JOIN observations AS o ON o.series = b.series AND o.month = m.month
),
featured AS (
  SELECT
    series,
    measure,
    entity,
    month,
    value,
    value_observed,
${indent([
  ...calendarFeatures('month'),
  ...lagFeatures('value', SERIES, [1, 2, 3, 12]),
  ...rollingFeatures('value', SERIES, [3, 12]),
  ...growthFeatures('value', SERIES, 12),
  ...entityAggregates('value', ['series'], { shareOf: ['measure', 'month'], as: 'series' }),
], '    ')}
  FROM spine
)
SELECT
  f.*,
  a.effective_withholding_rate,
  a.vat_ratio,
  a.vendor_concentration,
  a.transactions AS entity_transactions
FROM featured AS f
LEFT JOIN agency_features AS a ON a.entity = f.entity AND a.month = f.month`;
}

/**
 * The SQL template of gold.ml_features.expense_prediction: one row per validated Scout expense with
 * its text (for the category classifier), amount features, calendar features, per-vendor aggregates,
 * days since the previous payment to the same vendor, and the financial features of its agency and
 * month (category share, effective withholding rate, VAT ratio, vendor concentration).
 */
export function expensePredictionSql(): string {
  return `CREATE OR REPLACE TABLE {{catalog.gold}}.ml_features.expense_prediction AS
WITH tx AS (
  SELECT
    id,
    agency,
    vendor,
    upper(trim(vendor)) AS vendor_key,
    category,
    coalesce(description, '') AS description,
    amount,
    transaction_date,
    {{ ym(transaction_date) }} AS month
  FROM {{catalog.silver}}.scout.transactions
),
agency_month AS (
  SELECT
    agency,
    month,
    sum(amount) AS agency_spend,
    sum(amount * ${ewtRateSql('category')}) AS agency_ewt,
    sum(amount * ${INPUT_VAT_SHARE}) AS agency_input_vat
  FROM tx
  GROUP BY agency, month
),
category_month AS (
  SELECT agency, month, category, sum(amount) AS category_spend FROM tx GROUP BY agency, month, category
),
vendor_month AS (
  SELECT agency, month, vendor_key, sum(amount) AS vendor_spend FROM tx GROUP BY agency, month, vendor_key
),
concentration AS (
  SELECT v.agency, v.month, sum(power(CAST(v.vendor_spend AS DOUBLE) / nullif(CAST(a.agency_spend AS DOUBLE), 0), 2)) AS vendor_concentration
  FROM vendor_month AS v
  JOIN agency_month AS a ON a.agency = v.agency AND a.month = v.month
  GROUP BY v.agency, v.month
),
sequenced AS (
  SELECT tx.*, lag(transaction_date) OVER (PARTITION BY vendor_key ORDER BY transaction_date, id) AS previous_vendor_date
  FROM tx
)
SELECT
  s.id,
  s.agency,
  s.vendor,
  s.vendor_key,
  s.category,
  s.description,
  s.amount,
  s.transaction_date,
  s.month,
${indent([
  'ln(CAST(s.amount AS DOUBLE)) AS log_amount',
  'CAST(floor(log10(CAST(s.amount AS DOUBLE))) AS INT) AS amount_bucket',
  'CAST(extract(DAY FROM s.transaction_date) AS INT) AS day_of_month',
  ...calendarFeatures('s.month'),
  ...entityAggregates('s.amount', ['s.vendor_key'], { as: 'vendor_amount' }),
  '{{ days_between(s.previous_vendor_date, s.transaction_date) }} AS days_since_vendor_previous',
  safeRatio('c.category_spend', 'a.agency_spend', 'category_share'),
  safeRatio('a.agency_ewt', 'a.agency_spend', 'effective_withholding_rate'),
  safeRatio('a.agency_input_vat', 'a.agency_spend', 'vat_ratio'),
  'k.vendor_concentration',
])}
FROM sequenced AS s
JOIN agency_month AS a ON a.agency = s.agency AND a.month = s.month
JOIN category_month AS c ON c.agency = s.agency AND c.month = s.month AND c.category = s.category
JOIN concentration AS k ON k.agency = s.agency AND k.month = s.month`;
}

/** The whole features script (both tables), as stored in databricks/sql/ml/features.sql. */
export function featuresScript(): string {
  return `-- GENERATED from libs/feature-engineering (featuresScript()); edit the builders, then run
-- UPDATE_FEATURE_SQL=1 npx vitest run src/lib/feature-sql-file.spec.ts in libs/feature-engineering.
-- ML feature tables: gold.ml_features.bir_forecasting (monthly series to forecast) and
-- gold.ml_features.expense_prediction (one row per validated Scout expense).

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.ml_features;

${birForecastingSql()};

${expensePredictionSql()};
`;
}
