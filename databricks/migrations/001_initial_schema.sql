-- 001: the ops schema and its operational tables (never in the `system` catalog, which Databricks
-- reserves). The columns are exactly those the code creates lazily (libs/bundle ops-tables.ts,
-- libs/data-quality results-store.ts, libs/warehouse ops.ts, libs/catalog stores.ts), so a target
-- migrated first and a target where the code got there first end up identical.
-- Idempotent (IF NOT EXISTS): on Databricks, which has no multi-statement transactions, a migration
-- that failed half-way is simply run again from the top.
CREATE SCHEMA IF NOT EXISTS {{ops}};

CREATE TABLE IF NOT EXISTS {{ops}}.job_runs (
  run_id STRING, job STRING, target STRING, status STRING, started_at TIMESTAMP, ended_at TIMESTAMP,
  error STRING, attempt INT, params STRING, only_tasks STRING
);

CREATE TABLE IF NOT EXISTS {{ops}}.task_runs (
  run_id STRING, task_key STRING, status STRING, started_at TIMESTAMP, ended_at TIMESTAMP,
  rows_affected BIGINT, error STRING, attempt INT
);

CREATE TABLE IF NOT EXISTS {{ops}}.dq_results (
  run_id STRING, run_time TIMESTAMP, suite_name STRING, table_name STRING, expectation_name STRING,
  expectation_type STRING, action STRING, success BOOLEAN, raised_exception BOOLEAN,
  element_count BIGINT, missing_count BIGINT, unexpected_count BIGINT, unexpected_percent DOUBLE,
  observed_value STRING, kwargs STRING, result STRING
);

CREATE TABLE IF NOT EXISTS {{ops}}.custom_metrics (
  name STRING, value DOUBLE, tags STRING, recorded_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS {{ops}}.grants (
  principal STRING, securable_type STRING, securable_name STRING, privilege STRING, granted_at TIMESTAMP
);
