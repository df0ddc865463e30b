import { build } from 'esbuild';

/**
 * Modules the bundle leaves out. `@duckdb/node-api`: only the databricks engine runs on job compute
 * (and its native addon cannot be bundled). `lz4-napi` and the `@databricks/databricks-sql-kernel-*`
 * addons are optional native parts of `@databricks/sql`, loaded with a guarded `require`: without
 * them the driver asks for uncompressed results and uses its Thrift backend, which is what we pin.
 */
export const BUNDLE_EXTERNALS = ['@duckdb/node-api', 'lz4-napi', '@databricks/databricks-sql-kernel-*'];

/**
 * Bundled CommonJS dependencies call `require('fs')` and read `__dirname`; an ESM file has neither.
 * `require` is declared for them; `__dirname`/`__filename` are renamed (see `define`) to names no
 * bundled module can clash with.
 */
const BANNER = [
  "import { createRequire as __odooCeCreateRequire } from 'node:module';",
  "import { fileURLToPath as __odooCeFileURLToPath } from 'node:url';",
  'const require = __odooCeCreateRequire(import.meta.url);',
  'const __odooCeFilename = __odooCeFileURLToPath(import.meta.url);',
  "const __odooCeDirname = __odooCeFilename.slice(0, __odooCeFilename.lastIndexOf('/'));",
].join('\n');

/** The bundle's entry: runs src/main.ts with the process arguments and exits with its code. */
const ENTRY = `import { main } from './src/main.ts';
const code = await main(process.argv.slice(2));
// Exit now: the driver's keep-alive sockets must not hold a finished task open (pipes are synchronous, nothing is lost).
process.exit(code);
`;

/**
 * `runner.mjs`: src/main.ts and everything it imports (workspace libs from their TypeScript
 * sources, npm dependencies) as one ESM file for Node 20 that runs from a directory with no
 * node_modules. Paths in the output are relative to `repoRoot`, so the bytes do not depend on
 * where the repository is checked out.
 */
export async function bundleRunner(appRoot: string, repoRoot: string): Promise<Buffer> {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: appRoot, sourcefile: 'runner-entry.ts', loader: 'ts' },
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    conditions: ['@odoo-ce/source'],
    external: BUNDLE_EXTERNALS,
    banner: { js: BANNER },
    define: { __dirname: '__odooCeDirname', __filename: '__odooCeFilename' },
    // The licence notices of the bundled npm packages travel with them.
    legalComments: 'eof',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no output for runner.mjs');
  return Buffer.from(output.contents);
}
