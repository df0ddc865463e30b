-- Every BIR return the gold layer computes (1601-C monthly, 2550Q quarterly) with its deadline,
-- the amount to remit and its filing status on the as-of date (upcoming / due / overdue, as in
-- 1601c_monthly.sql and 2550q_quarterly.sql). Ordered by deadline. Amounts in PHP; a 2550Q with
-- more input than output VAT remits nothing (the excess is carried over), so its amount is 0.
-- Parameters: as_of (DATE).

WITH filings AS (
  SELECT
    '1601-C'                                 AS form,
    'Withholding tax on compensation'        AS description,
    period,
    last_day(make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1)) AS period_end,
    due_date,
    item25_total_taxes_withheld              AS amount_payable
  FROM {{catalog.gold}}.finance.bir_monthly
  UNION ALL
  SELECT
    '2550Q'                                  AS form,
    'Quarterly value-added tax'              AS description,
    period,
    last_day(make_date(year, quarter * 3, 1)) AS period_end,
    due_date,
    greatest(line21_tax_still_payable, CAST(0 AS DECIMAL(38, 2))) AS amount_payable
  FROM {{catalog.gold}}.finance.bir_quarterly
)
SELECT
  form,
  description,
  period,
  period_end,
  due_date,
  amount_payable,
  CASE
    WHEN CAST({{params.as_of}} AS DATE) <= period_end THEN 'upcoming'
    WHEN CAST({{params.as_of}} AS DATE) <= due_date THEN 'due'
    ELSE 'overdue'
  END                                                          AS filing_status,
  {{ days_between(CAST({{params.as_of}} AS DATE), due_date) }} AS days_to_due
FROM filings
ORDER BY due_date, form, period
