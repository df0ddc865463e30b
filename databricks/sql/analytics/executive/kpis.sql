-- Headline figures for the latest calendar year in the gold layer: revenue, expenses, net income,
-- tax liabilities (withholding on compensation + net VAT payable) and Scout field expenses, with
-- the number of months behind them. One row. Amounts in PHP.

WITH latest AS (
  SELECT max(substr(period, 1, 4)) AS year FROM {{catalog.gold}}.finance.executive_dashboard
),
finance AS (
  SELECT
    count(*)                                      AS months,
    min(e.period)                                 AS first_period,
    max(e.period)                                 AS last_period,
    sum(e.revenue)                                AS revenue,
    sum(e.expenses)                               AS expenses,
    sum(e.net_income)                             AS net_income,
    coalesce(sum(e.withholding_on_compensation), 0) AS withholding_on_compensation,
    coalesce(sum(e.vat_payable_quarter_end), 0)   AS vat_payable
  FROM {{catalog.gold}}.finance.executive_dashboard AS e
  JOIN latest AS l ON substr(e.period, 1, 4) = l.year
),
field AS (
  SELECT coalesce(sum(a.total_php), 0) AS field_expenses, CAST(coalesce(sum(a.transactions), 0) AS BIGINT) AS field_transactions
  FROM {{catalog.gold}}.scout.agency_summary AS a
  JOIN latest AS l ON substr(a.period, 1, 4) = l.year
)
SELECT
  l.year,
  f.months,
  f.first_period,
  f.last_period,
  f.revenue,
  f.expenses,
  f.net_income,
  CASE WHEN f.revenue <> 0 THEN CAST(round(100 * f.net_income / f.revenue, 2) AS DECIMAL(7, 2)) END AS net_margin_pct,
  f.withholding_on_compensation,
  f.vat_payable,
  f.withholding_on_compensation + f.vat_payable AS tax_liabilities,
  s.field_expenses,
  s.field_transactions
FROM latest AS l
CROSS JOIN finance AS f
CROSS JOIN field AS s
