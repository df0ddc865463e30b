import { PlatformError } from '@odoo-ce/common';

/** Codes of {@link DeployError}; callers branch on these, never on message text. */
export type DeployErrorCode =
  /** The bundle failed validation (zod model, official schema or cross-checks); `data.problems` lists them. */
  | 'BUNDLE_INVALID'
  /** The official bundle JSON schema could not be found or read. */
  | 'SCHEMA_UNAVAILABLE'
  /** A cluster policy or cluster configuration breaks the policy definition rules. */
  | 'POLICY_INVALID'
  /** A migration file is misnamed, duplicated, or an applied one changed or disappeared. */
  | 'MIGRATION_REFUSED'
  /** A migration failed while running (the ledger is not advanced past it). */
  | 'MIGRATION_FAILED'
  /** `smoke` found an empty gold table or a failed data-quality run. */
  | 'SMOKE_FAILED'
  /** A deploy-time input (file, option) is missing or malformed. */
  | 'INVALID_INPUT'
  /** The `odoo_ce_tasks` wheel a job installs has not been built (`npx nx run databricks-tasks:wheel`). */
  | 'WHEEL_MISSING';

/**
 * Every failure of the deploy tool that is the user's to fix. Messages name the file (and line
 * where known), the bad value and what was expected; the CLI prints `[CODE] message`, no stack.
 */
export class DeployError extends PlatformError<DeployErrorCode> {}
