-- The 200 most recent job runs recorded in the ops schema (one row per run and attempt), newest
-- first: what the report's run metadata and durations come from.

SELECT
  run_id,
  job,
  target,
  status,
  attempt,
  started_at,
  ended_at,
  error
FROM {{ops}}.job_runs
ORDER BY started_at DESC, run_id, attempt DESC
LIMIT 200
