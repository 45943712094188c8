"""A process killed at a random moment of an import leaves a sound database; rerunning works."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sync.tests.netkit import network, open_conn

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys
from pathlib import Path
from sync import Engine
from sync.tests.netkit import open_conn
db, keys, bundle = sys.argv[1:4]
engine = Engine(open_conn(Path(db)), Path(keys))
print("ready", flush=True)
engine.import_bundle(Path(bundle).read_bytes())
print("done", flush=True)
"""


def test_an_import_killed_mid_way_applies_all_or_nothing_and_can_be_rerun(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.conn.execute("BEGIN")
    a.conn.executemany(
        "INSERT INTO tasks (id, title, progress, note) VALUES (?, ?, ?, ?)",
        [(f"t{i:05d}", f"task {i}", i % 100, "ghi chú " * 5) for i in range(4000)],
    )
    a.conn.execute("COMMIT")
    bundle = tmp_path / "a.bundle"
    bundle.write_bytes(a.engine.export_bundle())
    b.conn.close()
    expected = a.rows()
    rng = random.Random(7)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    keys = str(tmp_path / "site1.keys")
    scratch = tmp_path / "scratch.sqlite"
    shutil.copyfile(b.path, scratch)
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", CHILD, str(scratch), keys, str(bundle)], env=env)
    duration = time.monotonic() - started  # one whole run: kill somewhere inside it
    outcomes = []
    for _ in range(5):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(b.path), keys, str(bundle)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, duration))
        child.send_signal(signal.SIGKILL)
        child.wait()
        conn = open_conn(b.path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        n = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        assert n in (0, 4000)
        outcomes.append(n)
        if n:
            conn.execute("DELETE FROM _sync_segments")  # forget it, to kill the next import too
            conn.execute("DELETE FROM _sync_feeds")
            conn.execute("UPDATE _sync_state SET capture_off = 1")
            conn.execute("DELETE FROM tasks")
            conn.execute("DELETE FROM _sync_cells")
            conn.execute("UPDATE _sync_state SET capture_off = 0")
        conn.close()
    from sync import Engine

    conn = open_conn(b.path)
    engine = Engine(conn, tmp_path / "site1.keys")
    engine.import_bundle(bundle.read_bytes())
    assert conn.execute("SELECT * FROM tasks ORDER BY id").fetchall() == expected
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
