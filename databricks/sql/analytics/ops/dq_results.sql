-- The latest data-quality results of every validated table: one row per expectation of the most
-- recent validation run of that table (failures first).

WITH latest AS (
  SELECT table_name, max(run_time) AS run_time
  FROM {{ops}}.dq_results
  GROUP BY table_name
)
SELECT
  r.table_name,
  r.suite_name,
  r.run_id,
  r.run_time,
  r.expectation_name,
  r.expectation_type,
  r.action,
  r.success,
  r.element_count,
  r.unexpected_count,
  r.unexpected_percent
FROM {{ops}}.dq_results AS r
JOIN latest AS l ON l.table_name = r.table_name AND l.run_time = r.run_time
ORDER BY r.table_name, r.success, r.action, r.expectation_name
