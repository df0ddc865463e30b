import { fileURLToPath } from 'node:url';
import { loadConfig, type PlatformConfig } from '@odoo-ce/common';
import type { JobsApiClient } from '@odoo-ce/bundle';
import { openWarehouse, type Warehouse } from '@odoo-ce/warehouse';
import { jobsApiFromEnv } from './ops/jobs-api-auth.js';

/** The repository root (apps/deploy/src → ../../..): databricks/, terraform/ and dist/ live there. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** What commands need from the outside world; tests pass their own. */
export interface DeployContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Repository root: `databricks/…` paths resolve against it. */
  readonly repoRoot: string;
  /** Command output (plans, tables, JSON). */
  print(text: string): void;
  loadConfig(target: string, dataDir?: string): PlatformConfig;
  openWarehouse(target: string, dataDir?: string): Promise<Warehouse>;
  /** The workspace's Jobs API (DATABRICKS_HOST with a token or an OAuth M2M secret), for `smoke` on Databricks targets. */
  jobsApi(): Promise<JobsApiClient>;
}

/** Commands fail with {@link CliExit} (one line, own exit code); it lives in @odoo-ce/common. */
export { CliExit } from '@odoo-ce/common';

export function defaultContext(overrides: Partial<Pick<DeployContext, 'env' | 'cwd' | 'print' | 'repoRoot' | 'jobsApi'>> = {}): DeployContext {
  const env = overrides.env ?? process.env;
  const cwd = overrides.cwd ?? process.cwd();
  const ctx: DeployContext = {
    env,
    cwd,
    repoRoot: overrides.repoRoot ?? REPO_ROOT,
    print: overrides.print ?? ((text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)),
    loadConfig: (target, dataDir) => loadConfig({ env, cwd, target, ...(dataDir !== undefined ? { dataDir } : {}) }),
    openWarehouse: async (target, dataDir) => openWarehouse(ctx.loadConfig(target, dataDir).target),
    jobsApi: overrides.jobsApi ?? (() => jobsApiFromEnv(env)),
  };
  return ctx;
}
