"""Carrier benchmark: HTTP sync over a thin, often-cut link, and part split/assemble throughput.

Environment knobs (defaults honour the figures of issue 3):
  BENCH_TRANSPORT_KBIT         link speed in kbit/s, each direction (default 64)
  BENCH_TRANSPORT_CUT_SECONDS  the link is cut every this many seconds of transfer (default 30)
  BENCH_TRANSPORT_BYTES        changes pushed and pulled, about this many bundle bytes each way
                               (default 360000: ~90 s each way at 64 kbit/s)
  BENCH_TRANSPORT_PARTS_MB     payload for the split/assemble figure (default 64)
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sync.signing import SigningKey
from sync.transport import (
    ClientIdentity,
    HubServer,
    PartStore,
    gather,
    pull,
    push,
    sha256_hex,
    write_parts,
)
from sync.transport.testing_proxy import ProxyStats, ThrottlingProxy

TARGET_RATIO = 1.1
TARGET_PARTS_MB_S = 20.0


def _env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _bundle(size: int, seed: int) -> bytes:
    """Random-ish stand-in for a compressed, signed bundle (incompressible bytes)."""
    return random.Random(seed).randbytes(size)


def real_bundles(folder: Path, size: int) -> tuple[bytes, bytes, Callable[[], None]]:
    """A city and an island with about `size` bytes of changes each; returns the island's
    bundle encrypted to the city, the city's encrypted to the island, and a check that each
    opens (only) where it is addressed."""
    import sqlite3

    from sync import Engine, TableSpec
    from sync.tests.netkit import APP_SCHEMA, TRACKED

    def site(name: str) -> Engine:
        conn = sqlite3.connect(folder / f"{name}.sqlite", isolation_level=None)
        conn.executescript(APP_SCHEMA)
        engine = Engine(conn, folder / f"{name}.keys")
        for t in TRACKED:
            engine.track(TableSpec(t))
        rng = random.Random(name)
        with engine.conn:
            for i in range(max(1, size // 620)):  # ~620 bundle bytes per row, compressed
                conn.execute(
                    "INSERT INTO tasks (id, unit, title, progress, note) VALUES (?, 'u1', ?, 0, ?)",
                    (f"{name}-{i}", f"Nhiệm vụ {i}", rng.randbytes(480).hex()),
                )
        return engine

    city, island = site("city"), site("island")
    city.init_root()
    ident = island.identity()
    trust = city.certify(
        island.site_id,
        bytes.fromhex(ident["public_key"]),
        ["u1"],
        "unit",
        bytes.fromhex(ident["enc_key"]),
    )
    fp = city.root_fingerprint()
    assert fp is not None
    island.install_trust(trust, fp)
    up = island.export_bundle(city.site_id, encrypt_to=city.site_id)
    down = city.export_bundle(island.site_id, encrypt_to=island.site_id)

    def check() -> None:
        assert city.import_bundle(up).applied > 0
        assert island.import_bundle(down).applied > 0

    return up, down, check


def _sync_once(
    staging: Path, up: bytes, down: bytes, kbit: float | None, cut: float | None
) -> tuple[ProxyStats, float, int, int]:
    """Push `up` and pull `down` through a proxy with signed requests; returns its stats,
    seconds, resumes each way."""
    imported: list[bytes] = []
    island = ClientIdentity("island", SigningKey.generate())

    def on_bundle(path: Path, sender: str) -> dict[str, Any]:
        imported.append(path.read_bytes())
        return {"applied": 1}

    def check_key(site: str, key: bytes) -> None:
        if (site, key) != (island.site_id, island.key.public):
            raise PermissionError("not certified")

    with (
        HubServer(on_bundle, lambda peer: down, check_key, staging / "hub") as hub,
        ThrottlingProxy(hub.address[1], kbit_per_s=kbit, cut_every=cut) as proxy,
    ):
        start = time.monotonic()
        pushed = push(proxy.url, up, island, retries=10, backoff=0.5, max_backoff=4.0)
        pulled = pull(proxy.url, island, staging / "pulled.cchc", retries=10, backoff=0.5)
        seconds = time.monotonic() - start
        stats = proxy.stats
    assert imported == [up], "the hub must import the pushed bundle exactly once"
    assert (staging / "pulled.cchc").read_bytes() == down
    return stats, seconds, pushed.resumes, pulled.resumes


def measure_http_sync(
    up: bytes, down: bytes, kbit: float = 64.0, cut: float = 30.0
) -> dict[str, float]:
    """Push `up` and pull `down` over an unbroken link, then over a throttled, cut one.

    Reusable by other benchmarks with real bundles. Returns the wire bytes of both runs, their
    ratio, the cut run's seconds, cuts, connections and resumes.
    """
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        clean, _, _, _ = _sync_once(Path(a), up, down, None, None)
        cutst, seconds, push_resumes, pull_resumes = _sync_once(Path(b), up, down, kbit, cut)
    return {
        "unbroken_bytes": clean.total,
        "unbroken_connections": clean.connections,
        "cut_bytes": cutst.total,
        "cut_seconds": seconds,
        "cuts": cutst.cuts,
        "connections": cutst.connections,
        "push_resumes": push_resumes,
        "pull_resumes": pull_resumes,
        "ratio": cutst.total / clean.total,
    }


def bench_http(size: int, kbit: float, cut: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        up, down, check = real_bundles(Path(tmp), size)
        f = measure_http_sync(up, down, kbit, cut)
        check()
    print(
        f"HTTP sync: push {len(up)} B + pull {len(down)} B (real bundles, each encrypted to its "
        f"recipient; every request signed), link {kbit:g} kbit/s, cut every {cut:g} s"
    )
    print(
        f"  unbroken : {f['unbroken_bytes']:.0f} B on the wire "
        f"({f['unbroken_connections']:.0f} connection(s))"
    )
    print(
        f"  cut link : {f['cut_bytes']:.0f} B on the wire in {f['cut_seconds']:.1f} s, "
        f"{f['cuts']:.0f} cut(s), {f['connections']:.0f} connections, "
        f"resumes push {f['push_resumes']:.0f} / pull {f['pull_resumes']:.0f}"
    )
    print(f"  bytes-on-wire ratio cut/unbroken: {f['ratio']:.3f}  (target <= {TARGET_RATIO})")
    print(
        f"  payload efficiency: {(len(up) + len(down)) / f['cut_bytes']:.3f} of wire bytes are "
        "bundle bytes"
    )


def bench_parts(megabytes: float) -> None:
    data = _bundle(int(megabytes * 1024 * 1024), 3)
    part_size = 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        out.mkdir()
        t0 = time.perf_counter()
        paths = write_parts(out, data, part_size)
        t1 = time.perf_counter()
        random.Random(4).shuffle(paths)
        found = gather(paths, PartStore(Path(tmp) / "staging"))
        t2 = time.perf_counter()
    assert [b.sha256 for b in found.bundles] == [sha256_hex(data)]
    mb = len(data) / 1e6
    print(f"Parts: {mb:.0f} MB into {len(paths)} parts of {part_size} B, files fsynced")
    print(
        f"  split+write {mb / (t1 - t0):.0f} MB/s, read+stage+assemble (shuffled) "
        f"{mb / (t2 - t1):.0f} MB/s  (target >= {TARGET_PARTS_MB_S:g} MB/s each)"
    )


def main() -> None:
    kbit = _env("BENCH_TRANSPORT_KBIT", 64)
    cut = _env("BENCH_TRANSPORT_CUT_SECONDS", 30)
    size = int(_env("BENCH_TRANSPORT_BYTES", 360_000))
    bench_parts(_env("BENCH_TRANSPORT_PARTS_MB", 64))
    bench_http(size, kbit, cut)


if __name__ == "__main__":
    main()
