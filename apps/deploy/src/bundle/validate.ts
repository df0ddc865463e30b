import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BundleError, buildJobDag, loadBundle, renderBundleConfig, type Bundle, type SourceLocation, type TaskDefinition } from '@odoo-ce/bundle';
import { isPlatformError } from '@odoo-ce/common';
import { adapterFor, DEFAULT_LAYOUT, LAYERS, renderSql, type CatalogLayout, type Layer } from '@odoo-ce/warehouse';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { BundleSourceMap } from './source-map.js';
import { problemFromText, type Problem } from './problems.js';
import { taskWheelProblems, type JobConfig } from './task-wheel.js';

export interface ValidateBundleOptions {
  readonly target: string;
  /** `BUNDLE_VAR_<name>` source (default: none, so CI validates the committed defaults). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly vars?: Readonly<Record<string, string>>;
  /** The compiled official JSON schema; without it only the zod model and the cross-checks run. */
  readonly schema?: ValidateFunction;
}

export interface BundleValidation {
  readonly target: string;
  readonly ok: boolean;
  readonly problems: readonly Problem[];
  /** Non-fatal findings (unknown keys, like `databricks bundle validate` without --strict). */
  readonly warnings: readonly Problem[];
  /** The loaded bundle, when loading got that far. */
  readonly bundle?: Bundle;
}

const MISSING_SQL = /SQL file .* not found/;

/**
 * Validates one target of a bundle the way a deploy would need it to hold, without a workspace:
 * 1. the bundle lib's zod model (loading, includes, variables, `${…}` references — ternaries are
 *    rejected —, Quartz cron expressions and time zones),
 * 2. the official JSON schema (the resolved configuration, errors mapped back to file:line),
 * 3. cross-checks: each task's SQL file exists and renders for the target (catalog placeholders,
 *    `{{params.*}}` backed by task or job parameters), `depends_on` keys exist and the DAG has no
 *    cycle, no `${…}` left unresolved except deploy-time ones, and `mode: development` targets keep
 *    every schedule paused.
 * Never throws for a bad bundle: every problem is returned, each with its location.
 */
export async function validateBundle(root: string, options: ValidateBundleOptions): Promise<BundleValidation> {
  let bundle: Bundle;
  try {
    bundle = await loadBundle(root, { target: options.target, env: options.env ?? {}, ...(options.vars ? { vars: options.vars } : {}) });
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    return { target: options.target, ok: false, problems: loaderProblems(error), warnings: [] };
  }
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  for (const warning of bundle.warnings) {
    const problem = problemFromText(MISSING_SQL.test(warning.message) ? 'sql-file' : 'model', warning.message, warning.location);
    (problem.check === 'sql-file' ? problems : warnings).push(problem);
  }
  problems.push(...dagProblems(bundle), ...sqlRenderProblems(bundle), ...variableProblems(bundle), ...scheduleProblems(bundle), ...wheelProblems(bundle));
  if (options.schema) problems.push(...schemaProblems(bundle, options.schema));
  return { target: bundle.target, ok: problems.length === 0, problems, warnings, bundle };
}

function loaderProblems(error: BundleError): Problem[] {
  const data = error.data as { problems?: unknown; location?: SourceLocation } | undefined;
  if (Array.isArray(data?.problems) && data.problems.every((p) => typeof p === 'string')) {
    return (data.problems as string[]).map((p) => problemFromText('model', p));
  }
  // YAML errors list one line per problem after a header; keep the first (the cause), like a compiler.
  const lines = error.message.split('\n').map((l) => l.replace(/^\s*-\s*/, ''));
  const located = lines.find((l) => LOCATED_LINE.test(l));
  const problem = problemFromText('model', located ?? error.message, data?.location);
  return [{ ...problem, message: `[${error.code}] ${problem.message}` }];
}

function dagProblems(bundle: Bundle): Problem[] {
  const problems: Problem[] = [];
  for (const job of Object.values(bundle.jobs)) {
    try {
      buildJobDag(job);
    } catch (error) {
      if (!(error instanceof BundleError)) throw error;
      problems.push(...splitLocated('dag', error.message, job.location));
    }
  }
  return problems;
}

/**
 * One problem per located line of a multi-line message (`file:line:col: …`); unlocated lines
 * after one (hints such as the list of valid keys) stay with it, a header before the first is dropped.
 */
function splitLocated(check: Problem['check'], text: string, fallback?: SourceLocation): Problem[] {
  const lines = text.split('\n').map((l) => l.replace(/^\s*-\s*/, '').trim()).filter((l) => l !== '');
  if (!lines.some((l) => LOCATED_LINE.test(l))) return [problemFromText(check, lines.join(' '), fallback)];
  const problems: Problem[] = [];
  for (const line of lines) {
    if (LOCATED_LINE.test(line)) problems.push(problemFromText(check, line));
    else if (problems.length > 0) {
      const last = problems.pop() as Problem;
      problems.push({ ...last, message: `${last.message} ${line}` });
    }
  }
  return problems;
}

const LOCATED_LINE = /^[^\s:]+\.(ya?ml|json):\d+:\d+: /;

/** The target's catalog layout from the bundle's `<layer>_catalog` / `ops_*` variables. */
export function layoutOf(bundle: Bundle): CatalogLayout {
  const value = (name: string, fallback: string) => {
    const v = bundle.variables[name]?.value;
    return typeof v === 'string' && v !== '' ? v : fallback;
  };
  const catalogs = Object.fromEntries(LAYERS.map((l) => [l, value(`${l}_catalog`, `${value('catalog_prefix', '')}${DEFAULT_LAYOUT.catalogs[l]}`)])) as Record<Layer, string>;
  return { catalogs, ops: { catalog: value('ops_catalog', `${value('catalog_prefix', '')}ops`), schema: value('ops_schema', 'ops') } };
}

/** Parameters a task's SQL receives: job parameters (pushed down to every task) and `sql_task.parameters`. */
export function taskParameters(bundle: Bundle, jobKey: string, task: TaskDefinition): Record<string, string> {
  const job = bundle.jobs[jobKey];
  return { ...(task.sql?.parameters ?? {}), ...Object.fromEntries((job?.parameters ?? []).map((p) => [p.name, p.default])) };
}

/** The jobs' TypeScript steps must be runnable from the odoo_ce_tasks wheel (see task-wheel.ts). */
function wheelProblems(bundle: Bundle): Problem[] {
  const jobs = ((renderBundleConfig(bundle) as { resources?: { jobs?: Record<string, JobConfig> } }).resources?.jobs ?? {});
  return taskWheelProblems(jobs).map((p) => {
    const job = bundle.jobs[p.job];
    const location = job?.tasks.find((t) => t.key === p.task)?.location ?? job?.location;
    return { check: 'wheel' as const, message: p.message, ...(location ? { location } : {}) };
  });
}

function sqlRenderProblems(bundle: Bundle): Problem[] {
  const adapter = adapterFor('databricks');
  const layout = layoutOf(bundle);
  const problems: Problem[] = [];
  for (const job of Object.values(bundle.jobs)) {
    for (const task of job.tasks) {
      const file = task.sql?.file?.localPath;
      if (!file || !existsSync(file)) continue;
      try {
        renderSql(readFileSync(file, 'utf8'), { layout, adapter, params: taskParameters(bundle, job.key, task), source: relative(bundle.root, file) });
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        problems.push({ check: 'sql-render', message: `job ${job.key} task ${task.key}: ${relative(bundle.root, file)} does not render for target ${bundle.target}: ${error.message}`, ...(task.location ? { location: task.location } : {}) });
      }
    }
  }
  return problems;
}

function variableProblems(bundle: Bundle): Problem[] {
  const deferred = new Set(bundle.deferred.map((d) => `${d.path}\u0000${d.reference}`));
  const problems: Problem[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      for (const ref of value.match(/\$\{[^}]*\}/g) ?? []) {
        if (!deferred.has(`${path}\u0000${ref}`)) problems.push({ check: 'variables', message: `${path}: ${ref} is not resolved for target ${bundle.target}` });
      }
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, path ? `${path}.${k}` : k);
    }
  };
  visit(Object.fromEntries(Object.entries(bundle.config).filter(([k]) => k !== 'variables')), '');
  for (const variable of Object.values(bundle.variables)) {
    if (variable.value === undefined && variable.lookup === undefined) problems.push({ check: 'variables', message: `variable ${variable.name} has no value for target ${bundle.target}` });
  }
  return problems;
}

function scheduleProblems(bundle: Bundle): Problem[] {
  if (bundle.mode !== 'development') return [];
  return Object.values(bundle.jobs)
    .filter((job) => job.schedule && job.schedule.pauseStatus !== 'PAUSED')
    .map((job) => ({
      check: 'schedule' as const,
      message: `resources.jobs.${job.key}.schedule.pause_status is ${job.schedule?.pauseStatus ?? 'unset'} in development target ${bundle.target}; expected PAUSED (dev deployments must not run on a schedule)`,
      ...(job.location ? { location: job.location } : {}),
    }));
}

function schemaProblems(bundle: Bundle, validate: ValidateFunction): Problem[] {
  const config = renderBundleConfig(bundle);
  if (validate(config)) return [];
  const map = new BundleSourceMap(bundle.root, bundle.files, bundle.target);
  const errors = relevantErrors(validate.errors ?? []);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const dotted = segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
    const unknownField = error.keyword === 'additionalProperties' ? (error.params as { additionalProperty: string }).additionalProperty : undefined;
    const detail = unknownField !== undefined ? `unknown field ${JSON.stringify(unknownField)}` : `${error.message ?? error.keyword}${error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : ''}`;
    const key = `${dotted}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const location = map.locate(unknownField !== undefined ? [...segments, unknownField] : segments, config);
    problems.push({ check: 'schema', message: `${dotted || '(root)'}: ${detail}`, ...(location ? { location } : {}) });
  }
  return problems;
}

/**
 * The errors worth showing. Every object, array and enum in the schema is `oneOf: [<type>, a
 * "${var.*}" string]`, so one real mistake also fails the string branch at every level above it;
 * those echoes (type string / pattern / oneOf) are dropped whenever a more specific error exists
 * at or below the same path.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const isEcho = (e: ErrorObject) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || (e.keyword === 'type' && (e.params as { type?: string }).type === 'string') || (e.keyword === 'pattern' && String((e.params as { pattern?: string }).pattern).includes('\\$\\{'));
  const specific = errors.filter((e) => !isEcho(e));
  return errors.filter((e) => !isEcho(e) || !specific.some((s) => s.instancePath === e.instancePath || s.instancePath.startsWith(`${e.instancePath}/`)));
}
