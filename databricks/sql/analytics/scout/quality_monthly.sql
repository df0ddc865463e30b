-- Data quality of Scout transactions per month: validated transactions, transactions flagged as
-- anomalies (amount more than 3 standard deviations from the mean of its expense category), and
-- rows the silver quality gate quarantined. Quarantined rows without a parseable date are counted
-- under the period 'undated'.

WITH category_stats AS (
  SELECT category, avg(amount) AS mean_amount, stddev_samp(amount) AS sd_amount
  FROM {{catalog.silver}}.scout.transactions
  GROUP BY category
),
validated AS (
  SELECT
    {{ ym(t.transaction_date) }} AS period,
    t.amount,
    CASE WHEN s.sd_amount > 0 AND abs(t.amount - s.mean_amount) > 3 * s.sd_amount THEN 1 END AS anomaly
  FROM {{catalog.silver}}.scout.transactions AS t
  JOIN category_stats AS s ON s.category = t.category
),
events AS (
  SELECT period, 1 AS validated, anomaly, CAST(NULL AS INT) AS quarantined FROM validated
  UNION ALL
  SELECT coalesce({{ ym(transaction_date) }}, 'undated') AS period, CAST(NULL AS INT) AS validated, CAST(NULL AS INT) AS anomaly, 1 AS quarantined
  FROM {{catalog.silver}}.scout.transactions_quarantine
)
SELECT
  period,
  count(validated)    AS transactions,
  count(anomaly)      AS anomalies,
  count(quarantined)  AS quarantined
FROM events
GROUP BY period
ORDER BY period
