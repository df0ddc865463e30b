-- Bronze Scout transactions (raw Supabase rows as JSON, append-only, possibly re-delivered and
-- edited) → silver.scout.transactions_candidates: the latest version of each transaction, typed.
-- Values that do not parse become NULL here and keep their raw text in *_raw columns; the silver
-- quality suite then splits candidates into silver.scout.transactions and the quarantine table,
-- so bronze ids = silver rows + quarantined rows.

CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.scout;

CREATE OR REPLACE TABLE {{catalog.silver}}.scout.transactions_candidates AS
SELECT
  _id                                                              AS id,
  upper(trim({{ json(_raw, '$.agency') }}))                        AS agency,
  trim({{ json(_raw, '$.vendor') }})                               AS vendor,
  {{ json(_raw, '$.vendor_tin') }}                                 AS vendor_tin,
  {{ json(_raw, '$.category') }}                                   AS category,
  {{ json(_raw, '$.description') }}                                AS description,
  TRY_CAST({{ json(_raw, '$.amount') }} AS DECIMAL(18, 2))         AS amount,
  {{ json(_raw, '$.amount') }}                                     AS amount_raw,
  TRY_CAST({{ json(_raw, '$.transaction_date') }} AS DATE)         AS transaction_date,
  {{ json(_raw, '$.transaction_date') }}                           AS transaction_date_raw,
  TRY_CAST({{ json(_raw, '$.updated_at') }} AS TIMESTAMP)          AS updated_at,
  _batch_id,
  _ingested_at
FROM (
  SELECT _id, _raw, _batch_id, _ingested_at,
         row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.scout.transactions
) AS latest
WHERE version_rank = 1;
