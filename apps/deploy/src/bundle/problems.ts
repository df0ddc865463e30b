import { formatLocation, type SourceLocation } from '@odoo-ce/bundle';

/** Which check found a problem. */
export type CheckName = 'model' | 'schema' | 'sql-file' | 'sql-render' | 'dag' | 'variables' | 'schedule' | 'wheel';

/** One validation finding: what is wrong, where (file:line:col when known) and which check saw it. */
export interface Problem {
  readonly check: CheckName;
  readonly message: string;
  readonly location?: SourceLocation;
}

const LOCATED = /^([^\s:]+\.(?:ya?ml|json)):(\d+):(\d+): ([\s\S]*)$/;

/** A problem from a message that may start with `file:line:col: ` (the bundle lib's format). */
export function problemFromText(check: CheckName, text: string, fallback?: SourceLocation): Problem {
  const match = LOCATED.exec(text.trim());
  if (match) {
    return { check, message: match[4] as string, location: { file: match[1] as string, line: Number(match[2]), column: Number(match[3]) } };
  }
  return { check, message: text.trim(), ...(fallback ? { location: fallback } : {}) };
}

/** `resources/jobs.yml:12:7: [schema] message` — the first thing on the line is where to look. */
export function formatProblem(problem: Problem): string {
  const where = formatLocation(problem.location);
  return `${where ? `${where}: ` : ''}[${problem.check}] ${problem.message}`;
}
