import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultContext, REPO_ROOT, type DeployContext } from '../context.js';
import { main } from '../main.js';

/** The official bundle schema, read from ../shared (never copied into the repository). */
export const VENDORED_SCHEMA = join(REPO_ROOT, '..', 'shared', 'vendor', 'databricks-bundle-schema.json');

/** Writes `files` (relative path → content, common indentation removed) into a fresh temp dir. */
export function writeTree(files: Readonly<Record<string, string>>, prefix = 'deploy-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), dedent(content));
  }
  return dir;
}

export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

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
