import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { AuditDetails, AuditRecord } from './audit.js';
import { McpToolError, toToolError } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

/** What a tool handler knows about the call it serves. */
export interface ToolCall {
  readonly principal: string;
  readonly sessionId: string | undefined;
  /** Aborted when the client cancels or the connection closes; pass it to every warehouse call. */
  readonly signal: AbortSignal;
  /** Filled in by the handler; written to the audit line whatever the outcome. */
  readonly audit: AuditDetails;
}

/** A tool's successful result: the structured data and a short human-readable line. */
export interface ToolResult<T> {
  readonly data: T;
  /** A one-line summary shown before the JSON copy of `data` in the text content. */
  readonly summary: string;
}

/** One tool: schemas, hints, and a handler that throws {@link McpToolError} for expected failures. */
export interface ToolDefinition<I extends z.ZodObject, O extends z.ZodObject> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotations;
  run(args: z.infer<I>, call: ToolCall): Promise<ToolResult<z.infer<O>>>;
}

/** Defines a tool with its types inferred from the schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(definition: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return definition;
}

/** What every call goes through: who calls, the budget, the audit sink, the error log. */
export interface ToolPlumbing {
  /** The principal of this server instance (one per session). */
  readonly principal: string;
  readonly rateLimiter: RateLimiter | undefined;
  readonly audit: (record: AuditRecord) => void;
  /** Unexpected errors, with their stack, for the operator (never sent to the client). */
  readonly logError: (tool: string, error: unknown) => void;
  readonly now?: () => number;
}

/**
 * Registers `tool` on `server`, wrapped so that every call is rate-limited, audited exactly once,
 * and answered either with `structuredContent` + a text copy, or with an `isError` result whose
 * text is `[CODE] message` — never a stack trace or a raw driver message.
 */
export function registerTool<I extends z.ZodObject, O extends z.ZodObject>(server: McpServer, tool: ToolDefinition<I, O>, plumbing: ToolPlumbing): void {
  const now = plumbing.now ?? (() => performance.now());
  const handler = async (args: z.infer<I>, extra: { signal: AbortSignal; sessionId?: string }): Promise<CallToolResult> => {
    const started = now();
    const call: ToolCall = { principal: plumbing.principal, sessionId: extra.sessionId, signal: extra.signal, audit: {} };
    const finish = (outcome: AuditRecord['outcome'], code?: string) => {
      const ms = Math.round((now() - started) * 100) / 100;
      plumbing.audit({ ...call.audit, principal: call.principal, sessionId: call.sessionId, tool: tool.name, ms, outcome, ...(code ? { code } : {}) });
      // Failures also go to the client's log (MCP logging, filtered by `logging/setLevel`): no
      // statement, no values. Successful calls send nothing extra, to keep the hot path lean.
      if (outcome !== 'ok') {
        void server
          .sendLoggingMessage({ level: 'warning', logger: 'audit', data: { tool: tool.name, outcome, ...(code ? { code } : {}), ms } }, call.sessionId)
          .catch(() => undefined);
      }
    };
    const budget = plumbing.rateLimiter?.take(plumbing.principal);
    if (budget && !budget.allowed) {
      finish('rate_limited', 'RATE_LIMITED');
      return errorResult(new McpToolError('RATE_LIMITED', `rate limit exceeded for ${plumbing.principal}; retry in ${Math.ceil(budget.retryAfterMs / 1000)} s`));
    }
    try {
      const result = await tool.run(args, call);
      finish('ok');
      return {
        content: [{ type: 'text', text: `${result.summary}\n${JSON.stringify(result.data)}` }],
        structuredContent: result.data as Record<string, unknown>,
      };
    } catch (error) {
      const safe = toToolError(error);
      if (safe.code === 'INTERNAL' || safe.code === 'UNAVAILABLE') plumbing.logError(tool.name, error);
      finish(safe.code === 'REFUSED' ? 'refused' : 'error', safe.code);
      return errorResult(safe);
    }
  };
  server.registerTool(
    tool.name,
    { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: tool.annotations },
    handler as never,
  );
}

function errorResult(error: McpToolError): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: error.toUserMessage() }] };
}
