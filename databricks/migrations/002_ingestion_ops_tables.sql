-- 002: the ingestion bookkeeping tables of the ops schema, which the connectors otherwise create
-- lazily on their first run (libs/connectors odoo/sync.ts, supabase/sync.ts, files/ingest-files.ts)
-- with exactly these columns: the incremental watermarks per source and model, the records that
-- failed validation (kept out of bronze), and the ledger of ingested export files (a file whose
-- hash is already there is skipped, so a re-run never duplicates rows). Owning them here means a
-- fresh target has them before the first sync, with the ops schema's grants already in place.
-- Idempotent (IF NOT EXISTS), like 001.
CREATE TABLE IF NOT EXISTS {{ops}}.ingestion_state (
  source STRING, model STRING, watermark_write_date STRING, watermark_id BIGINT, updated_at TIMESTAMP,
  last_reconciled_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS {{ops}}.odoo_rejected_records (
  source STRING, model STRING, record_id STRING, write_date STRING, reason STRING, raw STRING,
  batch_id STRING, rejected_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS {{ops}}.ingested_files (
  sha256 STRING, file STRING, target_table STRING, batch_id STRING, rows BIGINT, bytes BIGINT,
  ingested_at TIMESTAMP
);
