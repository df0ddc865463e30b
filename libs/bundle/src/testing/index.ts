/**
 * `@odoo-ce/bundle/testing` — temp bundle trees and a local Jobs API stand-in, for tests of this lib and
 * of its users (apps/deploy, the MCP server).
 * Never use it in production code.
 */
export { dedent, removeTree, writeTempTree } from './temp-bundle.js';
export { startJobsApiStandIn, type JobsApiStandIn, type JobsApiStandInOptions, type StandInExecution, type StandInJob, type StandInRequest } from '../jobs-api/testing/stand-in.js';
