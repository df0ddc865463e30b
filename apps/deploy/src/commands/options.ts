import { InvalidArgumentError, type Command } from 'commander';
import { TARGETS } from '@odoo-ce/common';

/** The Databricks targets the deploy tool knows: the platform's targets but `local` (the etl CLI's). */
export const DEPLOY_TARGETS: readonly string[] = TARGETS.filter((t) => t !== 'local');

/** `-t, --target <target>` on a command; `local` is accepted where the command runs SQL. */
export function targetOption(command: Command, allowLocal = false): Command {
  const allowed: readonly string[] = allowLocal ? TARGETS : DEPLOY_TARGETS;
  return command.requiredOption('-t, --target <target>', `deployment target: ${allowed.join(', ')}`, (value: string) => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`--target must be one of ${allowed.join(', ')}, got "${value}"`);
    return value;
  });
}

/** Collects repeatable `--var name=value` pairs into an object, naming the option in errors. */
export function collectPair(option: string): (value: string, previous: Record<string, string>) => Record<string, string> {
  return (value, previous) => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`${option} expects name=value, got "${value}"`);
    return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
  };
}
