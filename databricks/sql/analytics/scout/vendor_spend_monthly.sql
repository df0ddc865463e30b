-- Monthly spend with the 6 largest vendors (by total Scout spend), vendor names normalized as in
-- gold.scout.vendor_analysis. Amounts in PHP.

WITH normalized AS (
  SELECT
    trim({{ regexp_replace({{ regexp_replace(upper(vendor), '[^A-Z0-9 ]', '') }}, ' (INC|CORP|CORPORATION|CO|COMPANY|PTY|LTD|PH|PHILIPPINES)$', '') }}) AS vendor_key,
    transaction_date,
    amount
  FROM {{catalog.silver}}.scout.transactions
),
ranked AS (
  SELECT
    vendor_key,
    vendor_name,
    row_number() OVER (ORDER BY total_php DESC, vendor_key) AS spend_rank
  FROM {{catalog.gold}}.scout.vendor_analysis
)
SELECT
  {{ ym(n.transaction_date) }}                 AS period,
  make_date(CAST(extract(YEAR FROM n.transaction_date) AS INT), CAST(extract(MONTH FROM n.transaction_date) AS INT), 1) AS month,
  r.spend_rank,
  r.vendor_name                                AS vendor,
  count(*)                                     AS transactions,
  sum(n.amount)                                AS total_php
FROM normalized AS n
JOIN ranked AS r ON r.vendor_key = n.vendor_key
WHERE r.spend_rank <= 6
GROUP BY {{ ym(n.transaction_date) }}, extract(YEAR FROM n.transaction_date), extract(MONTH FROM n.transaction_date), r.spend_rank, r.vendor_name
ORDER BY period, r.spend_rank
