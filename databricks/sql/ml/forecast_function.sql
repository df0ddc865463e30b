-- gold.ml_features.get_bir_forecast(horizon_months): the production forecast of every BIR series for
-- its next `horizon_months` months (1 = the first forecast month), from
-- platinum.predictions.bir_monthly_forecast, which the `score` step has just replaced.
-- The app and the MCP server are granted EXECUTE on it (databricks/catalog/grants.yml), so they read
-- forecasts through this one function: `SELECT * FROM gold.ml_features.get_bir_forecast(6)`.
-- On the embedded engine the DuckDB driver runs it as a table macro with the same call syntax.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.ml_features;

CREATE OR REPLACE FUNCTION {{catalog.gold}}.ml_features.get_bir_forecast(horizon_months INT)
RETURNS TABLE (series STRING, month STRING, horizon INT, point DOUBLE, lower DOUBLE, upper DOUBLE, model_version INT, method STRING)
COMMENT 'Production BIR forecasts (withholding, VAT) per series for the next horizon_months months, with prediction intervals'
RETURN
  SELECT series, month, horizon, point, lower, upper, model_version, method
  FROM (
    SELECT series, month, point, lower, upper, model_version, method,
           CAST(dense_rank() OVER (PARTITION BY series ORDER BY month) AS INT) AS horizon
    FROM {{catalog.platinum}}.predictions.bir_monthly_forecast
  ) AS ranked
  WHERE horizon <= horizon_months;
