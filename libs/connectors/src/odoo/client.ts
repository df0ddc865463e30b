import { parseRetryAfter, retry, type Logger } from '@odoo-ce/common';
import { codeForOdooException, OdooRpcError } from './errors.js';

/** `jsonrpc` = `/jsonrpc` (Odoo 16–18, deprecated in 19); `json2` = `/json/2/<model>/<method>` (Odoo 19+). */
export type OdooProtocol = 'jsonrpc' | 'json2';

/** A domain in Odoo's prefix notation: terms `[field, op, value]` and the operators `&`, `|`, `!`. */
export type OdooDomain = readonly (string | readonly [string | number, string, unknown])[];

/** Context keys the extractor pins. */
export interface OdooContext {
  readonly lang?: string;
  readonly tz?: string;
  readonly active_test?: boolean;
  readonly [key: string]: unknown;
}

/** A record as `search_read` returns it. */
export type OdooRecord = Record<string, unknown> & { readonly id: number };

export interface OdooClientConfig {
  /** Base URL, e.g. `https://odoo.example.ph` (no trailing path). */
  readonly url: string;
  readonly db: string;
  /** Login of the bot user (JSON-RPC authenticate). */
  readonly username: string;
  /** API key (or password). Never logged nor put in an error. */
  readonly apiKey: string;
  readonly protocol?: OdooProtocol;
  /** Per-request timeout (default 30 000 ms). */
  readonly timeoutMs?: number;
  /** Attempts per call including the first (default 5). */
  readonly maxAttempts?: number;
  /** First backoff window in ms (default 200). */
  readonly baseDelayMs?: number;
  /** Cap of any single wait (default 30 000 ms). */
  readonly maxDelayMs?: number;
  /** Default context for every call (default `{lang: 'en_US', tz: 'UTC'}`). */
  readonly context?: OdooContext;
  readonly userAgent?: string;
  readonly logger?: Logger;
  /** Injected for tests. */
  readonly fetch?: typeof fetch;
}

export interface SearchReadOptions {
  readonly fields?: readonly string[];
  readonly offset?: number;
  readonly limit?: number;
  readonly order?: string;
  readonly context?: OdooContext;
  readonly signal?: AbortSignal;
}

/** `common.version` / `GET /web/version`. */
export interface OdooVersion {
  readonly serverVersion: string;
  readonly versionInfo: readonly unknown[];
}

/** Counts of what went over the wire, for benchmarks and tests. */
export interface OdooClientStats {
  requests: number;
  retries: number;
  reauthentications: number;
}

/**
 * A client for Odoo's external API over JSON-RPC (`/jsonrpc`) or JSON-2 (`/json/2`), with API-key
 * auth, per-request timeouts and retries (backoff + jitter, Retry-After) on transport errors,
 * timeouts, 5xx, 429 and session expiry (re-authenticates once). Odoo business and ACL errors
 * (AccessDenied, AccessError, ValidationError, MissingError, UserError) are never retried: they
 * surface as {@link OdooRpcError} with Odoo's `data.name` and message.
 *
 * @example
 * const odoo = new OdooClient({ url, db: 'prod', username: 'etl-bot@example.ph', apiKey });
 * const rows = await odoo.searchRead('account.move', [['state', '=', 'posted']], { fields: ['name'], limit: 500, order: 'id asc' });
 */
export class OdooClient {
  readonly protocol: OdooProtocol;
  readonly stats: OdooClientStats = { requests: 0, retries: 0, reauthentications: 0 };
  readonly #config: OdooClientConfig;
  readonly #base: string;
  readonly #fetch: typeof fetch;
  #uid: number | undefined;
  #auth: Promise<number> | undefined;
  #rpcId = 0;

  constructor(config: OdooClientConfig) {
    this.#config = config;
    this.protocol = config.protocol ?? 'jsonrpc';
    this.#base = config.url.replace(/\/+$/, '');
    this.#fetch = config.fetch ?? globalThis.fetch;
  }

  /** The uid once authenticated (JSON-RPC only). */
  get uid(): number | undefined {
    return this.#uid;
  }

  /** The base URL and database, safe to log. */
  describe(): string {
    return `${this.#base} (db ${this.#config.db}, ${this.protocol})`;
  }

  /** Server version. Odoo: `common.version()` (JSON-RPC) or `GET /web/version` (JSON-2). */
  async version(signal?: AbortSignal): Promise<OdooVersion> {
    if (this.protocol === 'json2') {
      const body = (await this.#withRetry(() => this.#http('GET', '/web/version', undefined, signal), signal)) as { version?: string; version_info?: unknown[] };
      return { serverVersion: String(body.version ?? ''), versionInfo: body.version_info ?? [] };
    }
    // Odoo: common.version()
    const result = (await this.#withRetry(() => this.#jsonrpc('common', 'version', [], signal), signal)) as { server_version?: string; server_version_info?: unknown[] };
    return { serverVersion: String(result.server_version ?? ''), versionInfo: result.server_version_info ?? [] };
  }

  /**
   * Authenticates and caches the uid. Odoo: `common.authenticate(db, login, key, {})` — `false`
   * means bad credentials → AUTH_FAILED. JSON-2 needs no login step (bearer key per request):
   * it checks the key with `res.users/context_get` instead.
   */
  async authenticate(signal?: AbortSignal): Promise<number> {
    if (this.protocol === 'json2') {
      // Odoo: POST /json/2/res.users/context_get
      const ctx = (await this.#withRetry(() => this.#http('POST', '/json/2/res.users/context_get', {}, signal), signal)) as { uid?: number } | null;
      this.#uid = typeof ctx?.uid === 'number' ? ctx.uid : 0;
      return this.#uid;
    }
    this.#auth ??= this.#withRetry(async () => {
      // Odoo: common.authenticate(db, login, api_key, {})
      const uid = await this.#jsonrpc('common', 'authenticate', [this.#config.db, this.#config.username, this.#config.apiKey, {}], signal);
      if (typeof uid !== 'number' || uid <= 0) {
        throw new OdooRpcError('AUTH_FAILED', `Odoo at ${this.#base} rejected the credentials of user "${this.#config.username}" on database "${this.#config.db}" (authenticate returned false): check ODOO_DB, ODOO_USERNAME and ODOO_API_KEY`);
      }
      return uid;
    }, signal).finally(() => {
      this.#auth = undefined;
    });
    this.#uid = await this.#auth;
    return this.#uid;
  }

  /** Odoo: `object.execute_kw(model, 'search_read', [], {domain, fields, offset, limit, order, context})`. */
  async searchRead(model: string, domain: OdooDomain, options: SearchReadOptions = {}): Promise<OdooRecord[]> {
    const kwargs: Record<string, unknown> = { domain, fields: options.fields ?? [] };
    if (options.offset !== undefined) kwargs['offset'] = options.offset;
    if (options.limit !== undefined) kwargs['limit'] = options.limit;
    if (options.order !== undefined) kwargs['order'] = options.order;
    const result = await this.call(model, 'search_read', [], kwargs, options);
    if (!Array.isArray(result)) throw new OdooRpcError('BAD_RESPONSE', `search_read on ${model} returned ${typeof result}, expected an array`);
    return result as OdooRecord[];
  }

  /** Odoo: `object.execute_kw(model, 'search', [], {domain, offset, limit, order, context})` → ids. */
  async search(model: string, domain: OdooDomain, options: Omit<SearchReadOptions, 'fields'> = {}): Promise<number[]> {
    const kwargs: Record<string, unknown> = { domain };
    if (options.offset !== undefined) kwargs['offset'] = options.offset;
    if (options.limit !== undefined) kwargs['limit'] = options.limit;
    if (options.order !== undefined) kwargs['order'] = options.order;
    const result = await this.call(model, 'search', [], kwargs, options);
    if (!Array.isArray(result) || !result.every((id) => typeof id === 'number')) throw new OdooRpcError('BAD_RESPONSE', `search on ${model} did not return a list of ids`);
    return result as number[];
  }

  /** Odoo: `object.execute_kw(model, 'search_count', [], {domain, context})`. */
  async searchCount(model: string, domain: OdooDomain, options: { context?: OdooContext; signal?: AbortSignal } = {}): Promise<number> {
    const result = await this.call(model, 'search_count', [], { domain }, options);
    if (typeof result !== 'number') throw new OdooRpcError('BAD_RESPONSE', `search_count on ${model} returned ${typeof result}, expected a number`);
    return result;
  }

  /** Odoo: `object.execute_kw(model, 'read', [ids], {fields, context})`. */
  async read(model: string, ids: readonly number[], options: { fields?: readonly string[]; context?: OdooContext; signal?: AbortSignal } = {}): Promise<OdooRecord[]> {
    const result = await this.call(model, 'read', [ids], { fields: options.fields ?? [] }, { ...options, ids });
    if (!Array.isArray(result)) throw new OdooRpcError('BAD_RESPONSE', `read on ${model} returned ${typeof result}, expected an array`);
    return result as OdooRecord[];
  }

  /** Odoo: `object.execute_kw(model, 'fields_get', [], {attributes, context})`. */
  async fieldsGet(model: string, options: { attributes?: readonly string[]; context?: OdooContext; signal?: AbortSignal } = {}): Promise<Record<string, Record<string, unknown>>> {
    const result = await this.call(model, 'fields_get', [], { attributes: options.attributes ?? ['type', 'string', 'relation', 'store'] }, options);
    if (result === null || typeof result !== 'object' || Array.isArray(result)) throw new OdooRpcError('BAD_RESPONSE', `fields_get on ${model} did not return an object`);
    return result as Record<string, Record<string, unknown>>;
  }

  /**
   * Any model method with positional `args` and keyword `kwargs` (`context` merged over the
   * client's default). JSON-RPC: `object.execute_kw(db, uid, key, model, method, args, kwargs)`;
   * JSON-2: `POST /json/2/<model>/<method>` with the named arguments (record ids as `ids`).
   */
  async call(model: string, method: string, args: readonly unknown[], kwargs: Record<string, unknown>, options: { context?: OdooContext; signal?: AbortSignal; ids?: readonly number[] } = {}): Promise<unknown> {
    const context = { lang: 'en_US', tz: 'UTC', ...this.#config.context, ...options.context };
    const signal = options.signal;
    if (this.protocol === 'json2') {
      const body = { ...kwargs, ...(options.ids ? { ids: options.ids } : {}), context };
      return this.#withRetry(() => this.#http('POST', `/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, body, signal), signal);
    }
    let reauthenticated = false;
    return this.#withRetry(async () => {
      const uid = this.#uid ?? (await this.authenticate(signal));
      try {
        // Odoo: object.execute_kw(db, uid, key, model, method, args, kwargs)
        return await this.#jsonrpc('object', 'execute_kw', [this.#config.db, uid, this.#config.apiKey, model, method, args, { ...kwargs, context }], signal);
      } catch (error) {
        if (error instanceof OdooRpcError && error.code === 'SESSION_EXPIRED' && reauthenticated) {
          throw new OdooRpcError('AUTH_FAILED', `Odoo ${model}.${method}: the session expired again right after re-authenticating`, { cause: error });
        }
        if (error instanceof OdooRpcError && error.code === 'SESSION_EXPIRED') {
          reauthenticated = true;
          this.#uid = undefined;
          this.stats.reauthentications++;
          this.#config.logger?.warn({ event: 'odoo.session_expired', model, method }, 'Odoo session expired; re-authenticating once');
          await this.authenticate(signal);
        }
        throw error;
      }
    }, signal);
  }

  async #withRetry<T>(fn: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return retry(fn, {
      maxAttempts: this.#config.maxAttempts ?? 5,
      baseDelayMs: this.#config.baseDelayMs ?? 200,
      maxDelayMs: this.#config.maxDelayMs ?? 30_000,
      isRetryable: (error) => error instanceof OdooRpcError && error.retryable,
      retryAfterMs: (error) => (error instanceof OdooRpcError ? error.retryAfterMs : undefined),
      ...(signal ? { signal } : {}),
      onRetry: ({ error, attempt, delayMs }) => {
        this.stats.retries++;
        this.#config.logger?.warn({ event: 'odoo.retry', attempt, delayMs, code: error instanceof OdooRpcError ? error.code : undefined, error: error instanceof Error ? error.message : String(error) }, 'retrying Odoo call');
      },
    });
  }

  async #jsonrpc(service: string, method: string, args: readonly unknown[], signal: AbortSignal | undefined): Promise<unknown> {
    const id = ++this.#rpcId;
    const body = (await this.#http('POST', '/jsonrpc', { jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }, signal)) as Record<string, unknown> | null;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new OdooRpcError('BAD_RESPONSE', `Odoo ${service}.${method} answered with a body that is not a JSON-RPC envelope`);
    const error = body['error'] as { code?: number; message?: string; data?: { name?: string; message?: string } } | undefined;
    if (error) {
      const name = error.data?.name;
      const code = error.code === 100 ? 'SESSION_EXPIRED' : error.code === 404 ? 'SERVER_ERROR' : codeForOdooException(name);
      const odooMessage = error.data?.message ?? error.message ?? '';
      const what = service === 'object' ? `${String(args[3])}.${String(args[4])}` : `${service}.${method}`;
      throw new OdooRpcError(code, `Odoo ${what} failed: ${name ?? error.message ?? 'error'}: ${odooMessage}`, {
        ...(name ? { odooName: name } : {}),
        odooMessage,
        data: { rpcCode: error.code },
      });
    }
    return body['result'] ?? null; // a method returning None has no `result` key
  }

  async #http(verb: 'GET' | 'POST', path: string, payload: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const timeoutMs = this.#config.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': this.#config.userAgent ?? 'odoo-ce-etl/1.0' };
    if (this.protocol === 'json2') {
      headers['Authorization'] = `bearer ${this.#config.apiKey}`;
      headers['X-Odoo-Database'] = this.#config.db;
    }
    this.stats.requests++;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#base}${path}`, { method: verb, headers, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}), signal: combined });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw new OdooRpcError('TIMEOUT', `Odoo ${path} did not answer within ${timeoutMs} ms`, { cause: error });
      throw new OdooRpcError('NETWORK_ERROR', `cannot reach Odoo at ${this.#base}${path}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`, { cause: error });
    }
    let body: unknown;
    let parsed = true;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      throw new OdooRpcError('RATE_LIMITED', `Odoo ${path} answered HTTP 429 (rate limited)`, { status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    }
    if (response.status >= 400) {
      const err = parsed && body && typeof body === 'object' ? (body as { name?: string; message?: string }) : {};
      if (this.protocol === 'json2' && err.name && response.status < 500) {
        throw new OdooRpcError(codeForOdooException(err.name), `Odoo ${path} failed (HTTP ${response.status}): ${err.name}: ${err.message ?? ''}`, {
          odooName: err.name, odooMessage: err.message ?? '', status: response.status,
        });
      }
      if (this.protocol === 'json2' && err.name && codeForOdooException(err.name) !== 'SERVER_ERROR') {
        throw new OdooRpcError(codeForOdooException(err.name), `Odoo ${path} failed (HTTP ${response.status}): ${err.name}: ${err.message ?? ''}`, { odooName: err.name, odooMessage: err.message ?? '', status: response.status });
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      const code = response.status >= 500 ? 'HTTP_ERROR' : response.status === 401 || response.status === 403 ? 'ACCESS_DENIED' : 'SERVER_ERROR';
      throw new OdooRpcError(code, `Odoo ${path} answered HTTP ${response.status}${err.name ? ` (${err.name}: ${err.message ?? ''})` : `: ${text.slice(0, 200)}`}`, {
        status: response.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), ...(err.name ? { odooName: err.name, odooMessage: err.message ?? '' } : {}),
      });
    }
    if (!parsed) throw new OdooRpcError('BAD_RESPONSE', `Odoo ${path} answered HTTP ${response.status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 80))}`, { status: response.status });
    return body;
  }
}
