/**
 * @odoo-ce/common — the bottom of the dependency graph: configuration, logging, metrics,
 * typed errors, retry, a seeded PRNG and the CLI basics. Depends on no other workspace lib.
 */
export {
  ConfigError,
  DatabricksConnectionSchema,
  DuckDbConnectionSchema,
  LogConfigSchema,
  TARGETS,
  TargetConfigSchema,
  WarehouseConnectionSchema,
  displayValue,
  loadConfig,
  type ConfigIssue,
  type LoadConfigOptions,
  type LogConfig,
  type PlatformConfig,
  type TargetConfig,
  type TargetName,
  type WarehouseConnectionConfig,
} from './lib/config.js';
export { PlatformError, errorMessage, isPlatformError } from './lib/errors.js';
export { LAYERS, type CatalogLayout, type Layer } from './lib/layout.js';
export { REDACTED_KEYS, createLogger, type CreateLoggerOptions, type Logger } from './lib/logger.js';
export { MetricsCollector, type MetricPoint, type MetricsSink } from './lib/metrics.js';
export { fnv1a, SeededRandom } from './lib/random.js';
export { parseRetryAfter, retry, type RetryOptions } from './lib/retry.js';
export { CliExit, reportCliFailure, waitForStopSignal } from './lib/cli.js';
