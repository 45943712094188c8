"""Finding the Flet desktop client without downloading anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.ui import app


@pytest.fixture
def bare_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FLET_VIEW_PATH", raising=False)
    monkeypatch.delenv("FLET_CLIENT_URL", raising=False)
    return tmp_path


def test_no_client_anywhere_means_no_window(bare_home: Path) -> None:
    assert not app._client_present("1.0.5", bare_home / "pkg", "flet-x.tar.gz")


def test_a_client_folder_named_by_flet_view_path_is_found(
    bare_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = bare_home / "client"
    folder.mkdir()
    (folder / "flet").write_bytes(b"")
    monkeypatch.setenv("FLET_VIEW_PATH", str(folder))
    assert app._client_present("1.0.5", bare_home / "pkg", "flet-x.tar.gz")


def test_a_carried_in_archive_named_by_flet_client_url_is_found(
    bare_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = bare_home / "usb" / "flet-linux-debian12-light-amd64.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(b"")
    monkeypatch.setenv("FLET_CLIENT_URL", archive.as_uri())
    assert app._client_present("1.0.5", bare_home / "pkg", archive.name)
    monkeypatch.setenv("FLET_CLIENT_URL", (bare_home / "usb" / "missing.tar.gz").as_uri())
    assert not app._client_present("1.0.5", bare_home / "pkg", archive.name)


def test_a_client_cached_for_this_version_is_found_and_another_version_is_not(
    bare_home: Path,
) -> None:
    cache = bare_home / "home" / ".flet" / "client"
    (cache / "flet-desktop-light-0.82.2").mkdir(parents=True)
    assert not app._client_present("1.0.5", bare_home / "pkg", "flet-x.tar.gz")
    (cache / "flet-desktop-light-1.0.5").mkdir()
    assert app._client_present("1.0.5", bare_home / "pkg", "flet-x.tar.gz")


def test_without_flet_desktop_or_display_the_reason_is_given_in_vietnamese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    check = app.desktop_check()
    assert not check.available
    assert check.reason in ("no_flet_desktop", "no_display")
    assert check.why.startswith(("chưa cài gói flet-desktop", "máy không có màn hình"))
    assert check.artifact.startswith("flet-")
    assert check.advice().startswith("Muốn có cửa sổ riêng")
