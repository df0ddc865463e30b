import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadBundle, runJob, type RunJobOptions } from '@odoo-ce/bundle';
import { REPO_ROOT } from '../context.js';
import { ENTRY_POINT_JOB_PARAMETERS, TASKS_PACKAGE } from '../bundle/task-wheel.js';
import { openTargetWarehouse } from './endpoint.js';

const run = promisify(execFile);

/** Where `npx nx run databricks-tasks:wheel` writes the wheel (the deploy tests depend on that target). */
export const WHEEL_DIR = join(REPO_ROOT, 'apps', 'databricks-tasks', 'dist', 'wheel');

/** The built `odoo_ce_tasks` wheel; a clear error when it has not been built. */
export function builtWheel(): string {
  const wheels = existsSync(WHEEL_DIR) ? readdirSync(WHEEL_DIR).filter((f) => f.startsWith(`${TASKS_PACKAGE}-`) && f.endsWith('.whl')) : [];
  if (wheels.length !== 1) throw new Error(`expected one ${TASKS_PACKAGE} wheel in ${WHEEL_DIR}, found ${wheels.length}: run npx nx run databricks-tasks:wheel`);
  return join(WHEEL_DIR, wheels[0] as string);
}

/** Installs a wheel as a job environment would, offline and without its dependencies (Node is on PATH here). */
export async function installWheel(wheel: string, site: string): Promise<void> {
  await run('python3', ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-index', '--disable-pip-version-check', '--target', site, wheel]);
}

export interface RenderedJobRun {
  /** `dist/bundles/<target>` as `deploy bundle render` wrote it. */
  readonly renderedDir: string;
  readonly target: string;
  readonly job: string;
  /** The Jobs API run id, which `{{job.run_id}}` becomes. */
  readonly runId: string;
  readonly jobParameters: Readonly<Record<string, string>>;
  /** Environment of the target (the endpoint's DATABRICKS_*), given to the wheel's processes too. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the job environment's wheel is installed (PYTHONPATH). */
  readonly site: string;
  /** Suites the gate loads instead of the ones the wheel ships (`--quality-dir`), for fixtures. */
  readonly qualityDir?: string;
  /** Collects what failing wheel processes wrote to stderr, for assertions. */
  readonly stderr?: string[];
}

/**
 * What a Databricks workspace does with a job of the rendered bundle, for tests: its SQL tasks run
 * on the target's SQL warehouse (here the local endpoint through the real driver) in dependency
 * order, and each `python_wheel_task` runs the installed wheel's entry point in its own Python
 * process with the task's named parameters and the job's parameters (pushed down, winning on a
 * clash) as `--key=value` arguments — with the dynamic value references (`{{job.run_id}}`,
 * `{{job.parameters.x}}`) resolved as the Jobs service would.
 * Resolves SUCCESS; a failed run rejects with each failed task's first error line (the run's
 * state message), which the Jobs API stand-in reports as FAILED.
 */
export async function runRenderedJob(options: RenderedJobRun): Promise<'SUCCESS'> {
  const bundle = await loadBundle(options.renderedDir, { target: options.target, env: {} });
  const definition = bundle.jobs[options.job];
  if (!definition) throw new Error(`job ${options.job} is not in ${options.renderedDir}`);
  const wheelTask: NonNullable<RunJobOptions['taskHandlers']>[string] = async ({ task }) => {
    const settings = (definition.settings.tasks ?? []).find((t) => t.task_key === task.key) as WheelTaskSettings | undefined;
    const wheel = settings?.python_wheel_task;
    if (!wheel || wheel.package_name !== TASKS_PACKAGE) throw new Error(`task ${task.key}: not a ${TASKS_PACKAGE} wheel task`);
    const result = await runWheelTask(wheel, options);
    if (result.code !== 0) {
      options.stderr?.push(result.stderr);
      throw new Error(`task ${task.key} (${TASKS_PACKAGE}.${wheel.entry_point}) exited ${result.code}: ${result.stderr.trim().split('\n').at(-1) ?? ''}`);
    }
  };
  const handlers = Object.fromEntries(Object.keys(ENTRY_POINT_JOB_PARAMETERS).map((ep) => [ep, wheelTask]));
  const warehouse = await openTargetWarehouse(options.target, { ...options.env }, options.renderedDir);
  try {
    const summary = await runJob(warehouse, bundle, options.job, { target: options.target, runId: options.runId, params: { ...options.jobParameters }, taskHandlers: handlers });
    if (summary.status === 'succeeded') return 'SUCCESS';
    const failed = summary.tasks.filter((t) => t.status === 'failed');
    throw new Error(failed.map((t) => `${t.taskKey}: ${t.error ?? 'failed'}`).join('; ') || (summary.error ?? `run ${summary.status}`));
  } finally {
    await warehouse.close();
  }
}

/** A rendered task's `python_wheel_task`. */
export interface WheelTaskSettings {
  readonly python_wheel_task?: { readonly package_name: string; readonly entry_point: string; readonly named_parameters?: Readonly<Record<string, string>> };
}

/**
 * One wheel task as the workspace runs it: the installed wheel's entry point in a Python process,
 * with the task's named parameters and the job's parameters (pushed down, winning on a clash) as
 * `--key=value`, dynamic value references resolved. Never throws for the task's own failure.
 */
export async function runWheelTask(
  wheel: NonNullable<WheelTaskSettings['python_wheel_task']>,
  options: Pick<RenderedJobRun, 'runId' | 'jobParameters' | 'env' | 'site' | 'qualityDir'>,
): Promise<{ code: number; stderr: string }> {
  const named = { ...(wheel.named_parameters ?? {}), ...options.jobParameters };
  const args = Object.entries(named).map(([k, v]) => `--${k}=${resolveReferences(v, options)}`);
  if (wheel.entry_point === 'quality_gate' && options.qualityDir) args.push(`--quality-dir=${options.qualityDir}`);
  try {
    const { stderr } = await run('python3', ['-c', `import sys, ${TASKS_PACKAGE}; getattr(${TASKS_PACKAGE}, sys.argv.pop(1))()`, wheel.entry_point, ...args], {
      env: { PATH: process.env['PATH'] ?? '', PYTHONPATH: options.site, LOG_LEVEL: 'warn', ...options.env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'number' ? code : -1, stderr: String((error as { stderr?: unknown }).stderr ?? '') };
  }
}

/** `{{job.run_id}}` and `{{job.parameters.<name>}}` as the Jobs service fills them in; `${var.warehouse_id}` is the CLI's. */
function resolveReferences(value: string, options: Pick<RenderedJobRun, 'runId' | 'jobParameters'>): string {
  return value
    .replace(/\{\{\s*job\.run_id\s*\}\}/g, options.runId)
    .replace(/\{\{\s*job\.parameters\.([A-Za-z_]\w*)\s*\}\}/g, (_, name: string) => options.jobParameters[name] ?? '')
    .replace(/\$\{var\.warehouse_id\}/g, 'local-endpoint');
}
