-- Publishing a plan (issue 21): the city records each plan it publishes as one row, which the
-- sync engine carries to every laptop of the zone as city data (services/sync_policy.py: only
-- the city writes it, and nobody, the city included, changes or deletes it once written).
-- `source` is the plan file as the city loaded it (TOML, verbatim); `body` is the plan's rows as
-- the city derived them from it (JSON: the decision, zone, areas, units, targets and tasks, with
-- the tasks carried over from last year's plan), which a trigger writes into the plan's tables
-- the moment the row is stored: on the city when it loads the plan, on a laptop when the engine
-- applies the row, identically on every copy, whatever else the bundle holds. Those rows are
-- written with capture off: each copy makes them itself, none sends them. The trigger touches
-- the sync engine's state, so it is installed once the engine's tables exist
-- (cchc.store.plan_files, called when the database is opened).
CREATE TABLE plan_files (
    id TEXT PRIMARY KEY,                 -- the plan's id (as its decision's rows are named)
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    zone TEXT NOT NULL,
    source TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    body TEXT NOT NULL,
    carried TEXT NOT NULL DEFAULT '[]',  -- JSON list: {"stt", "from_stt", "from_year"}
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL
);
