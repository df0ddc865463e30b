-- Why Scout transactions were quarantined by the silver quality gate: the failed expectations of
-- each quarantined row (comma-separated when a row failed several), with row counts and the PHP
-- amount that parsed. Most frequent first.

SELECT
  translate(CAST(_dq_failed AS STRING), '[]', '') AS failed_expectations,
  count(*)                                        AS quarantined_rows,
  coalesce(sum(amount), 0)                        AS amount_php
FROM {{catalog.silver}}.scout.transactions_quarantine
GROUP BY translate(CAST(_dq_failed AS STRING), '[]', '')
ORDER BY quarantined_rows DESC, failed_expectations
