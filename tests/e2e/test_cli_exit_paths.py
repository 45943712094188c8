"""The command line's exit paths (issue 20): a reader that goes away (``cchc targets | head``)
ends the command quietly, as Unix tools end; a number too large for any column is a Vietnamese
sentence and exit 2, never a Python traceback, and nothing is written."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import cchc_env, run_cchc


@pytest.fixture
def db(db_path):
    run_cchc("--db", str(db_path), "init", check=True)
    return str(db_path)


@pytest.mark.parametrize("args", [["targets"], ["tasks"], ["plan"], ["tasks", "--json"]])
def test_a_closed_pipe_ends_quietly(db, args) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc", "--db", db, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cchc_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line is written
    err = proc.stderr.read().decode("utf-8")
    code = proc.wait(timeout=120)
    assert code in (0, 141)
    assert err == ""  # no "Không kết nối được tới máy chủ đồng bộ", no traceback


@pytest.mark.parametrize(
    "args",
    [
        ["budget", "set", "1", "--estimate", "9223372036854775808"],
        ["budget", "set", "1", "--estimate", "99999999999999999999999999"],
        ["budget", "set", "1", "--spent", "10000000000001"],
    ],
)
def test_a_number_too_large_is_a_sentence_and_exit_2(db, db_path, args) -> None:
    before = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM budgets").fetchone()
    proc = run_cchc("--db", db, *args, env={"CCHC_NOW": "2026-03-20T09:00:00+07:00"})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr
    assert proc.stderr.startswith("Lỗi: ")
    assert sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM budgets").fetchone() == before
