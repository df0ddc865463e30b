import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TaskListProgress } from './progress.js';

/** A stream that keeps what the task list writes (the simple renderer: one line per change). */
function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => stripVTControlCharacters(out) };
}

describe('TaskListProgress', () => {
  it('draws steps, a job with its tasks (rows, skipped, failed) and a failed step', async () => {
    const { stream, text } = capture();
    const progress = new TaskListProgress(
      [
        { key: 'generate', title: 'Generate' },
        { key: 'job a', title: 'Run job a' },
        { key: 'report', title: 'Report' },
      ],
      { stream, renderer: 'simple' },
    );
    progress.start('generate');
    progress.finish('generate', '1,000 records');
    progress.event('job a', { type: 'run.started', runId: 'r1', job: 'a', target: 'dev', attempt: 1, resumed: false, tasks: ['load', 'gate', 'publish'] });
    progress.event('job a', { type: 'task.started', runId: 'r1', task: 'load', attempt: 1, running: 1 });
    progress.event('job a', { type: 'task.finished', runId: 'r1', task: 'load', status: 'succeeded', rowsAffected: 1234, error: null });
    progress.event('job a', { type: 'task.started', runId: 'r1', task: 'gate', attempt: 1, running: 1 });
    progress.event('job a', { type: 'task.finished', runId: 'r1', task: 'gate', status: 'failed', rowsAffected: null, error: 'expectation x failed\n  at stack' });
    progress.event('job a', { type: 'task.finished', runId: 'r1', task: 'publish', status: 'upstream_failed', rowsAffected: null, error: null });
    progress.event('job a', { type: 'run.finished', runId: 'r1', status: 'failed' });
    progress.fail('job a', new Error('failed: expectation x failed'));
    progress.start('report');
    progress.fail('report', new Error('disk full'));
    await progress.close();

    const out = text();
    expect(out).toMatch(/Generate · 1,000 records/);
    expect(out).toMatch(/load · 1,234 rows · \d+\.\d s/);
    expect(out).toMatch(/expectation x failed/);
    expect(out).not.toMatch(/at stack/);
    expect(out).toMatch(/publish: upstream failed/);
    expect(out).toMatch(/Run job a · failed \(3 tasks\)/);
    expect(out).toMatch(/disk full/);
  });

  it('marks steps that never ran as skipped when closed, and reused tasks of a resumed run', async () => {
    const { stream, text } = capture();
    const progress = new TaskListProgress(
      [
        { key: 'job a', title: 'Run job a' },
        { key: 'endpoint', title: 'Endpoint check' },
      ],
      { stream, renderer: 'simple' },
    );
    progress.event('job a', { type: 'run.started', runId: 'r1', job: 'a', target: 'dev', attempt: 2, resumed: true, tasks: ['load', 'publish'] });
    progress.event('job a', { type: 'task.started', runId: 'r1', task: 'publish', attempt: 2, running: 1 });
    progress.event('job a', { type: 'task.finished', runId: 'r1', task: 'publish', status: 'succeeded', rowsAffected: 0, error: null });
    progress.event('job a', { type: 'run.finished', runId: 'r1', status: 'succeeded' });
    progress.finish('job a', '2 tasks');
    await progress.close();
    const out = text();
    expect(out).toMatch(/load: done in an earlier attempt/);
    expect(out).toMatch(/publish · 0 rows/);
    expect(out).toMatch(/Run job a · succeeded \(2 tasks\)/);
    expect(out).toMatch(/Endpoint check: not run/);
  });

  it('names the known steps when told about an unknown one', () => {
    const progress = new TaskListProgress([{ key: 'a', title: 'A' }], { stream: capture().stream, renderer: 'simple' });
    expect(() => progress.start('b')).toThrow('progress: unknown step "b" (known: a)');
    void progress.close();
  });
});
