"""Journey 1 on screens alone: an uncertified laptop says so and warns before exporting, saves
its key request onto the USB drive it is offered, the city certifies it from that file on its
own screen, and the laptop installs the certificate and is then named by role and unit."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page

from cchc.services import drives, exchange, overview
from cchc.services.workspace import Workspace
from tests.ui.harness import (
    Browsing,
    by_id,
    check_drawn,
    click,
    fill,
    open_app,
    screenshot,
    serve,
    shown_text,
    wait_for,
    wait_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(240)]

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"


@dataclass
class Place:
    laptop: Path
    city: Path
    usb: Path
    root_fingerprint: str
    laptop_fingerprint: str


@pytest.fixture
def place(tmp_path: Path) -> Iterator[Place]:
    media = tmp_path / "media"
    usb = media / "lan" / "USB-DAO"
    usb.mkdir(parents=True)
    with Workspace.open(tmp_path / "city.sqlite") as city:
        root = exchange.init_root(city)["root_fingerprint"]
        overview.set_local_profile(city, "so_noi_vu", "Nguyễn Thị Hoa")
    with Workspace.open(tmp_path / "tthcc.sqlite") as laptop:
        overview.set_local_profile(laptop, "tthcc", "Phạm Văn Cường")
        mine = exchange.identity(laptop)["fingerprint"]
    with pytest.MonkeyPatch.context() as mp:  # the app's servers see this folder as /media
        mp.setenv(drives.ROOTS_ENV, str(media))
        yield Place(tmp_path / "tthcc.sqlite", tmp_path / "city.sqlite", usb, root, mine)


def _to_sync(page: Page, url: str) -> None:
    open_app(page, url, "dashboard-ready")
    by_id(page, "nav").get_by_role("button", name=re.compile("^Đồng bộ")).click()
    wait_for(by_id(page, "sync-my-fingerprint"))


def test_a_laptop_is_certified_from_the_screens_alone(
    place: Place, browsing: Browsing, tmp_path: Path
) -> None:
    with (
        serve(place.laptop, tmp_path / "laptop.log") as laptop_server,
        serve(place.city, tmp_path / "city.log") as city_server,
    ):
        page = browsing.new_page()
        try:
            _journey(page, browsing, place, city_server.url, laptop_server.url)
        except Exception:
            screenshot(page, "FAILED-certify-laptop")
            for other in browsing.context.pages[1:]:
                screenshot(other, "FAILED-certify-city")
            raise
        # the gate, while both servers still answer; then the pages go before their servers do,
        # so a page left talking to a stopped server is not read as the app's failure
        for n, open_page in enumerate(list(browsing.context.pages)):
            check_drawn(open_page, f"certification page {n + 1}")
            open_page.close()


def _journey(page: Page, browsing: Browsing, place: Place, city_url: str, laptop_url: str) -> None:
    _to_sync(page, laptop_url)
    standing = shown_text(wait_for(by_id(page, "sync-standing")))
    assert "CHƯA được Thành phố chứng nhận" in standing
    assert TTHCC in standing  # the unit is set: never "Đơn vị: —"

    # exporting while uncertified is warned about, and cancelling writes nothing
    fill(page, "sync-export-folder", str(place.usb))
    click(page, "sync-export")
    wait_for(by_id(page, "uncertified-warning"))
    screenshot(page, "21-sync-uncertified-warning")
    click(page, "uncertified-cancel")
    assert list(place.usb.glob("*.cchc")) == []

    # the key request goes onto the USB drive the screen offers
    by_id(page, "sync-standing").first.scroll_into_view_if_needed()
    assert "USB-DAO" in shown_text(wait_for(by_id(page, "request-drive-0")))
    click(page, "request-drive-0")  # fills the folder: nothing typed
    click(page, "request-save")
    wait_text(page, f"Đã lưu tệp yêu cầu chứng nhận: {place.usb}")
    (request,) = place.usb.glob("*.yeucau")

    # the city reads it, sees the fingerprint the officer reads out, and certifies
    city = browsing.new_page()
    _to_sync(city, city_url)
    by_id(city, "sync-certify-section").first.scroll_into_view_if_needed()
    fill(city, "certify-request-file", str(request))
    click(city, "certify-request-read")
    wait_text(city, place.laptop_fingerprint)  # what the officer reads out over the phone
    by_id(city, "certify-go").first.scroll_into_view_if_needed()
    fill(city, "certify-folder", str(place.usb))
    click(city, "certify-go")
    wait_text(city, f"Đã chứng nhận {TTHCC}")
    screenshot(city, "22-sync-city-certified")
    (trust,) = place.usb.glob("*.trust")

    # back on the laptop: install, then it is named by role and unit, and exports freely
    by_id(page, "sync-me").first.scroll_into_view_if_needed()
    fill(page, "sync-trust-file", str(trust))
    fill(page, "sync-root-typed", place.root_fingerprint)
    by_id(page, "sync-install").first.scroll_into_view_if_needed()
    click(page, "sync-install")
    wait_text(page, "Đã cài khóa gốc")
    wait_text(page, f"Đã được Thành phố chứng nhận: Đơn vị · {TTHCC}")
    by_id(page, "sync-export-section").first.scroll_into_view_if_needed()
    click(page, "sync-export")
    wait_text(page, f"Đã ghi 1 tệp vào {place.usb}")
    assert by_id(page, "uncertified-warning").count() == 0
    assert len(list(place.usb.glob("*.cchc"))) == 1
    assert os.environ.get(drives.ROOTS_ENV) == str(place.usb.parent.parent)
