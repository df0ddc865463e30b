-- Actual Databricks spend per job over the last {{params.days}} days, from the billing system
-- tables (Unity Catalog must have the `system.billing` schema enabled; the reader needs SELECT on
-- system.billing.usage and system.billing.list_prices). Used by `deploy cost -t <target> --billing`.
--
-- Jobs compute (job clusters) carries the job id in usage_metadata.job_id. SQL tasks run on the
-- shared SQL warehouse, whose usage is billed to the warehouse, not the job: those rows are
-- attributed by the warehouse's custom tag `workload` (databricks/config/warehouses, Terraform),
-- and the job's own tags (`domain`, `layer` in resources/jobs.yml) attribute job-cluster usage.
-- Cost is at list price (pricing.default); contract discounts are not in the system tables.
SELECT
  coalesce(u.usage_metadata.job_id, concat('warehouse:', u.usage_metadata.warehouse_id)) AS job_or_warehouse,
  u.custom_tags['domain']                                                              AS domain,
  u.custom_tags['workload']                                                            AS workload,
  u.sku_name                                                                           AS sku,
  sum(u.usage_quantity)                                                                AS dbus,
  sum(u.usage_quantity * p.pricing.default)                                            AS list_cost
FROM system.billing.usage AS u
LEFT JOIN system.billing.list_prices AS p
  ON u.sku_name = p.sku_name
 AND u.cloud = p.cloud
 AND u.usage_unit = p.usage_unit
 AND u.usage_start_time >= p.price_start_time
 AND (p.price_end_time IS NULL OR u.usage_start_time < p.price_end_time)
WHERE u.usage_date >= date_sub(current_date(), {{params.days}})
  AND (u.usage_metadata.job_id IS NOT NULL OR u.custom_tags['cost_center'] = 'finance-data')
GROUP BY ALL
ORDER BY list_cost DESC
