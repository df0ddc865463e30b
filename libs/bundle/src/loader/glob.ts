import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Go's `filepath.Glob`, which the Databricks CLI uses to expand `include` entries: `*` and `?`
 * never cross a `/`, `[a-z]` / `[^a-z]` are character classes, `\` escapes; there is **no `**`**
 * (it behaves like `*`). Matches are returned in lexical order per directory; I/O errors are
 * ignored, as Go does. Throws on a malformed pattern (an unclosed `[`).
 */
export function goGlob(pattern: string): string[] {
  if (!hasMeta(pattern)) {
    try {
      lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const dir = dirname(pattern);
  const file = basename(pattern);
  const matcher = segmentMatcher(file);
  const dirs = hasMeta(dir) ? goGlob(dir) : [dir];
  return dirs.flatMap((d) => globDir(d, matcher));
}

/** True when a pattern contains a glob meta character (`*`, `?`, `[`, `\`). */
export function hasMeta(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

function globDir(dir: string, matcher: RegExp): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .sort()
      .filter((name) => matcher.test(name))
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Compiles one path segment of a Go glob pattern to an anchored RegExp. */
export function segmentMatcher(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) throw new SyntaxError(`bad glob pattern "${pattern}": trailing backslash`);
      out += escapeRegExp(pattern[i] as string);
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) throw new SyntaxError(`bad glob pattern "${pattern}": unclosed [`);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      if (body === '') throw new SyntaxError(`bad glob pattern "${pattern}": empty character class`);
      out += `[${negate ? '^/' : ''}${body.replace(/\\(.)/g, (_m, ch: string) => escapeRegExp(ch)).replace(/[\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function classEnd(pattern: string, start: number): number {
  for (let j = start + 1; j < pattern.length; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern[j] === ']' && j > start + 1 + (pattern[start + 1] === '^' ? 1 : 0)) return j;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
