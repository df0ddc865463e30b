import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultContext, REPO_ROOT, type DeployContext } from '../context.js';
import { main } from '../main.js';

/** Where the official bundle schema is vendored next to the repository (../shared, never copied in). */
const SHARED_SCHEMA = join(REPO_ROOT, '..', 'shared', 'vendor', 'databricks-bundle-schema.json');

/**
 * The official bundle schema for tests: `$DATABRICKS_BUNDLE_SCHEMA` first (CI can point it at
 * `databricks bundle schema` output), else the vendored copy in ../shared. Undefined when neither
 * exists (a plain GitHub checkout): the tests that need it skip with {@link BUNDLE_SCHEMA_SKIP_REASON}
 * instead of failing at module load.
 */
export function findBundleSchema(env: Readonly<Record<string, string | undefined>> = process.env, shared = SHARED_SCHEMA): string | undefined {
  const fromEnv = env['DATABRICKS_BUNDLE_SCHEMA'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return existsSync(shared) ? shared : undefined;
}

export const BUNDLE_SCHEMA = findBundleSchema();

export const BUNDLE_SCHEMA_SKIP_REASON = `skipped: no official bundle schema (set DATABRICKS_BUNDLE_SCHEMA to a file from \`databricks bundle schema\`, or provide ${SHARED_SCHEMA})`;

/** A describe title that says why it is skipped when the schema is missing. */
export const needsSchema = (title: string): string => (BUNDLE_SCHEMA ? title : `${title} — ${BUNDLE_SCHEMA_SKIP_REASON}`);

/** Temp trees for tests: the bundle lib's helpers (`writeTree` keeps this app's name for them). */
export { removeTree, writeTempTree as writeTree } from '@odoo-ce/bundle/testing';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the deploy CLI in-process with its own environment, capturing output. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = {}, overrides: Partial<Pick<DeployContext, 'cwd' | 'repoRoot' | 'jobsApi'>> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx = defaultContext({ env: { LOG_LEVEL: 'silent', ...env }, cwd: overrides.cwd ?? REPO_ROOT, ...(overrides.repoRoot ? { repoRoot: overrides.repoRoot } : {}), ...(overrides.jobsApi ? { jobsApi: overrides.jobsApi } : {}), print: (t) => void (stdout += `${t}\n`) });
  const code = await main(argv, ctx, (t) => void (stderr += t));
  return { code, stdout, stderr };
}
