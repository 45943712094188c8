"""The zone, reporting duty and units' report suffixes of the plan file are stored with the plan
(issue 21): the 2026 plan's match the words the report catalog holds today, so the reports can
take them from the data; a database loaded before format 1 gets them on its next open."""

from __future__ import annotations

from cchc.services.plan import SEED_CHECKSUM_KEY
from cchc.services.plan_file import plan_zone
from cchc.services.workspace import Workspace
from cchc.texts import reports as report_texts


def test_the_2026_zone_and_unit_suffixes_are_stored_as_the_catalog_words_them(db_path):
    ws = Workspace.open(db_path)
    try:
        zone = plan_zone(ws)
    finally:
        ws.close()
    assert zone is not None
    assert (zone.plan_number, zone.year) == ("07/QĐ-UBND", 2026)
    assert zone.body == report_texts.ZONE_BODY
    assert zone.name == report_texts.PLACE
    assert zone.doc_suffix == report_texts.ZONE_DOC_SUFFIX
    assert tuple(zone.recipients) == report_texts.RECIPIENTS_ZONE
    assert zone.unit_doc_suffix == report_texts.UNIT_DOC_SUFFIX
    assert zone.unit_signer_title == report_texts.UNIT_SIGNER_TITLE
    assert zone.reporting_through == "Phòng Văn hóa - Xã hội"


def test_a_database_loaded_before_format_1_gets_the_zone_on_its_next_open(db_path):
    ws = Workspace.open(db_path)
    try:
        # as a laptop whose plan was loaded from the seed before it carried a zone
        ws.db.conn.execute("DELETE FROM unit_reporting")
        ws.db.conn.execute("DELETE FROM plan_zone")
        ws.set_setting(SEED_CHECKSUM_KEY, "the-seed-before-format-1")
        ws.db.conn.commit()
        assert plan_zone(ws) is None
        tasks_before = ws.db.conn.execute("SELECT count(*) FROM tasks").fetchone()
    finally:
        ws.close()
    reopened = Workspace.open(db_path)
    try:
        zone = plan_zone(reopened)
        assert zone is not None and zone.name == "Bạch Long Vĩ"
        assert len(zone.unit_doc_suffix) == 7
        assert reopened.db.conn.execute("SELECT count(*) FROM tasks").fetchone() == tasks_before
    finally:
        reopened.close()
