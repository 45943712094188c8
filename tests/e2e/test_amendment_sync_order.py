"""Issue 13 through the `cchc` command: the plan's amendment procedure (seed line 229) syncs in any
order, whichever way the laptops' site ids sort.

Three databases: the city (root), Phòng Văn hóa - Xã hội (consolidator) and Phòng Tài chính
(certified for its unit), each with its unit set. Phòng Văn hóa - Xã hội proposes dropping task 6
and forwards it; the city imports it and records UBND đặc khu's decision (45/QĐ-UBND); Phòng Tài
chính receives everything through the city only. Its import succeeds, it holds the decided
amendment, and the city's next bundle applies too.

Site ids are random at key creation; the test fixes them right after `cchc init` (before
anything is captured) so the city's id sorts before, then after, the proposer's.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import run_cchc, run_json

NOW = {"CCHC_NOW": "2026-04-20T09:00:00+07:00"}
LOW, HIGH = "0" * 32, "f" * 32


def fix_site_id(db: Path, site_id: str) -> None:
    """Give a fresh database the site id ``site_id``: allowed only before it captured or
    exchanged anything, since the id names the origin of every change it writes."""
    conn = sqlite3.connect(db)
    try:
        for table in ("_sync_pending", "_sync_segments", "_sync_cells"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        conn.execute("UPDATE _sync_state SET site_id = ?", (site_id,))
        conn.commit()
    finally:
        conn.close()


def export(db: Path, folder: Path) -> list[str]:
    return run_cchc(
        "--db", str(db), "sync", "export", "--to", str(folder), check=True
    ).stdout.split()


def world(tmp_path: Path, city_id: str, proposer_id: str) -> dict[str, Path]:
    dbs = {name: tmp_path / f"{name}.sqlite" for name in ("city", "vhxh", "tc")}
    ids = {"city": city_id, "vhxh": proposer_id, "tc": "7" * 32}
    for name, db in dbs.items():
        run_cchc("--db", str(db), "init", env=NOW, check=True)
        fix_site_id(db, ids[name])
    root = run_json("--db", str(dbs["city"]), "trust", "init-root")
    assert isinstance(root, dict)
    for name, unit, role, officer in (
        ("vhxh", "vhxh", "consolidator", "Lê Thị Hà"),
        ("tc", "tai_chinh", "unit", "Trần Văn Minh"),
    ):
        ident = run_json("--db", str(dbs[name]), "keys", "show")
        assert isinstance(ident, dict) and ident["site_id"] == ids[name]
        trust = tmp_path / f"{name}.trust"
        run_cchc(
            "--db", str(dbs["city"]), "trust", "certify", "--site-id", ident["site_id"],
            "--public-key", ident["public_key"], "--enc-key", ident["enc_key"], "--unit", unit,
            "--role", role, "--out", str(trust), check=True,
        )  # fmt: skip
        run_cchc(
            "--db", str(dbs[name]), "trust", "install", str(trust),
            "--root-fingerprint", root["root_fingerprint"], check=True,
        )  # fmt: skip
        run_cchc("--db", str(dbs[name]), "settings", "--unit", unit, "--officer", officer,
                 check=True)  # fmt: skip
    run_cchc("--db", str(dbs["city"]), "settings", "--unit", "so_noi_vu", "--officer",
             "Sở Nội vụ", check=True)  # fmt: skip
    return dbs


@pytest.mark.slow
@pytest.mark.parametrize(
    ("city_id", "proposer_id"),
    [
        pytest.param(LOW, HIGH, id="city-sorts-first"),
        pytest.param(HIGH, LOW, id="proposer-sorts-first"),
    ],
)
def test_a_decided_amendment_reaches_a_third_laptop_through_the_city(
    tmp_path: Path, city_id: str, proposer_id: str
) -> None:
    dbs = world(tmp_path, city_id, proposer_id)
    city, vhxh, tc = dbs["city"], dbs["vhxh"], dbs["tc"]
    run_cchc("--db", str(vhxh), "amendment", "propose", "--unit", "vhxh", "--action", "drop",
             "--task", "6", "--reason", "Thành phố đã hủy nhiệm vụ", env=NOW,
             check=True)  # fmt: skip
    (proposal,) = run_json("--db", str(vhxh), "amendment", "list")  # type: ignore[misc]
    ref = str(proposal["id"])[:8]
    run_cchc("--db", str(vhxh), "amendment", "forward", ref, env=NOW, check=True)
    run_cchc("--db", str(city), "sync", "import", *export(vhxh, tmp_path / "a"), check=True)

    # a consolidator never decides: refused before anything is written
    refused = run_cchc("--db", str(vhxh), "amendment", "decide", ref, "--approve",
                       "--decision-number", "45/QĐ-UBND", "--decision-date", "20/04/2026",
                       env=NOW)  # fmt: skip
    assert refused.returncode == 2 and "không được quyết định" in refused.stderr

    run_cchc("--db", str(city), "amendment", "decide", ref, "--approve", "--decision-number",
             "45/QĐ-UBND", "--decision-date", "20/04/2026", env=NOW, check=True)  # fmt: skip
    got = run_cchc("--db", str(tc), "sync", "import", *export(city, tmp_path / "b"), "--json")
    assert got.returncode == 0, got.stdout + got.stderr
    (held,) = run_json("--db", str(tc), "amendment", "list")  # type: ignore[misc]
    assert (held["status"], held["decision_number"]) == ("approved", "45/QĐ-UBND")

    # the city's next bundle applies as well
    run_cchc("--db", str(city), "task", "update", "7", "--progress", "20", "--by", "Sở Nội vụ",
             env=NOW, check=True)  # fmt: skip
    run_cchc("--db", str(tc), "sync", "import", *export(city, tmp_path / "c"), check=True)
    shown = run_json("--db", str(tc), "task", "show", "7")
    assert isinstance(shown, dict) and shown["progress"] == 20
