/**
 * `@odoo-ce/warehouse/databricks` — Databricks SQL warehouses through the official
 * `@databricks/sql` driver.
 */
export {
  databricksDialect,
  DatabricksConnection,
  DatabricksDriver,
  normalizeDatabricksConfig,
  type DatabricksAuth,
  type DatabricksConfig,
} from './databricks-driver.js';
export { redact, warehouseErrorFrom, type FailurePhase } from './errors.js';
