-- gold.scout.vendor_analysis — spend per normalized vendor, matched to Odoo partners by TIN
-- (first 11 characters: ###-###-###, ignoring the branch code) where one exists.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.scout;

CREATE OR REPLACE TABLE {{catalog.gold}}.scout.vendor_analysis AS
WITH normalized AS (
  SELECT
    t.*,
    trim({{ regexp_replace({{ regexp_replace(upper(vendor), '[^A-Z0-9 ]', '') }}, ' (INC|CORP|CORPORATION|CO|COMPANY|PTY|LTD|PH|PHILIPPINES)$', '') }}) AS vendor_key,
    substr(vendor_tin, 1, 11) AS tin9
  FROM {{catalog.silver}}.scout.transactions AS t
),
partners AS (
  SELECT substr(vat, 1, 11) AS tin9, min(id) AS partner_id, min(name) AS partner_name
  FROM {{catalog.silver}}.finance.partners
  WHERE vat IS NOT NULL AND {{ regexp(vat, '^[0-9][0-9][0-9]-[0-9][0-9][0-9]-[0-9][0-9][0-9]') }}
  GROUP BY substr(vat, 1, 11)
)
SELECT
  n.vendor_key,
  min(n.vendor)                                  AS vendor_name,
  max(n.tin9)                                    AS vendor_tin,
  max(p.partner_id)                              AS odoo_partner_id,
  max(p.partner_name)                            AS odoo_partner_name,
  count(DISTINCT n.agency)                       AS agencies,
  count(*)                                       AS transactions,
  sum(n.amount)                                  AS total_php,
  min(n.transaction_date)                        AS first_seen,
  max(n.transaction_date)                        AS last_seen
FROM normalized AS n
LEFT JOIN partners AS p ON p.tin9 = n.tin9
GROUP BY n.vendor_key;
