"""A copy running an older version accepted values outside their domain (issue 20): +inf and
1e308 as money, a task done on 31/12/9999, a progress of 50,5 %, a date that is no date, a bidi
override in a report's text, a list column that is no list. Every read command still works on
that copy, says which values it could not use, and never shows a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cchc.texts.sync import column_name
from tests.conftest import run_cchc
from tests.integration.older_copy import poisoned_city


@pytest.fixture(scope="module")
def city_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return poisoned_city(tmp_path_factory.mktemp("older"))


def _report_id(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT id FROM reports").fetchone()[0])
    finally:
        conn.close()


READ_COMMANDS = [
    ["budget", "show"],
    ["budget", "show", "--json"],
    ["tasks"],
    ["tasks", "--json"],
    ["task", "show", "2"],
    ["task", "show", "3"],
    ["task", "show", "2", "--json"],
    ["due"],
    ["targets"],
    ["plan"],
    ["report", "list"],
    ["report", "status", "--period", "2026-Q1"],
    ["amendment", "list"],
    ["units"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a) for a in READ_COMMANDS])
def test_every_read_command_works_on_values_an_older_copy_let_in(
    city_db: Path, args: list[str]
) -> None:
    proc = run_cchc("--db", str(city_db), *args, env={"CCHC_NOW": "2026-04-20T09:00:00+07:00"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "inf" not in proc.stdout.lower().replace("info", "")
    assert "\u202e" not in proc.stdout


def test_budget_show_flags_the_values_it_could_not_use(city_db: Path) -> None:
    proc = run_cchc("--db", str(city_db), "budget", "show", check=True)
    assert f"“{column_name('estimate')}”" in proc.stdout
    assert f"“{column_name('spent')}”" in proc.stdout
    assert "nằm ngoài khoảng cho phép" in proc.stdout


def test_task_show_flags_a_year_9999_completion_and_a_broken_list(city_db: Path) -> None:
    proc = run_cchc("--db", str(city_db), "task", "show", "2", check=True)
    assert "9999" not in proc.stdout
    flagged = proc.stdout.split("⚠", 1)[1]
    for column in ("done_on", "progress", "subitems", "due"):
        assert f"“{column_name(column)}”" in flagged


def test_the_report_prints_and_exports_without_the_bidi_override(
    city_db: Path, tmp_path: Path
) -> None:
    report = _report_id(city_db)
    for out in ("r.pdf", "r.csv", "r.xlsx"):
        proc = run_cchc("--db", str(city_db), "report", "pdf" if out.endswith("pdf") else "export",
                        report, "--out", str(tmp_path / out))  # fmt: skip
        assert proc.returncode == 0, proc.stderr
    assert "\u202e" not in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "Kết quả đảo chiều" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def draft_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A draft report of the city into which an older copy let a bidi override in a text, a
    progress of 50,5 % on a task line and 1e308 dossiers received, written raw."""
    import datetime as dt

    from cchc.services import reports as report_service
    from cchc.services.workspace import Workspace

    db = poisoned_city(tmp_path_factory.mktemp("older-draft"))
    moment = dt.datetime.fromisoformat("2026-04-20T09:00:00+07:00")
    ws = Workspace.open(db, clock=lambda: moment)
    try:
        view = report_service.new_report(ws, unit="vp_ubnd", period="2026-Q2", by="Sở Nội vụ")
        report_service.set_report(ws, view.id, sections={"I": "Kết quả quý II."})
    finally:
        ws.close()
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for sql in (
            "UPDATE report_sections SET text = 'Quý II \u202eđảo chiều\u202c' WHERE report_id = ?",
            "UPDATE report_tasks SET progress = 50.5 WHERE report_id = ?",
            "UPDATE report_figures SET received_direct = 1e308 WHERE report_id = ?",
        ):
            conn.execute(sql, (view.id,))
    finally:
        conn.close()
    return db, view.id


FLAGGED_COLUMNS = ("text", "progress", "received_direct")


def test_every_reader_of_a_draft_report_flags_what_it_could_not_use(
    draft_db: tuple[Path, str], tmp_path: Path
) -> None:
    """`report show`, the PDF, the CSV and XLSX exports and the Báo cáo screen each open the
    report, show none of the values outside their domain, and say which ones they left out."""
    import subprocess
    import zipfile

    from cchc.texts.reports import CSV_SECTION_FLAGGED, FLAGGED_HEADING

    db, report = draft_db
    names = [f"“{column_name(c)}”" for c in FLAGGED_COLUMNS]
    shown = run_cchc("--db", str(db), "report", "show", report, check=True).stdout
    assert "\u202e" not in shown and "1e+308" not in shown and "50.5" not in shown
    flagged = shown.split("⚠", 1)[1]
    assert all(name in flagged for name in names)

    pdf = tmp_path / "r.pdf"
    run_cchc("--db", str(db), "report", "pdf", report, "--out", str(pdf), check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert FLAGGED_HEADING in text and "\u202e" not in text
    assert all(name in " ".join(text.split()) for name in names)

    for out in ("r.csv", "r.xlsx"):
        run_cchc("--db", str(db), "report", "export", report, "--out", str(tmp_path / out),
                 check=True)  # fmt: skip
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert CSV_SECTION_FLAGGED in csv_text and all(name in csv_text for name in names)
    assert "\u202e" not in csv_text and "1e+308" not in csv_text
    with zipfile.ZipFile(tmp_path / "r.xlsx") as book:
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert CSV_SECTION_FLAGGED in strings and "\u202e" not in strings


def test_the_report_screen_flags_what_it_could_not_use(draft_db: tuple[Path, str]) -> None:
    import datetime as dt

    from cchc.services.workspace import Workspace
    from cchc.ui.screens.reports import ReportsScreen
    from tests.integration.screen_ctx import ScreenContext, shown_texts

    db, report = draft_db
    moment = dt.datetime.fromisoformat("2026-04-20T09:00:00+07:00")
    ws = Workspace.open(db, clock=lambda: moment)
    try:
        ctx = ScreenContext(ws, db)
        screen = ReportsScreen(ctx)
        screen.show(report=report)
        texts = " ".join(shown_texts(screen.view))
        assert ctx.errors == []
        assert "\u202e" not in texts
        flagged = texts.split("⚠", 1)[1]
        assert all(f"“{column_name(c)}”" in flagged for c in FLAGGED_COLUMNS)
    finally:
        ws.close()
