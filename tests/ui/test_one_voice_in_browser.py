"""Flutter's own words on screen are Vietnamese too: a notice's close button is "Đóng", never
"Close" (the page's locale is Vietnamese, so Material's built-in labels follow)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.ui.harness import (
    Browsing,
    Server,
    by_id,
    choose,
    click,
    fill,
    open_app,
    wait_for,
    wait_text,
    with_text,
)

pytestmark = [pytest.mark.ui, pytest.mark.timeout(180)]


@pytest.fixture
def app_page(server: Server, browsing: Browsing) -> Page:
    """A fresh laptop's first start, in this test's own database, server and browser context."""
    page = browsing.new_page()
    open_app(page, server.url, "first-start")
    return page


def test_a_notice_offers_to_close_in_vietnamese(app_page: Page) -> None:
    page = app_page
    choose(page, "profile-unit", "Phòng Văn hóa - Xã hội")
    fill(page, "profile-officer", "Lê Thị Bình")
    click(page, "profile-save")
    wait_for(by_id(page, "dashboard-ready"))
    wait_text(page, "máy này thuộc Phòng Văn hóa - Xã hội")  # the notice is up
    wait_for(page.locator('[aria-label="Đóng"], [title="Đóng"]').or_(with_text(page, "Đóng")))
    assert with_text(page, "Close").count() == 0
