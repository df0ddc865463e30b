import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { SourceLocation } from '@odoo-ce/bundle';

/** Keys that identify an item of a merged sequence (the CLI merges tasks, job clusters, environments and parameters by them). */
const ITEM_IDS = ['task_key', 'job_cluster_key', 'environment_key', 'name', 'principal'] as const;

interface ParsedFile {
  readonly file: string;
  readonly contents: Node | null;
  readonly lines: LineCounter;
}

/**
 * Maps a path in the resolved bundle (as ajv's `instancePath` names it) back to the YAML that
 * wrote it. Sequences are matched by the item's `task_key` / `job_cluster_key` / `name` because the
 * loader merges and sorts them; the target's override (`targets.<t>.…`) wins over the root value.
 * Returns the deepest key that exists in some file, so a missing key points at its parent.
 */
export class BundleSourceMap {
  readonly #files: ParsedFile[];

  constructor(
    root: string,
    files: readonly string[],
    readonly target: string,
  ) {
    this.#files = files.map((file) => {
      const lines = new LineCounter();
      const doc = parseDocument(readFileSync(join(root, file), 'utf8'), { lineCounter: lines, merge: true });
      return { file, contents: doc.contents as Node | null, lines };
    });
  }

  /** `instancePath` segments (`['resources','jobs','bir_etl','tasks','0']`) and the resolved config they index. */
  locate(segments: readonly string[], resolved: unknown): SourceLocation | undefined {
    let best: { depth: number; location: SourceLocation } | undefined;
    for (const prefix of [['targets', this.target], []]) {
      for (const parsed of this.#files) {
        const hit = walk(parsed, [...prefix, ...segments], prefix.length, resolved);
        if (hit && hit.depth > prefix.length && (!best || hit.depth - prefix.length > best.depth)) {
          best = { depth: hit.depth - prefix.length, location: hit.location };
        }
      }
    }
    return best?.location;
  }
}

function walk(parsed: ParsedFile, path: readonly string[], skip: number, resolved: unknown): { depth: number; location: SourceLocation } | undefined {
  let node: unknown = parsed.contents;
  let value: unknown = resolved;
  let found: { depth: number; location: SourceLocation } | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string;
    const inResolved = i >= skip;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      const keyNode = pair.key as Node;
      found = { depth: i + 1, location: position(parsed, keyNode) };
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = inResolved && Array.isArray(value) ? (value[Number(segment)] as unknown) : undefined;
      const idKey = item && typeof item === 'object' ? ITEM_IDS.find((k) => k in item) : undefined;
      const match = idKey
        ? node.items.find((n) => isMap(n) && n.items.some((p) => isScalar(p.key) && p.key.value === idKey && isScalar(p.value) && p.value.value === (item as Record<string, unknown>)[idKey]))
        : node.items[Number(segment)];
      if (!match) break;
      found = { depth: i + 1, location: position(parsed, match as Node) };
      node = match;
    } else {
      break;
    }
    if (inResolved) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return found;
}

function position(parsed: ParsedFile, node: Node): SourceLocation {
  const offset = node.range?.[0] ?? 0;
  const { line, col } = parsed.lines.linePos(offset);
  return { file: parsed.file, line, column: col };
}
