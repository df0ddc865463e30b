import { BundleError, formatLocation } from './errors.js';
import type { JobDefinition, TaskDefinition } from './loader/model.js';

/** A job's tasks as a directed acyclic graph (edges point from a task to the tasks that depend on it). */
export interface JobDag {
  readonly job: string;
  readonly tasks: ReadonlyMap<string, TaskDefinition>;
  /** task → the tasks it depends on (deduplicated, sorted). */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  /** task → the tasks that depend on it (sorted). */
  readonly downstream: ReadonlyMap<string, readonly string[]>;
  /** Topological layers: layer 0 has no dependencies, layer n depends only on layers < n. Sorted by key. */
  readonly layers: readonly (readonly string[])[];
  /** All tasks in a topological order (layer by layer). */
  readonly order: readonly string[];
}

/**
 * Builds and checks a job's DAG: duplicate task keys, `depends_on` keys that name no task (all
 * reported at once, with file:line), and cycles (the error names one: `a → b → c → a`).
 *
 * @example
 * const dag = buildJobDag(bundle.jobs['bir_etl']);
 * dag.layers; // [['ingest_1601c'], ['aggregate_2550q', 'silver_gl'], ['month_end_close']]
 */
export function buildJobDag(job: Pick<JobDefinition, 'key' | 'tasks'>): JobDag {
  const tasks = new Map<string, TaskDefinition>();
  const duplicates: string[] = [];
  for (const task of job.tasks) {
    if (tasks.has(task.key)) duplicates.push(task.key);
    tasks.set(task.key, task);
  }
  if (duplicates.length > 0) {
    throw new BundleError('INVALID_CONFIG', `job ${job.key}: duplicate task_key ${[...new Set(duplicates)].join(', ')}`, { data: { job: job.key, duplicates } });
  }
  const unknown: string[] = [];
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>([...tasks.keys()].map((k) => [k, []]));
  for (const task of tasks.values()) {
    const deps = new Set<string>();
    for (const dep of task.dependsOn) {
      if (!tasks.has(dep.taskKey)) {
        const at = formatLocation(dep.location ?? task.location);
        unknown.push(`${at ? `${at}: ` : ''}task ${task.key} depends on "${dep.taskKey}", which is not a task of job ${job.key}`);
        continue;
      }
      deps.add(dep.taskKey);
    }
    upstream.set(task.key, [...deps].sort());
    for (const dep of deps) downstream.get(dep)?.push(task.key);
  }
  if (unknown.length > 0) {
    throw new BundleError('UNKNOWN_TASK', `${unknown.join('\n')}\n(tasks of ${job.key}: ${[...tasks.keys()].sort().join(', ')})`, { data: { job: job.key, problems: unknown } });
  }
  for (const list of downstream.values()) list.sort();

  const remaining = new Map([...upstream].map(([k, deps]) => [k, deps.length]));
  const layers: string[][] = [];
  let current = [...remaining].filter(([, n]) => n === 0).map(([k]) => k).sort();
  while (current.length > 0) {
    layers.push(current);
    const next: string[] = [];
    for (const key of current) {
      remaining.delete(key);
      for (const child of downstream.get(key) ?? []) {
        const left = (remaining.get(child) ?? 0) - 1;
        remaining.set(child, left);
        if (left === 0) next.push(child);
      }
    }
    current = next.sort();
  }
  if (remaining.size > 0) {
    const cycle = findCycle([...remaining.keys()], upstream);
    throw new BundleError('DAG_CYCLE', `job ${job.key} has a dependency cycle: ${cycle.join(' → ')}`, { data: { job: job.key, cycle } });
  }
  return Object.freeze({
    job: job.key,
    tasks,
    upstream,
    downstream,
    layers: Object.freeze(layers.map((l) => Object.freeze(l))),
    order: Object.freeze(layers.flat()),
  });
}

/** A cycle among `nodes` (each of which lies on or leads into a cycle), as `[a, b, …, a]` in dependency direction. */
function findCycle(nodes: readonly string[], upstream: ReadonlyMap<string, readonly string[]>): string[] {
  const inSet = new Set(nodes);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of upstream.get(node) ?? []) {
      if (!inSet.has(dep)) continue;
      if (state.get(dep) === 'visiting') {
        // `node` depends on `dep`, which is up the stack: report in "runs before" order.
        const loop = stack.slice(stack.indexOf(dep)).reverse();
        // Start at the smallest key so the message is stable.
        const first = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(first), ...loop.slice(0, first)];
        return [...rotated, rotated[0] as string];
      }
      if (!state.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...nodes].sort()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return [...nodes];
}

/** Every task downstream of `key` (transitively), not including `key`. */
export function downstreamOf(dag: JobDag, key: string): Set<string> {
  const out = new Set<string>();
  const queue = [...(dag.downstream.get(key) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (out.has(next)) continue;
    out.add(next);
    queue.push(...(dag.downstream.get(next) ?? []));
  }
  return out;
}
