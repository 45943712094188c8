"""Every screen of the city opens on values an older copy let in outside their domain (issue
20): the dashboard, the task list and a task's detail, the budget form, the reports. Nothing
fails, nothing shows +inf or a bidi override, and the task's detail flags what it could not
use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import reports as report_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.ui.screens.dashboard import DashboardScreen
from cchc.ui.screens.plan_money import PlanMoneyScreen
from cchc.ui.screens.reports import ReportsScreen
from cchc.ui.screens.tasks import TasksScreen
from tests.integration.older_copy import poisoned_city
from tests.integration.screen_ctx import ScreenContext, shown_texts

NOON = dt.datetime(2026, 4, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return poisoned_city(tmp_path_factory.mktemp("older-screens"))


@pytest.fixture
def ws(template: Path) -> Iterator[Workspace]:
    found = Workspace.open(template, clock=lambda: NOON)
    yield found
    found.close()


def _clean(texts: list[str]) -> str:
    joined = " ".join(texts)
    assert "\u202e" not in joined
    assert "inf" not in joined.lower().replace("info", "").replace("infor", "")
    assert "9999" not in joined
    return joined


def test_the_dashboard_and_the_budget_form_open(ws: Workspace, template: Path) -> None:
    ctx = ScreenContext(ws, template)
    for screen in (DashboardScreen(ctx), PlanMoneyScreen(ctx)):
        screen.show()
        _clean(shown_texts(screen.view))
    assert ctx.errors == []


def test_the_task_list_and_the_detail_flag_what_they_could_not_use(
    ws: Workspace, template: Path
) -> None:
    ctx = ScreenContext(ws, template)
    screen = TasksScreen(ctx)
    screen.show()
    for stt in (2, 3):
        screen.open_task(next(t.id for t in task_service.list_tasks(ws) if t.stt == stt))
        texts = _clean(shown_texts(screen.view))
        if stt == 2:
            assert "⚠ Giá trị không hợp lệ" in texts
    assert ctx.errors == []


def test_the_reports_screen_opens_the_report(ws: Workspace, template: Path) -> None:
    ctx = ScreenContext(ws, template)
    screen = ReportsScreen(ctx)
    screen.show()
    _clean(shown_texts(screen.view))
    report = report_service.list_reports(ws)[0]
    screen.show(report=report.id)
    texts = _clean(shown_texts(screen.view))
    assert "Kết quả đảo chiều" in texts
    assert ctx.errors == []
