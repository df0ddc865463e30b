-- Bronze (raw Odoo records as JSON text, append-only) → silver.finance (typed, latest version per id).
-- Odoo renders empty values as `false` and many2one as `[id, "name"]`: TRY_CAST('false' AS …) is NULL,
-- and `$.field[0]` of `false` is NULL, so both arrive as SQL NULL here.
-- Idempotent: each table is replaced from bronze, so a rerun converges to the same rows.
-- A record deleted in Odoo arrives as a tombstone (the last version plus "_deleted": true, ingested
-- later) from the connector's id reconciliation: it ranks first and is then filtered out.

CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.finance;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.partners AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  {{ json(_raw, '$.name') }}                                       AS name,
  NULLIF({{ json(_raw, '$.vat') }}, 'false')                       AS vat,
  NULLIF({{ json(_raw, '$.branch_code') }}, 'false')               AS branch_code,
  TRY_CAST({{ json(_raw, '$.is_company') }} AS BOOLEAN)            AS is_company,
  TRY_CAST({{ json(_raw, '$.supplier_rank') }} AS INT) > 0         AS is_vendor,
  TRY_CAST({{ json(_raw, '$.customer_rank') }} AS INT) > 0         AS is_customer,
  TRY_CAST({{ json(_raw, '$.write_date') }} AS TIMESTAMP)          AS write_date
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.res_partner
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.taxes AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  {{ json(_raw, '$.name') }}                                       AS name,
  CAST({{ json(_raw, '$.amount') }} AS DECIMAL(9, 4))              AS amount,
  {{ json(_raw, '$.type_tax_use') }}                               AS type_tax_use,
  {{ json(_raw, '$.tax_group_id[1]') }}                            AS tax_group,
  NULLIF({{ json(_raw, '$.l10n_ph_atc') }}, 'false')               AS atc
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.account_tax
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.accounts AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  {{ json(_raw, '$.code') }}                                       AS code,
  {{ json(_raw, '$.name') }}                                       AS name,
  {{ json(_raw, '$.account_type') }}                               AS account_type
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.account_account
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.tax_tags AS
SELECT DISTINCT
  CAST({{ json(_raw, '$.id') }} AS BIGINT)                         AS id,
  {{ json(_raw, '$.name') }}                                       AS name
FROM {{catalog.bronze}}.odoo.account_account_tag;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.moves AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  NULLIF({{ json(_raw, '$.name') }}, 'false')                      AS name,
  {{ json(_raw, '$.move_type') }}                                  AS move_type,
  {{ json(_raw, '$.state') }}                                      AS state,
  TRY_CAST({{ json(_raw, '$.partner_id[0]') }} AS BIGINT)          AS partner_id,
  TRY_CAST({{ json(_raw, '$.date') }} AS DATE)                     AS date,
  TRY_CAST({{ json(_raw, '$.invoice_date') }} AS DATE)             AS invoice_date,
  TRY_CAST({{ json(_raw, '$.invoice_date_due') }} AS DATE)         AS invoice_date_due,
  CAST({{ json(_raw, '$.amount_untaxed') }} AS DECIMAL(18, 2))     AS amount_untaxed,
  CAST({{ json(_raw, '$.amount_tax') }} AS DECIMAL(18, 2))         AS amount_tax,
  CAST({{ json(_raw, '$.amount_total') }} AS DECIMAL(18, 2))       AS amount_total,
  CAST({{ json(_raw, '$.amount_total_signed') }} AS DECIMAL(18, 2)) AS amount_total_signed,
  CAST({{ json(_raw, '$.amount_residual') }} AS DECIMAL(18, 2))    AS amount_residual,
  TRY_CAST({{ json(_raw, '$.write_date') }} AS TIMESTAMP)          AS write_date
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.account_move
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.move_lines AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  TRY_CAST({{ json(_raw, '$.move_id[0]') }} AS BIGINT)             AS move_id,
  TRY_CAST({{ json(_raw, '$.date') }} AS DATE)                     AS date,
  {{ json(_raw, '$.parent_state') }}                               AS parent_state,
  TRY_CAST({{ json(_raw, '$.account_id[0]') }} AS BIGINT)          AS account_id,
  TRY_CAST({{ json(_raw, '$.partner_id[0]') }} AS BIGINT)          AS partner_id,
  {{ json(_raw, '$.display_type') }}                               AS display_type,
  CAST({{ json(_raw, '$.debit') }} AS DECIMAL(18, 2))              AS debit,
  CAST({{ json(_raw, '$.credit') }} AS DECIMAL(18, 2))             AS credit,
  CAST({{ json(_raw, '$.balance') }} AS DECIMAL(18, 2))            AS balance,
  TRY_CAST({{ json(_raw, '$.tax_line_id[0]') }} AS BIGINT)         AS tax_line_id,
  {{ json(_raw, '$.tax_ids') }}                                    AS tax_ids,
  {{ json(_raw, '$.tax_tag_ids') }}                                AS tax_tag_ids,
  TRY_CAST({{ json(_raw, '$.date_maturity') }} AS DATE)            AS date_maturity
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.account_move_line
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

-- One row per (line, tag): the 2550Q sums balances by tag name. Tags per line are few, so the
-- join against the tag list (a handful of rows) replaces an engine-specific JSON explode.
CREATE OR REPLACE TABLE {{catalog.silver}}.finance.move_line_tags AS
SELECT l.id AS line_id, t.id AS tag_id, t.name AS tag_name
FROM {{catalog.silver}}.finance.move_lines AS l
JOIN {{catalog.silver}}.finance.tax_tags AS t
  ON concat(',', replace(replace(replace(l.tax_tag_ids, '[', ''), ']', ''), ' ', ''), ',') LIKE concat('%,', CAST(t.id AS STRING), ',%');

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.employees AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  {{ json(_raw, '$.name') }}                                       AS name,
  NULLIF({{ json(_raw, '$.identification_id') }}, 'false')         AS tin
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.hr_employee
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.payslips AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  {{ json(_raw, '$.number') }}                                     AS number,
  TRY_CAST({{ json(_raw, '$.employee_id[0]') }} AS BIGINT)         AS employee_id,
  TRY_CAST({{ json(_raw, '$.date_from') }} AS DATE)                AS date_from,
  TRY_CAST({{ json(_raw, '$.date_to') }} AS DATE)                  AS date_to,
  {{ json(_raw, '$.state') }}                                      AS state,
  TRY_CAST({{ json(_raw, '$.credit_note') }} AS BOOLEAN)           AS credit_note
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.hr_payslip
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;

CREATE OR REPLACE TABLE {{catalog.silver}}.finance.payslip_lines AS
SELECT
  CAST(_id AS BIGINT)                                              AS id,
  TRY_CAST({{ json(_raw, '$.slip_id[0]') }} AS BIGINT)             AS slip_id,
  TRY_CAST({{ json(_raw, '$.employee_id[0]') }} AS BIGINT)         AS employee_id,
  {{ json(_raw, '$.code') }}                                       AS code,
  CAST({{ json(_raw, '$.total') }} AS DECIMAL(18, 2))              AS total
FROM (
  SELECT _id, _raw, row_number() OVER (PARTITION BY _id ORDER BY _version DESC, _ingested_at DESC) AS version_rank
  FROM {{catalog.bronze}}.odoo.hr_payslip_line
) AS latest
WHERE version_rank = 1 AND {{ json(_raw, '$._deleted') }} IS NULL;
