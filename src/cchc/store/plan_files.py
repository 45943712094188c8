"""The trigger that writes a published plan's rows (table `plan_files`, db/migrations/0086) into
the plan's tables wherever the row is stored, with capture off: every copy makes them itself,
none sends them. Installed once the sync engine's tables exist (it turns the engine's capture
switch, `sync.reading.SUPPRESS_CAPTURE_SQL`)."""

from __future__ import annotations

import sqlite3

from sync import reading as sync_reading

TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS plan_files_materialise AFTER INSERT ON plan_files
BEGIN
    {sync_reading.SUPPRESS_CAPTURE_SQL};
    INSERT OR IGNORE INTO plan (id, number, date, issuer, place, title, year, signer_title,
        signer_name)
        SELECT json_extract(NEW.body, '$.plan.id'), json_extract(NEW.body, '$.plan.number'),
            json_extract(NEW.body, '$.plan.date'), json_extract(NEW.body, '$.plan.issuer'),
            json_extract(NEW.body, '$.plan.place'), json_extract(NEW.body, '$.plan.title'),
            json_extract(NEW.body, '$.plan.year'), json_extract(NEW.body, '$.plan.signer_title'),
            json_extract(NEW.body, '$.plan.signer_name');
    INSERT OR IGNORE INTO units (id, code, name, aliases, role, duty_clause, duties)
        SELECT json_extract(value, '$.id'), json_extract(value, '$.code'),
            json_extract(value, '$.name'), json_extract(value, '$.aliases'),
            json_extract(value, '$.role'), json_extract(value, '$.duty_clause'),
            json_extract(value, '$.duties')
        FROM json_each(NEW.body, '$.units') ORDER BY key;
    INSERT OR IGNORE INTO areas (id, plan_year, code, title, section_title, position, solutions)
        SELECT json_extract(value, '$.id'), json_extract(value, '$.plan_year'),
            json_extract(value, '$.code'), json_extract(value, '$.title'),
            json_extract(value, '$.section_title'), json_extract(value, '$.position'),
            json_extract(value, '$.solutions')
        FROM json_each(NEW.body, '$.areas') ORDER BY key;
    INSERT OR IGNORE INTO targets (id, plan_year, code, source, text, metric, op, threshold)
        SELECT json_extract(value, '$.id'), json_extract(value, '$.plan_year'),
            json_extract(value, '$.code'), json_extract(value, '$.source'),
            json_extract(value, '$.text'), json_extract(value, '$.metric'),
            json_extract(value, '$.op'), json_extract(value, '$.threshold')
        FROM json_each(NEW.body, '$.targets') ORDER BY key;
    INSERT OR IGNORE INTO plan_zone (plan_id, format_version, kind, name, body, parent_body,
        doc_suffix, recipients, reporting_to, reporting_through, reporting_text)
        SELECT json_extract(NEW.body, '$.plan.id'), json_extract(NEW.body, '$.zone.format_version'),
            json_extract(NEW.body, '$.zone.kind'), json_extract(NEW.body, '$.zone.name'),
            json_extract(NEW.body, '$.zone.body'), json_extract(NEW.body, '$.zone.parent_body'),
            json_extract(NEW.body, '$.zone.doc_suffix'), json_extract(NEW.body, '$.zone.recipients'),
            json_extract(NEW.body, '$.zone.reporting_to'),
            json_extract(NEW.body, '$.zone.reporting_through'),
            json_extract(NEW.body, '$.zone.reporting_text');
    INSERT OR IGNORE INTO unit_reporting (unit_id, doc_suffix, signer_title)
        SELECT json_extract(value, '$.unit_id'), json_extract(value, '$.doc_suffix'),
            json_extract(value, '$.signer_title')
        FROM json_each(NEW.body, '$.unit_reporting') ORDER BY key;
    INSERT OR IGNORE INTO tasks (id, stt, area, content, subitems, lead_unit_id, lead_text,
        partners, partner_unit_ids, timeframe, deadline_kind, window_start, due, cadence,
        timeframe_flagged, product, status, progress, done_on, origin, source_number,
        source_date, source_issuer, created_at, updated_at, plan_year, carried_from)
        SELECT json_extract(value, '$.id'), json_extract(value, '$.stt'),
            json_extract(value, '$.area'), json_extract(value, '$.content'),
            json_extract(value, '$.subitems'), json_extract(value, '$.lead_unit_id'),
            json_extract(value, '$.lead_text'), json_extract(value, '$.partners'),
            json_extract(value, '$.partner_unit_ids'), json_extract(value, '$.timeframe'),
            json_extract(value, '$.deadline_kind'), json_extract(value, '$.window_start'),
            json_extract(value, '$.due'), json_extract(value, '$.cadence'),
            json_extract(value, '$.timeframe_flagged'), json_extract(value, '$.product'),
            json_extract(value, '$.status'), json_extract(value, '$.progress'),
            json_extract(value, '$.done_on'), json_extract(value, '$.origin'),
            json_extract(value, '$.source_number'), json_extract(value, '$.source_date'),
            json_extract(value, '$.source_issuer'), NEW.loaded_at, NEW.loaded_at,
            json_extract(value, '$.plan_year'), json_extract(value, '$.carried_from')
        FROM json_each(NEW.body, '$.tasks') ORDER BY key;
    {sync_reading.RESUME_CAPTURE_SQL};
END;"""


def install_materialiser(conn: sqlite3.Connection) -> None:
    """Create the trigger if it is missing (cheap when it is there)."""
    have = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'plan_files_materialise'"
    ).fetchone()
    if have or not sync_reading.engine_present(conn):
        return
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(TRIGGER)
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    if own:
        conn.execute("COMMIT")
