#!/usr/bin/env node
// The `databricks-mcp-server` command. Runs the TypeScript sources directly (no build step after `npm ci`):
// tsx compiles on the fly, and the resolve hook below adds the "@odoo-ce/source" export
// condition so workspace libs resolve to their src/ like they do in tests.
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
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
