import { z } from 'zod';

const jobEvent = z.object({
  job: z.string().min(1),
  run_id: z.string().min(1),
  target: z.string().optional(),
  error: z.string().optional(),
}).loose();

const executionEvent = z.object({
  workflow_id: z.string().min(1),
  workflow_name: z.string().optional(),
  execution_id: z.union([z.string().min(1), z.number().int()]),
  status: z.enum(['success', 'error', 'canceled', 'waiting', 'running']),
  started_at: z.iso.datetime({ offset: true }).optional(),
  finished_at: z.iso.datetime({ offset: true }).optional(),
  error: z.string().optional(),
}).loose();

const scoutTransaction = z.object({
  id: z.string().min(1),
  agency: z.string().min(1),
  vendor: z.string().min(1),
  vendor_tin: z.string().nullable().optional(),
  category: z.string().min(1),
  description: z.string().optional(),
  amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string such as "1250.00"'),
  transaction_date: z.iso.date(),
}).loose();

const documentReceived = z.object({
  source: z.string().min(1),
  file_name: z.string().min(1),
  url: z.url().optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
}).loose();

/**
 * The `data` schema of each known `event_type`. Unknown types are rejected (422) so that a
 * misconfigured workflow is noticed at once; pass `schemas` to the receiver to add more.
 */
export const N8N_EVENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = Object.freeze({
  'workflow.execution.succeeded': executionEvent,
  'workflow.execution.failed': executionEvent,
  'scout.transaction.submitted': scoutTransaction,
  'document.received': documentReceived,
  'job.requested': jobEvent,
});

/** The envelope every inbound event has. */
export const N8N_ENVELOPE = z.object({
  event_id: z.string().regex(/^[\w.:-]{1,200}$/, 'letters, digits, _ . : - (1-200 characters)'),
  event_type: z.string().min(1),
  occurred_at: z.iso.datetime({ offset: true }).optional(),
  data: z.record(z.string(), z.unknown()),
});

/** An inbound n8n event. */
export type N8nEvent = z.infer<typeof N8N_ENVELOPE>;
