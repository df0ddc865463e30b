/**
 * @odoo-ce/bundle — Databricks bundles without the cloud: load `databricks.yml` like the
 * Databricks CLI (includes, targets, variables, interpolation), validate the jobs, model each job
 * as a DAG, and run its SQL tasks on any warehouse with run state in the ops schema.
 */
export { BundleError, formatLocation, type BundleErrorCode, type SourceLocation } from './errors.js';
export { loadBundle, ROOT_FILE_NAMES, type LoadBundleOptions } from './loader/load-bundle.js';
export { renderBundleConfig } from './loader/render-config.js';
export type {
  Bundle,
  BundleVariable,
  BundleWarning,
  DeferredReference,
  JobDefinition,
  JobSchedule,
  SqlFileRef,
  TaskDefinition,
  TaskDependency,
  VariableSource,
} from './loader/model.js';
export { RUN_IF, type JobSettings, type RunIf, type TaskSettings } from './loader/schema.js';
export { quartzCronProblems, isKnownTimeZone } from './loader/quartz.js';
export { findInvalidExpressions, findReferences, isPureReference, type Reference } from './loader/references.js';
export { goGlob } from './loader/glob.js';
export { buildJobDag, downstreamOf, type JobDag } from './dag.js';
export {
  runJob,
  type RunEvent,
  type RunJobOptions,
  type RunLogger,
  type RunSummary,
  type TaskHookContext,
  type TaskRunSummary,
} from './runner/run-job.js';
export {
  ensureRunTables,
  findJobRun,
  listTaskRuns,
  type JobRunRecord,
  type JobRunStatus,
  type TaskRunRecord,
  type TaskRunStatus,
} from './runner/ops-tables.js';
export { listJobRuns, type JobRunOverview, type ListJobRunsOptions } from './runner/list-runs.js';
export * from './jobs-api/index.js';
