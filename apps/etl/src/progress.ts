import { Listr, ListrLogger, ProcessOutput, type ListrTask, type ListrTaskWrapper, type ListrDefaultRenderer, type ListrSimpleRenderer } from 'listr2';
import type { RunEvent } from '@odoo-ce/bundle';

/**
 * A task list on the terminal (listr2) fed by what the pipeline reports: `start`/`finish`/`fail`
 * of the steps named up front, and the bundle runner's events for job steps, which open a sub-list
 * with one line per task (running, rows and seconds when done, skipped, failed). Used only when
 * stderr is a TTY; otherwise the commands write structured logs instead.
 */
export class TaskListProgress {
  readonly #steps = new Map<string, StepState>();
  readonly #done: Promise<void>;

  constructor(steps: readonly { readonly key: string; readonly title: string }[], options: { readonly stream?: NodeJS.WriteStream; readonly renderer?: 'default' | 'simple' } = {}) {
    const stream = options.stream ?? process.stderr;
    for (const step of steps) this.#steps.set(step.key, new StepState(step.title));
    const logger = new ListrLogger({ processOutput: new ProcessOutput(stream, stream) });
    const listr = new Listr<unknown, 'default', 'simple'>(
      steps.map((s) => this.#stepTask(s.key)),
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        // Draw on the stream we were given even when stdout is redirected (listr2 looks at stdout).
        forceTTY: options.renderer !== 'simple',
        renderer: 'default',
        fallbackRenderer: 'simple',
        // The simple renderer (one line per change) where the caller asks for it (tests, logs to a file).
        fallbackRendererCondition: () => options.renderer === 'simple',
        rendererOptions: { logger, collapseSubtasks: false, collapseErrors: false, showErrorMessage: true },
        fallbackRendererOptions: { logger },
      },
    );
    this.#done = listr.run().then(
      () => undefined,
      () => undefined, // failures are shown on their line; the command reports them itself
    );
  }

  start(key: string): void {
    this.#state(key).started.resolve();
  }

  finish(key: string, detail?: string): void {
    const s = this.#state(key);
    s.started.resolve();
    s.finished.resolve(detail);
  }

  fail(key: string, error: unknown): void {
    const s = this.#state(key);
    s.started.resolve();
    s.finished.reject(error instanceof Error ? error : new Error(String(error)));
  }

  /** A bundle-runner event of the job run by step `key`. */
  event(key: string, event: RunEvent): void {
    const s = this.#state(key);
    switch (event.type) {
      case 'run.started':
        for (const task of event.tasks) s.task(task);
        s.started.resolve();
        s.run.resolve(event.tasks);
        break;
      case 'task.started':
        s.task(event.task).started.resolve();
        break;
      case 'task.finished': {
        const t = s.task(event.task);
        t.started.resolve();
        if (event.status === 'succeeded') t.finished.resolve(event.rowsAffected === null ? undefined : `${event.rowsAffected.toLocaleString('en-US')} rows`);
        else if (event.status === 'skipped' || event.status === 'upstream_failed' || event.status === 'cancelled') t.finished.resolve(SKIPPED + event.status.replace('_', ' '));
        else t.finished.reject(new Error(firstLine(event.error ?? event.status)));
        break;
      }
      case 'run.finished':
        s.outcome = `${event.status} (${s.tasks.size} tasks)`;
        if (s.line) s.line.title = `${s.title} · ${s.outcome}`;
        // Tasks reused from an earlier attempt (resume) or never reached report nothing of their own.
        for (const t of s.tasks.values()) {
          t.started.resolve();
          t.finished.resolve(SKIPPED + (event.status === 'succeeded' ? 'done in an earlier attempt' : 'not run'));
        }
        break;
    }
  }

  /** Waits until the list has finished drawing (every step must have been finished or failed). */
  async close(): Promise<void> {
    for (const s of this.#steps.values()) {
      s.started.resolve();
      s.finished.resolve(SKIPPED + 'not run');
    }
    await this.#done;
  }

  #state(key: string): StepState {
    const s = this.#steps.get(key);
    if (!s) throw new Error(`progress: unknown step "${key}" (known: ${[...this.#steps.keys()].join(', ')})`);
    return s;
  }

  #stepTask(key: string): ListrTask<unknown, ListrDefaultRenderer, ListrSimpleRenderer> {
    const s = this.#state(key);
    return {
      title: s.title,
      task: async (_ctx, task) => {
        await s.started.promise;
        const next = await Promise.race([s.run.promise.then((tasks) => ({ tasks })), s.finished.promise.then((detail) => ({ detail }))]);
        if ('detail' in next) return settle(task, s.title, next.detail);
        // A job: one sub-line per task (a returned sub-list is drawn under its parent); the step's
        // own line gets its outcome from the run.finished event.
        s.line = task;
        if (s.outcome) task.title = `${s.title} · ${s.outcome}`;
        return task.newListr(
          next.tasks.map((taskKey) => jobTaskLine(taskKey, s.task(taskKey))),
          { concurrent: true, exitOnError: false },
        );
      },
    };
  }
}

const SKIPPED = '\u0000skipped:';

/** The line of one job task: waiting → running → rows and seconds, skipped, or failed. */
function jobTaskLine(taskKey: string, t: TaskState): ListrTask<unknown, ListrDefaultRenderer, ListrSimpleRenderer> {
  return {
    title: taskKey,
    task: async (_ctx, line) => {
      line.title = `${taskKey} (waiting)`;
      await t.started.promise;
      line.title = taskKey;
      const started = performance.now();
      const detail = await t.finished.promise;
      if (detail?.startsWith(SKIPPED)) return line.skip(`${taskKey}: ${detail.slice(SKIPPED.length)}`);
      line.title = `${taskKey} · ${[detail, `${((performance.now() - started) / 1000).toFixed(1)} s`].filter(Boolean).join(' · ')}`;
    },
  };
}

function settle(task: ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>, title: string, detail: string | undefined): void {
  if (detail?.startsWith(SKIPPED)) task.skip(`${title}: ${detail.slice(SKIPPED.length)}`);
  else if (detail) task.title = `${title} · ${detail}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] as string;
}

class Deferred<T> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: Error) => void;
  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => undefined); // rejections are observed by the task that awaits them
  }
}

class TaskState {
  readonly started = new Deferred<void>();
  readonly finished = new Deferred<string | undefined>();
}

class StepState {
  readonly started = new Deferred<void>();
  readonly finished = new Deferred<string | undefined>();
  readonly run = new Deferred<readonly string[]>();
  readonly tasks = new Map<string, TaskState>();
  /** The step's line, once it shows a job's tasks. */
  line?: ListrTaskWrapper<unknown, ListrDefaultRenderer, ListrSimpleRenderer>;
  /** How the job's run ended (from run.finished). */
  outcome?: string;
  constructor(readonly title: string) {}

  task(key: string): TaskState {
    let t = this.tasks.get(key);
    if (!t) this.tasks.set(key, (t = new TaskState()));
    return t;
  }
}
