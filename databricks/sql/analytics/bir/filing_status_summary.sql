-- One row: how many BIR returns are overdue, due and upcoming on the as-of date, the PHP amounts
-- behind the overdue and due ones, and the nearest deadline that has not passed yet.
-- Parameters: as_of (DATE).

WITH filings AS (
  SELECT
    '1601-C' AS form,
    period,
    last_day(make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1)) AS period_end,
    due_date,
    item25_total_taxes_withheld AS amount_payable
  FROM {{catalog.gold}}.finance.bir_monthly
  UNION ALL
  SELECT
    '2550Q' AS form,
    period,
    last_day(make_date(year, quarter * 3, 1)) AS period_end,
    due_date,
    greatest(line21_tax_still_payable, CAST(0 AS DECIMAL(38, 2))) AS amount_payable
  FROM {{catalog.gold}}.finance.bir_quarterly
),
status AS (
  SELECT
    f.*,
    CASE
      WHEN CAST({{params.as_of}} AS DATE) <= period_end THEN 'upcoming'
      WHEN CAST({{params.as_of}} AS DATE) <= due_date THEN 'due'
      ELSE 'overdue'
    END AS filing_status
  FROM filings AS f
),
next_deadline AS (
  SELECT form, period, due_date, amount_payable
  FROM status
  WHERE due_date >= CAST({{params.as_of}} AS DATE)
  ORDER BY due_date, form
  LIMIT 1
)
SELECT
  count(CASE WHEN s.filing_status = 'overdue' THEN 1 END)                      AS overdue_filings,
  count(CASE WHEN s.filing_status = 'due' THEN 1 END)                          AS due_filings,
  count(CASE WHEN s.filing_status = 'upcoming' THEN 1 END)                     AS upcoming_filings,
  coalesce(sum(CASE WHEN s.filing_status = 'overdue' THEN s.amount_payable END), 0) AS overdue_amount,
  coalesce(sum(CASE WHEN s.filing_status = 'due' THEN s.amount_payable END), 0)     AS due_amount,
  max(n.form)                                                                  AS next_form,
  max(n.period)                                                                AS next_period,
  max(n.due_date)                                                              AS next_due_date,
  max(n.amount_payable)                                                        AS next_amount_payable
FROM status AS s
LEFT JOIN next_deadline AS n ON 1 = 1
