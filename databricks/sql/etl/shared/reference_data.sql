-- Reference data the BIR tasks join against: the revised withholding tax table on compensation,
-- effective 2023-01-01 (RR 11-2018 Annex "E"), and the annual income tax table for individuals
-- (NIRC §24(A)(2)(a) as amended by TRAIN). Source: ../shared/domain/bir-rules.md §1.1–1.2.
-- tax = fixed_tax + rate × (taxable − lower_bound) for lower_bound ≤ taxable < upper_bound (NULL: no upper bound).
-- The same brackets drive `etl bir withholding` (WITHHOLDING_TAX_TABLE in libs/data-quality); a test
-- checks that this file and that constant agree row for row. Idempotent: the table is replaced.

CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.shared;

CREATE OR REPLACE TABLE {{catalog.silver}}.shared.withholding_tax_table (
  period STRING,
  bracket INT,
  lower_bound DECIMAL(18, 2),
  upper_bound DECIMAL(18, 2),
  fixed_tax DECIMAL(18, 2),
  rate DECIMAL(6, 4),
  effective_from DATE,
  source STRING
);

INSERT INTO {{catalog.silver}}.shared.withholding_tax_table
SELECT period, bracket, CAST(lower_bound AS DECIMAL(18, 2)), CAST(upper_bound AS DECIMAL(18, 2)),
  CAST(fixed_tax AS DECIMAL(18, 2)), CAST(rate AS DECIMAL(6, 4)), DATE '2023-01-01',
  'RR 11-2018 Annex E (2023+); NIRC 24(A)(2)(a) annual table'
FROM (VALUES
  ('daily', 1, 0, 685, 0.00, 0),
  ('daily', 2, 685, 1096, 0.00, 0.15),
  ('daily', 3, 1096, 2192, 61.65, 0.20),
  ('daily', 4, 2192, 5479, 280.85, 0.25),
  ('daily', 5, 5479, 21918, 1102.60, 0.30),
  ('daily', 6, 21918, NULL, 6034.30, 0.35),
  ('weekly', 1, 0, 4808, 0.00, 0),
  ('weekly', 2, 4808, 7692, 0.00, 0.15),
  ('weekly', 3, 7692, 15385, 432.60, 0.20),
  ('weekly', 4, 15385, 38462, 1971.20, 0.25),
  ('weekly', 5, 38462, 153846, 7740.45, 0.30),
  ('weekly', 6, 153846, NULL, 42355.65, 0.35),
  ('semi_monthly', 1, 0, 10417, 0.00, 0),
  ('semi_monthly', 2, 10417, 16667, 0.00, 0.15),
  ('semi_monthly', 3, 16667, 33333, 937.50, 0.20),
  ('semi_monthly', 4, 33333, 83333, 4270.70, 0.25),
  ('semi_monthly', 5, 83333, 333333, 16770.70, 0.30),
  ('semi_monthly', 6, 333333, NULL, 91770.70, 0.35),
  ('monthly', 1, 0, 20833, 0.00, 0),
  ('monthly', 2, 20833, 33333, 0.00, 0.15),
  ('monthly', 3, 33333, 66667, 1875.00, 0.20),
  ('monthly', 4, 66667, 166667, 8541.80, 0.25),
  ('monthly', 5, 166667, 666667, 33541.80, 0.30),
  ('monthly', 6, 666667, NULL, 183541.80, 0.35),
  ('annual', 1, 0, 250000, 0.00, 0),
  ('annual', 2, 250000, 400000, 0.00, 0.15),
  ('annual', 3, 400000, 800000, 22500.00, 0.20),
  ('annual', 4, 800000, 2000000, 102500.00, 0.25),
  ('annual', 5, 2000000, 8000000, 402500.00, 0.30),
  ('annual', 6, 8000000, NULL, 2202500.00, 0.35)
) AS brackets(period, bracket, lower_bound, upper_bound, fixed_tax, rate);
