/**
 * Jobs API 2.2 shapes we use (platform-facts.md §2.1; field names as on the wire). Only the fields
 * the MCP server reads are typed; the rest of a response is kept as it came.
 */

/** `state.life_cycle_state` (deprecated upstream in favour of `status`, still sent). */
export type RunLifeCycleState = 'QUEUED' | 'PENDING' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'SKIPPED' | 'INTERNAL_ERROR' | 'BLOCKED' | 'WAITING_FOR_RETRY';

export type RunResultState =
  | 'SUCCESS'
  | 'FAILED'
  | 'TIMEDOUT'
  | 'CANCELED'
  | 'MAXIMUM_CONCURRENT_RUNS_REACHED'
  | 'EXCLUDED'
  | 'SUCCESS_WITH_FAILURES'
  | 'UPSTREAM_FAILED'
  | 'UPSTREAM_CANCELED'
  | 'DISABLED';

/** `status.state`: the field to poll until `TERMINATED`. */
export type RunStatusState = 'BLOCKED' | 'PENDING' | 'QUEUED' | 'RUNNING' | 'TERMINATING' | 'TERMINATED' | 'WAITING';

export interface RunState {
  readonly life_cycle_state?: RunLifeCycleState;
  readonly result_state?: RunResultState;
  readonly state_message?: string;
  readonly user_cancelled_or_timedout?: boolean;
}

export interface RunStatus {
  readonly state: RunStatusState;
  readonly termination_details?: { readonly code?: string; readonly type?: 'SUCCESS' | 'INTERNAL_ERROR' | 'CLIENT_ERROR' | 'CLOUD_FAILURE'; readonly message?: string };
}

export interface RunTask {
  readonly task_key: string;
  readonly run_id?: number;
  readonly state?: RunState;
  readonly status?: RunStatus;
  readonly start_time?: number;
  readonly end_time?: number;
}

/** `GET /api/2.2/jobs/runs/get` (tasks of every page joined). */
export interface JobRun {
  readonly job_id: number;
  readonly run_id: number;
  readonly run_name?: string;
  readonly run_page_url?: string;
  /** Epoch ms; 0 until the run starts. */
  readonly start_time?: number;
  readonly end_time?: number;
  readonly state?: RunState;
  readonly status?: RunStatus;
  readonly tasks?: readonly RunTask[];
  readonly job_parameters?: readonly { readonly name: string; readonly value?: string; readonly default?: string }[];
}

/** One entry of `GET /api/2.2/jobs/list`. */
export interface BaseJob {
  readonly job_id: number;
  readonly created_time?: number;
  readonly creator_user_name?: string;
  readonly settings?: { readonly name?: string } & Readonly<Record<string, unknown>>;
}

export interface RunNowRequest {
  readonly job_id: number;
  readonly job_parameters?: Readonly<Record<string, string>>;
  /** At most 64 characters; a second run-now with the same token returns the first run. */
  readonly idempotency_token?: string;
  readonly only?: readonly string[];
}

export interface RunNowResponse {
  readonly run_id: number;
  readonly number_in_job?: number;
}
