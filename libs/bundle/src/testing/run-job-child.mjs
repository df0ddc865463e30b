// Test helper for the kill/resume test: runs one bundle job in a separate process and prints
// every runner event as a JSON line on stdout, so the parent can SIGKILL it mid-run.
// Usage: node --import tsx --conditions=@odoo-ce/source run-job-child.mjs <bundleRoot> <dataDir> <job> <paramsJson>
// (tsx runs the TypeScript sources without a build; the condition resolves workspace libs to src/).

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
