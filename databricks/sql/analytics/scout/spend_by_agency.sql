-- Scout field expenses per agency over the whole data set: transactions, distinct vendors, total
-- and average spend (PHP), share of all validated spend, and the dates of the first and last
-- transaction. Validated (silver) transactions only; quarantined rows are counted in
-- quality_monthly.sql. Largest spender first.

WITH per_agency AS (
  SELECT
    agency,
    count(*)                                       AS transactions,
    count(DISTINCT vendor)                         AS vendors,
    sum(amount)                                    AS total_php,
    CAST(round(avg(amount), 2) AS DECIMAL(18, 2))  AS average_php,
    min(transaction_date)                          AS first_transaction,
    max(transaction_date)                          AS last_transaction
  FROM {{catalog.silver}}.scout.transactions
  GROUP BY agency
)
SELECT
  agency,
  transactions,
  vendors,
  total_php,
  average_php,
  CAST(round(100 * total_php / sum(total_php) OVER (), 2) AS DECIMAL(5, 2)) AS share_pct,
  first_transaction,
  last_transaction
FROM per_agency
ORDER BY total_php DESC, agency
