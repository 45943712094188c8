-- What an officer has typed into a report on screen and not yet saved: one row per field, as
-- typed (a figure not yet a number, half a sentence), so leaving the screen, a reload or a
-- closed window loses nothing. It is this laptop's own scratch: the sync engine does not track
-- it (services/sync_policy.TRACKED_TABLES), and a save or a submission clears the report's rows.
CREATE TABLE report_drafts (
    report_id TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, field)
);
