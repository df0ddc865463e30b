// Test helper for the kill/resume test: runs one bundle job in a separate process and prints
// every runner event as a JSON line on stdout, so the parent can SIGKILL it mid-run.
// Usage: node run-job-child.mjs <bundleRoot> <dataDir> <job> <paramsJson>
// Like apps/etl/bin/etl.mjs, it runs the TypeScript sources through tsx with the
// "@odoo-ce/source" export condition (no build needed).
import { register } from 'node:module';

const { register: registerTsx } = await import('tsx/esm/api');
registerTsx();
register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...new Set(["@odoo-ce/source", ...c.conditions])] }); }',
    ),
  import.meta.url,
);

const [bundleRoot, dataDir, job, params] = process.argv.slice(2);
const { loadBundle, runJob } = await import('../index.ts');
const { Warehouse } = await import('@odoo-ce/warehouse');
const { duckDbDialect } = await import('@odoo-ce/warehouse/duckdb');

const warehouse = new Warehouse(duckDbDialect({ dataDir, catalogs: ['bronze', 'silver', 'gold', 'platinum', 'sandbox', 'ops'] }));
const bundle = await loadBundle(bundleRoot, { env: {} });
const summary = await runJob(warehouse, bundle, job, {
  params: JSON.parse(params ?? '{}'),
  maxParallel: 1,
  onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
});
process.stdout.write(`${JSON.stringify({ type: 'summary', status: summary.status })}\n`);
await warehouse.close();
