import { describe, expect, it } from 'vitest';
import { buildJobDag, downstreamOf } from './dag.js';
import { BundleError } from './errors.js';
import type { TaskDefinition } from './loader/model.js';

function task(key: string, deps: string[] = [], line = 1): TaskDefinition {
  return { key, dependsOn: deps.map((d) => ({ taskKey: d, location: { file: 'resources/jobs.yml', line, column: 9 } })), runIf: 'ALL_SUCCESS', location: { file: 'resources/jobs.yml', line, column: 7 } };
}

function error(fn: () => unknown): BundleError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return e as BundleError;
  }
  throw new Error('expected an error');
}

describe('buildJobDag', () => {
  it('computes edges, sorted topological layers and an order', () => {
    const dag = buildJobDag({ key: 'j', tasks: [task('gold', ['silver_a', 'silver_b']), task('silver_b', ['bronze']), task('silver_a', ['bronze', 'bronze']), task('bronze'), task('audit')] });
    expect(dag.layers).toEqual([['audit', 'bronze'], ['silver_a', 'silver_b'], ['gold']]);
    expect(dag.order).toEqual(['audit', 'bronze', 'silver_a', 'silver_b', 'gold']);
    expect(dag.upstream.get('silver_a')).toEqual(['bronze']);
    expect(dag.downstream.get('bronze')).toEqual(['silver_a', 'silver_b']);
    expect([...downstreamOf(dag, 'bronze')].sort()).toEqual(['gold', 'silver_a', 'silver_b']);
  });

  it('names a cycle in run order', () => {
    const e = error(() => buildJobDag({ key: 'j', tasks: [task('a'), task('b', ['a', 'd']), task('c', ['b']), task('d', ['c'])] }));
    expect(e.code).toBe('DAG_CYCLE');
    expect(e.message).toBe('job j has a dependency cycle: b → c → d → b');
    expect(error(() => buildJobDag({ key: 'j', tasks: [task('self', ['self'])] })).message).toBe('job j has a dependency cycle: self → self');
  });

  it('reports every unknown depends_on key with its location and the known tasks', () => {
    const e = error(() => buildJobDag({ key: 'j', tasks: [task('a', ['x'], 10), task('b', ['a', 'y'], 20)] }));
    expect(e.code).toBe('UNKNOWN_TASK');
    expect(e.message).toBe(
      'resources/jobs.yml:10:9: task a depends on "x", which is not a task of job j\n' +
        'resources/jobs.yml:20:9: task b depends on "y", which is not a task of job j\n' +
        '(tasks of j: a, b)',
    );
  });

  it('rejects duplicate task keys', () => {
    expect(error(() => buildJobDag({ key: 'j', tasks: [task('a'), task('a')] })).message).toBe('job j: duplicate task_key a');
  });
});
