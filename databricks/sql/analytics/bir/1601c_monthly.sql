-- BIR 1601-C (monthly remittance of income taxes withheld on compensation), one row per month,
-- with its deadline and filing status on the as-of date:
--   upcoming  the month has not ended yet (as_of <= last day of the month): nothing to file yet;
--   due       the month has ended and the deadline has not passed (as_of <= due_date);
--   overdue   the deadline has passed (as_of > due_date).
-- days_to_due is negative once the deadline has passed. Amounts in PHP.
-- Parameters: as_of (DATE).

WITH months AS (
  SELECT
    m.*,
    last_day(make_date(CAST(substr(m.period, 1, 4) AS INT), CAST(substr(m.period, 6, 2) AS INT), 1)) AS period_end
  FROM {{catalog.gold}}.finance.bir_monthly AS m
)
SELECT
  period,
  make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1) AS month,
  period_end,
  due_date,
  employees,
  item14_total_compensation,
  item21_total_non_taxable,
  item22_total_taxable,
  tax_required,
  item25_total_taxes_withheld,
  variance,
  under_withheld_employees,
  CASE
    WHEN CAST({{params.as_of}} AS DATE) <= period_end THEN 'upcoming'
    WHEN CAST({{params.as_of}} AS DATE) <= due_date THEN 'due'
    ELSE 'overdue'
  END                                                          AS filing_status,
  {{ days_between(CAST({{params.as_of}} AS DATE), due_date) }} AS days_to_due
FROM months
ORDER BY period
