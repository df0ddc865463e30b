import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@odoo-ce/common';
import { compiledQuery, param, type Warehouse } from '@odoo-ce/warehouse';
import type { z } from 'zod';
import { bronzeTableDdl } from '../files/index.js';
import { N8N_ENVELOPE, N8N_EVENT_SCHEMAS } from './schemas.js';
import { N8N_SIGNATURE_HEADER, verifyN8nSignature } from './signature.js';

/** Options of {@link startN8nWebhookReceiver}. */
export interface N8nReceiverOptions {
  /** Shared HMAC-SHA256 secret (`N8N_WEBHOOK_SECRET`). */
  readonly secret: string;
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  readonly host?: string;
  /** The path events are POSTed to (default `/webhooks/n8n`). */
  readonly path?: string;
  /** Largest accepted body in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Extra or replacing `event_type` → `data` schemas (default {@link N8N_EVENT_SCHEMAS}). */
  readonly schemas?: Readonly<Record<string, z.ZodType>>;
  /** The `_source` column (default `n8n`). */
  readonly source?: string;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /**
   * Called after the event's durable write and before the answer (fault injection for crash tests:
   * `etl webhooks serve` sets it only when ETL_FAULT_PAUSE_AFTER_STORE=1).
   */
  readonly afterStore?: (info: { readonly id: string; readonly eventType: string; readonly inserted: boolean }) => Promise<void> | void;
}

/** A running receiver. */
export interface N8nReceiver {
  readonly host: string;
  readonly port: number;
  /** `http://host:port/path`. */
  readonly url: string;
  /** Events stored, and redeliveries ignored, since start. */
  readonly stats: { accepted: number; duplicates: number; rejected: number };
  close(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** The bronze table events land in: `<bronze>.external_sources.n8n_webhooks`. */
export const N8N_BRONZE = { schema: 'external_sources', table: 'n8n_webhooks' } as const;

/**
 * Starts the inbound n8n webhook receiver (node:http, 127.0.0.1 by default). A POST to `path`
 * must carry `x-n8n-signature: sha256=<hex HMAC-SHA256 of the raw body>` (checked in constant
 * time), a JSON body within `maxBodyBytes` with the envelope `{event_id, event_type,
 * occurred_at?, data}` whose `data` matches the schema of its `event_type`. The idempotency key
 * is the `Idempotency-Key` header, else `event_id`.
 *
 * The event is written to `bronze.external_sources.n8n_webhooks` (the bronze shape; `_id` = the
 * idempotency key, `_version` = occurred_at or the receive time, `_raw` = the envelope JSON,
 * `_file` = `n8n:<event_type>`) BEFORE the answer: 200 `{ok: true, id, duplicate: false}`. A
 * redelivery (key already stored) writes nothing and answers 200 `{ok: true, id, duplicate:
 * true}`. Errors answer JSON `{ok: false, error: {code, message, issues?}}`: 400 bad JSON, 401
 * missing/bad signature, 404, 405, 413 too large, 415 not JSON, 422 schema, 503 storage failed
 * (n8n retries).
 */
export async function startN8nWebhookReceiver(warehouse: Warehouse, options: N8nReceiverOptions): Promise<N8nReceiver> {
  if (options.secret.length < 16) throw new Error('the n8n webhook secret must have at least 16 characters');
  const a = warehouse.adapter;
  const catalog = warehouse.layout.catalogs.bronze;
  const table = a.quoteQualified([catalog, N8N_BRONZE.schema, N8N_BRONZE.table]);
  await warehouse.query(a.createSchemaSql(catalog, N8N_BRONZE.schema));
  await warehouse.query(bronzeTableDdl(warehouse, table));
  const path = options.path ?? '/webhooks/n8n';
  const maxBytes = options.maxBodyBytes ?? 1024 * 1024;
  const schemas = { ...N8N_EVENT_SCHEMAS, ...options.schemas };
  const source = options.source ?? 'n8n';
  const now = (): Date => options.now?.() ?? new Date();
  const log = options.logger?.child({ component: 'n8n-receiver' });
  const stats = { accepted: 0, duplicates: 0, rejected: 0 };
  // One write at a time: a redelivery racing the first delivery must see its row.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const store = async (id: string, eventType: string, version: string, raw: string, sha: string): Promise<boolean> => {
    const result = await warehouse.query(
      compiledQuery(
        `INSERT INTO ${table} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
         SELECT :id, :version, :raw, :source, :batch, :file, :sha, :now
         WHERE NOT EXISTS (SELECT 1 FROM ${table} AS b WHERE b._id = :id)`,
        { id, version, raw, source, batch: randomUUID(), file: `n8n:${eventType}`, sha, now: param.timestamp(now()) },
      ),
    );
    return Number(result.numAffectedRows ?? 0n) > 0;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) throw new HttpProblem(404, 'NOT_FOUND', `no webhook at ${url.pathname}; POST events to ${path}`);
    if (req.method !== 'POST') throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', 'use POST');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) throw new HttpProblem(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
    const body = await readBody(req, maxBytes);
    const signature = req.headers[N8N_SIGNATURE_HEADER];
    if (typeof signature !== 'string' || signature === '') throw new HttpProblem(401, 'SIGNATURE_MISSING', `the ${N8N_SIGNATURE_HEADER} header is missing (sha256=<hex HMAC-SHA256 of the body>)`);
    if (!verifyN8nSignature(options.secret, body, signature)) throw new HttpProblem(401, 'SIGNATURE_INVALID', `the ${N8N_SIGNATURE_HEADER} signature does not match the body`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new HttpProblem(400, 'INVALID_JSON', `the body is not valid JSON (${(error as Error).message})`);
    }
    const envelope = N8N_ENVELOPE.safeParse(json);
    if (!envelope.success) throw new HttpProblem(422, 'INVALID_EVENT', 'the event envelope is invalid', issuesOf(envelope.error));
    const event = envelope.data;
    const schema = schemas[event.event_type];
    if (!schema) throw new HttpProblem(422, 'UNKNOWN_EVENT_TYPE', `unknown event_type "${event.event_type}"; known: ${Object.keys(schemas).sort().join(', ')}`);
    const data = schema.safeParse(event.data);
    if (!data.success) throw new HttpProblem(422, 'INVALID_EVENT', `data does not match the ${event.event_type} schema`, issuesOf(data.error, 'data'));
    const headerKey = req.headers['idempotency-key'];
    const id = typeof headerKey === 'string' && headerKey !== '' ? headerKey : event.event_id;
    if (!/^[\w.:-]{1,200}$/.test(id)) throw new HttpProblem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1-200 letters, digits, _ . : -');
    const version = event.occurred_at ?? now().toISOString();
    const sha = createHash('sha256').update(body).digest('hex');
    let inserted: boolean;
    try {
      inserted = await serial(() => store(id, event.event_type, version, JSON.stringify(json), sha));
    } catch (error) {
      log?.error({ event: 'n8n.store_failed', id, error: (error as Error).message }, 'could not store an n8n event');
      throw new HttpProblem(503, 'STORAGE_UNAVAILABLE', 'the event could not be stored; retry later');
    }
    await options.afterStore?.({ id, eventType: event.event_type, inserted });
    if (inserted) stats.accepted++;
    else stats.duplicates++;
    log?.info({ event: inserted ? 'n8n.event_stored' : 'n8n.event_duplicate', id, event_type: event.event_type }, inserted ? 'n8n event stored' : 'n8n redelivery ignored');
    send(res, 200, { ok: true, id, duplicate: !inserted });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      stats.rejected++;
      const problem = error instanceof HttpProblem ? error : new HttpProblem(500, 'INTERNAL', 'internal error');
      if (!(error instanceof HttpProblem)) log?.error({ event: 'n8n.internal_error', error: (error as Error).message }, 'n8n receiver failed');
      else log?.warn({ event: 'n8n.rejected', status: problem.status, code: problem.code }, problem.message);
      send(res, problem.status, { ok: false, error: { code: problem.code, message: problem.message, ...(problem.issues ? { issues: problem.issues } : {}) } }, problem.status === 413);
    });
  });
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address;
  return {
    host,
    port: address.port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${path}`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => chain.then(() => undefined)),
  };
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}) });
  res.end(text);
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(new HttpProblem(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

function issuesOf(error: z.ZodError, prefix?: string): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: [...(prefix ? [prefix] : []), ...i.path.map(String)].join('.') || '(root)', message: i.message }));
}
