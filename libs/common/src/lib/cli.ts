import { errorMessage } from './errors.js';

/**
 * Pieces every CLI of the platform (etl, deploy, databricks-mcp-server) shares: a failure with its
 * own exit code, the one-line error report (never a stack trace unless DEBUG is set), and waiting
 * for Ctrl-C / SIGTERM in long-running `serve` commands.
 */

/** A failure that ends the command with a given exit code and a one-line message, no stack. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Prints a command's failure as one line (`error: [CODE] message`) and returns its exit code:
 * a {@link CliExit}'s own, else 1. With `DEBUG` set in `env` the stack follows.
 */
export function reportCliFailure(error: unknown, stderr: (text: string) => void, env: Readonly<Record<string, string | undefined>>): number {
  if (error instanceof CliExit) {
    if (error.message) stderr(`error: ${error.message}\n`);
    return error.exitCode;
  }
  stderr(`error: ${errorMessage(error)}\n`);
  if (env['DEBUG'] && error instanceof Error && error.stack) stderr(`${error.stack}\n`);
  return 1;
}

/** Resolves on the first SIGINT or SIGTERM (and stops listening, so a second one kills as usual). */
export function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
