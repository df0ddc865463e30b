import { createHash } from 'node:crypto';
import type { Logger } from '@odoo-ce/common';

/** How a call ended, as the audit log records it. */
export type AuditOutcome = 'ok' | 'refused' | 'error' | 'rate_limited';

/** What a tool adds to its audit line while it runs (filled in even when it fails later). */
export interface AuditDetails {
  /** sha256 of the statement text, so equal statements can be grouped without logging the SQL. */
  statementSha256?: string;
  /** Tables the statement reads, as the gate resolved them. */
  tables?: readonly string[];
  rows?: number;
  job?: string;
  runId?: string;
}

/** One audit record: exactly one per tool call. */
export interface AuditRecord extends AuditDetails {
  readonly principal: string;
  readonly sessionId: string | undefined;
  readonly tool: string;
  readonly ms: number;
  readonly outcome: AuditOutcome;
  /** The error code when the outcome is not `ok`. */
  readonly code?: string;
}

/** sha256 hex of a statement's exact text. */
export function statementHash(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Writes audit records as pino lines (`event: "mcp.tool_call"`) to the server's logger, which
 * writes to stderr: stdout belongs to the stdio transport. Never logs tokens or statement text.
 */
export function auditLogger(logger: Logger): (record: AuditRecord) => void {
  return (record) => {
    logger.info(
      {
        event: 'mcp.tool_call',
        principal: record.principal,
        session: record.sessionId ?? null,
        tool: record.tool,
        statement_sha256: record.statementSha256 ?? null,
        tables: record.tables ?? [],
        rows: record.rows ?? null,
        ...(record.job !== undefined ? { job: record.job } : {}),
        ...(record.runId !== undefined ? { run_id: record.runId } : {}),
        ms: record.ms,
        outcome: record.outcome,
        ...(record.code !== undefined ? { code: record.code } : {}),
      },
      'tool call',
    );
  };
}
