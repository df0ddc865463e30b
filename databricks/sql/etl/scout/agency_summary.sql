-- gold.scout.agency_summary — spend per agency and month from validated silver transactions.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.scout;

CREATE OR REPLACE TABLE {{catalog.gold}}.scout.agency_summary AS
SELECT
  agency,
  {{ ym(transaction_date) }}                      AS period,
  count(*)                                        AS transactions,
  count(DISTINCT vendor)                          AS vendors,
  sum(amount)                                     AS total_php,
  CAST(round(avg(amount), 2) AS DECIMAL(18, 2))   AS average_php
FROM {{catalog.silver}}.scout.transactions
GROUP BY agency, {{ ym(transaction_date) }};
