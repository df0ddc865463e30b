export { duckDbDialect, DuckDbDriver, DuckDbConnection, type DuckDbConfig } from './duckdb-driver.js';
export { canonicalValue, bindParameter, duckDbStatement } from './values.js';
