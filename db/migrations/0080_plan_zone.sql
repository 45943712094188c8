-- Plan file format 1 (docs/plan-format.md, issue 21): the zone or commune a plan belongs to and
-- its reporting duty, and each unit's report number suffix and signer, as the plan file states
-- them. Loaded with the plan's other rows, identical on every laptop, and like them never sent
-- by the sync engine (these tables are not tracked).
CREATE TABLE plan_zone (
    plan_id TEXT PRIMARY KEY REFERENCES plan(id),
    format_version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    parent_body TEXT NOT NULL,
    doc_suffix TEXT NOT NULL,
    recipients TEXT NOT NULL,  -- JSON list, in the file's order
    reporting_to TEXT NOT NULL,
    reporting_through TEXT NOT NULL,
    reporting_text TEXT NOT NULL
);

CREATE TABLE unit_reporting (
    unit_id TEXT PRIMARY KEY REFERENCES units(id),
    doc_suffix TEXT,
    signer_title TEXT
);
