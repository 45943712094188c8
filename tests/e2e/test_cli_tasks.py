"""The `cchc` command line as scripts and power users drive it: real processes, real files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import cchc_env, run_cchc, run_json

NOW = {"CCHC_NOW": "2026-03-20T09:00:00+07:00"}
JSON_FIELDS = {
    "id", "stt", "area", "area_title", "content", "subitems", "lead", "partners", "timeframe",
    "deadline_kind", "window_start", "due", "cadence", "product", "status", "state", "progress",
}  # fmt: skip


def table_dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("tasks", "task_updates", "documents", "history")
        ]
    finally:
        conn.close()


@pytest.fixture
def db(db_path):
    run_cchc("--db", str(db_path), "init", check=True)
    return str(db_path)


def test_init_twice_changes_nothing(db, db_path):
    before = table_dump(db_path)
    proc = run_cchc("--db", db, "init", check=True)
    assert "26 nhiệm vụ" in proc.stdout
    assert table_dump(db_path) == before


def test_tasks_json_lists_26_tasks_with_every_promised_field(db):
    tasks = run_json("--db", db, "tasks", env=NOW)
    assert len(tasks) == 26
    assert set(tasks[0]) >= JSON_FIELDS
    first = tasks[0]
    assert (first["stt"], first["area"], first["timeframe"], first["due"]) == (
        1,
        "I",
        "Trước ngày 15/01/2026",
        "2026-01-14",  # "trước ngày D": by the day before D (issue 19)
    )
    assert first["state"] == "done_on_time"  # done by the decision itself, 07/01/2026
    # Standing duties are judged as their products ask (issue 19, seed D20): row 15's monthly
    # reports, row 12's publication on each event.
    standing = next(t for t in tasks if t["stt"] == 15)
    assert (standing["deadline_kind"], standing["cadence"], standing["due"]) == (
        "standing",
        "monthly",
        None,
    )
    assert next(t for t in tasks if t["stt"] == 12)["cadence"] == "event"


def test_task_show_json_adds_updates_documents_and_history(db, tmp_path):
    plan_pdf = tmp_path / "kh.pdf"
    plan_pdf.write_bytes(b"%PDF-1.4")
    run_cchc(
        "--db", db, "task", "update", "4", "--status", "done", "--done-on", "18/03/2026",
        "--by", "Nguyễn Văn An", "--attach", str(plan_pdf), "--doc-type", "Kế hoạch",
        "--doc-number", "12/KH-UBND", "--doc-date", "15/03/2026",
        env=NOW, check=True,
    )  # fmt: skip
    shown = run_json("--db", db, "task", "show", "4", env=NOW)
    assert shown["state"] == "done_on_time"
    assert shown["documents"][0]["number"] == "12/KH-UBND"
    assert shown["updates"][0]["officer"] == "Nguyễn Văn An"
    assert {h["field"] for h in shown["history"]} >= {"status", "progress", "done_on"}


@pytest.mark.parametrize(
    "args",
    [
        ("task", "update", "27", "--progress", "10"),
        ("task", "update", "4", "--progress", "120"),
        ("task", "update", "4", "--status", "done", "--done-on", "31/02/2026"),
        ("task", "update", "4", "--attach", "/nonexistent/kh.pdf", "--doc-type", "Kế hoạch",
         "--doc-number", "1/KH-UBND", "--doc-date", "01/03/2026"),
        ("task", "update", "4", "--attach", "/etc/hostname"),
        ("task", "add", "--content", "X", "--lead", "Không có", "--due", "01/05/2026",
         "--source-number", "1/UBND", "--source-date", "01/03/2026", "--source-issuer", "UBND"),
        ("task", "add", "--content", "X", "--lead", "vhxh", "--due", "32/05/2026",
         "--source-number", "1/UBND", "--source-date", "01/03/2026", "--source-issuer", "UBND"),
        ("tasks", "--unit", "Phòng Không Tồn Tại"),
        ("tasks", "--status", "finished"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(db, db_path, args):
    before = table_dump(db_path)
    proc = run_cchc("--db", db, *args, env=NOW)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip()
    assert "Traceback" not in proc.stderr
    assert table_dump(db_path) == before


def test_task_add_prints_the_new_id_and_flags_unread_words(db):
    proc = run_cchc(
        "--db", db, "task", "add", "--content", "Rà soát quy chế", "--lead", "Phòng Tài chính",
        "--timeframe", "Sau khi có hướng dẫn", "--source-number", "15/UBND-TC",
        "--source-date", "02/03/2026", "--source-issuer", "UBND đặc khu Bạch Long Vĩ",
        env=NOW, check=True,
    )  # fmt: skip
    new_id = proc.stdout.strip()
    assert len(new_id) == 32
    assert "chưa đọc được" in proc.stderr
    shown = run_json("--db", db, "task", "show", new_id, env=NOW)
    assert (shown["stt"], shown["deadline_kind"], shown["timeframe"]) == (
        None,
        "unparsed",
        "Sau khi có hướng dẫn",
    )


def test_db_option_beats_environment_which_beats_user_data_folder(tmp_path):
    data_home = tmp_path / "xdg"
    env_db = tmp_path / "env.sqlite"
    flag_db = tmp_path / "flag.sqlite"
    base = {"XDG_DATA_HOME": str(data_home), "LOCALAPPDATA": str(data_home)}
    run_cchc("init", env=base, check=True)
    assert (data_home / "cchc-bach-long-vi" / "cchc.sqlite").exists()
    run_cchc("init", env={**base, "CCHC_DB": str(env_db)}, check=True)
    assert env_db.exists()
    run_cchc("--db", str(flag_db), "init", env={**base, "CCHC_DB": str(env_db)}, check=True)
    assert flag_db.exists()


UPDATE_LOOP = """
import sys
from cchc.services.workspace import Workspace
from cchc.services.tasks import update_task
ws = Workspace.open(__import__('pathlib').Path(sys.argv[1]))
stt = sys.argv[2]
for i in range(int(sys.argv[3])):
    update_task(ws, stt, progress=(i % 99) + 1, note=f"lần {i}", by="Tiến trình " + stt)
    if i == 0:
        print("started", flush=True)
"""


def _spawn_updater(db: str, stt: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", UPDATE_LOOP, db, stt, str(count)],
        env=cchc_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_updating_at_once_both_succeed(db):
    procs = [_spawn_updater(db, stt, 60) for stt in ("2", "5")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    conn = sqlite3.connect(db)
    counts = dict(
        conn.execute(
            "SELECT t.stt, count(*) FROM task_updates u JOIN tasks t ON t.id = u.task_id"
            " GROUP BY t.stt"
        ).fetchall()
    )
    assert counts == {2: 60, 5: 60}


def test_a_process_killed_mid_update_leaves_a_consistent_database(db):
    for delay in (0.05, 0.15, 0.3):
        proc = _spawn_updater(db, "6", 10_000)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every update row has its history row and the task shows the last update's progress.
    task_id, progress = conn.execute("SELECT id, progress FROM tasks WHERE stt = 6").fetchone()
    updates = conn.execute(
        "SELECT progress, note FROM task_updates WHERE task_id = ? ORDER BY created_at, rowid",
        (task_id,),
    ).fetchall()
    notes = conn.execute(
        "SELECT count(*) FROM history WHERE task_id = ? AND action = 'noted'", (task_id,)
    ).fetchone()[0]
    assert updates and notes == len(updates)
    assert updates[-1][0] == progress
    # And the database still takes updates.
    shown = json.loads(
        run_cchc(
            "--db", db, "task", "update", "6", "--progress", "50", "--by", "A", "--json"
        ).stdout
    )
    assert shown["progress"] == 50


def test_a_file_that_is_not_a_database_is_refused_clearly_and_left_untouched(tmp_path):
    junk = tmp_path / "not-a-db.sqlite"
    junk.write_bytes(b"this is a letter, not a database" * 100)
    before = junk.read_bytes()
    proc = run_cchc("--db", str(junk), "tasks")
    assert proc.returncode == 2
    assert "Không mở được cơ sở dữ liệu" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert junk.read_bytes() == before


def test_a_units_laptop_refuses_edits_the_other_copies_would_refuse(db):
    """As the sync policy on every other copy: a unit's laptop changes the tasks its unit leads,
    and only adds notes and documents to the tasks it partners on."""
    run_cchc("--db", db, "settings", "--unit", "tthcc", "--officer", "Phạm Văn Cường", check=True)
    before = table_dump(db)
    refused = run_cchc("--db", db, "task", "update", "4", "--progress", "30", env=NOW)
    assert refused.returncode != 0
    assert "Trung tâm Phục vụ hành chính công" in refused.stderr
    assert "do đơn vị khác chủ trì" in refused.stderr
    added = run_cchc(
        "--db", db, "task", "add", "--content", "Rà soát quy trình tiếp nhận hồ sơ",
        "--lead", "vp_ubnd", "--timeframe", "Quý III/2026", "--source-number", "12/UBND-NC",
        "--source-date", "02/03/2026", "--source-issuer", "UBND đặc khu", env=NOW,
    )  # fmt: skip
    assert added.returncode == 2 and "không được giao nhiệm vụ ngoài kế hoạch" in added.stderr
    assert table_dump(db) == before

    # the office that leads adds a task with tthcc as partner
    run_cchc("--db", db, "settings", "--unit", "vp_ubnd", check=True)
    task = run_json(
        "--db", db, "task", "add", "--content", "Rà soát quy trình tiếp nhận hồ sơ",
        "--lead", "vp_ubnd", "--partner", "tthcc", "--timeframe", "Quý III/2026",
        "--source-number", "12/UBND-NC", "--source-date", "02/03/2026",
        "--source-issuer", "UBND đặc khu", "--json", env=NOW,
    )  # fmt: skip
    ref = task["id"][:8]  # type: ignore[index]
    run_cchc("--db", db, "settings", "--unit", "tthcc", check=True)
    noted = run_json(
        "--db", db, "task", "update", ref, "--note", "Đã gửi danh mục hồ sơ", "--json", env=NOW
    )
    assert noted["progress"] == 0  # type: ignore[index]
    moved = run_cchc("--db", db, "task", "update", ref, "--progress", "40", env=NOW)
    assert moved.returncode != 0 and "chỉ ghi được ghi chú và văn bản" in moved.stderr
    assert run_json("--db", db, "task", "show", ref)["progress"] == 0  # type: ignore[index]
