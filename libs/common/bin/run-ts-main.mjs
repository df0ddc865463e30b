// Runs a CLI's TypeScript entry (`export async function main(argv): Promise<number>`) with no build
// step after `npm ci`: tsx compiles on the fly, and the resolve hook below adds the "@odoo-ce/source"
// export condition so workspace libs resolve to their src/ like they do in tests. Each app's bin
// (etl, deploy, databricks-mcp-server) is this call with its own src/main.ts.
import { register } from 'node:module';

/** Imports `mainModuleUrl` through tsx and sets the process exit code from `main(argv)`. */
export async function runTsMain(mainModuleUrl) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  register(
    'data:text/javascript,' +
      encodeURIComponent(
        'export async function resolve(s, c, next) { return next(s, { ...c, conditions: [...new Set(["@odoo-ce/source", ...c.conditions])] }); }',
      ),
    import.meta.url,
  );
  const { main } = await import(mainModuleUrl);
  process.exitCode = await main(process.argv.slice(2));
}
