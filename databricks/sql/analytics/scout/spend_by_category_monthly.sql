-- Scout field expenses per expense category and month, all agencies together: transactions,
-- total spend and the largest single expense, in PHP.

SELECT
  period,
  make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1) AS month,
  category,
  CAST(sum(transactions) AS BIGINT)    AS transactions,
  sum(total_php)                       AS total_php,
  max(largest_php)                     AS largest_php
FROM {{catalog.gold}}.scout.category_monthly
GROUP BY period, category
ORDER BY period, category
