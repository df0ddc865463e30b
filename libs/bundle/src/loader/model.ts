import type { SourceLocation } from '../errors.js';
import type { JobSettings, RunIf } from './schema.js';

/** A problem that does not stop loading (unknown keys, missing SQL files, includes outside the root file). */
export interface BundleWarning {
  readonly message: string;
  readonly location?: SourceLocation;
  readonly path?: string;
}

/** A `${…}` reference left in place because only deployment can resolve it (lookups, resource ids, the current user). */
export interface DeferredReference {
  /** Key path of the value holding it, e.g. `resources.jobs.bir_etl.tasks[0].sql_task.warehouse_id`. */
  readonly path: string;
  readonly reference: string;
  readonly location?: SourceLocation;
}

/** Where a variable's value came from, highest precedence first. */
export type VariableSource = 'flag' | 'env' | 'lookup' | 'override-file' | 'default';

/** A declared bundle variable and its value for the selected target. */
export interface BundleVariable {
  readonly name: string;
  readonly description?: string;
  readonly complex: boolean;
  /** The resolved value; absent for a `lookup` variable (resolved by deploy). */
  readonly value?: unknown;
  readonly source: VariableSource;
  /** e.g. `{ warehouse: 'Shared SQL Warehouse' }` */
  readonly lookup?: Readonly<Record<string, string>>;
}

/** The `.sql` file of a `sql_task`. */
export interface SqlFileRef {
  /** The path as configured (after interpolation), e.g. `../sql/etl/shared/bronze_to_silver.sql`. */
  readonly path: string;
  readonly source: 'WORKSPACE' | 'GIT';
  /**
   * The absolute local path. Relative paths resolve against the directory of the config file that
   * wrote them (as the CLI does); `${workspace.file_path}/…` maps back to the local sync root.
   * Absent for GIT sources and other absolute workspace paths.
   */
  readonly localPath?: string;
}

/** One `depends_on` entry. */
export interface TaskDependency {
  readonly taskKey: string;
  readonly outcome?: 'true' | 'false';
  readonly location?: SourceLocation;
}

/** One task of a job, after target overrides and interpolation. */
export interface TaskDefinition {
  readonly key: string;
  readonly description?: string;
  readonly dependsOn: readonly TaskDependency[];
  readonly runIf: RunIf;
  /** Present for `sql_task`s. */
  readonly sql?: {
    readonly warehouseId: string;
    readonly file?: SqlFileRef;
    /** `sql_task.parameters` as strings (Databricks sends strings). */
    readonly parameters: Readonly<Record<string, string>>;
  };
  readonly timeoutSeconds?: number;
  readonly location?: SourceLocation;
}

/** A job's schedule (Quartz cron). `pauseStatus` includes the `mode: development` preset. */
export interface JobSchedule {
  readonly quartzCronExpression: string;
  readonly timezoneId: string;
  readonly pauseStatus: 'PAUSED' | 'UNPAUSED' | undefined;
}

/** One job of the bundle (`resources.jobs.<key>`). */
export interface JobDefinition {
  readonly key: string;
  /** `name`, or the key when unset. */
  readonly name: string;
  readonly description?: string;
  /** In task_key order, as the CLI sorts them after merging. */
  readonly tasks: readonly TaskDefinition[];
  readonly schedule?: JobSchedule;
  readonly maxConcurrentRuns?: number | string;
  readonly tags: Readonly<Record<string, string>>;
  /** Job-level parameters with their defaults; pushed down to every task. */
  readonly parameters: readonly { readonly name: string; readonly default: string }[];
  readonly location?: SourceLocation;
  /** The validated job settings, as deploy would send them (unknown keys kept). */
  readonly settings: JobSettings;
}

/** A loaded, merged, interpolated and validated bundle for one target. */
export interface Bundle {
  /** Absolute bundle root (the directory holding databricks.yml). */
  readonly root: string;
  readonly name: string;
  readonly target: string;
  readonly mode?: 'development' | 'production';
  /** Config files in load order, relative to the root: databricks.yml first, then the includes. */
  readonly files: readonly string[];
  readonly variables: Readonly<Record<string, BundleVariable>>;
  readonly workspace: { readonly host?: string; readonly rootPath: string; readonly filePath: string };
  /** Absolute local directory that `${workspace.file_path}` stands for (the common parent of `sync.paths`). */
  readonly syncRoot: string;
  readonly runAs?: { readonly service_principal_name?: string; readonly user_name?: string };
  readonly jobs: Readonly<Record<string, JobDefinition>>;
  /** The resolved configuration as plain data (without `targets`; variables carry their `value`). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly deferred: readonly DeferredReference[];
  readonly warnings: readonly BundleWarning[];
}
