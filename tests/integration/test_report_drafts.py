"""What an officer types into a report is kept on this laptop as it is typed, in a real SQLite
file: it survives closing the workspace, is cleared by a save, is refused on a submitted report
and for a field the report does not have, and never enters the sync engine's feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.domain.errors import CchcError, Conflict, InvalidInput
from cchc.services import overview, report_drafts
from cchc.services import reports as report_service
from cchc.services.workspace import Workspace


@pytest.fixture
def draft(tmp_path: Path) -> tuple[Path, str]:
    db = tmp_path / "tthcc.sqlite"
    with Workspace.open(db) as ws:
        overview.set_local_profile(ws, "tthcc", "Phạm Văn Cường")
        view = report_service.new_report(ws, unit="tthcc", period="2026-Q4")
    return db, view.id


def test_typed_text_survives_closing_the_laptops_database(draft: tuple[Path, str]) -> None:
    db, ref = draft
    with Workspace.open(db) as ws:
        report_drafts.keep(ws, ref, "fig:payments_total", "1.2")
        report_drafts.keep(ws, ref, "fig:payments_total", "1.200")  # typing on replaces
        report_drafts.keep(ws, ref, "section:A", "Đã ban hành kế hoạch")
    with Workspace.open(db) as ws:
        assert report_drafts.typed(ws, ref) == {
            "fig:payments_total": "1.200",
            "section:A": "Đã ban hành kế hoạch",
        }
        # nothing typed is in the report itself until it is saved
        assert report_service.get_report(ws, ref).figures.get("payments_total") is None


def test_a_save_then_clear_leaves_nothing_kept(draft: tuple[Path, str]) -> None:
    db, ref = draft
    with Workspace.open(db) as ws:
        report_drafts.keep(ws, ref, "fig:payments_total", "1.200")
        report_service.set_report(ws, ref, fields={"payments_total": "1.200"})
        report_drafts.clear(ws, ref)
        assert report_drafts.typed(ws, ref) == {}
        assert report_service.get_report(ws, ref).figures["payments_total"] == 1200


def test_typed_text_is_not_a_change_for_the_other_laptops(draft: tuple[Path, str]) -> None:
    db, ref = draft
    with Workspace.open(db) as ws:
        before = _engine_rows(ws)
        report_drafts.keep(ws, ref, "meta:signer", "Nguyễn Văn An")
        assert _engine_rows(ws) == before
        tracked = ws.db.conn.execute("SELECT * FROM _sync_tracked").fetchall()
        assert tracked and not any("report_drafts" in map(str, row) for row in tracked)


def _engine_rows(ws: Workspace) -> dict[str, int]:
    """How many rows each of the sync engine's own tables holds."""
    names = [
        r[0]
        for r in ws.db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '\\_sync%' ESCAPE '\\'"
        )
    ]
    return {n: ws.db.conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


@pytest.mark.parametrize(
    ("field", "text", "error"),
    [
        ("fig:x'); DROP TABLE reports;--", "1", InvalidInput),
        ("password", "1", InvalidInput),
        ("section:A", "x" * 5001, InvalidInput),
    ],
)
def test_a_field_the_report_lacks_or_an_endless_text_is_refused(
    draft: tuple[Path, str], field: str, text: str, error: type[CchcError]
) -> None:
    db, ref = draft
    with Workspace.open(db) as ws:
        with pytest.raises(error):
            report_drafts.keep(ws, ref, field, text)
        assert report_drafts.typed(ws, ref) == {}


def test_a_submitted_report_keeps_no_typed_text(draft: tuple[Path, str]) -> None:
    db, ref = draft
    with Workspace.open(db) as ws:
        report_service.set_report(
            ws, ref, fields={"received_direct": "10", "resolved_on_time": "10"}
        )
        report_drafts.keep(ws, ref, "section:B", "chưa lưu")
        report_service.submit_report(ws, ref)
        with pytest.raises(Conflict):
            report_drafts.keep(ws, ref, "section:B", "sau khi nộp")
        assert report_drafts.typed(ws, ref) == {}
