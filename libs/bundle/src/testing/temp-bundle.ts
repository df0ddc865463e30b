import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Test helper: writes `files` (path relative to a fresh temp dir → content) and returns the dir.
 * Leading indentation common to all lines of a content string is removed, so YAML can be written
 * inline in tests.
 */
export function writeTempTree(files: Readonly<Record<string, string>>, prefix = 'bundle-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, dedent(content));
  }
  return dir;
}

/** Removes a temp dir made by {@link writeTempTree} (or any dir). */
export function removeTree(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Strips the common leading indentation and a leading newline. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
