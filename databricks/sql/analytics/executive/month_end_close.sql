-- Month-end close readiness per month: ledger totals and the close checks (trial balance balances,
-- every entry balances, no unposted entries) with payables over 90 days in PHP.

SELECT
  period,
  total_debit,
  total_credit,
  trial_balance_ok,
  unbalanced_entries,
  entries_balanced_ok,
  unposted_entries,
  no_unposted_ok,
  ap_over_90_days,
  ready_to_close
FROM {{catalog.gold}}.finance.month_end_close
ORDER BY period
