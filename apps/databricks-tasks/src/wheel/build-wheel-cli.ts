// `npx nx run databricks-tasks:wheel [--out-dir <dir>]`: builds the wheel (default dist/wheel) and
// prints one JSON line {path, fileName, version} for scripts that upload or deploy it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportCliFailure } from '@odoo-ce/common';
import { buildWheel } from './build-wheel.js';

const DEFAULT_OUT_DIR = fileURLToPath(new URL('../../dist/wheel', import.meta.url));

function outDirFrom(argv: readonly string[]): string {
  const i = argv.findIndex((a) => a === '--out-dir' || a.startsWith('--out-dir='));
  if (i < 0) return DEFAULT_OUT_DIR;
  const arg = argv[i] as string;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  if (!value) throw new Error('--out-dir: expected a directory');
  return resolve(value);
}

try {
  const built = await buildWheel({ outDir: outDirFrom(process.argv.slice(2)) });
  process.stdout.write(`${JSON.stringify(built)}\n`);
} catch (error) {
  process.exitCode = reportCliFailure(error, (t) => void process.stderr.write(t), process.env);
}
