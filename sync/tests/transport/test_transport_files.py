"""Atomic bundle files: all or nothing under the final name, whatever happens to the writer."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sync.transport.errors as errors_module
from sync.transport import (
    DiskFull,
    PartStore,
    TransportError,
    WriteFailed,
    gather,
    list_bundle_files,
    remove_stale_temps,
    write_atomic,
)
from sync.transport.files import is_temp_name, write_all_atomic

ROOT = Path(__file__).resolve().parents[3]


def test_write_atomic_puts_exact_bytes_under_final_name_and_leaves_no_temp(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    target = write_atomic(tmp_path / "b.cchc", data)
    assert target.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["b.cchc"]


def test_write_atomic_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    write_atomic(tmp_path / "b.cchc", b"old" * 1000)
    write_atomic(tmp_path / "b.cchc", b"new")
    assert (tmp_path / "b.cchc").read_bytes() == b"new"
    assert len(list(tmp_path.iterdir())) == 1


def _writer_killed_at(tmp_path: Path, hook: str) -> subprocess.Popen[str]:
    """Start a real process writing a bundle that stops at `hook` ('write' or 'replace')."""
    script = textwrap.dedent(
        f"""
        import os, sys, time
        import sync.transport.files as files
        target = {str(tmp_path / "bundle-deadbeef.cchc")!r}
        real_write = os.write
        def slow_write(fd, data):
            n = real_write(fd, bytes(data[: len(data) // 2]))
            print("HALF", flush=True)
            time.sleep(60)
            return n
        def stuck_replace(src, dst):
            print("BEFORE-RENAME", flush=True)
            time.sleep(60)
        if {hook!r} == "write":
            os.write = slow_write
        else:
            os.replace = stuck_replace
        files.write_atomic(target, os.urandom(200_000))
        """
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line in ("HALF", "BEFORE-RENAME")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    return proc


@pytest.mark.parametrize("hook", ["write", "replace"])
def test_writer_killed_mid_write_leaves_nothing_importable(tmp_path: Path, hook: str) -> None:
    proc = _writer_killed_at(tmp_path, hook)
    assert proc.returncode == -signal.SIGKILL
    leftovers = list(tmp_path.iterdir())
    assert len(leftovers) == 1 and is_temp_name(leftovers[0].name)
    if hook == "write":
        assert leftovers[0].stat().st_size == 100_000
    assert not (tmp_path / "bundle-deadbeef.cchc").exists()
    assert list_bundle_files(tmp_path) == []
    found = gather([tmp_path], PartStore(tmp_path.parent / "staging"))
    assert found.bundles == [] and found.refused == [] and found.waiting == []


def test_temp_file_named_explicitly_is_refused_not_imported(tmp_path: Path) -> None:
    _writer_killed_at(tmp_path, "write")
    (temp,) = tmp_path.iterdir()
    found = gather([temp], PartStore(tmp_path.parent / "staging"))
    assert found.bundles == []
    assert [r.error.code for r in found.refused] == ["not_a_bundle"]


def test_stale_temps_are_swept_and_fresh_ones_kept(tmp_path: Path) -> None:
    _writer_killed_at(tmp_path, "write")
    assert remove_stale_temps(tmp_path, older_than=3600) == []
    removed = remove_stale_temps(tmp_path, older_than=0)
    assert len(removed) == 1 and list(tmp_path.iterdir()) == []


def test_monkeypatched_enospc_raises_disk_full_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(DiskFull) as info:
        write_atomic(tmp_path / "b.cchc", b"x" * 10)
    assert info.value.code == "disk_full"
    assert str(tmp_path / "b.cchc") in str(info.value)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_real_full_disk_raises_disk_full_and_leaves_no_partial_file(tiny_disk: Path) -> None:
    write_atomic(tiny_disk / "small.cchc", b"s" * 1000)
    with pytest.raises(DiskFull) as info:
        write_atomic(tiny_disk / "big.cchc", os.urandom(200_000))
    assert info.value.params["size"] == 200_000
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["small.cchc"]
    assert (tiny_disk / "small.cchc").read_bytes() == b"s" * 1000


def test_other_os_refusal_raises_write_failed_quoting_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(WriteFailed) as info:
        write_atomic(tmp_path / "b.cchc", b"x")
    assert "Read-only file system" in str(info.value) and "b.cchc" in str(info.value)


def test_write_all_atomic_removes_earlier_files_when_a_later_one_fails(tiny_disk: Path) -> None:
    items = [(tiny_disk / f"p{i}.cchc", os.urandom(20_000)) for i in range(5)]
    with pytest.raises(DiskFull):
        write_all_atomic(items)
    assert list(tiny_disk.iterdir()) == []


def test_every_error_class_has_a_one_line_docstring_and_a_distinct_code() -> None:
    classes = [
        c
        for c in vars(errors_module).values()
        if isinstance(c, type) and issubclass(c, TransportError)
    ]
    assert len(classes) >= 10
    codes = [c.code for c in classes]
    assert len(set(codes)) == len(codes)
    for c in classes:
        assert c.__doc__ and "\n" not in c.__doc__.strip(), c


def test_error_to_dict_is_json_ready() -> None:
    err = DiskFull("no space for 'x'", path=Path("/a/x"), size=3)
    assert err.to_dict() == {
        "code": "disk_full",
        "message": "no space for 'x'",
        "path": "/a/x",
        "size": 3,
    }
