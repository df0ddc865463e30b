import type { Logger } from '@odoo-ce/common';
import type { Warehouse } from '@odoo-ce/warehouse';
import type { AccessControl } from './access.js';
import type { JobsBackend } from './jobs.js';
import type { RateLimiter } from './rate-limit.js';

/** Operator limits: the agent may ask for less, never for more. */
export interface ServerLimits {
  /** Rows per `execute_sql` page (default 100). */
  readonly maxRows: number;
  /** Statement timeout when the agent gives none (default 30 s). */
  readonly defaultTimeoutMs: number;
  /** The longest timeout an agent may ask for (default 120 s). */
  readonly maxTimeoutMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = Object.freeze({ maxRows: 100, defaultTimeoutMs: 30_000, maxTimeoutMs: 120_000 });

/** Everything the tools share across sessions; one per server process. */
export interface ServerContext {
  readonly warehouse: Warehouse;
  readonly access: AccessControl;
  readonly jobs: JobsBackend;
  readonly logger: Logger;
  readonly limits: ServerLimits;
  readonly rateLimiter: RateLimiter | undefined;
}
