-- 002: the BIR filing calendar, reference data for filing-status reporting
-- (shared/domain/bir-rules.md §1, §2.2, §3.1). One row per form: how often it is filed and its
-- deadline (a day of the following month, days after the quarter closes, or the last day of the
-- following month). A deadline on a weekend or holiday moves to the next business day.
-- Replaced as a whole (CREATE OR REPLACE), so a rerun after a failure converges.
CREATE SCHEMA IF NOT EXISTS {{catalog.silver}}.shared;

CREATE OR REPLACE TABLE {{catalog.silver}}.shared.bir_filing_calendar (
  form STRING NOT NULL,
  title STRING NOT NULL,
  frequency STRING NOT NULL,
  -- day_of_following_month | days_after_quarter_close | last_day_of_following_month
  due_basis STRING NOT NULL,
  due_day INT,
  -- where December differs (1601-C: 15 January)
  december_due_day INT,
  source STRING NOT NULL
);

INSERT INTO {{catalog.silver}}.shared.bir_filing_calendar VALUES
  ('1601-C', 'Monthly Remittance Return of Income Taxes Withheld on Compensation', 'monthly', 'day_of_following_month', 10, 15, 'RR 11-2018 §2.58 (manual / eBIRForms filers)'),
  ('0619-E', 'Monthly Remittance Form of Creditable Income Taxes Withheld (Expanded)', 'monthly', 'day_of_following_month', 10, NULL, 'months 1-2 of a quarter (manual / eBIRForms filers)'),
  ('1601-EQ', 'Quarterly Remittance Return of Creditable Income Taxes Withheld (Expanded)', 'quarterly', 'last_day_of_following_month', NULL, NULL, 'last day of the month after the quarter'),
  ('2307', 'Certificate of Creditable Tax Withheld at Source', 'quarterly', 'days_after_quarter_close', 20, NULL, 'issued to payees on or before the 20th day after quarter close'),
  ('2550Q', 'Quarterly Value-Added Tax Return', 'quarterly', 'days_after_quarter_close', 25, NULL, 'TRAIN §114(A), RMC 5-2023');
