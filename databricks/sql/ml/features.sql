-- GENERATED from libs/feature-engineering (featuresScript()); edit the builders, then run
-- UPDATE_FEATURE_SQL=1 npx vitest run src/lib/feature-sql-file.spec.ts in libs/feature-engineering.
-- ML feature tables: gold.ml_features.bir_forecasting (monthly series to forecast) and
-- gold.ml_features.expense_prediction (one row per validated Scout expense).

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.ml_features;

CREATE OR REPLACE TABLE {{catalog.gold}}.ml_features.bir_forecasting AS
WITH scout_monthly AS (
  SELECT
    agency,
    {{ ym(transaction_date) }} AS month,
    sum(amount) AS spend,
    sum(amount * CASE category WHEN 'professional_fees' THEN 0.10 WHEN 'supplies' THEN 0.01 ELSE 0.02 END) AS ewt,
    sum(amount * 12.0 / 112.0) AS input_vat,
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
    CAST(s.ewt AS DOUBLE) / nullif(CAST(s.spend AS DOUBLE), 0) AS effective_withholding_rate,
    CAST(s.input_vat AS DOUBLE) / nullif(CAST(s.spend AS DOUBLE), 0) AS vat_ratio,
    s.transactions,
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
  SELECT min(CAST(substr(month, 1, 4) AS INT) * 12 + CAST(substr(month, 6, 2) AS INT) - 1) AS first_index, max(CAST(substr(month, 1, 4) AS INT) * 12 + CAST(substr(month, 6, 2) AS INT) - 1) AS last_index FROM observations
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
    CAST(substr(month, 1, 4) AS INT) AS year,
    CAST(substr(month, 6, 2) AS INT) AS month_of_year,
    CAST(floor((CAST(substr(month, 6, 2) AS INT) - 1) / 3) AS INT) + 1 AS quarter,
    CASE WHEN CAST(substr(month, 6, 2) AS INT) IN (3, 6, 9, 12) THEN 1 ELSE 0 END AS is_quarter_end,
    CASE WHEN CAST(substr(month, 6, 2) AS INT) = 12 THEN 1 ELSE 0 END AS is_year_end,
    lag(value, 1) OVER (PARTITION BY series ORDER BY month) AS value_lag_1,
    lag(value, 2) OVER (PARTITION BY series ORDER BY month) AS value_lag_2,
    lag(value, 3) OVER (PARTITION BY series ORDER BY month) AS value_lag_3,
    lag(value, 12) OVER (PARTITION BY series ORDER BY month) AS value_lag_12,
    sum(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS value_roll3_sum,
    avg(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS value_roll3_mean,
    stddev_samp(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS value_roll3_std,
    sum(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 12 PRECEDING AND 1 PRECEDING) AS value_roll12_sum,
    avg(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 12 PRECEDING AND 1 PRECEDING) AS value_roll12_mean,
    stddev_samp(value) OVER (PARTITION BY series ORDER BY month ROWS BETWEEN 12 PRECEDING AND 1 PRECEDING) AS value_roll12_std,
    CAST(value AS DOUBLE) / nullif(CAST(lag(value, 1) OVER (PARTITION BY series ORDER BY month) AS DOUBLE), 0) - 1 AS value_mom_growth,
    CAST(value AS DOUBLE) / nullif(CAST(lag(value, 12) OVER (PARTITION BY series ORDER BY month) AS DOUBLE), 0) - 1 AS value_yoy_growth,
    avg(value) OVER (PARTITION BY series) AS series_mean,
    stddev_samp(value) OVER (PARTITION BY series) AS series_std,
    count(value) OVER (PARTITION BY series) AS series_count,
    CAST(value AS DOUBLE) / nullif(CAST(sum(value) OVER (PARTITION BY measure, month) AS DOUBLE), 0) AS series_share
  FROM spine
)
SELECT
  f.*,
  a.effective_withholding_rate,
  a.vat_ratio,
  a.vendor_concentration,
  a.transactions AS entity_transactions
FROM featured AS f
LEFT JOIN agency_features AS a ON a.entity = f.entity AND a.month = f.month;

CREATE OR REPLACE TABLE {{catalog.gold}}.ml_features.expense_prediction AS
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
    sum(amount * CASE category WHEN 'professional_fees' THEN 0.10 WHEN 'supplies' THEN 0.01 ELSE 0.02 END) AS agency_ewt,
    sum(amount * 12.0 / 112.0) AS agency_input_vat
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
  ln(CAST(s.amount AS DOUBLE)) AS log_amount,
  CAST(floor(log10(CAST(s.amount AS DOUBLE))) AS INT) AS amount_bucket,
  CAST(extract(DAY FROM s.transaction_date) AS INT) AS day_of_month,
  CAST(substr(s.month, 1, 4) AS INT) AS year,
  CAST(substr(s.month, 6, 2) AS INT) AS month_of_year,
  CAST(floor((CAST(substr(s.month, 6, 2) AS INT) - 1) / 3) AS INT) + 1 AS quarter,
  CASE WHEN CAST(substr(s.month, 6, 2) AS INT) IN (3, 6, 9, 12) THEN 1 ELSE 0 END AS is_quarter_end,
  CASE WHEN CAST(substr(s.month, 6, 2) AS INT) = 12 THEN 1 ELSE 0 END AS is_year_end,
  avg(s.amount) OVER (PARTITION BY s.vendor_key) AS vendor_amount_mean,
  stddev_samp(s.amount) OVER (PARTITION BY s.vendor_key) AS vendor_amount_std,
  count(s.amount) OVER (PARTITION BY s.vendor_key) AS vendor_amount_count,
  {{ days_between(s.previous_vendor_date, s.transaction_date) }} AS days_since_vendor_previous,
  CAST(c.category_spend AS DOUBLE) / nullif(CAST(a.agency_spend AS DOUBLE), 0) AS category_share,
  CAST(a.agency_ewt AS DOUBLE) / nullif(CAST(a.agency_spend AS DOUBLE), 0) AS effective_withholding_rate,
  CAST(a.agency_input_vat AS DOUBLE) / nullif(CAST(a.agency_spend AS DOUBLE), 0) AS vat_ratio,
  k.vendor_concentration
FROM sequenced AS s
JOIN agency_month AS a ON a.agency = s.agency AND a.month = s.month
JOIN category_month AS c ON c.agency = s.agency AND c.month = s.month AND c.category = s.category
JOIN concentration AS k ON k.agency = s.agency AND k.month = s.month;
