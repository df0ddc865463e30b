import { PlatformError } from '@odoo-ce/common';

/** Codes of {@link JobsApiError}; the Databricks `error_code` is kept in `data.errorCode`. */
export type JobsApiErrorCode =
  /** 404 RESOURCE_DOES_NOT_EXIST: no such job or run. */
  | 'NOT_FOUND'
  /** 400 INVALID_PARAMETER_VALUE / MALFORMED_REQUEST: the request is wrong. */
  | 'INVALID_REQUEST'
  /** 401: no or a bad token. */
  | 'UNAUTHENTICATED'
  /** 403 PERMISSION_DENIED. */
  | 'PERMISSION_DENIED'
  /** 429 after every retry. */
  | 'RATE_LIMITED'
  /** 5xx after every retry, or an answer that is not the documented JSON. */
  | 'SERVER_ERROR'
  /** The workspace could not be reached. */
  | 'NETWORK'
  /** `findJobByName` matched no job or more than one. */
  | 'JOB_NOT_FOUND'
  | 'AMBIGUOUS_JOB'
  /** The client was configured wrongly (host, token). */
  | 'INVALID_CONFIG';

/** A failed Jobs API call; the message names the call and the workspace's own explanation, never the token. */
export class JobsApiError extends PlatformError<JobsApiErrorCode> {
  /** HTTP status, when there was a response. */
  get status(): number | undefined {
    return this.data?.['status'] as number | undefined;
  }
}
