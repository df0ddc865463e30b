-- gold.scout.category_monthly — spend per agency, category and month (Asia/Manila calendar dates
-- as recorded in Scout) from validated silver transactions.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.scout;

CREATE OR REPLACE TABLE {{catalog.gold}}.scout.category_monthly AS
SELECT
  {{ ym(transaction_date) }}       AS period,
  agency,
  category,
  count(*)                         AS transactions,
  sum(amount)                      AS total_php,
  CAST(round(avg(amount), 2) AS DECIMAL(18, 2)) AS average_php,
  max(amount)                      AS largest_php
FROM {{catalog.silver}}.scout.transactions
GROUP BY {{ ym(transaction_date) }}, agency, category;
