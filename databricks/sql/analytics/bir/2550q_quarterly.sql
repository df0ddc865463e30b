-- BIR 2550Q (quarterly value-added tax return), one row per calendar quarter, with its deadline
-- (25 days after the quarter closes) and filing status on the as-of date:
--   upcoming  the quarter has not ended yet (as_of <= last day of the quarter);
--   due       the quarter has ended and the deadline has not passed (as_of <= due_date);
--   overdue   the deadline has passed (as_of > due_date).
-- days_to_due is negative once the deadline has passed. Amounts in PHP.
-- Parameters: as_of (DATE).

WITH quarters AS (
  SELECT
    q.*,
    last_day(make_date(q.year, q.quarter * 3, 1)) AS period_end
  FROM {{catalog.gold}}.finance.bir_quarterly AS q
)
SELECT
  period,
  year,
  quarter,
  make_date(year, quarter * 3 - 2, 1)                          AS quarter_start,
  period_end,
  due_date,
  line31_vatable_sales,
  line31_output_vat,
  line32_zero_rated_sales,
  line33_exempt_sales,
  line34_total_sales,
  line50_current_input_tax,
  line60_allowable_input_tax,
  line61_net_vat_payable,
  line16_creditable_vat_withheld,
  line21_tax_still_payable,
  excess_input_tax_carried_forward,
  CASE
    WHEN CAST({{params.as_of}} AS DATE) <= period_end THEN 'upcoming'
    WHEN CAST({{params.as_of}} AS DATE) <= due_date THEN 'due'
    ELSE 'overdue'
  END                                                          AS filing_status,
  {{ days_between(CAST({{params.as_of}} AS DATE), due_date) }} AS days_to_due
FROM quarters
ORDER BY period
