import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { BundleError, formatLocation, type SourceLocation } from '../errors.js';

/** A scalar configuration value. */
export type Scalar = string | number | boolean | null;

/**
 * A configuration value that remembers where it was written, like the Databricks CLI's `dyn.Value`:
 * merging and interpolation keep each value's location so errors can point at file:line.
 */
export type Dyn =
  | { readonly kind: 'map'; readonly entries: ReadonlyMap<string, Dyn>; readonly loc?: SourceLocation }
  | { readonly kind: 'seq'; readonly items: readonly Dyn[]; readonly loc?: SourceLocation }
  | { readonly kind: 'scalar'; readonly value: Scalar; readonly loc?: SourceLocation };

export type DynMap = Extract<Dyn, { kind: 'map' }>;
export type DynSeq = Extract<Dyn, { kind: 'seq' }>;
export type DynScalar = Extract<Dyn, { kind: 'scalar' }>;

/** A path into a configuration tree: map keys and sequence indexes. */
export type DynPath = readonly (string | number)[];

export const NIL: DynScalar = Object.freeze({ kind: 'scalar', value: null });

export function dynMap(entries: Iterable<readonly [string, Dyn]>, loc?: SourceLocation): DynMap {
  return { kind: 'map', entries: new Map(entries), ...(loc ? { loc } : {}) };
}

export function dynSeq(items: readonly Dyn[], loc?: SourceLocation): DynSeq {
  return { kind: 'seq', items, ...(loc ? { loc } : {}) };
}

export function dynScalar(value: Scalar, loc?: SourceLocation): DynScalar {
  return { kind: 'scalar', value, ...(loc ? { loc } : {}) };
}

export function isNil(value: Dyn | undefined): boolean {
  return value === undefined || (value.kind === 'scalar' && value.value === null);
}

/** `resources.jobs.bir_etl.tasks[2].sql_task` */
export function formatPath(path: DynPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out || '(root)';
}

/** `resources/jobs.yml:12:7: resources.jobs.x.name` — where a message is about. */
export function where(loc: SourceLocation | undefined, path: DynPath): string {
  const at = formatLocation(loc);
  return at ? `${at}: ${formatPath(path)}` : formatPath(path);
}

/** The value at `path`, or undefined. */
export function getPath(root: Dyn, path: DynPath): Dyn | undefined {
  let node: Dyn | undefined = root;
  for (const part of path) {
    if (!node) return undefined;
    if (typeof part === 'number') node = node.kind === 'seq' ? node.items[part] : undefined;
    else node = node.kind === 'map' ? node.entries.get(part) : undefined;
  }
  return node;
}

/** The location of the value at `path`, or of its closest ancestor that has one. */
export function nearestLocation(root: Dyn, path: DynPath): SourceLocation | undefined {
  let node: Dyn | undefined = root;
  let loc = root.loc;
  for (const part of path) {
    if (!node) break;
    if (typeof part === 'number') node = node.kind === 'seq' ? node.items[part] : undefined;
    else node = node.kind === 'map' ? node.entries.get(part) : undefined;
    if (node?.loc) loc = node.loc;
  }
  return loc;
}

/** Returns a copy of `root` with the value at `path` replaced (intermediate maps created). */
export function setPath(root: Dyn, path: DynPath, value: Dyn): Dyn {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    if (root.kind !== 'seq') throw new Error(`setPath: not a sequence at ${head}`);
    const items = [...root.items];
    items[head] = setPath(items[head] ?? NIL, rest, value);
    return { ...root, items };
  }
  const base: DynMap = root.kind === 'map' ? root : dynMap([], root.loc);
  const entries = new Map(base.entries);
  entries.set(head, setPath(entries.get(head) ?? NIL, rest, value));
  return { ...base, entries };
}

/** Returns a copy of `root` without the map entry at `path`. */
export function deletePath(root: Dyn, path: DynPath): Dyn {
  const parent = getPath(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!parent || parent.kind !== 'map' || typeof key !== 'string' || !parent.entries.has(key)) return root;
  const entries = new Map(parent.entries);
  entries.delete(key);
  return setPath(root, path.slice(0, -1), { ...parent, entries });
}

/**
 * Merges `b` into `a` with the Databricks CLI's semantics (`libs/dyn/merge/merge.go`): nil on
 * either side yields the other; maps merge key by key (b wins); sequences are concatenated;
 * primitives take b. Values of different kinds cannot be merged.
 */
export function mergeDyn(a: Dyn, b: Dyn, path: DynPath = []): Dyn {
  if (isNil(a)) return b;
  if (isNil(b)) return a;
  if (a.kind === 'map' && b.kind === 'map') {
    const entries = new Map(a.entries);
    for (const [key, value] of b.entries) {
      const existing = entries.get(key);
      entries.set(key, existing ? mergeDyn(existing, value, [...path, key]) : value);
    }
    return { kind: 'map', entries, ...(a.loc ? { loc: a.loc } : {}) };
  }
  if (a.kind === 'seq' && b.kind === 'seq') {
    return { kind: 'seq', items: [...a.items, ...b.items], ...(a.loc ? { loc: a.loc } : {}) };
  }
  // Primitives: the incoming value wins (a `${var.x}` string may override a number).
  if (a.kind === 'scalar' && b.kind === 'scalar') return b;
  throw mergeError(a, b, path);
}

function kindName(value: Dyn): string {
  if (value.kind === 'map') return 'a map';
  if (value.kind === 'seq') return 'a sequence';
  return `${typeof value.value} ${JSON.stringify(value.value)}`;
}

function mergeError(a: Dyn, b: Dyn, path: DynPath): BundleError {
  const at = [formatLocation(a.loc), formatLocation(b.loc)].filter(Boolean).join(' and ');
  return new BundleError(
    'MERGE_ERROR',
    `${formatPath(path)}: cannot merge ${kindName(a)} with ${kindName(b)}${at ? ` (defined at ${at})` : ''}; an override must have the same shape as the value it overrides`,
    { data: { path: formatPath(path), locations: [a.loc, b.loc].filter(Boolean) } },
  );
}

/** A plain JS value (for zod and for callers); locations are dropped. */
export function toPlain(value: Dyn): unknown {
  if (value.kind === 'scalar') return value.value;
  if (value.kind === 'seq') return value.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [key, item] of value.entries) out[key] = toPlain(item);
  return out;
}

/** Builds a Dyn from a plain JS value, every node at `loc`. */
export function fromPlain(value: unknown, loc?: SourceLocation): Dyn {
  if (Array.isArray(value)) return dynSeq(value.map((v) => fromPlain(v, loc)), loc);
  if (value !== null && typeof value === 'object') return dynMap(Object.entries(value).map(([k, v]) => [k, fromPlain(v, loc)] as const), loc);
  if (value === undefined) return dynScalar(null, loc);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return dynScalar(value, loc);
  return dynScalar(String(value), loc);
}

/**
 * Parses one YAML (or JSON) config file into a located {@link Dyn}. `<<` merge keys are honoured
 * (as the CLI's YAML reader does); duplicate keys and syntax errors are reported with line and column.
 */
export function parseConfigFile(text: string, file: string): Dyn {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const message = (e.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
      return `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${message}`;
    });
    throw new BundleError('YAML_ERROR', `invalid YAML:\n  - ${lines.join('\n  - ')}`, { data: { file } });
  }
  const locate = (node: YamlNode | null | undefined): SourceLocation | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const convert = (node: unknown, seen: ReadonlySet<unknown>): Dyn => {
    if (node === null || node === undefined) return dynScalar(null);
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      if (!target || seen.has(target)) throw new BundleError('YAML_ERROR', `${formatLocation(locate(node))}: alias *${node.source} cannot be resolved (unknown or recursive anchor)`, { data: { file } });
      return convert(target, new Set([...seen, target]));
    }
    if (isScalar(node)) {
      const value = node.value;
      const loc = locate(node);
      if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return dynScalar(value, loc);
      return dynScalar(String(value), loc);
    }
    if (isSeq(node)) return dynSeq(node.items.map((item) => convert(item, seen)), locate(node));
    if (isMap(node)) {
      const entries = new Map<string, Dyn>();
      const merged: DynMap[] = [];
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value === 'symbol') {
          const source = convert(pair.value, seen);
          const sources = source.kind === 'seq' ? source.items : [source];
          for (const s of sources) if (s.kind === 'map') merged.push(s);
          continue;
        }
        const name = isScalar(key) ? String(key.value) : String(key);
        const value = convert(pair.value, seen);
        // A collection is located at its key (`etl:`), not at its first child.
        const keyLoc = value.kind !== 'scalar' && !isAlias(pair.value) ? locate(key as YamlNode) : undefined;
        entries.set(name, keyLoc ? { ...value, loc: keyLoc } : value);
      }
      for (const m of merged) for (const [k, v] of m.entries) if (!entries.has(k)) entries.set(k, v);
      return dynMap(entries, locate(node));
    }
    return dynScalar(null);
  };
  const root = convert(doc.contents, new Set());
  if (isNil(root)) return dynMap([], { file, line: 0, column: 0 });
  if (root.kind !== 'map') {
    throw new BundleError('INVALID_CONFIG', `${formatLocation(root.loc)}: a bundle config file must be a mapping at the top level, got ${kindName(root)}`, { data: { file } });
  }
  return root;
}
