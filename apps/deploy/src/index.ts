/**
 * @odoo-ce/deploy — the `deploy` CLI: the Databricks bundle validated offline and rendered per
 * target, Unity Catalog catalogs/schemas and grants planned and applied, SQL migrations with a
 * ledger, smoke tests and cost estimates. The modules are exported for tests and tools.
 */
export { main, buildProgram, EXIT } from './main.js';
export { defaultContext, CliExit, REPO_ROOT, type DeployContext } from './context.js';
export { DeployError, type DeployErrorCode } from './errors.js';
export { loadOfficialSchema, type OfficialSchema, type SchemaSourceOptions } from './bundle/official-schema.js';
export { validateBundle, layoutOf, type BundleValidation, type ValidateBundleOptions } from './bundle/validate.js';
export { renderBundle, type RenderedBundle } from './bundle/render.js';
export { formatProblem, type CheckName, type Problem } from './bundle/problems.js';
export { BundleSourceMap } from './bundle/source-map.js';
