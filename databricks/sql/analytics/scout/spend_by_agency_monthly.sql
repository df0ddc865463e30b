-- Scout field expenses per agency and month (months as recorded in Scout, Asia/Manila calendar):
-- transactions, distinct vendors, total and average spend in PHP.

SELECT
  period,
  make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1) AS month,
  agency,
  transactions,
  vendors,
  total_php,
  average_php
FROM {{catalog.gold}}.scout.agency_summary
ORDER BY period, agency
