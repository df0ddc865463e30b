/**
 * `@odoo-ce/connectors/odoo/testing` — a local Odoo-protocol server for tests and benchmarks.
 * Never use it in production code.
 */
export { DOMAIN_OPERATORS, domainFields, evaluateDomain, FakeOdooException, parseDomain } from './domain.js';
export { FakeOdooServer, type FakeOdooCall, type FakeOdooDataset, type FakeOdooFault, type FakeOdooServerOptions } from './server.js';
export { loadSampleOdooDataset } from './sample.js';
