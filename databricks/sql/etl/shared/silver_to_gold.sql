-- gold.scout.agency_summary and gold.finance.executive_dashboard — the figures people look at.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.scout;
CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.scout.agency_summary AS
SELECT
  agency,
  {{ ym(transaction_date) }}                      AS period,
  count(*)                                        AS transactions,
  count(DISTINCT vendor)                          AS vendors,
  sum(amount)                                     AS total_php,
  CAST(round(avg(amount), 2) AS DECIMAL(18, 2))   AS average_php
FROM {{catalog.silver}}.scout.transactions
GROUP BY agency, {{ ym(transaction_date) }};

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.executive_dashboard AS
WITH ledger AS (
  SELECT
    period,
    -sum(CASE WHEN account_type IN ('income', 'income_other') THEN balance ELSE 0 END)                   AS revenue,
    sum(CASE WHEN account_type IN ('expense', 'expense_depreciation', 'expense_direct_cost') THEN balance ELSE 0 END) AS expenses
  FROM {{catalog.gold}}.finance.trial_balance
  GROUP BY period
),
withholding AS (
  SELECT period, tax_required AS withholding_on_compensation FROM {{catalog.gold}}.finance.bir_monthly
),
vat AS (
  SELECT concat(CAST(year AS STRING), '-', CASE WHEN quarter * 3 < 10 THEN '0' ELSE '' END, CAST(quarter * 3 AS STRING)) AS period,
         line61_net_vat_payable AS vat_payable_for_quarter
  FROM {{catalog.gold}}.finance.bir_quarterly
),
scout AS (
  SELECT period, sum(total_php) AS field_expenses FROM {{catalog.gold}}.scout.agency_summary GROUP BY period
)
SELECT
  l.period,
  l.revenue,
  l.expenses,
  l.revenue - l.expenses                             AS net_income,
  coalesce(s.field_expenses, 0)                      AS scout_expenses,
  coalesce(w.withholding_on_compensation, 0)         AS withholding_on_compensation,
  coalesce(v.vat_payable_for_quarter, 0)             AS vat_payable_quarter_end
FROM ledger AS l
LEFT JOIN withholding AS w ON w.period = l.period
LEFT JOIN vat AS v ON v.period = l.period
LEFT JOIN scout AS s ON s.period = l.period;
