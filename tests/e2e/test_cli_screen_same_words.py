"""What the command line and the screens both show is written once: a task's detail and history
(island time, states and fields in words), and this laptop's unit and officer (`cchc settings`
checks what the Cài đặt screen checks)."""

from __future__ import annotations

import pytest

from cchc.domain.dates import format_island_time
from cchc.services import overview
from cchc.services import task_text as present
from cchc.services.door import Door
from cchc.services.tasks import get_task
from tests.conftest import run_cchc

NOW = {"CCHC_NOW": "2026-03-20T09:00:00+07:00"}


@pytest.fixture
def db(db_path):
    run_cchc("--db", str(db_path), "init", check=True)
    return str(db_path)


def test_island_time_is_one_format_whatever_the_offset_written():
    assert format_island_time("2026-03-20T02:00:00+00:00") == "20/03/2026 09:00"
    assert format_island_time("2026-03-20T02:00:00") == "20/03/2026 09:00"  # UTC when bare
    assert format_island_time(None) == "—"
    assert format_island_time("hôm qua") == "hôm qua"


def test_task_show_prints_the_facts_and_history_the_screen_shows(db, db_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", NOW["CCHC_NOW"])  # the same day in this process
    run_cchc(
        "--db", db, "task", "update", "4", "--status", "in_progress", "--progress", "40",
        "--by", "Lê Thị B", env=NOW, check=True,
    )  # fmt: skip
    shown = run_cchc("--db", db, "task", "show", "4", env=NOW, check=True).stdout
    with Door.open(db_path) as door:
        detail = door.call(get_task, "4")
    for label, value in present.facts(detail):
        assert f"{label}: {value}" in shown
    lines = [present.history_line(e) for e in detail.history]
    assert lines and all(line in shown for line in lines)
    assert "20/03/2026 09:00" in shown
    assert "in_progress" not in shown and "T02:00" not in shown


def test_cchc_settings_refuses_a_blank_officer_as_the_screen_does(db, db_path):
    proc = run_cchc("--db", db, "settings", "--officer", "   ")
    assert proc.returncode == 2
    assert "tên cán bộ" in proc.stderr
    with Door.open(db_path) as door:
        assert door.call(overview.local_profile).officer is None


def test_cchc_settings_stores_the_officer_as_the_screen_does(db, db_path):
    run_cchc("--db", db, "settings", "--unit", "vhxh", check=True)
    out = run_cchc("--db", db, "settings", "--officer", "  Lê Thị B ", check=True).stdout
    with Door.open(db_path) as door:
        profile = door.call(overview.local_profile)
    assert (profile.unit_code, profile.officer) == ("vhxh", "Lê Thị B")
    assert "Lê Thị B" in out and profile.unit_name in out
    assert "officer" not in out and "unit" not in out
