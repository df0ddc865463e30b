-- The 15 vendors with the most Scout spend (vendor names normalized, matched to Odoo partners by
-- TIN where one exists): agencies buying from them, transactions, total spend in PHP, first and
-- last purchase.

SELECT
  vendor_key,
  vendor_name,
  vendor_tin,
  odoo_partner_name,
  agencies,
  transactions,
  total_php,
  first_seen,
  last_seen
FROM {{catalog.gold}}.scout.vendor_analysis
ORDER BY total_php DESC, vendor_key
LIMIT 15
