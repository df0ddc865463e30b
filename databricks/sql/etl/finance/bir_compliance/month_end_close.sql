-- gold.finance.month_end_close — per period, the checks a controller runs before closing the month,
-- each with pass/fail and the count behind it.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.month_end_close AS
WITH periods AS (
  SELECT DISTINCT {{ ym(date) }} AS period FROM {{catalog.silver}}.finance.moves WHERE date IS NOT NULL
),
balance AS (
  SELECT period, sum(debit) AS debit, sum(credit) AS credit FROM {{catalog.gold}}.finance.trial_balance GROUP BY period
),
unposted AS (
  SELECT {{ ym(date) }} AS period, count(*) AS drafts
  FROM {{catalog.silver}}.finance.moves WHERE state = 'draft' GROUP BY {{ ym(date) }}
),
unbalanced AS (
  SELECT {{ ym(m.date) }} AS period, count(*) AS moves
  FROM (
    SELECT move_id, sum(debit) AS debit, sum(credit) AS credit
    FROM {{catalog.silver}}.finance.move_lines WHERE parent_state = 'posted' GROUP BY move_id
  ) AS t
  JOIN {{catalog.silver}}.finance.moves AS m ON m.id = t.move_id
  WHERE t.debit <> t.credit
  GROUP BY {{ ym(m.date) }}
)
SELECT
  p.period,
  coalesce(b.debit, 0)                                   AS total_debit,
  coalesce(b.credit, 0)                                  AS total_credit,
  coalesce(b.debit, 0) = coalesce(b.credit, 0)           AS trial_balance_ok,
  coalesce(u.moves, 0)                                   AS unbalanced_entries,
  coalesce(u.moves, 0) = 0                               AS entries_balanced_ok,
  coalesce(d.drafts, 0)                                  AS unposted_entries,
  coalesce(d.drafts, 0) = 0                              AS no_unposted_ok,
  coalesce(ap.days_over_90, 0)                           AS ap_over_90_days,
  coalesce(b.debit, 0) = coalesce(b.credit, 0) AND coalesce(u.moves, 0) = 0 AND coalesce(d.drafts, 0) = 0 AS ready_to_close
FROM periods AS p
LEFT JOIN balance AS b ON b.period = p.period
LEFT JOIN unposted AS d ON d.period = p.period
LEFT JOIN unbalanced AS u ON u.period = p.period
LEFT JOIN {{catalog.gold}}.finance.ap_aging AS ap ON ap.period = p.period;
