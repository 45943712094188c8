-- The budget procedure of the plan (seed lines 179, 207–211): the lead unit estimates and sends to
-- Phòng Tài chính; Phòng Tài chính appraises every estimate and submits it to UBND đặc khu, which
-- decides the allocation (a decision with its number and date); Phòng Tài chính records the
-- allocation decided (the existing `approved`, `approved_on`) and checks the spending.
-- Who may write which of these columns is the sync policy's rule (services/sync_policy.py).
ALTER TABLE budgets ADD COLUMN appraised INTEGER CHECK (appraised >= 0);   -- amount appraised
ALTER TABLE budgets ADD COLUMN appraised_on TEXT;                          -- ISO date
ALTER TABLE budgets ADD COLUMN appraised_by TEXT;                          -- Phòng Tài chính officer
ALTER TABLE budgets ADD COLUMN appraisal_note TEXT;
ALTER TABLE budgets ADD COLUMN submitted_on TEXT;        -- ISO date submitted to UBND đặc khu
ALTER TABLE budgets ADD COLUMN decision_number TEXT;     -- the allocation decision: "52/QĐ-UBND"
ALTER TABLE budgets ADD COLUMN decision_date TEXT;       -- ISO date of that decision
ALTER TABLE budgets ADD COLUMN allocated_by TEXT;        -- who recorded the allocation
ALTER TABLE budgets ADD COLUMN spending_checked_on TEXT; -- ISO date Phòng Tài chính checked it
ALTER TABLE budgets ADD COLUMN spending_check_note TEXT;
