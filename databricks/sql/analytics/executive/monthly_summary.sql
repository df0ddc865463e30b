-- The executive view per month: revenue, expenses and net income from the posted ledger, the tax
-- liabilities the month creates (withholding on compensation to remit with its 1601-C; net VAT
-- payable at each quarter end with its 2550Q), and net income year to date. Amounts in PHP.

SELECT
  period,
  make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1) AS month,
  revenue,
  expenses,
  net_income,
  withholding_on_compensation,
  vat_payable_quarter_end,
  coalesce(withholding_on_compensation, 0) + coalesce(vat_payable_quarter_end, 0) AS tax_liabilities,
  sum(net_income) OVER (PARTITION BY substr(period, 1, 4) ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS net_income_ytd
FROM {{catalog.gold}}.finance.executive_dashboard
ORDER BY period
