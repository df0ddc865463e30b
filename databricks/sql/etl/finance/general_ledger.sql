-- gold.finance.trial_balance — posted journal items per month and account (the month-end close and
-- the executive dashboard read it). Replaced as a whole: a rerun gives identical rows.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.trial_balance AS
SELECT
  {{ ym(l.date) }}                     AS period,
  a.code                               AS account_code,
  a.name                               AS account_name,
  a.account_type                       AS account_type,
  count(*)                             AS lines,
  sum(l.debit)                         AS debit,
  sum(l.credit)                        AS credit,
  sum(l.balance)                       AS balance
FROM {{catalog.silver}}.finance.move_lines AS l
JOIN {{catalog.silver}}.finance.accounts AS a ON a.id = l.account_id
WHERE l.parent_state = 'posted'
GROUP BY {{ ym(l.date) }}, a.code, a.name, a.account_type;
