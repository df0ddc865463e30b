/**
 * @odoo-ce/warehouse — one warehouse interface over embedded DuckDB and Databricks SQL.
 *
 * The root entry holds the engine-neutral core (no engine SDK is loaded from here). Engines live
 * behind subpaths: `@odoo-ce/warehouse/duckdb`, `@odoo-ce/warehouse/databricks`, and the local
 * Databricks SQL endpoint `@odoo-ce/warehouse/endpoint`.
 */
export {
  adapterFor,
  DatabricksAdapter,
  DialectAdapterBase,
  DuckDbAdapter,
  type DialectAdapter,
  type DialectName,
  type FileFormat,
  type LogicalType,
  type TableNameResult,
} from './core/adapter.js';
export type { WarehouseConnection, WarehouseDialect, WarehouseDriver } from './core/dialect.js';
export { WarehouseError, type WarehouseErrorCode } from './core/errors.js';
export { DEFAULT_LAYOUT, LAYERS, layoutCatalogNames, type CatalogLayout, type Layer } from './core/layout.js';
export { findParameterMarkers, hasCode, rewriteParameterMarkers, splitStatements, type ParameterMarker, type ScriptStatement } from './core/sql-scan.js';
export { renderSql, type RenderOptions } from './core/template.js';
export {
  compiledQuery,
  isTypedParameter,
  param,
  type ColumnInfo,
  type CompiledQuery,
  type ExecuteOptions,
  type ParameterType,
  type ParameterValue,
  type QueryResult,
  type Row,
  type SqlValue,
  type StreamOptions,
  type TypedParameter,
} from './core/types.js';
export { Warehouse, type QueryExecutor, type ScriptOptions } from './core/warehouse.js';
export { ensureOpsSchema, metricsSink, opsTable, opsTableExists } from './core/ops.js';
export { openWarehouse } from './core/connect.js';
