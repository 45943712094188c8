"""A site restored from an older backup notices it, recovers its own feed from a peer, and never
forks its feed silently."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sync import Engine
from sync.errors import FeedBehind
from sync.tests.netkit import Site, network, open_conn


def backup(site: Site, target: Path) -> None:
    dst = sqlite3.connect(target)
    site.conn.backup(dst)
    dst.close()


def restore(site: Site, source: Path, keys: Path) -> Site:
    site.conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(site.path) + suffix).unlink(missing_ok=True)
    site.path.write_bytes(source.read_bytes())
    conn = open_conn(site.path)
    return Site(site.name, site.path, conn, Engine(conn, keys))


def test_a_restored_site_refuses_to_send_until_it_recovers_its_feed_from_a_peer(
    tmp_path: Path,
) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'before the backup')")
    b.engine.import_bundle(a.engine.export_bundle())
    backup(a, tmp_path / "a-backup.sqlite")
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'after the backup')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    a = restore(a, tmp_path / "a-backup.sqlite", tmp_path / "site0.keys")
    a.exec("INSERT INTO tasks (id, title) VALUES ('t3', 'after the restore')")
    with pytest.raises(FeedBehind, match="sealed up to 10"):
        a.engine.export_bundle()
    a.engine.import_bundle(b.engine.export_bundle())  # b holds a's whole feed
    assert [r[0] for r in a.rows()] == ["t1", "t2", "t3"]
    result = b.engine.import_bundle(a.engine.export_bundle(b.id))
    assert result.rejected == 0 and result.applied == 5
    assert a.rows() == b.rows()


def test_a_forked_feed_is_refused_by_name_not_taken_as_a_duplicate(tmp_path: Path) -> None:
    _city, (a, b) = network(tmp_path, 2)
    a.exec("INSERT INTO tasks (id, title) VALUES ('t1', 'x')")
    b.engine.import_bundle(a.engine.export_bundle())
    backup(a, tmp_path / "a-backup.sqlite")
    a.exec("INSERT INTO tasks (id, title) VALUES ('t2', 'first history')")
    b.engine.import_bundle(a.engine.export_bundle(b.id))
    (tmp_path / "site0.keys" / "feed.mark").unlink()  # as if the key folder were restored too
    a = restore(a, tmp_path / "a-backup.sqlite", tmp_path / "site0.keys")
    a.exec("INSERT INTO tasks (id, title) VALUES ('t9', 'second history')")
    result = b.engine.import_bundle(a.engine.export_bundle(b.id))
    assert result.rejected == 5
    # a second history under numbers b holds is a proof of a fork (SPEC 4a), named as such:
    # b freezes a's feed at the last common point and takes back the first history beyond it
    assert result.rejections[0].code == "feed_forked"
    assert "two different histories" in result.rejections[0].reason
    assert result.taken_back == 5
    assert [r[0] for r in b.rows()] == ["t1"]
