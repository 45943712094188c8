"""Bundles leaving by hand are sealed by default to the readers the trust file names (issue 20,
deliverable 5): a unit's stick to the consolidator and the city, both of which open it; the
consolidator's to the city; the city's to every laptop it certified. A laptop that is none of
them is told the bundle is not for it, and applies nothing. In the clear only when asked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.errors import InvalidInput
from cchc.services import exchange, sync_view
from cchc.services.workspace import Workspace
from sync.errors import SyncError
from sync.format import CAP_ENCRYPTION_MULTI, peek_header
from tests.integration.hostile_world import (
    World,
    build_in,
    copied_world,
    open_ws,
)
from tests.integration.worlds import certify_laptop


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in(tmp_path_factory.mktemp("sealed"))


@pytest.fixture
def world(template: Path, tmp_path: Path) -> Iterator[World]:
    yield from copied_world(template, tmp_path)


def _stick(ws: Workspace, folder: Path, **options: object) -> bytes:
    (path,) = exchange.export_to(ws, folder, **options)  # type: ignore[arg-type]
    return path.read_bytes()


def _refused(ws: Workspace, data: bytes) -> str:
    before = ws.db.conn.execute("SELECT count(*) FROM _sync_segments").fetchone()
    with pytest.raises(SyncError) as caught:
        exchange.import_bytes(ws, data)
    assert ws.db.conn.execute("SELECT count(*) FROM _sync_segments").fetchone() == before
    return caught.value.code


def test_a_fresh_unit_laptop_seals_its_stick_to_the_consolidator_and_the_city(
    world: World, tmp_path: Path
) -> None:
    """A laptop that holds only its trust file (certified after the consolidator, so the file
    names both) writes a stick any of the two opens; a stranger's laptop cannot."""
    root_fp = exchange.open_engine(world.city).root_fingerprint()
    assert root_fp is not None
    fresh = open_ws(tmp_path / "cong-an.sqlite")
    stranger = open_ws(tmp_path / "nguoi-la.sqlite")
    try:
        certify_laptop(world.city, fresh, "cong_an", "unit", tmp_path / "ca.trust", root_fp)
        readers = sync_view.export_readers(fresh)
        vhxh_site = exchange.identity(world.vhxh)["site_id"]
        city_site = exchange.identity(world.city)["site_id"]
        assert sorted(readers) == sorted([vhxh_site, city_site])
        assert sync_view.reader_names(fresh, readers).count("Thành phố") == 1
        data = _stick(fresh, tmp_path / "usb")
        assert CAP_ENCRYPTION_MULTI in peek_header(data)["required"]  # type: ignore[operator]
        assert _refused(stranger, data) == "decryption_failed"
        assert _refused(world.tc, data) == "decryption_failed"  # another unit: not a reader
        for reader in (world.vhxh, world.city):
            assert exchange.import_bytes(reader, data).rejected == 0
    finally:
        fresh.close()
        stranger.close()


def test_the_consolidators_stick_goes_to_the_city_and_the_citys_to_every_laptop(
    world: World, tmp_path: Path
) -> None:
    onward = _stick(world.vhxh, tmp_path / "onward")
    assert _refused(world.tc, onward) == "decryption_failed"
    assert exchange.import_bytes(world.city, onward).rejected == 0
    back = _stick(world.city, tmp_path / "back")
    for laptop in (world.tc, world.vhxh):
        assert exchange.import_bytes(laptop, back).rejected == 0


def test_a_clear_bundle_is_written_only_when_asked(world: World, tmp_path: Path) -> None:
    clear = _stick(world.tc, tmp_path / "clear", encrypt=False)
    assert "enc" not in peek_header(clear)
    assert exchange.import_bytes(world.vhxh, clear).rejected == 0


def test_a_city_that_certified_nobody_refuses_to_write_a_readable_bundle_unasked(
    tmp_path: Path,
) -> None:
    city = open_ws(tmp_path / "city.sqlite")
    try:
        exchange.init_root(city)
        with pytest.raises(InvalidInput) as caught:
            exchange.export_to(city, tmp_path / "usb")
        assert caught.value.key == "export_nobody_to_seal"
        assert not (tmp_path / "usb").exists() or not any((tmp_path / "usb").iterdir())
        assert exchange.export_to(city, tmp_path / "usb", encrypt=False)
    finally:
        city.close()


def test_the_send_screen_says_who_can_open_the_stick_it_wrote(world: World, tmp_path: Path) -> None:
    """Đồng bộ → Ghi gói vào USB: the result names the consolidator and the city as the only
    readers, and the file written opens at the city."""
    from cchc.texts.ui_sync import SYNC
    from cchc.ui.sync.send_panel import SendPanel
    from tests.integration.screen_ctx import ScreenContext, shown_texts

    ctx = ScreenContext(world.tc, world.folder / "tc.sqlite")
    panel = SendPanel(ctx, after=lambda: None, hub=None)  # type: ignore[arg-type]
    panel.export_folder.value = str(tmp_path / "usb")
    panel._export(None)
    assert ctx.errors == []
    said = shown_texts(panel.export_result)
    names = sync_view.sealed_for(world.tc)
    assert SYNC["sealed_for"].format(readers=names) in said
    assert "Thành phố" in names and "Văn hóa" in names
    (path,) = (tmp_path / "usb").iterdir()
    assert exchange.import_bytes(world.city, path.read_bytes()).rejected == 0
