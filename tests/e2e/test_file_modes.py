"""Files only the user reads (issue 20): on POSIX the database, its WAL and shm, attachments,
backups and every bundle are 0600 and their folders 0700, after `init`, an import, an export and
a backup, whatever the umask of the shell that started the app. A bundle leaving by USB or
e-mail is sealed to the city whenever the trust file names it; in the clear only when asked,
and the command says so."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.services import backup, exchange
from cchc.services.workspace import Workspace
from sync.errors import SyncError
from tests.conftest import cchc_env
from tests.integration.hostile_world import build_in

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
NOW = {"CCHC_NOW": "2026-04-20T09:00:00+07:00"}


def _cchc(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, started from a shell whose umask lets everyone read (022)."""
    return subprocess.run(
        [sys.executable, "-c", "import os, runpy, sys; os.umask(0o022); sys.argv[0] = 'cchc'; "
         "runpy.run_module('cchc', run_name='__main__')", *args],
        capture_output=True, text=True, encoding="utf-8", env=cchc_env(NOW), timeout=180,
    )  # fmt: skip


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _private(*paths: Path) -> None:
    for path in paths:
        assert path.exists(), path
        want = 0o700 if path.is_dir() else 0o600
        assert _mode(path) == want, f"{path}: {oct(_mode(path))}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("modes"))


def test_init_makes_the_database_its_wal_and_shm_the_users_alone(tmp_path: Path) -> None:
    db = tmp_path / "du-lieu" / "cchc.sqlite"
    proc = _cchc("--db", str(db), "init")
    assert proc.returncode == 0, proc.stderr
    _private(db, db.parent)
    for suffix in ("-wal", "-shm"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            _private(side)


def test_a_database_made_readable_before_is_tightened_on_open(tmp_path: Path) -> None:
    db = tmp_path / "cchc.sqlite"
    assert _cchc("--db", str(db), "init").returncode == 0
    db.chmod(0o644)
    assert _cchc("--db", str(db), "tasks").returncode == 0
    _private(db)


def test_import_export_attachments_and_backup_are_the_users_alone(
    world: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "w"
    shutil.copytree(world, copy)
    city, tc = copy / "city.sqlite", copy / "tc.sqlite"
    usb = tmp_path / "usb"
    # sealed to the city alone (by default a unit's stick goes to the consolidator and the city)
    city_ws = Workspace.open(city)
    try:
        city_site = exchange.identity(city_ws)["site_id"]
    finally:
        city_ws.close()
    proc = _cchc("--db", str(tc), "sync", "export", "--to", str(usb), "--encrypt-to", city_site)
    assert proc.returncode == 0, proc.stderr
    bundles = list(usb.iterdir())
    assert bundles
    _private(usb, *bundles)
    proc = _cchc("--db", str(city), "sync", "import", str(usb))
    assert proc.returncode == 0, proc.stderr
    _private(city)
    evidence = tmp_path / "bao-cao.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao\n")
    proc = _cchc(
        "--db", str(city), "task", "update", "1", "--note", "Đã xong", "--by", "Lan",
        "--attach", str(evidence), "--doc-type", "Báo cáo", "--doc-number", "3/BC-UBND",
        "--doc-date", "10/04/2026",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    stored = city.with_name(city.name + ".attachments")
    _private(stored, *stored.rglob("*"))
    old = os.umask(0o022)
    try:
        ws = Workspace.open(city)
        try:
            info = backup.backup_to(ws, tmp_path / "sao-luu" / "cchc-backup.sqlite")
        finally:
            ws.close()
    finally:
        os.umask(old)
    _private(Path(info.path), Path(info.path).parent)


def test_a_bundle_carried_by_hand_is_sealed_to_its_next_reader_unless_asked(
    world: Path, tmp_path: Path
) -> None:
    """Phòng Tài chính's stick is sealed to Phòng Văn hóa - Xã hội, which consolidates (the
    plan's flow), and to the city, each of which opens it; the consolidator's stick is sealed
    to the city. The command names who can open it; in the clear only with --no-encrypt, and
    the command says so."""
    copy = tmp_path / "w"
    shutil.copytree(world, copy)
    tc, vhxh_db = copy / "tc.sqlite", copy / "vhxh.sqlite"
    sealed, clear, onward = tmp_path / "usb", tmp_path / "usb-clear", tmp_path / "usb-city"
    proc = _cchc("--db", str(tc), "sync", "export", "--to", str(sealed))
    assert proc.returncode == 0 and "KHÔNG được mã hóa" not in proc.stderr
    assert "Gói được mã hóa: chỉ máy của" in proc.stderr and "Thành phố" in proc.stderr
    proc = _cchc("--db", str(tc), "sync", "export", "--to", str(clear), "--no-encrypt")
    assert proc.returncode == 0
    assert "KHÔNG được mã hóa" in proc.stderr  # the clear bundle is said to be so
    proc = _cchc("--db", str(vhxh_db), "sync", "export", "--to", str(onward))
    assert proc.returncode == 0 and "không được mã hóa" not in proc.stderr.lower()
    (sealed_file,) = sealed.iterdir()
    (clear_file,) = clear.iterdir()
    (onward_file,) = onward.iterdir()
    city, vhxh = Workspace.open(copy / "city.sqlite"), Workspace.open(vhxh_db)
    stranger = Workspace.open(tmp_path / "nguoi-la.sqlite")
    try:
        with pytest.raises(SyncError) as refused:  # a stick found on the boat opens for
            exchange.import_bytes(stranger, sealed_file.read_bytes())  # nobody else ...
        assert refused.value.code == "decryption_failed"
        assert exchange.import_bytes(vhxh, sealed_file.read_bytes()).rejected == 0  # ... but
        assert exchange.import_bytes(city, sealed_file.read_bytes()).rejected == 0  # its two
        with pytest.raises(SyncError):
            exchange.import_bytes(vhxh, onward_file.read_bytes())  # the city's, not vhxh's
        assert exchange.import_bytes(city, onward_file.read_bytes()).rejected == 0
        assert exchange.import_bytes(city, clear_file.read_bytes()).rejected == 0
    finally:
        city.close()
        vhxh.close()
        stranger.close()
