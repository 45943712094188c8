"""The command line speaks with the catalog's voice: the same Vietnamese sentence a screen shows,
then, on its own line, the flag to type; never an identifier, the engine's English or a file's
bytes."""

from __future__ import annotations

import pytest

from tests.conftest import run_cchc

NOW = {"CCHC_NOW": "2026-03-20T09:00:00+07:00"}


@pytest.fixture
def db(db_path):
    run_cchc("--db", str(db_path), "init", check=True)
    return str(db_path)


def test_a_date_missing_from_the_calendar_is_named_by_its_field_in_vietnamese(db):
    proc = run_cchc(
        "--db", db, "task", "update", "4", "--status", "done", "--done-on", "31/02/2026", env=NOW
    )
    assert proc.returncode == 2
    assert "Ngày hoàn thành" in proc.stderr
    assert "không có trên lịch" in proc.stderr
    assert "done_on" not in proc.stderr


def test_the_flag_to_use_comes_on_its_own_line_after_the_sentence(db):
    proc = run_cchc("--db", db, "task", "update", "4", "--progress", "100", "--by", "A", env=NOW)
    assert proc.returncode == 2
    sentence, hint = proc.stderr.strip().splitlines()
    assert sentence.startswith("Lỗi: Tiến độ 100% nghĩa là đã hoàn thành")
    assert "--" not in sentence
    assert hint == "Trên dòng lệnh: --status done."


def test_a_file_that_is_not_a_database_is_not_described_in_sqlite_english(tmp_path):
    junk = tmp_path / "thu.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    proc = run_cchc("--db", str(junk), "tasks")
    assert proc.returncode == 2
    assert "Không mở được cơ sở dữ liệu" in proc.stderr
    assert "file is not a database" not in proc.stderr


def test_a_file_that_is_not_a_bundle_is_refused_without_quoting_its_bytes(db, tmp_path):
    junk = tmp_path / "goi.cchc"
    junk.write_bytes(b"\xdd" * 64)
    proc = run_cchc("--db", db, "sync", "import", str(junk), env=NOW)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "không phải gói dữ liệu đồng bộ" in out
    assert "SYNCBNDL" not in out and "\\xdd" not in out and "expected" not in out
