/**
 * The logging calls the notifiers make. A pino `Logger` fits, and so does the job runner's
 * `RunLogger`, so the CLI can hand a run's logger to the notifications as is.
 */
export interface EventLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
