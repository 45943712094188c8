"""The budget procedure through `cchc`, on one database set to each unit in turn: every step is
offered to its role only; a refused step exits 2 with a Vietnamese message and writes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import run_cchc, run_json

NOW = {"CCHC_NOW": "2026-04-20T09:00:00+07:00"}


def budgets(db: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT * FROM budgets ORDER BY id").fetchall()
    finally:
        conn.close()


def as_unit(db: str, unit: str) -> None:
    run_cchc("--db", db, "settings", "--unit", unit, "--officer", "Cán bộ", check=True)


def test_each_budget_step_is_its_roles_alone(tmp_path: Path) -> None:
    db = str(tmp_path / "cchc.sqlite")
    as_unit(db, "tthcc")
    run_cchc("--db", db, "budget", "set", "11", "--estimate", "20.000.000", "--sent-on",
             "20/02/2026", env=NOW, check=True)  # fmt: skip
    before = budgets(db)
    for step in (
        ("budget", "appraise", "11", "--amount", "18000000", "--date", "01/03/2026"),
        (
            "budget",
            "allocate",
            "11",
            "--amount",
            "18000000",
            "--decision-number",
            "52/QĐ-UBND",
            "--decision-date",
            "25/03/2026",
        ),  # fmt: skip
        ("budget", "check", "11", "--date", "01/04/2026", "--note", "Đúng"),
    ):
        refused = run_cchc("--db", db, *step, env=NOW)
        assert refused.returncode == 2, refused.stderr
        assert (
            "Máy này (vai trò đơn vị" in refused.stderr and "Không có gì được ghi" in refused.stderr
        )
        assert budgets(db) == before

    as_unit(db, "tai_chinh")
    run_cchc("--db", db, "budget", "appraise", "11", "--amount", "18.000.000", "--date",
             "01/03/2026", "--submitted-on", "05/03/2026", env=NOW, check=True)  # fmt: skip
    as_unit(db, "vp_ubnd")
    run_cchc("--db", db, "budget", "allocate", "11", "--amount", "17.500.000",
             "--decision-number", "52/QĐ-UBND", "--decision-date", "25/03/2026", env=NOW,
             check=True)  # fmt: skip
    shown = run_json("--db", db, "budget", "show")
    assert isinstance(shown, dict)
    (line,) = [x for x in shown["lines"] if x["stt"] == 11]
    assert (line["appraised"], line["approved"], line["decision_number"]) == (
        18_000_000,
        17_500_000,
        "52/QĐ-UBND",
    )
