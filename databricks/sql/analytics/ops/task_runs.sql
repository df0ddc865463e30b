-- The tasks of one job run, in the order they started, with their status and timings.
-- Parameters: run_id (STRING).

SELECT
  task_key,
  status,
  attempt,
  started_at,
  ended_at,
  rows_affected,
  error
FROM {{ops}}.task_runs
WHERE run_id = {{params.run_id}}
ORDER BY started_at, task_key, attempt
