"""Hostile files in a real import (the exchange service on real workspaces): a signed
decompression bomb, mail nested thousands deep, a part claiming four billion parts and a link to
the city's private key sit beside an honest bundle. Each hostile file gets its own refusal in
Vietnamese, none quotes a byte of what it refused, the honest bundle still applies, and a run of
only hostile files leaves the database intact and unchanged. An evidence file is opened only by
a SHA-256, never by a path."""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange
from cchc.services import tasks as svc
from cchc.services.attachments import attachment_path, materialize
from cchc.services.overview import document_file
from cchc.services.workspace import Workspace
from cchc.texts.errors import describe
from sync.tests.attacks import MiB, bomb, with_segments
from tests.conftest import run_cchc

NOW = dt.datetime.fromisoformat("2026-03-20T09:00:00+07:00")


def open_ws(path: Path) -> Workspace:
    return Workspace.open(path, clock=lambda: NOW)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    city = open_ws(tmp_path / "city.sqlite")
    fp = exchange.init_root(city)["root_fingerprint"]
    vp = open_ws(tmp_path / "vp.sqlite")
    ident = exchange.identity(vp)
    trust = exchange.certify(
        city,
        site_id=ident["site_id"],
        public_key=ident["public_key"],
        units=["vp_ubnd"],
        role="unit",
        out=tmp_path / "vp.trust",
    )
    exchange.install_trust(vp, trust, fp)
    yield city, vp
    city.close()
    vp.close()


def _app_tables(ws: Workspace) -> dict[str, list[tuple]]:
    names = [
        n
        for (n,) in ws.db.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' "
            "ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name"
        )
    ]
    return {n: ws.db.conn.execute(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names}


def _nested_mail(depth: int) -> bytes:
    head = b"From: a@b.vn\r\nSubject: x\r\n"
    opens = b"".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
        for i in range(depth)
    )
    return head + opens + b"Content-Type: text/plain\r\n\r\nhello\r\n"


def _edit(vp: Workspace, progress: int) -> str:
    """vp updates the first task it leads; returns the task id."""
    task = str(
        vp.db.conn.execute(
            "SELECT t.id FROM tasks t JOIN units u ON u.id = t.lead_unit_id "
            "WHERE u.code = 'vp_ubnd' ORDER BY t.stt LIMIT 1"
        ).fetchone()[0]
    )
    svc.update_task(vp, task, progress=progress, status="in_progress", by="Lan")
    return task


def _hostile_folder(tmp_path: Path, city: Workspace, vp: Workspace) -> tuple[Path, str]:
    """A folder of hostile files; returns it and the city's private key text (to look for)."""
    folder = tmp_path / "usb"
    folder.mkdir()
    honest = exchange.export_bundle(vp)
    key = exchange.open_engine(vp).key
    bomb_bundle = with_segments(honest, key, lambda s: [bomb(s, 400 * MiB, 400 * MiB)])
    assert bomb_bundle != honest
    (folder / "bomb.cchc").write_bytes(bomb_bundle)
    (folder / "deep.eml").write_bytes(_nested_mail(5_000))
    head = struct.pack(">8sHHIIQ32sI", b"CCHCPRT1", 1, 0, 1, 0xFFFFFFFF, 2**40, bytes(32), 108)
    (folder / "evil.part001-of-4294967295.cchc").write_bytes(
        head + hashlib.sha256(head + b"\xdd" * 108).digest() + b"\xdd" * 108
    )
    key_file = exchange.key_dir_for(city.path) / "site.ed25519"
    (folder / "key.cchc").symlink_to(key_file)
    return folder, key_file.read_text().strip()


def test_hostile_files_are_refused_one_by_one_and_the_honest_bundle_beside_them_applies(
    pair: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    city, vp = pair
    task = _edit(vp, 45)
    folder, secret = _hostile_folder(tmp_path, city, vp)
    exchange.export_to(vp, folder)  # the honest bundle, beside them

    report = exchange.import_paths(city, [folder])

    outcomes = {Path(f.source).name: f for f in report.files}
    assert len(outcomes) == 5
    honest = [f for f in report.files if f.result is not None]
    assert len(honest) == 1 and honest[0].result is not None and honest[0].result.applied > 0
    codes = {name: f.error_code for name, f in outcomes.items() if f.error_code}
    assert codes == {
        "bomb.cchc": "too_large",
        "deep.eml": "too_large",
        "evil.part001-of-4294967295.cchc": "too_large",
        "key.cchc": "unsafe_file",
    }
    for f in outcomes.values():
        if f.error:  # the refusal itself; the entry points put it in words by `describe`
            said = describe(f.error)
            assert "giới hạn" in said or "không phải tệp thường" in said
            assert secret not in said and secret[:16] not in said
            assert "\\xdd" not in said
    assert report.waiting == []
    row = city.db.conn.execute("SELECT progress FROM tasks WHERE id = ?", (task,)).fetchone()
    assert row == (45,)
    assert city.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_run_of_only_hostile_files_changes_nothing_and_the_next_honest_bundle_applies(
    pair: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    city, vp = pair
    task = _edit(vp, 60)
    folder, _secret = _hostile_folder(tmp_path, city, vp)
    before = _app_tables(city)

    report = exchange.import_paths(city, [folder])

    assert report.rejected and all(f.error_code for f in report.files), report.as_dict(describe)
    assert city.db.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert _app_tables(city) == before
    (path,) = exchange.export_to(vp, tmp_path / "next")
    after = exchange.import_paths(city, [path])
    assert not after.rejected and after.files[0].result is not None
    row = city.db.conn.execute("SELECT progress FROM tasks WHERE id = ?", (task,)).fetchone()
    assert row == (60,)


def test_an_evidence_file_is_opened_only_by_a_sha256_never_by_a_path(
    pair: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    city, _vp = pair
    folder = tmp_path / "att"
    for bad in ("/etc/hostname", "../city.sqlite", "A" * 64, "0" * 63, "0" * 64 + "/x", ""):
        with pytest.raises(InvalidInput) as info:
            materialize(city.db.conn, folder, bad)
        assert info.value.key == "sha256_invalid"
        with pytest.raises(InvalidInput):
            attachment_path(folder, bad)
        with pytest.raises(InvalidInput):
            document_file(city, bad)
    assert not folder.exists()


def test_cchc_attachment_refuses_a_path_and_copies_nothing(tmp_path: Path) -> None:
    db = tmp_path / "cchc.sqlite"
    out = tmp_path / "copied"
    proc = run_cchc("--db", str(db), "attachment", "/etc/hostname", "--out", str(out))
    assert proc.returncode != 0
    assert "64 chữ số" in proc.stderr
    assert not out.exists()


def test_a_hostile_trust_file_is_refused_by_kind_without_quoting_it(
    pair: tuple[Workspace, Workspace], tmp_path: Path
) -> None:
    from sync.engine import TRUST_MAGIC
    from sync.errors import SyncError

    _city, vp = pair
    fp = exchange.identity(vp)["fingerprint"]
    deep = tmp_path / "deep.trust"
    deep.write_bytes(TRUST_MAGIC + b"\n" + b"[" * 100_000 + b"]" * 100_000)
    key = tmp_path / "key.trust"
    key.write_bytes(b"\xdd\x01PRIVATE" + bytes(40))
    big = tmp_path / "big.trust"
    with big.open("wb") as f:
        f.truncate(exchange.MAX_TRUST_FILE_BYTES + 1)
    expected = {deep: "too_large", key: "malformed", big: "too_large"}
    for path, code in expected.items():
        with pytest.raises(SyncError) as info:
            exchange.install_trust(vp, path, fp)
        assert info.value.code == code
        assert "PRIVATE" not in str(info.value) and "\\xdd" not in str(info.value)
