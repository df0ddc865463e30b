import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { McpToolError } from './errors.js';

/**
 * Bearer tokens → principals, for the HTTP transport. Tokens are kept only as sha256 digests and
 * compared in constant time; they are never logged or echoed in errors.
 */
export class TokenMap {
  readonly #byDigest = new Map<string, { digest: Buffer; principal: string }>();

  constructor(entries: Readonly<Record<string, string>>) {
    for (const [token, principal] of Object.entries(entries)) {
      const digest = sha256(token);
      this.#byDigest.set(digest.toString('hex'), { digest, principal });
    }
  }

  get size(): number {
    return this.#byDigest.size;
  }

  /** The distinct principals tokens map to (to check them against the policy at start). */
  principals(): string[] {
    return [...new Set([...this.#byDigest.values()].map((e) => e.principal))].sort();
  }

  /**
   * The principal a token maps to, or undefined. The digest is compared with every configured
   * digest by `timingSafeEqual` (no early exit, no hash-map lookup), so the time taken does not
   * depend on how much of a guess matches.
   */
  principalFor(token: string): string | undefined {
    const digest = sha256(token);
    let found: string | undefined;
    for (const entry of this.#byDigest.values()) if (timingSafeEqual(entry.digest, digest)) found ??= entry.principal;
    return found;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

const principalName = z.string().min(1).max(200).regex(/^[A-Za-z0-9_.@-]+$/, 'a principal name: letters, digits, _ . @ -');

/**
 * Reads the token map from `MCP_TOKENS` (a JSON object `{"<token>": "<principal>"}`) or from the
 * file named by `MCP_TOKENS_FILE` (the same JSON). Errors name the variable and what is wrong,
 * never a token's value.
 */
export function loadTokens(env: Readonly<Record<string, string | undefined>>): TokenMap | undefined {
  const inline = env['MCP_TOKENS'];
  const file = env['MCP_TOKENS_FILE'];
  if (inline === undefined && file === undefined) return undefined;
  const source = inline !== undefined ? 'MCP_TOKENS' : `MCP_TOKENS_FILE (${file})`;
  let text: string;
  try {
    text = inline ?? readFileSync(file as string, 'utf8');
  } catch (error) {
    throw new McpToolError('INVALID_ARGUMENT', `${source}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new McpToolError('INVALID_ARGUMENT', `${source}: expected a JSON object {"<token>": "<principal>"}, got text that is not JSON`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new McpToolError('INVALID_ARGUMENT', `${source}: expected a JSON object {"<token>": "<principal>"}`);
  const entries = Object.entries(json as Record<string, unknown>);
  if (entries.length === 0) throw new McpToolError('INVALID_ARGUMENT', `${source}: expected at least one token`);
  for (const [index, [token, principal]] of entries.entries()) {
    if (token.length < 16) throw new McpToolError('INVALID_ARGUMENT', `${source}: entry #${index + 1}: expected a token of at least 16 characters`);
    const checked = principalName.safeParse(principal);
    if (!checked.success) throw new McpToolError('INVALID_ARGUMENT', `${source}: entry #${index + 1}: principal = ${JSON.stringify(principal)}: expected ${checked.error.issues[0]?.message ?? 'a principal name'}`);
  }
  return new TokenMap(Object.fromEntries(entries) as Record<string, string>);
}
