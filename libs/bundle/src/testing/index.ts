/**
 * `@odoo-ce/bundle/testing` — temp bundle trees for tests of this lib and of its users (apps/deploy).
 * Never use it in production code.
 */
export { dedent, removeTree, writeTempTree } from './temp-bundle.js';
