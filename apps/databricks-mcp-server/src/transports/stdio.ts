import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/**
 * Serves one MCP server over stdin/stdout until the client closes stdin (or a signal arrives).
 * stdout carries only protocol messages: logs go to stderr.
 */
export async function serveStdio(server: McpServer, streams: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {}): Promise<void> {
  const transport = new StdioServerTransport(streams.stdin as never, streams.stdout as never);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  const stdin = streams.stdin ?? process.stdin;
  const ended = new Promise<void>((resolve) => stdin.once('end', () => resolve()));
  await Promise.race([closed, ended]);
  await server.close();
}
