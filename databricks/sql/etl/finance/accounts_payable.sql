-- gold.finance.ap_aging — open vendor bills at each month end, in aging buckets by days past due.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.ap_aging AS
WITH month_ends AS (
  SELECT DISTINCT CAST(last_day(date) AS DATE) AS as_of
  FROM {{catalog.silver}}.finance.moves
  WHERE state = 'posted'
),
open_bills AS (
  SELECT e.as_of, m.partner_id, m.amount_residual,
         {{ days_between(coalesce(m.invoice_date_due, m.date), e.as_of) }} AS days_past_due
  FROM month_ends AS e
  JOIN {{catalog.silver}}.finance.moves AS m
    ON m.state = 'posted' AND m.move_type = 'in_invoice' AND m.date <= e.as_of AND m.amount_residual > 0
)
SELECT
  {{ ym(as_of) }}                                                                    AS period,
  as_of,
  count(*)                                                                           AS open_bills,
  sum(amount_residual)                                                               AS total_open,
  sum(CASE WHEN days_past_due <= 0 THEN amount_residual ELSE 0 END)                  AS current_amount,
  sum(CASE WHEN days_past_due BETWEEN 1 AND 30 THEN amount_residual ELSE 0 END)      AS days_1_30,
  sum(CASE WHEN days_past_due BETWEEN 31 AND 60 THEN amount_residual ELSE 0 END)     AS days_31_60,
  sum(CASE WHEN days_past_due BETWEEN 61 AND 90 THEN amount_residual ELSE 0 END)     AS days_61_90,
  sum(CASE WHEN days_past_due > 90 THEN amount_residual ELSE 0 END)                  AS days_over_90
FROM open_bills
GROUP BY as_of;
