-- Reports (unit and zone), their text by area, task lines and figures; budgets per task;
-- amendments to the plan. Every table has a TEXT primary key (uuid4 hex) so the sync can track it.
-- Uniqueness rules (one open report per unit and period, one section per area…) are kept by the
-- services rather than UNIQUE indexes, so merging two laptops' rows never fails on a constraint.

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('unit', 'zone')),
    unit_id TEXT REFERENCES units(id),       -- the reporting unit; NULL for the zone's report
    period TEXT NOT NULL,                    -- "2026-01", "2026-Q1", "2026-H1", "2026-9M", "2026"
    period_start TEXT NOT NULL,              -- ISO dates, from db/seeds/report-periods.toml
    period_end TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    supersedes TEXT REFERENCES reports(id),  -- the submitted report this revision replaces
    number TEXT,                             -- the number before "/BC-…", given at signing
    report_date TEXT,                        -- ISO date of the place and date line
    signer_name TEXT,
    sources TEXT NOT NULL DEFAULT '[]',      -- zone: JSON list of the unit report ids summed
    missing_units TEXT NOT NULL DEFAULT '[]',-- zone: JSON list of unit ids not yet submitted
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_by TEXT,
    submitted_at TEXT,
    CHECK ((scope = 'unit') = (unit_id IS NOT NULL))
);
CREATE INDEX reports_period ON reports(period, scope, unit_id);

-- The text outline: areas I–VII, difficulties, proposals.
CREATE TABLE report_sections (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    area TEXT NOT NULL CHECK (area IN ('I', 'II', 'III', 'IV', 'V', 'VI', 'VII',
                                       'difficulties', 'proposals')),
    text TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX report_sections_report ON report_sections(report_id, area);

-- Each task's status and progress as pulled in when the report was opened; editable in the report.
CREATE TABLE report_tasks (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    task_id TEXT NOT NULL REFERENCES tasks(id),
    state TEXT NOT NULL,
    progress INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE INDEX report_tasks_report ON report_tasks(report_id);

-- The figures table: one row per report, NULL until entered.
CREATE TABLE report_figures (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(id),
    received_direct INTEGER CHECK (received_direct >= 0),
    received_online_full INTEGER CHECK (received_online_full >= 0),
    received_online_partial INTEGER CHECK (received_online_partial >= 0),
    received_postal INTEGER CHECK (received_postal >= 0),
    carried_over INTEGER CHECK (carried_over >= 0),
    resolved_early INTEGER CHECK (resolved_early >= 0),
    resolved_on_time INTEGER CHECK (resolved_on_time >= 0),
    resolved_late INTEGER CHECK (resolved_late >= 0),
    pending_within_time INTEGER CHECK (pending_within_time >= 0),
    pending_overdue INTEGER CHECK (pending_overdue >= 0),
    returned INTEGER CHECK (returned >= 0),
    withdrawn INTEGER CHECK (withdrawn >= 0),
    dossiers_tracked INTEGER CHECK (dossiers_tracked >= 0),
    payments_total INTEGER CHECK (payments_total >= 0),
    payments_online INTEGER CHECK (payments_online >= 0),
    survey_very_satisfied INTEGER CHECK (survey_very_satisfied >= 0),
    survey_satisfied INTEGER CHECK (survey_satisfied >= 0),
    survey_neutral INTEGER CHECK (survey_neutral >= 0),
    survey_dissatisfied INTEGER CHECK (survey_dissatisfied >= 0),
    pakn_received INTEGER CHECK (pakn_received >= 0),
    pakn_answered_on_time INTEGER CHECK (pakn_answered_on_time >= 0),
    inspections_held INTEGER CHECK (inspections_held >= 0),
    legal_docs_reviewed INTEGER CHECK (legal_docs_reviewed >= 0),
    par_index REAL CHECK (par_index BETWEEN 0 AND 100),
    par_index_previous REAL CHECK (par_index_previous BETWEEN 0 AND 100),
    updated_at TEXT NOT NULL
);
CREATE INDEX report_figures_report ON report_figures(report_id);

-- Budget per task (VND): estimated by the lead unit and sent to Phòng Tài chính in Q1, approved
-- by UBND đặc khu, spent as it goes.
CREATE TABLE budgets (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    estimate INTEGER CHECK (estimate >= 0),
    estimate_sent_on TEXT,                   -- ISO date sent to Phòng Tài chính
    approved INTEGER CHECK (approved >= 0),
    approved_on TEXT,
    spent INTEGER CHECK (spent >= 0),
    note TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX budgets_task ON budgets(task_id);

-- Amendments: a unit proposes, Phòng Văn hóa - Xã hội forwards, UBND đặc khu decides. Only an
-- approved amendment changes the plan's tasks (and the task history records it).
CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),   -- the proposing unit
    action TEXT NOT NULL CHECK (action IN ('add', 'change', 'drop')),
    task_id TEXT REFERENCES tasks(id),            -- the task changed or dropped; the new one once added
    proposal TEXT NOT NULL DEFAULT '{}',          -- JSON: the proposed content, lead, timeframe…
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'forwarded', 'approved', 'rejected')),
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    forwarded_by TEXT,
    forwarded_at TEXT,
    decision_number TEXT,                         -- "45/QĐ-UBND"
    decision_date TEXT,                           -- ISO date
    decided_by TEXT,
    decided_at TEXT,
    CHECK ((action = 'add') OR (task_id IS NOT NULL))
);
CREATE INDEX amendments_task ON amendments(task_id);
