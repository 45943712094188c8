-- The plan, its units and tasks, progress updates, evidence documents and history.
-- Every table the sync tracks has a TEXT primary key: uuid5 for rows loaded from the plan seed
-- (identical on every laptop), uuid4 for rows created here (never colliding across laptops).

CREATE TABLE plan (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL,
    date TEXT NOT NULL,
    issuer TEXT NOT NULL,
    place TEXT NOT NULL,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    signer_title TEXT NOT NULL,
    signer_name TEXT NOT NULL
);

CREATE TABLE areas (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    section_title TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',      -- JSON list of other spellings
    role TEXT NOT NULL,
    duty_clause TEXT,
    duties TEXT NOT NULL DEFAULT '[]'        -- JSON list, verbatim from section IV.2
);

CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    metric TEXT NOT NULL,
    op TEXT NOT NULL,
    threshold REAL
);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    stt INTEGER UNIQUE,                      -- row of the Phụ lục; NULL for tasks outside the plan
    area TEXT REFERENCES areas(code),
    content TEXT NOT NULL,
    subitems TEXT NOT NULL DEFAULT '[]',     -- JSON list
    lead_unit_id TEXT NOT NULL REFERENCES units(id),
    lead_text TEXT NOT NULL,                 -- the lead as written
    partners TEXT NOT NULL DEFAULT '[]',     -- JSON list, as written
    partner_unit_ids TEXT NOT NULL DEFAULT '[]',
    timeframe TEXT NOT NULL,                 -- verbatim
    deadline_kind TEXT NOT NULL,
    window_start TEXT,                       -- ISO date
    due TEXT,                                -- ISO date
    cadence TEXT,
    timeframe_flagged INTEGER NOT NULL DEFAULT 0,
    product TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'in_progress', 'done')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    done_on TEXT,                            -- ISO date of completion
    origin TEXT NOT NULL DEFAULT 'plan' CHECK (origin IN ('plan', 'city', 'zone')),
    source_number TEXT,                      -- the assigning document, for tasks outside the plan
    source_date TEXT,
    source_issuer TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_lead ON tasks(lead_unit_id);
CREATE INDEX tasks_due ON tasks(due);

CREATE TABLE task_updates (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    date TEXT NOT NULL,                      -- ISO date the update refers to
    unit_id TEXT REFERENCES units(id),
    officer TEXT NOT NULL,
    status TEXT,
    progress INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX task_updates_task ON task_updates(task_id);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    doc_type TEXT NOT NULL,                  -- Kế hoạch, Báo cáo, Quyết định…
    number TEXT NOT NULL,                    -- 12/KH-UBND
    date TEXT NOT NULL,                      -- ISO date of the document
    title TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,                    -- the file beside the database: attachments/<sha256>
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    added_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX documents_task ON documents(task_id);

-- Append-only: who changed what.
CREATE TABLE history (
    id TEXT PRIMARY KEY,
    task_id TEXT REFERENCES tasks(id),
    at TEXT NOT NULL,                        -- ISO timestamp, UTC
    actor TEXT NOT NULL,
    action TEXT NOT NULL,                    -- created, updated, document_added, …
    field TEXT,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX history_task ON history(task_id, at);
CREATE TRIGGER history_no_update BEFORE UPDATE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

-- Settings of this laptop (its unit, its officer): local, never synced.
CREATE TABLE local_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
