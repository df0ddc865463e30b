import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTree, writeTempTree } from '../testing/temp-bundle.js';
import { goGlob, segmentMatcher } from './glob.js';
import { findInvalidExpressions, findReferences, isPureReference, splitPath } from './references.js';

describe('references (CLI dynvar grammar)', () => {
  it('finds dotted paths with indexes', () => {
    expect(findReferences('a ${var.x} b ${bundle.target}').map((r) => r.path)).toEqual(['var.x', 'bundle.target']);
    expect(splitPath('var.tasks[0].name')).toEqual(['var', 'tasks', 0, 'name']);
    expect(isPureReference('${var.x}')).toBe(true);
    expect(isPureReference('x${var.x}')).toBe(false);
  });

  it('flags ternaries, comparisons, spaces and defaults as invalid', () => {
    expect(findInvalidExpressions('${bundle.target == "dev" ? "a" : "b"}')).toEqual(['${bundle.target == "dev" ? "a" : "b"}']);
    expect(findInvalidExpressions('${ var.x }')).toEqual(['${ var.x }']);
    expect(findInvalidExpressions('${env.HOME:-/tmp}')).toEqual(['${env.HOME:-/tmp}']);
    expect(findInvalidExpressions('${var.a}/${var.b_c-d}')).toEqual([]);
    expect(findInvalidExpressions('$5 and {x}')).toEqual([]);
  });
});

describe('goGlob (Go filepath.Glob semantics)', () => {
  const dir = writeTempTree({ 'r/a.yml': '', 'r/b.yaml': '', 'r/.h.yml': '', 'r/x/c.yml': '', 'r/x/y/d.yml': '' });
  afterAll(() => removeTree(dir));

  it('matches one segment per *, sorted, including dot files; no **', () => {
    const rel = (p: string[]) => p.map((x) => x.slice(dir.length + 1));
    expect(rel(goGlob(join(dir, 'r/*.yml')))).toEqual(['r/.h.yml', 'r/a.yml']);
    expect(rel(goGlob(join(dir, 'r/*.y*ml')))).toEqual(['r/.h.yml', 'r/a.yml', 'r/b.yaml']);
    expect(rel(goGlob(join(dir, 'r/**/*.yml')))).toEqual(['r/x/c.yml']);
    expect(rel(goGlob(join(dir, 'r/[ab].*')))).toEqual(['r/a.yml', 'r/b.yaml']);
    expect(rel(goGlob(join(dir, 'r/[^a].yaml')))).toEqual(['r/b.yaml']);
    expect(goGlob(join(dir, 'nothing/*.yml'))).toEqual([]);
    expect(() => segmentMatcher('[ab')).toThrow(/unclosed \[/);
  });

  it('returns a literal path only when it exists', () => {
    mkdirSync(join(dir, 'lit'), { recursive: true });
    writeFileSync(join(dir, 'lit', 'f.yml'), '');
    expect(goGlob(join(dir, 'lit/f.yml'))).toEqual([join(dir, 'lit/f.yml')]);
    expect(goGlob(join(dir, 'lit/g.yml'))).toEqual([]);
  });
});
