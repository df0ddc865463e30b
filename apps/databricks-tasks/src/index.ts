/**
 * @odoo-ce/databricks-tasks — the `odoo_ce_tasks` wheel: the platform's TypeScript task steps (the
 * ml_training model steps, the data-quality gates) run by Node on Databricks job compute.
 */
export { COMMON_KEYS, ENTRY_POINTS, EXIT_USAGE, GATE_KEYS, KNOWN_KEYS, LAYOUT_KEYS, ML_KEYS, parseTaskArgs, type EntryPoint, type TaskArgs } from './args.js';
export { connectionFromEnv, EXIT_ENVIRONMENT } from './connection.js';
export { main, type MainIo } from './main.js';
export { runTask, type TaskSummary } from './run-task.js';
export { appVersion, buildWheel, NODE_REQUIREMENT, PACKAGE_NAME, wheelFileName } from './wheel/build-wheel.js';
