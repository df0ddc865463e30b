-- gold.finance.executive_dashboard — monthly revenue, expenses, net income and tax liabilities.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

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
)
SELECT
  l.period,
  l.revenue,
  l.expenses,
  l.revenue - l.expenses                             AS net_income,
  coalesce(w.withholding_on_compensation, 0)         AS withholding_on_compensation,
  coalesce(v.vat_payable_for_quarter, 0)             AS vat_payable_quarter_end
FROM ledger AS l
LEFT JOIN withholding AS w ON w.period = l.period
LEFT JOIN vat AS v ON v.period = l.period;
