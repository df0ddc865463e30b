-- gold.finance.bir_quarterly — BIR 2550Q per calendar quarter from posted journal items grouped by
-- the l10n_ph tax-report tags (shared/domain/bir-rules.md §3.2; odoo-external-api.md §7.2).
-- Sales and output VAT are credits (negative balance), purchases and input VAT debits.
-- Line 38 (input tax carried over) is the previous quarter's excess input tax, computed without
-- recursion: with c = allowable input − output per quarter and S its running sum (S0 = 0), the
-- excess after quarter q is S_q − min(0, min_{j≤q} S_j).
-- Lines 35/36/52/54–58 (EOPT adjustments, deferrals, refunds) have no source data yet and are 0.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.bir_quarterly AS
WITH tagged AS (
  SELECT extract(YEAR FROM l.date) AS year, quarter(l.date) AS quarter, t.tag_name, l.balance
  FROM {{catalog.silver}}.finance.move_lines AS l
  JOIN {{catalog.silver}}.finance.move_line_tags AS t ON t.line_id = l.id
  WHERE l.parent_state = 'posted'
),
sums AS (
  SELECT
    year,
    quarter,
    -sum(CASE WHEN tag_name = '31A' THEN balance ELSE 0 END)                       AS vatable_sales,
    -sum(CASE WHEN tag_name = '31B' THEN balance ELSE 0 END)                       AS output_vat,
    -sum(CASE WHEN tag_name = '32A' THEN balance ELSE 0 END)                       AS zero_rated_sales,
    -sum(CASE WHEN tag_name = '33A' THEN balance ELSE 0 END)                       AS exempt_sales,
    sum(CASE WHEN tag_name IN ('44A', '44SA', 'CAPA', '53A') THEN balance ELSE 0 END) AS domestic_purchases,
    sum(CASE WHEN tag_name IN ('44B', '44SB', 'CAPB', '53B') THEN balance ELSE 0 END) AS domestic_input_vat,
    sum(CASE WHEN tag_name = '53B' THEN balance ELSE 0 END)                        AS input_vat_not_directly_attributable,
    sum(CASE WHEN tag_name = '45A' THEN balance ELSE 0 END)                        AS nonresident_services,
    sum(CASE WHEN tag_name = '45B' THEN balance ELSE 0 END)                        AS nonresident_input_vat,
    sum(CASE WHEN tag_name = '46A' THEN balance ELSE 0 END)                        AS importations,
    sum(CASE WHEN tag_name = '46B' THEN balance ELSE 0 END)                        AS importation_input_vat,
    sum(CASE WHEN tag_name IN ('48E', '48ZR') THEN balance ELSE 0 END)             AS purchases_without_input_tax,
    -sum(CASE WHEN tag_name = '16B' THEN balance ELSE 0 END)                       AS creditable_vat_withheld
  FROM tagged
  GROUP BY year, quarter
),
computed AS (
  SELECT
    *,
    vatable_sales + zero_rated_sales + exempt_sales                                  AS total_sales,
    domestic_input_vat + nonresident_input_vat + importation_input_vat               AS current_input_vat,
    CASE WHEN vatable_sales + zero_rated_sales + exempt_sales = 0 THEN CAST(0 AS DECIMAL(18, 2))
         ELSE CAST(round(exempt_sales * input_vat_not_directly_attributable / (vatable_sales + zero_rated_sales + exempt_sales), 2) AS DECIMAL(18, 2))
    END                                                                              AS attributable_to_exempt
  FROM sums
),
carry AS (
  SELECT
    *,
    sum(current_input_vat - attributable_to_exempt - output_vat)
      OVER (ORDER BY year, quarter ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_excess
  FROM computed
),
excess AS (
  SELECT
    *,
    running_excess - least(CAST(0 AS DECIMAL(18, 2)),
      min(running_excess) OVER (ORDER BY year, quarter ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS excess_after
  FROM carry
),
lined AS (
  SELECT
    *,
    coalesce(lag(excess_after) OVER (ORDER BY year, quarter), CAST(0 AS DECIMAL(18, 2))) AS input_tax_carried_over
  FROM excess
)
SELECT
  concat(CAST(year AS STRING), '-Q', CAST(quarter AS STRING))                        AS period,
  CAST(year AS INT)                                                                  AS year,
  CAST(quarter AS INT)                                                               AS quarter,
  vatable_sales                                                                      AS line31_vatable_sales,
  output_vat                                                                         AS line31_output_vat,
  zero_rated_sales                                                                   AS line32_zero_rated_sales,
  exempt_sales                                                                       AS line33_exempt_sales,
  total_sales                                                                        AS line34_total_sales,
  output_vat                                                                         AS line37_adjusted_output_tax,
  input_tax_carried_over                                                             AS line38_input_tax_carried_over,
  input_tax_carried_over                                                             AS line43_total,
  domestic_purchases                                                                 AS line44_domestic_purchases,
  domestic_input_vat                                                                 AS line44_input_vat,
  nonresident_services                                                               AS line45_nonresident_services,
  nonresident_input_vat                                                              AS line45_input_vat,
  importations                                                                       AS line46_importations,
  importation_input_vat                                                              AS line46_input_vat,
  purchases_without_input_tax                                                        AS line48_purchases_without_input_tax,
  current_input_vat                                                                  AS line50_current_input_tax,
  input_tax_carried_over + current_input_vat                                         AS line51_total_available,
  attributable_to_exempt                                                             AS line53_attributable_to_exempt,
  attributable_to_exempt                                                             AS line59_adjusted_deductions,
  input_tax_carried_over + current_input_vat - attributable_to_exempt                AS line60_allowable_input_tax,
  output_vat - (input_tax_carried_over + current_input_vat - attributable_to_exempt) AS line61_net_vat_payable,
  creditable_vat_withheld                                                            AS line16_creditable_vat_withheld,
  output_vat - (input_tax_carried_over + current_input_vat - attributable_to_exempt) - creditable_vat_withheld AS line21_tax_still_payable,
  excess_after                                                                       AS excess_input_tax_carried_forward,
  CAST(last_day(make_date(CAST(year AS INT), CAST(quarter AS INT) * 3, 1)) + INTERVAL '25' DAY AS DATE) AS due_date
FROM lined;
