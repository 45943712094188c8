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
