-- Years side by side (issue 21): the plan of each year keeps its own areas, targets and task
-- rows. Row numbers, area and target codes are unique within a year, no longer across years; a
-- task names the year of the plan it belongs to, and a task carried over from last year's plan
-- names the task (its old row) it continues. Rows already held belong to the plan held (2026).
-- No table is renamed: a rename re-reads every trigger, and history's (0040) names the sync
-- engine's state, which a database being created does not have yet. Each table is emptied into
-- a holding table, made again in its new shape under its own name, and filled back: tasks first,
-- as they name an area by its code, which stops being unique.
PRAGMA defer_foreign_keys = ON;
-- The rows that point at tasks (updates, documents, history, budgets, amendments, report
-- lines) keep pointing at the same ids: the table is emptied into `tasks_held`, made again in
-- its new shape under its own name and filled back, and the foreign keys are checked at the
-- commit, by when `tasks` holds every id again. Dropping a table fires none of its triggers
-- (the sync engine installs its capture triggers again when it next opens the database).
CREATE TABLE tasks_held AS SELECT * FROM tasks;
DROP TABLE tasks;
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    stt INTEGER,                             -- row of the year's Phụ lục; NULL outside the plan
    area TEXT,                               -- an area code of the task's year
    content TEXT NOT NULL,
    subitems TEXT NOT NULL DEFAULT '[]',
    lead_unit_id TEXT NOT NULL REFERENCES units(id),
    lead_text TEXT NOT NULL,
    partners TEXT NOT NULL DEFAULT '[]',
    partner_unit_ids TEXT NOT NULL DEFAULT '[]',
    timeframe TEXT NOT NULL,
    deadline_kind TEXT NOT NULL,
    window_start TEXT,
    due TEXT,
    cadence TEXT,
    timeframe_flagged INTEGER NOT NULL DEFAULT 0,
    product TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'done')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done_on TEXT,
    origin TEXT NOT NULL DEFAULT 'plan' CHECK (origin IN ('plan', 'city', 'zone')),
    source_number TEXT,
    source_date TEXT,
    source_issuer TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    plan_year INTEGER,                       -- the year of the plan the task belongs to
    carried_from TEXT,                       -- the task of last year's plan this one continues
    UNIQUE (plan_year, stt)
);
INSERT INTO tasks (id, stt, area, content, subitems, lead_unit_id, lead_text, partners,
    partner_unit_ids, timeframe, deadline_kind, window_start, due, cadence, timeframe_flagged,
    product, status, progress, done_on, origin, source_number, source_date, source_issuer,
    created_at, updated_at, plan_year)
    SELECT id, stt, area, content, subitems, lead_unit_id, lead_text, partners,
    partner_unit_ids, timeframe, deadline_kind, window_start, due, cadence, timeframe_flagged,
    product, status, progress, done_on, origin, source_number, source_date, source_issuer,
    created_at, updated_at, (SELECT min(year) FROM plan)
    FROM tasks_held ORDER BY rowid;

DROP TABLE tasks_held;
CREATE INDEX tasks_lead ON tasks(lead_unit_id);
CREATE INDEX tasks_due ON tasks(due);
CREATE INDEX tasks_year ON tasks(plan_year, stt);

CREATE TABLE areas_held AS SELECT * FROM areas;
DROP TABLE areas;
CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    plan_year INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    section_title TEXT NOT NULL,
    position INTEGER NOT NULL,
    solutions TEXT NOT NULL DEFAULT '[]',
    UNIQUE (plan_year, code)
);
INSERT INTO areas (id, plan_year, code, title, section_title, position, solutions)
    SELECT id, (SELECT min(year) FROM plan), code, title, section_title, position, solutions
    FROM areas_held ORDER BY rowid;
DROP TABLE areas_held;

CREATE TABLE targets_held AS SELECT * FROM targets;
DROP TABLE targets;
CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    plan_year INTEGER NOT NULL,
    code TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    metric TEXT NOT NULL,
    op TEXT NOT NULL,
    threshold REAL,
    UNIQUE (plan_year, code)
);
INSERT INTO targets (id, plan_year, code, source, text, metric, op, threshold)
    SELECT id, (SELECT min(year) FROM plan), code, source, text, metric, op, threshold
    FROM targets_held ORDER BY rowid;
DROP TABLE targets_held;
