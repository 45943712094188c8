"""Island time everywhere: just after midnight on the island (00:30 on 01/07/2026, still 30/06 in
UTC) every date stored or shown for people says 01/07, on the screens and on the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.domain.dates import format_island_date, island_date
from cchc.services import amendments as amendment_service
from cchc.services import overview as overview_service
from cchc.services import reports as report_service
from cchc.services import task_text
from cchc.services.tasks import get_task, update_task
from cchc.services.workspace import Workspace
from cchc.ui.screens.amendments_panel import AmendmentsPanel
from cchc.ui.screens.reports import ReportsScreen
from tests.integration.screen_ctx import ScreenContext, shown_texts

#: 30/06/2026 17:30 UTC = 01/07/2026 00:30 on the island
JUST_AFTER_MIDNIGHT = dt.datetime(2026, 6, 30, 17, 30, tzinfo=dt.UTC)


@pytest.fixture
def night(db_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(db_path, clock=lambda: JUST_AFTER_MIDNIGHT)
    yield workspace
    workspace.close()


def test_an_instant_is_read_as_the_islands_day_never_as_its_utc_date() -> None:
    assert island_date("2026-06-30T17:30:00+00:00") == dt.date(2026, 7, 1)
    assert island_date("2026-06-30T16:59:59+00:00") == dt.date(2026, 6, 30)
    assert island_date("2026-07-01") == dt.date(2026, 7, 1)  # a stored day stays that day
    assert format_island_date("2026-06-30T17:30:00+00:00") == "01/07/2026"
    assert format_island_date(None) == "—"
    assert format_island_date("không phải ngày") == "—"


def test_today_and_a_task_done_without_a_date_are_the_islands_day(night: Workspace) -> None:
    assert night.today() == dt.date(2026, 7, 1)
    update_task(night, "4", status="done", by="Hà")
    detail = get_task(night, "4")
    assert detail.done_on == "2026-07-01"
    assert "01/07/2026 00:30" in task_text.history_line(detail.history[-1])


def test_a_report_submitted_after_midnight_shows_the_islands_day(night, db_path) -> None:
    overview_service.set_local_profile(night, "tthcc", "Trần Thị Bình")
    report = report_service.new_report(night, unit="tthcc", period="2026-Q2")
    report_service.set_report(
        night, report.id, fields={"received_direct": "10", "resolved_on_time": "10"}
    )
    report_service.submit_report(night, report.id, by="Bình")
    screen = ReportsScreen(ScreenContext(night, db_path))
    screen.show(report=report.id)
    texts = " ".join(shown_texts(screen.view))
    assert "01/07/2026" in texts
    assert "30/06/2026" not in texts


def test_an_amendment_proposed_after_midnight_is_dated_the_islands_day(night, db_path) -> None:
    amendment_service.propose(
        night, unit="vhxh", action="drop", task="6", reason="Thành phố hủy.", by="Hà"
    )
    panel = AmendmentsPanel(ScreenContext(night, db_path))
    panel.refresh()
    texts = " ".join(shown_texts(panel.amend_box))
    assert "đề xuất ngày 01/07/2026" in texts
    assert "30/06/2026" not in texts


def test_a_backup_made_after_midnight_is_named_by_the_islands_date_and_time(night) -> None:
    from cchc.services.backup import default_backup_name

    assert default_backup_name(night) == "cchc-sao-luu-20260701-003000.sqlite"
