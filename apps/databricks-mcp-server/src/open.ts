import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleError, JobsApiClient, loadBundle, type Bundle } from '@odoo-ce/bundle';
import { GRANTS_TABLE, loadPolicy } from '@odoo-ce/catalog';
import { createLogger, loadConfig, type Logger } from '@odoo-ce/common';
import { loadSuites, qualityGates } from '@odoo-ce/data-quality';
import { openWarehouse, opsTableExists, type Warehouse } from '@odoo-ce/warehouse';
import { CatalogAccess, type GrantsSource } from './catalog-access.js';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.js';
import { DatabricksJobs, LocalJobs, type JobsBackend } from './jobs.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';

/** The repository root (src → ../../..): databricks/ lives there. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface OpenOptions {
  /** Platform target: local, dev, staging, prod (default $ETL_TARGET, else local). */
  readonly target?: string;
  /** DuckDB data directory (default $ETL_DATA_DIR, else .data/<target>). */
  readonly dataDir?: string;
  readonly grants?: GrantsSource;
  /** databricks/catalog (the policy files). */
  readonly policyDir?: string;
  /** databricks/bundles (the jobs). */
  readonly bundleDir?: string;
  readonly qualityDir?: string;
  readonly limits?: Partial<ServerLimits>;
  readonly rateLimit?: RateLimit;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Overrides the logger (tests); default pino on stderr with the target's LOG_LEVEL. */
  readonly logger?: Logger;
  /** Overrides the Jobs API client of a Databricks target (tests: the stand-in). */
  readonly jobsApi?: JobsApiClient;
}

/** A context plus what closes it. */
export interface OpenedContext extends ServerContext {
  readonly target: string;
  readonly grantsSource: GrantsSource;
  close(): Promise<void>;
}

/**
 * Opens everything the server needs for a target, with the etl CLI's conventions (config from the
 * environment and `.env`, ETL_DATA_DIR or `.data/<target>`): the warehouse, the policy and the
 * grants (ops table on DuckDB, Unity Catalog on Databricks), the bundle's jobs (local runner or the
 * Jobs API), the limits and the rate limiter.
 */
export async function openServerContext(options: OpenOptions = {}): Promise<OpenedContext> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const config = loadConfig({ env, cwd, ...(options.target !== undefined ? { target: options.target } : {}), ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}) });
  const target = config.target.name;
  const logger = options.logger ?? createLogger({ ...config.log, base: { service: 'databricks-mcp-server', target } });
  const policy = await loadPolicy(options.policyDir ?? join(REPO_ROOT, 'databricks', 'catalog'));
  const warehouse = await openWarehouse(config.target);
  try {
    const local = config.target.warehouse.engine === 'duckdb';
    const grantsSource = options.grants ?? (local ? await localGrantsSource(warehouse) : 'unity-catalog');
    const access = new CatalogAccess({ warehouse, policy, source: grantsSource });
    const bundle = memo(() => loadBundleFor(options.bundleDir ?? join(REPO_ROOT, 'databricks', 'bundles'), target, env));
    const jobs: JobsBackend = local
      ? new LocalJobs(warehouse, bundle, { target, logger, afterTask: gatesFor(warehouse, options.qualityDir ?? join(REPO_ROOT, 'databricks', 'quality')) })
      : new DatabricksJobs(options.jobsApi ?? (() => JobsApiClient.fromEnv(env)), bundle);
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    return {
      target,
      grantsSource,
      warehouse,
      access,
      jobs,
      logger,
      limits,
      rateLimiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
      close: async () => {
        await jobs.close();
        await warehouse.close();
      },
    };
  } catch (error) {
    await warehouse.close();
    throw error;
  }
}

/**
 * DuckDB targets: `<ops>.grants` once grants have been applied there (the table exists), else the
 * policy files — so a fresh local target is governed by databricks/catalog/grants.yml, not closed.
 */
async function localGrantsSource(warehouse: Warehouse): Promise<GrantsSource> {
  return (await opsTableExists(warehouse, GRANTS_TABLE)) ? 'ops' : 'policy';
}

/** The bundle target named like the platform target, else the bundle's default (as `etl run` does). */
async function loadBundleFor(root: string, target: string, env: Readonly<Record<string, string | undefined>>): Promise<Bundle> {
  try {
    return await loadBundle(root, { target, env });
  } catch (error) {
    if (error instanceof BundleError && error.code === 'UNKNOWN_TARGET') return loadBundle(root, { env });
    throw error;
  }
}

/** The data-quality gates run after tasks, like `etl run` (suites loaded once, on first use). */
function gatesFor(warehouse: Warehouse, dir: string) {
  const suites = memo(() => loadSuites(dir));
  return async (context: Parameters<ReturnType<typeof qualityGates>>[0]) => qualityGates(warehouse, await suites())(context);
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= fn().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}
