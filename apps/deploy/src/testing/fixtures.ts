import { join } from 'node:path';
import { defaultContext, REPO_ROOT, type DeployContext } from '../context.js';
import { main } from '../main.js';

/** The official bundle schema, read from ../shared (never copied into the repository). */
export const VENDORED_SCHEMA = join(REPO_ROOT, '..', 'shared', 'vendor', 'databricks-bundle-schema.json');

/** Temp trees for tests: the bundle lib's helpers (`writeTree` keeps this app's name for them). */
export { removeTree, writeTempTree as writeTree } from '@odoo-ce/bundle/testing';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the deploy CLI in-process with its own environment, capturing output. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = {}, overrides: Partial<Pick<DeployContext, 'cwd' | 'repoRoot'>> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx = defaultContext({ env: { LOG_LEVEL: 'silent', ...env }, cwd: overrides.cwd ?? REPO_ROOT, ...(overrides.repoRoot ? { repoRoot: overrides.repoRoot } : {}), print: (t) => void (stdout += `${t}\n`) });
  const code = await main(argv, ctx, (t) => void (stderr += t));
  return { code, stdout, stderr };
}
