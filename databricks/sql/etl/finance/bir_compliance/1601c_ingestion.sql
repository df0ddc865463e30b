-- gold.finance.bir_monthly_employee and gold.finance.bir_monthly — BIR 1601-C (withholding tax on
-- compensation) from OCA payroll slips (shared/domain/bir-rules.md §1, §5).
-- Salary-rule codes are user data in OCA payroll, so they come in as parameters (bundle variables).
-- 13th-month pay and other benefits are non-taxable up to ₱90,000 per employee per calendar year:
-- the cap is applied cumulatively, month by month. Tax required uses the 2023+ monthly table in
-- silver.shared.withholding_tax_table: fixed + rate × (taxable − lower bound), half-up to centavos.

CREATE SCHEMA IF NOT EXISTS {{catalog.gold}}.finance;

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.bir_monthly_employee AS
WITH slip_lines AS (
  SELECT
    s.employee_id,
    CAST(extract(YEAR FROM s.date_to) AS INT)  AS year,
    {{ ym(s.date_to) }}                        AS period,
    l.code,
    CASE WHEN s.credit_note THEN -l.total ELSE l.total END AS total
  FROM {{catalog.silver}}.finance.payslips AS s
  JOIN {{catalog.silver}}.finance.payslip_lines AS l ON l.slip_id = s.id
  WHERE s.state = 'done'
),
per_month AS (
  SELECT
    employee_id,
    year,
    period,
    sum(CASE WHEN code = {{params.code_basic}} THEN total ELSE 0 END)        AS basic,
    sum(CASE WHEN code = {{params.code_thirteenth}} THEN total ELSE 0 END)   AS thirteenth_month,
    sum(CASE WHEN code = {{params.code_de_minimis}} THEN total ELSE 0 END)   AS de_minimis,
    -sum(CASE WHEN code IN ({{params.code_sss}}, {{params.code_philhealth}}, {{params.code_hdmf}}) THEN total ELSE 0 END) AS contributions,
    -sum(CASE WHEN code = {{params.code_tax}} THEN total ELSE 0 END)          AS tax_withheld
  FROM slip_lines
  GROUP BY employee_id, year, period
),
capped AS (
  SELECT
    *,
    coalesce(sum(thirteenth_month) OVER (
      PARTITION BY employee_id, year ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS thirteenth_ytd_before
  FROM per_month
),
taxable AS (
  SELECT
    *,
    least(thirteenth_month, greatest(CAST(0 AS DECIMAL(18, 2)), CAST(90000 AS DECIMAL(18, 2)) - thirteenth_ytd_before)) AS non_taxable_thirteenth
  FROM capped
),
computed AS (
  SELECT
    t.*,
    basic + thirteenth_month + de_minimis                                            AS gross_compensation,
    basic + thirteenth_month - non_taxable_thirteenth - contributions                AS taxable_compensation
  FROM taxable AS t
)
SELECT
  c.period,
  c.employee_id,
  c.gross_compensation,
  c.thirteenth_month,
  c.non_taxable_thirteenth,
  c.de_minimis,
  c.contributions,
  c.non_taxable_thirteenth + c.de_minimis + c.contributions                        AS non_taxable_compensation,
  c.taxable_compensation,
  CAST(round(w.fixed_tax + w.rate * (c.taxable_compensation - w.lower_bound), 2) AS DECIMAL(18, 2)) AS tax_required,
  c.tax_withheld,
  c.tax_withheld - CAST(round(w.fixed_tax + w.rate * (c.taxable_compensation - w.lower_bound), 2) AS DECIMAL(18, 2)) AS variance
FROM computed AS c
JOIN {{catalog.silver}}.shared.withholding_tax_table AS w
  ON w.period = 'monthly'
 AND c.taxable_compensation >= w.lower_bound
 AND (w.upper_bound IS NULL OR c.taxable_compensation < w.upper_bound);

CREATE OR REPLACE TABLE {{catalog.gold}}.finance.bir_monthly AS
SELECT
  period,
  count(*)                                                  AS employees,
  sum(gross_compensation)                                   AS item14_total_compensation,
  sum(non_taxable_thirteenth)                               AS item17_thirteenth_month_and_other_benefits,
  sum(de_minimis)                                           AS item18_de_minimis,
  sum(contributions)                                        AS item19_mandatory_contributions,
  sum(non_taxable_compensation)                             AS item21_total_non_taxable,
  sum(taxable_compensation)                                 AS item22_total_taxable,
  sum(tax_required)                                         AS tax_required,
  sum(tax_withheld)                                         AS item25_total_taxes_withheld,
  sum(variance)                                             AS variance,
  count(CASE WHEN variance < 0 THEN 1 END)                  AS under_withheld_employees,
  CASE WHEN substr(period, 6, 2) = '12'
       THEN make_date(CAST(substr(period, 1, 4) AS INT) + 1, 1, 15)
       ELSE CAST(last_day(make_date(CAST(substr(period, 1, 4) AS INT), CAST(substr(period, 6, 2) AS INT), 1)) + INTERVAL '10' DAY AS DATE)
  END                                                       AS due_date
FROM {{catalog.gold}}.finance.bir_monthly_employee
GROUP BY period;
