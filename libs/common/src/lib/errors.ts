/**
 * Typed errors shared by every lib. Each lib defines its own subclass with a string `code`
 * union; callers branch on `code`, never on message text.
 *
 * @example
 * throw new PlatformError('NOT_FOUND', 'table bronze.scout.tx does not exist', { data: { table } });
 */
export class PlatformError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: Code, message: string, options: { cause?: unknown; data?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.data = options.data ? Object.freeze({ ...options.data }) : undefined;
  }

  /** A one-line, user-facing description: `[CODE] message`. No stack, no cause chain. */
  toUserMessage(): string {
    return `[${this.code}] ${this.message}`;
  }
}

/** True for any error created by this platform (any lib's subclass). */
export function isPlatformError(error: unknown): error is PlatformError {
  return error instanceof PlatformError;
}

/** The message of anything thrown, without a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof PlatformError) return error.toUserMessage();
  if (error instanceof Error) return error.message;
  return String(error);
}
