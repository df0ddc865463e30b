import { randomUUID } from 'node:crypto';
import { compiledQuery, ensureOpsSchema, opsTable, param, type ParameterValue, type Warehouse } from '@odoo-ce/warehouse';
import type { EventLogger } from '../event-logger.js';
import { bronzeTableDdl } from '../files/index.js';
import { N8N_BRONZE } from './receiver.js';
import { N8N_ENVELOPE, N8N_EVENT_SCHEMAS } from './schemas.js';

/** Where an event type goes, and how its bronze key is built from the event. */
interface Route {
  readonly schema: string;
  readonly table: string;
  /** `_id` and `_version` of the downstream row, and the JSON stored as `_raw`. */
  readonly row: (data: Record<string, unknown>, occurredAt: string, webhookId: string) => { id: string; version: string; raw: Record<string, unknown> };
}

/**
 * The downstream bronze place of each inbound event type. Scout transactions submitted through n8n
 * join the Supabase ones in `bronze.scout.transactions` (same `_raw` fields, `_version` = updated_at
 * as fixed-width ISO), so `scout_daily_sync` types, dedupes and gates them like any other; the others
 * land in `bronze.external_sources.*` tables of the common bronze shape.
 */
const ROUTES: Readonly<Record<string, Route>> = {
  'scout.transaction.submitted': {
    schema: 'scout',
    table: 'transactions',
    row: (data, occurredAt) => {
      const updatedAt = typeof data['updated_at'] === 'string' ? isoMicros(data['updated_at']) : occurredAt;
      return { id: String(data['id']), version: updatedAt, raw: { ...data, updated_at: updatedAt } };
    },
  },
  'document.received': {
    schema: 'external_sources',
    table: 'documents_received',
    row: (data, occurredAt) => ({ id: typeof data['sha256'] === 'string' ? data['sha256'] : `${String(data['source'])}:${String(data['file_name'])}`, version: occurredAt, raw: { ...data, received_at: occurredAt } }),
  },
  'workflow.execution.succeeded': executionRoute(),
  'workflow.execution.failed': executionRoute(),
  'job.requested': {
    schema: 'external_sources',
    table: 'job_requests',
    row: (data, occurredAt, webhookId) => ({ id: webhookId, version: occurredAt, raw: { ...data, requested_at: occurredAt } }),
  },
};

function executionRoute(): Route {
  return {
    schema: 'external_sources',
    table: 'n8n_executions',
    row: (data, occurredAt) => ({
      id: `${String(data['workflow_id'])}:${String(data['execution_id'])}`,
      version: typeof data['finished_at'] === 'string' ? isoMicros(data['finished_at']) : occurredAt,
      raw: data,
    }),
  };
}

/** The event types {@link processN8nWebhooks} routes, with their `<bronze>.<schema>.<table>`. */
export const N8N_EVENT_ROUTES: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(Object.entries(ROUTES).map(([type, r]) => [type, `${r.schema}.${r.table}`])));

/** What one run of {@link processN8nWebhooks} did, per event type. */
export interface N8nProcessResult {
  readonly batchId: string;
  /** Landed events not processed before this run. */
  readonly pending: number;
  readonly types: readonly {
    readonly eventType: string;
    /** `bronze.scout.transactions`, …; null for event types without a route. */
    readonly table: string | null;
    readonly events: number;
    /** Rows added downstream (fewer than `events` when an earlier, interrupted run wrote them already). */
    readonly rowsWritten: number;
    /** Events whose stored envelope or data no longer validate (kept in bronze, marked `rejected` in the ledger with the reason). */
    readonly rejected: number;
  }[];
}

interface Landed {
  readonly _id: string;
  readonly _version: string;
  readonly _raw: string;
  readonly _file_sha256: string | null;
}

/**
 * `etl ingest webhooks`: moves the n8n events landed in `bronze.external_sources.n8n_webhooks` (by
 * the receiver) to their downstream bronze tables ({@link N8N_EVENT_ROUTES}), re-validating each
 * against its schema. Idempotent and crash-safe without cross-catalog transactions: each
 * downstream INSERT skips rows already written for the same webhook event (`_file` =
 * `n8n:<event id>`), and only then is the event recorded in `<ops>.n8n_webhooks_processed`; a
 * rerun after a crash in between writes no duplicate and completes the ledger. Events of types
 * without a route are recorded as `unrouted` (kept in the landing table) and are routed by the first
 * run after their type gets a route.
 */
export async function processN8nWebhooks(warehouse: Warehouse, options: { readonly batchId?: string; readonly logger?: EventLogger; readonly now?: () => Date; readonly chunkSize?: number } = {}): Promise<N8nProcessResult> {
  const a = warehouse.adapter;
  const bronze = warehouse.layout.catalogs.bronze;
  const batchId = options.batchId ?? randomUUID();
  const now = param.timestamp(options.now?.() ?? new Date());
  const landing = a.quoteQualified([bronze, N8N_BRONZE.schema, N8N_BRONZE.table]);
  const ledger = opsTable(warehouse, 'n8n_webhooks_processed');
  const s = a.typeName('string');
  await warehouse.query(a.createSchemaSql(bronze, N8N_BRONZE.schema));
  await warehouse.query(bronzeTableDdl(warehouse, landing));
  await ensureOpsSchema(warehouse);
  await warehouse.query(`CREATE TABLE IF NOT EXISTS ${ledger} (webhook_id ${s}, event_type ${s}, status ${s}, target_table ${s}, reason ${s}, batch_id ${s}, processed_at ${a.typeName('timestamp')})`);

  // Pending: events without a ledger row, and events recorded `unrouted` whose type has a route now
  // (a later version of this module added it) — those are routed like new ones.
  const routedTypes = Object.keys(ROUTES);
  const typeParams = Object.fromEntries(routedTypes.map((t, i) => [`rt${i}`, t]));
  const nowRouted = `p.status = 'unrouted' AND p.event_type IN (${routedTypes.map((_, i) => `:rt${i}`).join(', ')})`;
  const { rows: landed } = await warehouse.query<Landed>(
    compiledQuery(
      `SELECT w._id, w._version, w._raw, w._file_sha256 FROM ${landing} AS w WHERE NOT EXISTS (SELECT 1 FROM ${ledger} AS p WHERE p.webhook_id = w._id AND NOT (${nowRouted})) ORDER BY w._ingested_at, w._id`,
      typeParams,
    ),
  );
  const byType = new Map<string, { table: string | null; events: number; rowsWritten: number; rejected: number }>();
  const tally = (type: string, table: string | null) => {
    let t = byType.get(type);
    if (!t) byType.set(type, (t = { table, events: 0, rowsWritten: 0, rejected: 0 }));
    t.table ??= table;
    return t;
  };
  // Group the valid events by type (each has one downstream table); collect every ledger row.
  const writes = new Map<string, { route: Route; rows: { id: string; version: string; raw: string; file: string; sha: string | null }[] }>();
  const ledgerRows: { id: string; type: string; status: string; table: string | null; reason: string | null }[] = [];
  for (const event of landed) {
    const parsed = parseLanded(event);
    if ('reason' in parsed) {
      tally(parsed.type, null).rejected++;
      ledgerRows.push({ id: event._id, type: parsed.type, status: 'rejected', table: null, reason: parsed.reason });
      continue;
    }
    const route = ROUTES[parsed.type];
    const display = route ? `${bronze}.${route.schema}.${route.table}` : null;
    const t = tally(parsed.type, display);
    t.events++;
    if (!route) {
      ledgerRows.push({ id: event._id, type: parsed.type, status: 'unrouted', table: null, reason: `no downstream table for event_type ${parsed.type}` });
      continue;
    }
    const row = route.row(parsed.data, isoMicros(parsed.occurredAt ?? event._version), event._id);
    let w = writes.get(parsed.type);
    if (!w) writes.set(parsed.type, (w = { route, rows: [] }));
    w.rows.push({ id: row.id, version: row.version, raw: JSON.stringify(row.raw), file: `n8n:${event._id}`, sha: event._file_sha256 });
    ledgerRows.push({ id: event._id, type: parsed.type, status: 'processed', table: display, reason: null });
  }

  const chunk = options.chunkSize ?? 500;
  for (const [type, w] of writes) {
    const table = a.quoteQualified([bronze, w.route.schema, w.route.table]);
    await warehouse.query(a.createSchemaSql(bronze, w.route.schema));
    await warehouse.query(bronzeTableDdl(warehouse, table));
    for (let i = 0; i < w.rows.length; i += chunk) {
      const part = w.rows.slice(i, i + chunk);
      const params: Record<string, ParameterValue> = { source: 'n8n', batch: batchId, now };
      const values = part.map((r, j) => {
        Object.assign(params, { [`i${j}`]: r.id, [`v${j}`]: r.version, [`r${j}`]: r.raw, [`f${j}`]: r.file, [`h${j}`]: r.sha });
        return `(:i${j}, :v${j}, :r${j}, :f${j}, :h${j})`;
      });
      const result = await warehouse.query(
        compiledQuery(
          `INSERT INTO ${table} (_id, _version, _raw, _source, _batch_id, _file, _file_sha256, _ingested_at)
           SELECT v._id, v._version, v._raw, :source, :batch, v._file, v._sha, :now FROM (VALUES ${values.join(', ')}) AS v(_id, _version, _raw, _file, _sha)
           WHERE NOT EXISTS (SELECT 1 FROM ${table} AS b WHERE b._file = v._file AND b._id = v._id)`,
          params,
        ),
      );
      tally(type, null).rowsWritten += Number(result.numAffectedRows ?? 0n);
    }
  }
  for (let i = 0; i < ledgerRows.length; i += chunk) {
    const part = ledgerRows.slice(i, i + chunk);
    const params: Record<string, ParameterValue> = { batch: batchId, now };
    const values = part.map((r, j) => {
      Object.assign(params, { [`w${j}`]: r.id, [`e${j}`]: r.type, [`s${j}`]: r.status, [`t${j}`]: r.table, [`x${j}`]: r.reason });
      return `(:w${j}, :e${j}, :s${j}, :t${j}, :x${j})`;
    });
    // An event an earlier run left `unrouted` gives its row up to what this run recorded — only the
    // events of this chunk. A crash in between leaves it without a ledger row: pending again, and
    // the downstream INSERT skips what was written.
    await warehouse.query(
      compiledQuery(`DELETE FROM ${ledger} WHERE status = 'unrouted' AND webhook_id IN (${part.map((_, j) => `:w${j}`).join(', ')})`, Object.fromEntries(part.map((r, j) => [`w${j}`, r.id]))),
    );
    await warehouse.query(
      compiledQuery(
        `INSERT INTO ${ledger} (webhook_id, event_type, status, target_table, reason, batch_id, processed_at)
         SELECT v.w, v.e, v.s, v.t, v.x, :batch, :now FROM (VALUES ${values.join(', ')}) AS v(w, e, s, t, x)
         WHERE NOT EXISTS (SELECT 1 FROM ${ledger} AS p WHERE p.webhook_id = v.w)`,
        params,
      ),
    );
  }
  const types = [...byType].map(([eventType, t]) => ({ eventType, ...t })).sort((x, y) => x.eventType.localeCompare(y.eventType));
  options.logger?.info({ event: 'n8n.webhooks_processed', batch_id: batchId, pending: landed.length, types }, `processed ${landed.length} landed n8n event(s)`);
  return { batchId, pending: landed.length, types };
}

/** The stored envelope, re-validated: its type, data and occurred_at — or why it is rejected. */
function parseLanded(event: Landed): { type: string; data: Record<string, unknown>; occurredAt: string | undefined } | { type: string; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(event._raw);
  } catch {
    return { type: '(unreadable)', reason: 'the stored body is not JSON' };
  }
  const envelope = N8N_ENVELOPE.safeParse(json);
  if (!envelope.success) return { type: '(invalid)', reason: `envelope: ${envelope.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  const type = envelope.data.event_type;
  const schema = N8N_EVENT_SCHEMAS[type];
  if (schema) {
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) return { type, reason: `data: ${data.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { type, data: envelope.data.data, occurredAt: envelope.data.occurred_at };
}

/** Any ISO timestamp → fixed-width UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ` (the Supabase connector's `_version` format, so text order is time order). */
export function isoMicros(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value)) return value;
  const t = Date.parse(value);
  if (Number.isNaN(t)) return value;
  return new Date(t).toISOString().replace(/Z$/, '000Z');
}
