export { JobsApiClient, type JobsApiClientOptions } from './client.js';
export { JobsApiError, type JobsApiErrorCode } from './errors.js';
export type { BaseJob, JobRun, RunLifeCycleState, RunNowRequest, RunNowResponse, RunResultState, RunState, RunStatus, RunStatusState, RunTask } from './types.js';
