import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ServerContext } from '../context.js';
import { McpToolError } from '../errors.js';
import { defineTool } from '../tool.js';

const task = z.object({ task: z.string(), state: z.string(), result: z.string().nullable(), message: z.string().nullable() });
const run = z.object({
  run_id: z.string(),
  job: z.string(),
  state: z.string().describe('QUEUED, PENDING, RUNNING, TERMINATING or TERMINATED'),
  result: z.string().nullable().describe('SUCCESS, FAILED, CANCELED… once TERMINATED'),
  started_at: z.string().nullable(),
  ended_at: z.string().nullable(),
  message: z.string().nullable(),
  tasks: z.array(task),
  url: z.string().optional(),
});

/**
 * The idempotency key sent to the backend: the caller's token scoped to the caller, so one
 * principal's token never returns (or blocks) another principal's run. A sha256 in hex fits the
 * Jobs API's 64-character limit.
 */
export function scopedIdempotencyToken(principal: string, token: string): string {
  return createHash('sha256').update(`${principal}|${token}`).digest('hex');
}

/**
 * `run_job` starts a bundle job and returns at once (poll `get_run`), like Databricks run-now;
 * `get_run` reports a run. Who may start and follow jobs is the operator's choice
 * (`jobPrincipals`), closed by default: jobs write tables, so they are not covered by the read
 * grants `execute_sql` checks, and run messages can name tables and parameters.
 */
export function jobTools(ctx: ServerContext, jobPrincipals: readonly string[] | undefined) {
  const mayRunJobs = (principal: string) => (jobPrincipals ?? []).includes(principal);
  const runJob = defineTool({
    name: 'run_job',
    title: 'Start a bundle job',
    description:
      `Starts a job of the Databricks bundle (${ctx.jobs.kind === 'local' ? 'the local runner on this target' : 'the deployed job, through the Jobs API'}) and returns its run at once; poll get_run until state is TERMINATED. ` +
      'Pass an idempotency_token to make retries safe: the same token returns the same run.',
    input: z
      .object({
        job: z.string().min(1).max(200).describe('The job key in the bundle, e.g. bir_etl'),
        parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(1000)).optional().describe('Job parameters, e.g. {"period": "2025-01"}'),
        idempotency_token: z.string().min(1).max(64).optional(),
      })
      .strict(),
    output: run,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run(args, call) {
      call.audit.job = args.job;
      if (!mayRunJobs(call.principal)) {
        throw new McpToolError('REFUSED', `${call.principal} may not start jobs on this server; ask the operator to add it to the job principals (--job-principals)`);
      }
      const token = args.idempotency_token === undefined ? undefined : scopedIdempotencyToken(call.principal, args.idempotency_token);
      const started = await ctx.jobs.start(args.job, args.parameters ?? {}, token);
      call.audit.runId = started.run_id;
      return { data: started, summary: `run ${started.run_id} of ${args.job}: ${started.state}${started.result ? ` ${started.result}` : ''}` };
    },
  });

  const getRun = defineTool({
    name: 'get_run',
    title: 'Get a job run',
    description: 'The state of a job run started by run_job (or by the scheduler), with its tasks. Only for principals allowed to run jobs.',
    input: z.object({ run_id: z.string().min(1).max(100) }).strict(),
    output: run,
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(args, call) {
      call.audit.runId = args.run_id;
      if (!mayRunJobs(call.principal)) {
        throw new McpToolError('REFUSED', `${call.principal} may not follow job runs on this server; ask the operator to add it to the job principals (--job-principals)`);
      }
      const found = await ctx.jobs.get(args.run_id);
      call.audit.job = found.job;
      return { data: found, summary: `run ${found.run_id} of ${found.job}: ${found.state}${found.result ? ` ${found.result}` : ''}` };
    },
  });

  return [runJob, getRun] as const;
}
