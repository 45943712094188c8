"""Sync engine figures, measured in one run (python -m bench sync).

- import of a verified 100k-change bundle vs raw SQLite upserts of the same rows (target ≤ 2.0×),
  and, for context, vs raw upserts of the same changes stored as cells (cell, value, clock,
  origin), the least a column-level merge must write
- export vs raw read + compression of the same rows (target ≤ 1.5×)
- bytes per change in that bundle (target ≤ 30 B)
- size of the delta after one edit to a database holding a year of history (target ≤ 2 KB)
- a soak of runs killed (SIGKILL) at a random moment of an import or an export, each followed by
  an integrity check and a check that no acknowledged change was lost (SYNC_SOAK_RUNS, 100)
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from sync import Engine, TableSpec

ROWS = 20_000  # x (4 columns + existence) = 100k changes
SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    note TEXT NOT NULL
);
"""
WORDS = [
    "rà",
    "soát",
    "thủ",
    "tục",
    "hành",
    "chính",
    "kế",
    "hoạch",
    "báo",
    "cáo",
    "số",
    "hoá",
    "hồ",
    "sơ",
    "dịch",
    "vụ",
    "công",
    "trực",
    "tuyến",
    "một",
    "cửa",
    "đặc",
    "khu",
    "phòng",
    "văn",
    "hoá",
    "xã",
    "hội",
    "tiếp",
    "nhận",
    "giải",
    "quyết",
    "đúng",
    "hạn",
    "quý",
    "tháng",
    "năm",
]
COLS = ("~", "title", "status", "progress", "note")
STATUSES = ("not_started", "in_progress", "done")


def _conn(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(SCHEMA)
    return conn


def _rows(rng: random.Random, n: int) -> list[tuple[str, str, str, int, str]]:
    return [
        (
            f"{rng.getrandbits(128):032x}",
            " ".join(rng.choice(WORDS) for _ in range(6)),
            rng.choice(STATUSES),
            rng.randrange(0, 101, 5),
            " ".join(rng.choice(WORDS) for _ in range(rng.randrange(0, 8))),
        )
        for _ in range(n)
    ]


def _site(tmp: Path, name: str) -> tuple[sqlite3.Connection, Engine]:
    conn = _conn(tmp / f"{name}.sqlite")
    engine = Engine(conn, tmp / f"{name}.keys")
    engine.track(TableSpec("items"))
    return conn, engine


def _trust(city: Engine, other: Engine) -> None:
    ident = other.identity()
    data = city.certify(ident["site_id"], bytes.fromhex(ident["public_key"]), ["*"], "unit")
    fp = city.root_fingerprint()
    assert fp is not None
    other.install_trust(data, fp)


def _timed(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _line(label: str, value: str, target: str, ok: bool) -> None:
    print(f"  {label:<58} {value:>14}   target {target:<10} {'ok' if ok else 'MISSED'}")


SOAK_CHILD = """
import sys
from pathlib import Path
sys.path[:0] = [sys.argv[5], sys.argv[5] + "/src"]
from sync import Engine
from sync.transport import write_atomic
import sqlite3
conn = sqlite3.connect(sys.argv[2], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
engine = Engine(conn, Path(sys.argv[3]))
print("ready", flush=True)
if sys.argv[1] == "import":
    engine.import_bundle(Path(sys.argv[4]).read_bytes())
else:
    data = engine.export_bundle()
    write_atomic(Path(sys.argv[4]) / "out.cchc", data)
print("done", flush=True)
"""


def soak(runs: int) -> None:
    """Kill imports and exports at random moments; every time the database must stay sound."""
    from sync.format import decode_bundle

    root = str(Path(__file__).resolve().parent.parent)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        a_conn, a = _site(tmp, "a")
        a.init_root()
        b_conn, b = _site(tmp, "b")
        _trust(a, b)
        a_conn.execute("BEGIN")
        a_conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", _rows(rng, 1000))
        a_conn.execute("COMMIT")
        b.import_bundle(a.export_bundle())
        a.import_bundle(b.export_bundle(a.site_id))  # B has acknowledged these 1000 rows
        acked = b_conn.execute("SELECT * FROM items ORDER BY id").fetchall()
        a_conn.execute("BEGIN")
        a_conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", _rows(rng, 3000))
        a_conn.execute("COMMIT")
        bundle = tmp / "next.cchc"
        bundle.write_bytes(a.export_bundle(b.site_id))
        b_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        b_conn.close()
        template = tmp / "template.sqlite"
        shutil.copyfile(tmp / "b.sqlite", template)
        durations: dict[str, float] = {}
        failures: list[str] = []
        outcomes = {"import": [0, 0], "export": [0, 0]}  # [killed before done, completed]
        for i in range(runs):
            mode = "import" if i % 2 == 0 else "export"
            db = tmp / f"run{i}.sqlite"
            shutil.copyfile(template, db)
            out_dir = tmp / f"out{i}"
            out_dir.mkdir()
            target = str(bundle) if mode == "import" else str(out_dir)
            args = [sys.executable, "-c", SOAK_CHILD, mode, str(db), str(tmp / "b.keys"), target,
                    root]  # fmt: skip
            if mode not in durations:
                probe = tmp / "probe.sqlite"
                shutil.copyfile(template, probe)
                probe_out = tmp / "probe-out"
                probe_out.mkdir(exist_ok=True)
                probe_args = [*args[:4], str(probe), str(tmp / "b.keys"),
                              target if mode == "import" else str(probe_out), root]  # fmt: skip
                timed = subprocess.Popen(probe_args, stdout=subprocess.PIPE)
                assert timed.stdout is not None
                timed.stdout.readline()
                t0 = time.perf_counter()
                timed.stdout.readline()
                durations[mode] = time.perf_counter() - t0  # from "ready" to "done"
                timed.wait()
            child = subprocess.Popen(args, stdout=subprocess.PIPE)
            assert child.stdout is not None
            child.stdout.readline()
            time.sleep(rng.uniform(0, durations[mode]))
            child.send_signal(signal.SIGKILL)
            child.wait()
            conn = sqlite3.connect(db)
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            rows = conn.execute("SELECT * FROM items ORDER BY id").fetchall()
            conn.close()
            if not ok:
                failures.append(f"run {i} ({mode}): integrity_check failed")
            if not set(acked) <= set(rows):
                failures.append(f"run {i} ({mode}): an acknowledged row was lost")
            if mode == "import" and len(rows) not in (1000, 4000):
                failures.append(f"run {i}: partial import ({len(rows)} rows)")
            done = len(rows) == 4000 if mode == "import" else (out_dir / "out.cchc").exists()
            outcomes[mode][1 if done else 0] += 1
            for f in out_dir.iterdir():
                if f.name == "out.cchc":
                    decode_bundle(f.read_bytes())  # a final name always holds a whole bundle
            shutil.rmtree(out_dir)
            db.unlink()
    _line(
        f"soak: {runs} runs killed mid import/export, failures",
        str(len(failures)),
        "0",
        not failures,
    )
    for mode, (killed, completed) in outcomes.items():
        print(f"    {mode}: killed before the end {killed}, finished before the kill {completed}")
    for f in failures[:10]:
        print(f"    {f}")


def main() -> None:
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        a_conn, a = _site(tmp, "a")
        a.init_root()
        rows = _rows(rng, ROWS)
        a_conn.execute("BEGIN")
        a_conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?)", rows)
        a_conn.execute("COMMIT")
        t0 = time.perf_counter()
        sealed = a.seal()
        seal_s = time.perf_counter() - t0
        bundle = a.export_bundle()
        changes = sealed

        # export vs raw read + compression
        export_s = _timed(lambda: a.export_bundle())

        def raw_export() -> None:
            got = a_conn.execute("SELECT * FROM items").fetchall()
            zlib.compress(repr(got).encode(), 9)

        raw_export_s = _timed(raw_export)

        # import vs raw upserts of the same rows
        def fresh(name: str) -> tuple[sqlite3.Connection, Engine]:
            conn, eng = _site(tmp, name)
            _trust(a, eng)
            return conn, eng

        import_times = []
        for i in range(3):
            _c, b = fresh(f"b{i}")
            t0 = time.perf_counter()
            result = b.import_bundle(bundle)
            import_times.append(time.perf_counter() - t0)
            assert result.applied == changes, result
        import_s = min(import_times)

        raw_times = []
        for i in range(3):
            conn = _conn(tmp / f"raw{i}.sqlite")
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "title = excluded.title, status = excluded.status, "
                "progress = excluded.progress, note = excluded.note",
                rows,
            )
            conn.execute("COMMIT")
            raw_times.append(time.perf_counter() - t0)
        raw_import_s = min(raw_times)

        cell_times = []
        for i in range(3):
            conn = sqlite3.connect(tmp / f"cells{i}.sqlite", isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(
                "CREATE TABLE cells (tbl TEXT, row_id TEXT, col TEXT, value, hlc INTEGER, "
                "origin TEXT, PRIMARY KEY (tbl, row_id, col)) WITHOUT ROWID"
            )
            # the same changes as the bundle carries: cell, value, clock and origin
            flat = [
                ("items", r[0], c, v, hlc, a.site_id)
                for (r, hlc) in zip(rows, range(1 << 40, (1 << 40) + len(rows)), strict=True)
                for c, v in zip(COLS, (0, *r[1:]), strict=True)
            ]
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                "value = excluded.value, hlc = excluded.hlc, origin = excluded.origin",
                flat,
            )
            conn.execute("COMMIT")
            cell_times.append(time.perf_counter() - t0)
        raw_cells_s = min(cell_times)

        # delta after one edit on a year of history
        h_conn, h = _site(tmp, "year")
        _trust(a, h)
        p_conn, peer = _site(tmp, "peer")
        _trust(a, peer)
        ids = [r[0] for r in _rows(rng, 400)]
        h_conn.execute("BEGIN")
        h_conn.executemany(
            "INSERT INTO items VALUES (?, 'x', 'not_started', 0, '')", [(i,) for i in ids]
        )
        h_conn.execute("COMMIT")
        for _day in range(365):
            for _ in range(20):
                h_conn.execute(
                    "UPDATE items SET progress = ?, note = ? WHERE id = ?",
                    (rng.randrange(101), " ".join(rng.sample(WORDS, 4)), rng.choice(ids)),
                )
            h.seal()  # one segment per working day
        peer.import_bundle(h.export_bundle())
        h.import_bundle(peer.export_bundle(h.site_id))  # the peer acknowledges
        history_changes = h_conn.execute("SELECT max(last_seq) FROM _sync_segments").fetchone()[0]
        h_conn.execute("UPDATE items SET progress = 100 WHERE id = ?", (ids[7],))
        delta = h.export_bundle(peer.site_id)

    print(f"sync: {changes} changes ({ROWS} rows x 5 cells), bundle {len(bundle)} bytes")
    print(f"  seal (sign + chain + compress) {seal_s * 1000:.0f} ms")
    _line(
        "import (verify + apply) / raw upsert of the rows",
        f"{import_s / raw_import_s:.2f}x",
        "<= 2.0x",
        import_s / raw_import_s <= 2.0,
    )
    print(
        f"    import {import_s * 1000:.0f} ms; raw row upserts {raw_import_s * 1000:.0f} ms; "
        f"raw upserts of the same {changes} changes as cells {raw_cells_s * 1000:.0f} ms"
    )
    _line(
        "  context: import / raw upserts of the same changes as cells",
        f"{import_s / raw_cells_s:.2f}x",
        "<= 2.0x",
        import_s / raw_cells_s <= 2.0,
    )
    _line(
        "export / raw read + zlib",
        f"{export_s / raw_export_s:.2f}x",
        "<= 1.5x",
        export_s / raw_export_s <= 1.5,
    )
    print(
        f"    export {export_s * 1000:.0f} ms (segments are stored sealed and compressed); "
        f"raw read + zlib {raw_export_s * 1000:.0f} ms"
    )
    _line(
        "first export, sealing included (chain, sign, compress) / raw",
        f"{(seal_s + export_s) / raw_export_s:.2f}x",
        "<= 1.5x",
        (seal_s + export_s) / raw_export_s <= 1.5,
    )
    bpc = len(bundle) / changes
    _line("bytes per change", f"{bpc:.1f} B", "<= 30 B", bpc <= 30)
    _line(
        f"delta after one edit on a year of history ({history_changes} changes)",
        f"{len(delta)} B",
        "<= 2048 B",
        len(delta) <= 2048,
    )
    soak(int(os.environ.get("SYNC_SOAK_RUNS", "100")))


if __name__ == "__main__":
    main()
