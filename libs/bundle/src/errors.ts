import { PlatformError } from '@odoo-ce/common';

/** Codes of {@link BundleError}; callers branch on these, never on message text. */
export type BundleErrorCode =
  /** No databricks.yml in the bundle root, or a config/SQL file cannot be read. */
  | 'FILE_NOT_FOUND'
  /** A config file is not valid YAML (or JSON). */
  | 'YAML_ERROR'
  /** An `include` entry is absolute, matches nothing, or matches a non-YAML file. */
  | 'INCLUDE_ERROR'
  /** The merged configuration does not fit the schema of the parts we use. */
  | 'INVALID_CONFIG'
  /** Two values of different kinds meet in a merge (a map overridden by a string…). */
  | 'MERGE_ERROR'
  /** The requested target is not declared, or no target was given and none is the default. */
  | 'UNKNOWN_TARGET'
  /** A `${…}` reference names something that does not exist. */
  | 'UNKNOWN_REFERENCE'
  /** A `${…}` expression that is not a dotted path (ternaries, comparisons, functions). */
  | 'UNSUPPORTED_EXPRESSION'
  /** A variable is undefined, has no value, is assigned badly, or references itself. */
  | 'VARIABLE_ERROR'
  /** The job named on the command line is not declared in the bundle. */
  | 'UNKNOWN_JOB'
  /** A task key (in `depends_on` or `only`) does not exist in the job. */
  | 'UNKNOWN_TASK'
  /** The task graph has a cycle. */
  | 'DAG_CYCLE'
  /** A task the local runner cannot execute (not a `sql_task` with a local `file`). */
  | 'NOT_RUNNABLE'
  /** `resume` found no failed or interrupted run to continue. */
  | 'NOTHING_TO_RESUME'
  /** A job run finished with failed tasks (the CLI's non-zero exit). */
  | 'JOB_FAILED'
  /** A job run was cancelled (signal aborted). */
  | 'JOB_CANCELLED';

/** Where a configuration value came from: the file (relative to the bundle root) and 1-based line/column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `resources/jobs.yml:12:7` (or just the file when the position is unknown). */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  return location.line > 0 ? `${location.file}:${location.line}:${location.column}` : location.file;
}

/**
 * Every failure of the bundle lib: loading and validating databricks.yml, building a job's DAG,
 * running a job. Messages name the file (and line where known), the key path, the bad value and
 * what was expected; `data.location` / `data.path` carry the same for programs.
 *
 * @example
 * try { await loadBundle('databricks/bundles', { target: 'dev' }); }
 * catch (e) { if (e instanceof BundleError && e.code === 'UNKNOWN_REFERENCE') … }
 */
export class BundleError extends PlatformError<BundleErrorCode> {}
