"""The zone, reporting duty and units' report suffixes of the plan file are stored with the plan
(issue 21): the 2026 plan's are the words its reports have always printed (the catalog held them
until the reports took them from the data); a database loaded before format 1 gets them on its
next open."""

from __future__ import annotations

from cchc.services.plan import SEED_CHECKSUM_KEY
from cchc.services.plan_file import plan_zone
from cchc.services.workspace import Workspace


def test_the_2026_zone_and_unit_suffixes_are_stored_as_the_catalog_words_them(db_path):
    ws = Workspace.open(db_path)
    try:
        zone = plan_zone(ws)
    finally:
        ws.close()
    assert zone is not None
    assert (zone.plan_number, zone.year) == ("07/QĐ-UBND", 2026)
    # the words the catalog held before issue 21 moved them into the plan file
    assert zone.body == "Ủy ban nhân dân đặc khu Bạch Long Vĩ"
    assert zone.name == "Bạch Long Vĩ"
    assert zone.doc_suffix == "BC-UBND"
    assert tuple(zone.recipients) == (
        "Sở Nội vụ thành phố Hải Phòng;",
        "Văn phòng UBND thành phố;",
        "TT Đảng ủy đặc khu;",
        "CT, các PCT UBND đặc khu;",
        "Lưu: VT, VHXH.",
    )
    assert zone.unit_doc_suffix == {
        "vhxh": "BC-VHXH",
        "vp_ubnd": "BC-VP",
        "tai_chinh": "BC-TC",
        "tthcc": "BC-TTPVHCC",
        "tt_dvsnc": "BC-TTDVSNC",
        "cong_ttdt": "BC-CTTĐT",
        "cong_an": "BC-CAĐK",
    }
    assert zone.unit_signer_title == {
        "vhxh": "TRƯỞNG PHÒNG",
        "vp_ubnd": "CHÁNH VĂN PHÒNG",
        "tai_chinh": "TRƯỞNG PHÒNG",
        "tthcc": "GIÁM ĐỐC",
        "tt_dvsnc": "GIÁM ĐỐC",
        "cong_ttdt": "TRƯỞNG BAN BIÊN TẬP",
        "cong_an": "TRƯỞNG CÔNG AN",
    }
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
