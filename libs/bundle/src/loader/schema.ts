import { z } from 'zod';
import { isKnownTimeZone, quartzCronProblems } from './quartz.js';

/**
 * zod schemas for the parts of a bundle this lib uses (jobs of SQL tasks, schedules, variables,
 * targets, run_as). Everything else passes through untouched; unknown keys in jobs and tasks are
 * reported as warnings, as `databricks bundle validate` does.
 */

const REFERENCE = /\$\{[^}]*\}/;

/** An integer, a numeric string (from `--var`), or an unresolved `${…}` reference (resolved at deploy). */
const intish = (min: number) =>
  z.union([
    z.number().int(`expected a whole number`).min(min, `expected a whole number ≥ ${min}`),
    z
      .string()
      .regex(/^\d+$/, 'expected a whole number')
      .transform(Number)
      .pipe(z.number().min(min, `expected a whole number ≥ ${min}`)),
    z.string().regex(REFERENCE, 'expected a whole number'),
  ]);

/** A parameter value: Databricks sends strings; numbers and booleans are accepted and stringified. */
const paramValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const TASK_KEY = /^[\w-]{1,100}$/;

export const DependsOnSchema = z.strictObject({
  task_key: z.string().regex(TASK_KEY, 'expected a task key (letters, digits, _ and -)'),
  outcome: z.enum(['true', 'false']).optional(),
});

export const SqlTaskSchema = z.strictObject({
  warehouse_id: z.string().min(1, 'expected a SQL warehouse id (usually ${var.warehouse_id})'),
  file: z
    .strictObject({
      path: z.string().min(1, 'expected the path of a .sql file'),
      source: z.enum(['WORKSPACE', 'GIT']).optional(),
    })
    .optional(),
  query: z.looseObject({ query_id: z.string() }).optional(),
  dashboard: z.looseObject({ dashboard_id: z.string() }).optional(),
  alert: z.looseObject({ alert_id: z.string() }).optional(),
  parameters: z.record(z.string(), paramValue).optional(),
});

export const RUN_IF = ['ALL_SUCCESS', 'ALL_DONE', 'NONE_FAILED', 'AT_LEAST_ONE_SUCCESS', 'ALL_FAILED', 'AT_LEAST_ONE_FAILED'] as const;
export type RunIf = (typeof RUN_IF)[number];

export const TaskSchema = z.looseObject({
  task_key: z.string({ error: 'expected a task key' }).regex(TASK_KEY, 'expected a task key (1-100 letters, digits, _ and -)'),
  description: z.string().optional(),
  depends_on: z.array(DependsOnSchema).optional(),
  run_if: z.enum(RUN_IF).optional(),
  sql_task: SqlTaskSchema.optional(),
  timeout_seconds: intish(0).optional(),
  max_retries: intish(-1).optional(),
});

export const ScheduleSchema = z
  .strictObject({
    quartz_cron_expression: z.string({ error: 'expected a Quartz cron expression such as "0 0 6 1 * ?"' }),
    timezone_id: z.string({ error: 'expected a Java time zone id such as "Asia/Manila"' }),
    pause_status: z.enum(['PAUSED', 'UNPAUSED']).optional(),
  })
  .superRefine((schedule, ctx) => {
    for (const problem of quartzCronProblems(schedule.quartz_cron_expression)) {
      ctx.addIssue({ code: 'custom', path: ['quartz_cron_expression'], message: `invalid Quartz cron expression: ${problem}`, input: schedule.quartz_cron_expression });
    }
    if (!REFERENCE.test(schedule.timezone_id) && !isKnownTimeZone(schedule.timezone_id)) {
      ctx.addIssue({ code: 'custom', path: ['timezone_id'], message: 'unknown time zone; expected an IANA/Java id such as "Asia/Manila" or "UTC"', input: schedule.timezone_id });
    }
  });

export const JobParameterSchema = z.strictObject({ name: z.string().min(1), default: paramValue });

export const PermissionSchema = z
  .looseObject({
    level: z.enum(['CAN_MANAGE', 'IS_OWNER', 'CAN_MANAGE_RUN', 'CAN_VIEW']),
    user_name: z.string().optional(),
    group_name: z.string().optional(),
    service_principal_name: z.string().optional(),
  })
  .refine((p) => [p.user_name, p.group_name, p.service_principal_name].filter(Boolean).length === 1, {
    message: 'expected exactly one of user_name, group_name, service_principal_name',
  });

export const JobSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(TaskSchema).min(1, 'a job needs at least one task'),
  schedule: ScheduleSchema.optional(),
  max_concurrent_runs: intish(1).optional(),
  timeout_seconds: intish(0).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  parameters: z.array(JobParameterSchema).optional(),
  permissions: z.array(PermissionSchema).optional(),
});

export const RunAsSchema = z
  .strictObject({ service_principal_name: z.string().min(1).optional(), user_name: z.string().min(1).optional() })
  .refine((r) => (r.service_principal_name === undefined) !== (r.user_name === undefined), {
    message: 'expected exactly one of service_principal_name or user_name',
  });

export const LOOKUP_KINDS = [
  'alert',
  'cluster',
  'cluster_policy',
  'dashboard',
  'instance_pool',
  'job',
  'metastore',
  'notification_destination',
  'pipeline',
  'query',
  'service_principal',
  'warehouse',
] as const;

export const LookupSchema = z
  .strictObject(Object.fromEntries(LOOKUP_KINDS.map((k) => [k, z.string().min(1).optional()])) as Record<(typeof LOOKUP_KINDS)[number], z.ZodOptional<z.ZodString>>)
  .refine((l) => Object.values(l).filter((v) => v !== undefined).length === 1, { message: `expected exactly one of ${LOOKUP_KINDS.join(', ')}` });

export const VariableSchema = z.strictObject({
  description: z.string().optional(),
  type: z.literal('complex').optional(),
  default: z.unknown().optional(),
  lookup: LookupSchema.optional(),
});

export const BundleSectionSchema = z.looseObject({
  name: z.string({ error: 'expected the bundle name (bundle.name)' }).min(1, 'expected the bundle name (bundle.name)'),
  mode: z.enum(['development', 'production'], { error: "must be either 'development' or 'production'" }).optional(),
});

export const RootSchema = z.looseObject({
  bundle: BundleSectionSchema,
  workspace: z.looseObject({ host: z.string().optional(), root_path: z.string().optional(), file_path: z.string().optional() }).optional(),
  run_as: RunAsSchema.optional(),
  resources: z.looseObject({ jobs: z.record(z.string(), JobSchema).optional() }).optional(),
});

export type JobSettings = z.infer<typeof JobSchema>;
export type TaskSettings = z.infer<typeof TaskSchema>;
export type ScheduleSettings = z.infer<typeof ScheduleSchema>;
export type RootSettings = z.infer<typeof RootSchema>;

/** Job settings keys of the Jobs API 2.2 (plus bundle-only `permissions`); others are warned about. */
export const KNOWN_JOB_KEYS = new Set([
  'budget_policy_id',
  'continuous',
  'deployment',
  'description',
  'edit_mode',
  'email_notifications',
  'environments',
  'format',
  'git_source',
  'health',
  'job_clusters',
  'max_concurrent_runs',
  'name',
  'notification_settings',
  'parameters',
  'performance_target',
  'permissions',
  'queue',
  'run_as',
  'schedule',
  'tags',
  'tasks',
  'timeout_seconds',
  'trigger',
  'usage_policy_id',
  'webhook_notifications',
]);

/** Task keys of the Jobs API 2.2. */
export const KNOWN_TASK_KEYS = new Set([
  'alert_task',
  'clean_rooms_notebook_task',
  'compute',
  'condition_task',
  'dashboard_task',
  'dbt_cloud_task',
  'dbt_platform_task',
  'dbt_task',
  'depends_on',
  'description',
  'disable_auto_optimization',
  'email_notifications',
  'environment_key',
  'existing_cluster_id',
  'for_each_task',
  'gen_ai_compute_task',
  'health',
  'job_cluster_key',
  'libraries',
  'max_retries',
  'min_retry_interval_millis',
  'new_cluster',
  'notebook_task',
  'notification_settings',
  'pipeline_task',
  'power_bi_task',
  'python_wheel_task',
  'retry_on_timeout',
  'run_if',
  'run_job_task',
  'spark_jar_task',
  'spark_python_task',
  'spark_submit_task',
  'sql_task',
  'task_key',
  'timeout_seconds',
  'webhook_notifications',
]);

/** Keys a `targets.<name>` block may hold. */
export const KNOWN_TARGET_KEYS = new Set([
  'artifacts',
  'bundle',
  'cluster_id',
  'compute_id',
  'default',
  'git',
  'mode',
  'permissions',
  'presets',
  'resources',
  'run_as',
  'sync',
  'variables',
  'workspace',
]);
