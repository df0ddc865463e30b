import { pino, type Logger, type LoggerOptions } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import type { LogConfig } from './config.js';

export type { Logger } from 'pino';

/** Field names whose values never reach a log line, at any of the first three levels of nesting. */
export const REDACTED_KEYS = ['token', 'password', 'secret', 'client_secret', 'clientSecret', 'api_key', 'apiKey', 'authorization', 'Authorization'];

const REDACT_PATHS = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers.${k}`]);

export interface CreateLoggerOptions extends Partial<LogConfig> {
  /** Fields on every line, e.g. `{ target: 'local', run_id }`. Child loggers add job/task ids. */
  readonly base?: Record<string, unknown>;
  /** Where lines go (default: stderr, so stdout stays clean for command output). */
  readonly destination?: NodeJS.WritableStream;
  /** Whether the destination is a terminal (default: `process.stderr.isTTY`). */
  readonly isTTY?: boolean;
}

/**
 * A pino logger: JSON lines (`time`, `level`, `event`, target, run/job/task ids via
 * `logger.child({ job, task })`) with secret fields redacted; human-readable output only when
 * writing to a terminal (or `LOG_FORMAT=pretty`).
 *
 * @example
 * const log = createLogger({ level: 'info', base: { target: 'local', run_id } });
 * log.child({ job: 'bir_etl', task: 'silver_moves' }).info({ event: 'task.finished', rows: 1200 });
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const format = options.format ?? 'auto';
  const isTTY = options.isTTY ?? Boolean(process.stderr.isTTY);
  const pretty = format === 'pretty' || (format === 'auto' && isTTY);
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: options.base ?? {},
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  const destination = options.destination ?? process.stderr;
  if (pretty) {
    return pino(loggerOptions, prettyStream({ destination, colorize: isTTY, sync: true, ignore: 'pid,hostname', messageKey: 'msg' }));
  }
  return pino(loggerOptions, destination);
}
