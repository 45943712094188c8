"""USB sticks are found where Linux mounts them (/media/<user>/<label>, /run/media/<user>/<label>),
so people choose a drive instead of typing a path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cchc.services import drives


def test_sticks_under_media_and_run_media_are_offered_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media, run_media = tmp_path / "media", tmp_path / "run" / "media"
    (media / "lan" / "KINGSTON").mkdir(parents=True)
    (run_media / "cuong" / "USB 2026").mkdir(parents=True)
    (media / "lan" / "not-a-folder.txt").write_text("x")
    monkeypatch.setenv(drives.ROOTS_ENV, os.pathsep.join([str(media), str(run_media)]))

    found = drives.removable_drives()

    assert [d.name for d in found] == ["KINGSTON", "USB 2026"]
    assert found[0].path == media / "lan" / "KINGSTON"
    assert all(d.free is not None and d.free > 0 for d in found)


def test_no_drive_and_a_missing_root_give_an_empty_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(drives.ROOTS_ENV, str(tmp_path / "nowhere"))
    assert drives.removable_drives() == []
