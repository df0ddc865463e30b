import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { domainFields, evaluateDomain, FakeOdooException, parseDomain } from './domain.js';

/** Records per model, exactly as `search_read` returns them (e.g. `generateDataset().odoo`). */
export type FakeOdooDataset = Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;

/** A fault the server injects into matching requests. */
export type FakeOdooFault =
  | { readonly kind: 'http'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'malformed-json' }
  | { readonly kind: 'session-expired' }
  | { readonly kind: 'odoo-error'; readonly name: string; readonly message: string }
  /** Answers with this result instead of running the call (`undefined`: an envelope without `result`, as for a method returning None). */
  | { readonly kind: 'result'; readonly value: unknown }
  | { readonly kind: 'hook'; readonly run: (call: FakeOdooCall, server: FakeOdooServer) => void };

/** One request as the server saw it. */
export interface FakeOdooCall {
  readonly transport: 'jsonrpc' | 'json2';
  readonly service: string;
  readonly method: string;
  readonly model?: string;
  readonly modelMethod?: string;
  readonly kwargs?: Readonly<Record<string, unknown>>;
}

export interface FakeOdooServerOptions {
  readonly dataset?: FakeOdooDataset;
  readonly db?: string;
  readonly login?: string;
  readonly apiKey?: string;
  readonly uid?: number;
  readonly serverVersion?: string;
  /** Start of the server clock used by `touch` (default: one hour after the newest write_date). */
  readonly clock?: Date;
}

interface Injected {
  fault: FakeOdooFault;
  remaining: number;
  skip: number;
  match: (call: FakeOdooCall) => boolean;
}

interface ModelState {
  readonly records: Map<number, Record<string, unknown>>;
  readonly fields: Map<string, string>;
  /**
   * Every record sorted per `order` (like the index a real Odoo's PostgreSQL uses), so a page costs
   * a scan in order that stops at offset + limit instead of a sort of the whole model. Cleared by
   * touch/remove/put, the only ways records change.
   */
  readonly sorted: Map<string, Record<string, unknown>[]>;
}

const DEFAULT_ORDER: Readonly<Record<string, string>> = {
  'account.move': 'date desc, name desc, id desc',
  'account.move.line': 'date desc, move_name desc, id',
  'hr.expense': 'date desc, id desc',
};

/**
 * A local server speaking Odoo's external API for tests and benchmarks: `/jsonrpc`
 * (`common.version/authenticate/login`, `object.execute_kw`) and Odoo 19's `/json/2/<model>/<method>`
 * with a bearer key and `GET /web/version`. Faithful to shared/domain/odoo-external-api.md §6:
 * envelopes with the request id, errors with HTTP 200 and Odoo's error envelope, `authenticate`
 * → `false` on bad credentials, credentials checked on every `execute_kw`, domains (`&`, `|`, `!`,
 * the §3.3 operators), order/offset/limit, `active_test`, unknown field/model/method and private
 * method errors. `touch` changes records and bumps `write_date`; `inject` adds faults (5xx, 429,
 * delays, malformed JSON, session expiry, Odoo exceptions, hooks that change records mid-sync).
 *
 * @example
 * const server = await FakeOdooServer.start({ dataset: generateDataset({ seed: 1, scale: 2000 }).odoo });
 * const client = new OdooClient({ url: server.url, db: server.db, username: server.login, apiKey: server.apiKey });
 */
export class FakeOdooServer {
  readonly db: string;
  readonly login: string;
  readonly apiKey: string;
  readonly uid: number;
  readonly calls: FakeOdooCall[] = [];
  /** Rows returned by search_read/read, per model. */
  readonly rowsServed = new Map<string, number>();
  /** Models whose every call raises AccessError. */
  readonly deniedModels = new Set<string>();
  readonly #models = new Map<string, ModelState>();
  readonly #faults: Injected[] = [];
  readonly #server: Server;
  readonly #version: string;
  #clock: number;
  #url = '';

  private constructor(options: FakeOdooServerOptions) {
    this.db = options.db ?? 'odoo';
    this.login = options.login ?? 'etl-bot@example.ph';
    this.apiKey = options.apiKey ?? 'test-api-key-0123456789';
    this.uid = options.uid ?? 7;
    this.#version = options.serverVersion ?? '17.0';
    let newest = 0;
    for (const [model, records] of Object.entries(options.dataset ?? {})) {
      const state: ModelState = { records: new Map(), fields: new Map([['id', 'integer'], ['write_date', 'datetime'], ['display_name', 'char']]), sorted: new Map() };
      for (const record of records) {
        const copy: Record<string, unknown> = { ...record };
        if (typeof copy['write_date'] !== 'string') copy['write_date'] = '2025-01-01 00:00:00';
        state.records.set(Number(copy['id']), copy);
        newest = Math.max(newest, Date.parse(`${String(copy['write_date']).replace(' ', 'T')}Z`) || 0);
        for (const [k, v] of Object.entries(copy)) if (!state.fields.has(k) || state.fields.get(k) === 'unknown') state.fields.set(k, inferType(v));
      }
      for (const [k, t] of state.fields) if (t === 'unknown') state.fields.set(k, 'char');
      this.#models.set(model, state);
    }
    this.#clock = options.clock?.getTime() ?? (newest || Date.UTC(2025, 0, 1)) + 3600_000;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** Starts listening on 127.0.0.1 with an OS-assigned port. */
  static async start(options: FakeOdooServerOptions = {}): Promise<FakeOdooServer> {
    const server = new FakeOdooServer(options);
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    const address = server.#server.address() as AddressInfo;
    server.#url = `http://127.0.0.1:${address.port}`;
    return server;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The current server time as an Odoo datetime string. */
  now(): string {
    return formatDatetime(this.#clock);
  }

  /**
   * Injects `fault` into the next `times` matching requests (default 1; `Infinity` for all),
   * after letting `after` matching requests through. Default match: every request.
   */
  inject(fault: FakeOdooFault, options: { times?: number; after?: number; match?: (call: FakeOdooCall) => boolean } = {}): void {
    this.#faults.push({ fault, remaining: options.times ?? 1, skip: options.after ?? 0, match: options.match ?? (() => true) });
  }

  clearFaults(): void {
    this.#faults.length = 0;
  }

  /** Records of a model (live objects; use touch/remove/put to change them). */
  records(model: string): Record<string, unknown>[] {
    return [...this.#model(model).records.values()];
  }

  /** Changes records (optional field values) and bumps their write_date to the advancing server clock. */
  touch(model: string, ids: readonly number[], changes: Readonly<Record<string, unknown>> = {}): string {
    this.#clock += 1000;
    const stamp = this.now();
    const state = this.#model(model);
    for (const id of ids) {
      const record = state.records.get(id);
      if (!record) throw new Error(`touch: ${model} ${id} does not exist`);
      Object.assign(record, changes, { write_date: stamp });
    }
    state.sorted.clear();
    return stamp;
  }

  /** Deletes records (Odoo `unlink`): they vanish from every search. */
  remove(model: string, ids: readonly number[]): void {
    const state = this.#model(model);
    for (const id of ids) state.records.delete(id);
    state.sorted.clear();
  }

  /** Inserts or replaces a record verbatim (no validation: malformed records are allowed on purpose). */
  put(model: string, record: Record<string, unknown>): void {
    const state = this.#model(model);
    state.records.set(Number(record['id']), record);
    for (const [k, v] of Object.entries(record)) if (!state.fields.has(k)) state.fields.set(k, inferType(v));
    state.sorted.clear();
  }

  /** Requests whose call matches, e.g. `server.count((c) => c.modelMethod === 'search_read')`. */
  count(match: (call: FakeOdooCall) => boolean): number {
    return this.calls.filter(match).length;
  }

  #model(model: string): ModelState {
    const state = this.#models.get(model);
    if (!state) throw new FakeOdooException('odoo.exceptions.UserError', `Object ${model} doesn't exist`);
    return state;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (req.method === 'GET' && url.pathname === '/web/version') {
        const call: FakeOdooCall = { transport: 'json2', service: 'web', method: 'version' };
        if (await this.#applyFaults(call, res, null, 'json2')) return;
        return send(res, 200, { version_info: versionInfo(this.#version), version: this.#version });
      }
      if (req.method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return sendText(res, 400, 'Invalid JSON data');
      }
      if (url.pathname === '/jsonrpc') return await this.#jsonrpc(body, res);
      const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (json2) return await this.#json2(decodeURIComponent(json2[1] as string), decodeURIComponent(json2[2] as string), body, req, res);
      return sendText(res, 404, 'Not Found');
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `fake server failure: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Applies the first matching fault; true when the response has been sent. */
  async #applyFaults(call: FakeOdooCall, res: ServerResponse, rpcId: unknown, transport: 'jsonrpc' | 'json2'): Promise<boolean> {
    for (const f of this.#faults) {
      if (f.remaining <= 0 || !f.match(call)) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      f.remaining--;
      const fault = f.fault;
      switch (fault.kind) {
        case 'http':
          sendText(res, fault.status, `HTTP ${fault.status}`, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
          return true;
        case 'delay':
          await new Promise((r) => setTimeout(r, fault.ms));
          return false;
        case 'malformed-json':
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"jsonrpc": "2.0", "id": 1, "result": [{"id": 1, ');
          return true;
        case 'session-expired':
          if (transport === 'json2') send(res, 401, errorData('werkzeug.exceptions.Unauthorized', 'Session expired'));
          else send(res, 200, { jsonrpc: '2.0', id: rpcId ?? null, error: { code: 100, message: 'Odoo Session Expired', data: errorData('odoo.http.SessionExpiredException', 'Session expired') } });
          return true;
        case 'odoo-error':
          this.#sendError(res, transport, rpcId, new FakeOdooException(fault.name, fault.message));
          return true;
        case 'hook':
          fault.run(call, this);
          return false;
        case 'result':
          if (transport === 'json2') send(res, 200, fault.value ?? null);
          else send(res, 200, fault.value === undefined ? { jsonrpc: '2.0', id: rpcId ?? null } : { jsonrpc: '2.0', id: rpcId ?? null, result: fault.value });
          return true;
      }
    }
    return false;
  }

  #sendError(res: ServerResponse, transport: 'jsonrpc' | 'json2', rpcId: unknown, error: FakeOdooException): void {
    const data = errorData(error.odooName, error.message);
    if (transport === 'jsonrpc') {
      send(res, 200, { jsonrpc: '2.0', id: rpcId ?? null, error: { code: 200, message: 'Odoo Server Error', data } });
      return;
    }
    const status = error.odooName.endsWith('AccessDenied') ? 401 : error.odooName.endsWith('AccessError') ? 403 : error.odooName.endsWith('MissingError') ? 404 : error.odooName.startsWith('odoo.exceptions.') || error.odooName === 'builtins.ValueError' ? 422 : 500;
    send(res, status, data);
  }

  async #jsonrpc(body: unknown, res: ServerResponse): Promise<void> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return sendText(res, 400, 'Invalid JSON-RPC data');
    const envelope = body as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
    const rpcId = envelope.id ?? null;
    const params = envelope.params ?? {};
    const service = String(params.service ?? '');
    const method = String(params.method ?? '');
    const args = Array.isArray(params.args) ? (params.args as unknown[]) : undefined;
    const call: FakeOdooCall =
      service === 'object' && args
        ? { transport: 'jsonrpc', service, method, model: String(args[3]), modelMethod: String(args[4]), kwargs: (args[6] ?? {}) as Record<string, unknown> }
        : { transport: 'jsonrpc', service, method };
    this.calls.push(call);
    if (await this.#applyFaults(call, res, rpcId, 'jsonrpc')) return;
    try {
      if (!args || params.service === undefined || params.method === undefined) {
        throw new FakeOdooException('builtins.TypeError', "jsonrpc() missing required positional arguments: 'service', 'method' or 'args'");
      }
      let result: unknown;
      if (service === 'common') {
        if (method === 'version') result = { server_version: this.#version, server_version_info: versionInfo(this.#version), server_serie: this.#version, protocol_version: 1 };
        else if (method === 'authenticate' || method === 'login') result = args[0] === this.db && args[1] === this.login && args[2] === this.apiKey ? this.uid : false;
        else throw new FakeOdooException('builtins.Exception', `Method not found: ${method}`);
      } else if (service === 'object') {
        if (method !== 'execute_kw') throw new FakeOdooException('builtins.NameError', `Method not available ${method}`);
        if (args[0] !== this.db || args[1] !== this.uid || args[2] !== this.apiKey) throw new FakeOdooException('odoo.exceptions.AccessDenied', 'Access Denied');
        const kwargs = (args[6] ?? {}) as Record<string, unknown>;
        result = this.#execute(String(args[3]), String(args[4]), Array.isArray(args[5]) ? (args[5] as unknown[]) : [], kwargs);
      } else {
        throw new FakeOdooException('builtins.KeyError', `'${service}'`);
      }
      send(res, 200, result === null || result === undefined ? { jsonrpc: '2.0', id: rpcId } : { jsonrpc: '2.0', id: rpcId, result });
    } catch (error) {
      if (!(error instanceof FakeOdooException)) throw error;
      this.#sendError(res, 'jsonrpc', rpcId, error);
    }
  }

  async #json2(model: string, method: string, body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const named = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
    const call: FakeOdooCall = { transport: 'json2', service: 'json2', method, model, modelMethod: method, kwargs: named };
    this.calls.push(call);
    if (await this.#applyFaults(call, res, null, 'json2')) return;
    const auth = req.headers['authorization'] ?? '';
    if (!/^bearer\s+/i.test(auth) || auth.replace(/^bearer\s+/i, '') !== this.apiKey) {
      return send(res, 401, errorData('werkzeug.exceptions.Unauthorized', 'Invalid apikey'));
    }
    try {
      if (model === 'res.users' && method === 'context_get') return send(res, 200, { lang: 'en_US', tz: 'UTC', uid: this.uid });
      const { ids, ...kwargs } = named;
      const args = ids !== undefined ? [ids] : [];
      send(res, 200, this.#execute(model, method, args, kwargs) ?? null);
    } catch (error) {
      if (!(error instanceof FakeOdooException)) throw error;
      this.#sendError(res, 'json2', null, error);
    }
  }

  /** `execute_kw(model, method, args, kwargs)` on the in-memory records. */
  #execute(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
    if (method.startsWith('_')) throw new FakeOdooException('odoo.exceptions.AccessError', `Private methods (such as ${method}) cannot be called remotely.`);
    const state = this.#model(model);
    if (this.deniedModels.has(model)) {
      throw new FakeOdooException('odoo.exceptions.AccessError', `You are not allowed to access '${model}' (${model}) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings`);
    }
    const { context, ...kw } = kwargs as { context?: Record<string, unknown> } & Record<string, unknown>;
    const positional = (names: string[]): Record<string, unknown> => {
      const out: Record<string, unknown> = { ...kw };
      names.forEach((name, i) => {
        if (i < args.length) out[name] = args[i];
      });
      return out;
    };
    const activeTest = context?.['active_test'] !== false;
    switch (method) {
      case 'search_read': {
        const p = positional(['domain', 'fields', 'offset', 'limit', 'order']);
        const rows = this.#search(model, state, p, activeTest).map((r) => project(r, p['fields'], state, model));
        this.rowsServed.set(model, (this.rowsServed.get(model) ?? 0) + rows.length);
        return rows;
      }
      case 'search': {
        const p = positional(['domain', 'offset', 'limit', 'order']);
        return this.#search(model, state, p, activeTest).map((r) => r['id']);
      }
      case 'search_count': {
        const p = positional(['domain', 'limit']);
        return this.#search(model, state, { domain: p['domain'], limit: p['limit'] }, activeTest).length;
      }
      case 'read': {
        const p = positional(['ids', 'fields']);
        const ids = Array.isArray(p['ids']) ? (p['ids'] as unknown[]) : [p['ids']];
        const missing = ids.filter((id) => !state.records.has(Number(id)));
        if (missing.length > 0) throw new FakeOdooException('odoo.exceptions.MissingError', `Record does not exist or has been deleted.\n(Record: ${model}(${missing.join(', ')},), User: ${this.uid})`);
        const rows = ids.map((id) => project(state.records.get(Number(id)) as Record<string, unknown>, p['fields'], state, model));
        this.rowsServed.set(model, (this.rowsServed.get(model) ?? 0) + rows.length);
        return rows;
      }
      case 'fields_get': {
        const p = positional(['allfields', 'attributes']);
        const attributes = Array.isArray(p['attributes']) ? (p['attributes'] as string[]) : ['type', 'string', 'store'];
        const out: Record<string, Record<string, unknown>> = {};
        for (const [name, type] of state.fields) {
          if (Array.isArray(p['allfields']) && p['allfields'].length > 0 && !p['allfields'].includes(name)) continue;
          const full: Record<string, unknown> = { type, string: name.replace(/_/g, ' '), store: name !== 'display_name', readonly: false };
          out[name] = Object.fromEntries(Object.entries(full).filter(([k]) => attributes.includes(k)));
        }
        return out;
      }
      default:
        throw new FakeOdooException('builtins.AttributeError', `The method '${method}' does not exist on the model '${model}'`);
    }
  }

  #search(model: string, state: ModelState, p: Record<string, unknown>, activeTest: boolean): Record<string, unknown>[] {
    const tree = parseDomain(p['domain']);
    const hasField = (name: string): boolean => state.fields.has(name);
    const filterActive = activeTest && state.fields.has('active') && !domainFields(p['domain']).includes('active');
    const explicit = typeof p['order'] === 'string' && p['order'].trim() !== '' ? p['order'] : undefined;
    const fallback = (DEFAULT_ORDER[model] ?? 'id').split(',').filter((part) => hasField(part.trim().split(/\s+/)[0] as string)).join(',') || 'id';
    const order = explicit ?? fallback;
    let sorted = state.sorted.get(order);
    if (!sorted) state.sorted.set(order, (sorted = sortRecords([...state.records.values()], order, hasField)));
    const offset = typeof p['offset'] === 'number' ? p['offset'] : 0;
    const limit = typeof p['limit'] === 'number' && p['limit'] > 0 ? p['limit'] : undefined;
    // The sort is stable, so filtering the sorted records equals sorting the filtered ones.
    const wanted = limit !== undefined ? offset + limit : Infinity;
    const rows: Record<string, unknown>[] = [];
    for (let i = keysetStart(p['domain'], order, sorted); i < sorted.length; i++) {
      const r = sorted[i] as Record<string, unknown>;
      if ((!filterActive || r['active'] !== false) && evaluateDomain(tree, r, hasField, model)) rows.push(r);
      if (rows.length >= wanted) break;
    }
    return rows.slice(offset);
  }
}

/**
 * Where a keyset page can start: for the domain `['|', [f, '>', a], '&', [f, '=', a], ['id', '>', b]]`
 * under the order `f asc, id asc` (what a sync sends), the first record after `(a, b)`, found by
 * binary search as PostgreSQL would seek its index; 0 for any other domain or order. Records
 * from there on are still checked against the whole domain, so this only skips non-matches.
 */
function keysetStart(domain: unknown, order: string, sorted: readonly Record<string, unknown>[]): number {
  const parts = order.split(',').map((o) => o.trim().toLowerCase().split(/\s+/));
  if (parts.length !== 2 || parts[1]?.[0] !== 'id' || parts.some((o) => (o[1] ?? 'asc') !== 'asc')) return 0;
  const field = parts[0]?.[0] as string;
  if (!Array.isArray(domain) || domain.length !== 5 || domain[0] !== '|' || domain[2] !== '&') return 0;
  const [gt, eq, idGt] = [domain[1], domain[3], domain[4]] as unknown[][];
  const term = (t: unknown[] | undefined, f: string, op: string) => Array.isArray(t) && t.length === 3 && t[0] === f && t[1] === op;
  if (!term(gt, field, '>') || !term(eq, field, '=') || !term(idGt, 'id', '>') || gt?.[2] !== eq?.[2]) return 0;
  const a = gt?.[2];
  const b = idGt?.[2];
  if ((typeof a !== 'string' && typeof a !== 'number') || typeof b !== 'number') return 0;
  // First index whose (field, id) > (a, b); NULL/false values sort last, like the sort above.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = sorted[mid] as Record<string, unknown>;
    const v = r[field];
    const after = v === false || v === null || v === undefined || typeof v !== typeof a ? true : (v as string | number) > a || (v === a && Number(r['id']) > b);
    if (after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sortRecords(rows: Record<string, unknown>[], order: string, hasField: (f: string) => boolean): Record<string, unknown>[] {
  const keys = order.split(',').map((part) => {
    const [field, dir = 'asc', ...rest] = part.trim().split(/\s+/);
    if (!field || !hasField(field) || rest.length > 0 || !['asc', 'desc'].includes(dir.toLowerCase())) {
      throw new FakeOdooException('builtins.ValueError', `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
    }
    return { field, desc: dir.toLowerCase() === 'desc' };
  });
  if (!keys.some((k) => k.field === 'id')) keys.push({ field: 'id', desc: false });
  const sortable = (v: unknown): number | string | null => (v === false || v === undefined || v === null ? null : Array.isArray(v) ? (typeof v[1] === 'string' ? v[1] : v.length) : typeof v === 'boolean' ? Number(v) : (v as number | string));
  return rows.sort((x, y) => {
    for (const k of keys) {
      const a = sortable(x[k.field]);
      const b = sortable(y[k.field]);
      if (a === b) continue;
      // PostgreSQL: NULLs last ascending, first descending.
      const c = a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
      return k.desc ? -c : c;
    }
    return 0;
  });
}

function project(record: Record<string, unknown>, fields: unknown, state: ModelState, model: string): Record<string, unknown> {
  const wanted = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : [...state.fields.keys()];
  const out: Record<string, unknown> = { id: record['id'] };
  for (const f of wanted) {
    if (!state.fields.has(f)) throw new FakeOdooException('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
    if (f === 'display_name') out[f] = record['display_name'] ?? record['name'] ?? `${model},${String(record['id'])}`;
    else out[f] = f in record ? record[f] : false;
  }
  return out;
}

function inferType(v: unknown): string {
  if (v === false || v === null || v === undefined) return 'unknown';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  if (Array.isArray(v)) return v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string' ? 'many2one' : 'many2many';
  if (typeof v === 'string') return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) ? 'datetime' : /^\d{4}-\d{2}-\d{2}$/.test(v) ? 'date' : 'char';
  return 'char';
}

function versionInfo(version: string): unknown[] {
  const [major = '17', minor = '0'] = version.split('.');
  return [Number(major), Number(minor), 0, 'final', 0, ''];
}

function errorData(name: string, message: string): Record<string, unknown> {
  return { name, debug: `Traceback (most recent call last):\n  File "fake", line 1, in <module>\n${name}: ${message}\n`, message, arguments: [message], context: {} };
}

function formatDatetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers }).end(text);
}
