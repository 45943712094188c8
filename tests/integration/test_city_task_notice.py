"""A task the city assigns reaches the island by a real bundle and is named on the island's
dashboard, in a notice card that stays until the officer marks it seen; the city's own laptop,
which wrote the task, is not told about it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import arrivals, exchange
from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.ui.screens.dashboard import DashboardScreen
from tests.integration.screen_ctx import ScreenContext, control_tagged, shown_texts
from tests.integration.worlds import certified_net

CONTENT = "Rà soát, công bố danh mục thủ tục hành chính thực hiện trên Cổng dịch vụ công"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(tmp_path, (("ca", "cong_an", "unit"),))
    yield sites
    for ws in sites.values():
        ws.close()


def _assign_and_send(net: dict[str, Workspace]) -> str:
    city, island = net["city"], net["ca"]
    task = task_service.add_task(
        city,
        content=CONTENT,
        lead="cong_an",
        partners=[],
        due=None,
        timeframe="Quý II/2026",
        source_number="1234/UBND-NC",
        source_date="18/03/2026",
        source_issuer="UBND thành phố Hải Phòng",
        by="Sở Nội vụ",
    )
    site = exchange.identity(island)["site_id"]
    result = exchange.import_bytes(island, exchange.export_bundle(city, site))
    assert result.rejections == []
    return task.id


def _dashboard(ws: Workspace, tmp_path: Path) -> tuple[ScreenContext, DashboardScreen]:
    ctx = ScreenContext(ws, tmp_path / "x.sqlite")
    screen = DashboardScreen(ctx)
    screen.show()
    return ctx, screen


def test_the_citys_new_task_is_named_on_the_islands_dashboard_until_seen(net, tmp_path):
    overview_service.set_local_profile(net["ca"], "cong_an", "Phạm Văn Dũng")
    task_id = _assign_and_send(net)
    assert [t.id for t in arrivals.unseen_assigned(net["ca"])] == [task_id]
    ctx, screen = _dashboard(net["ca"], tmp_path)
    card = control_tagged(screen.view, "new-tasks")
    assert card is not None
    texts = " ".join(shown_texts(card))
    assert "Nhiệm vụ mới Thành phố giao" in texts
    assert CONTENT in texts
    assert "Thời hạn: Quý II/2026" in texts
    assert "1234/UBND-NC ngày 18/03/2026 của UBND thành phố Hải Phòng" in texts
    assert task_id[:8] not in texts
    # still there on the next visit, gone once seen
    _, again = _dashboard(net["ca"], tmp_path)
    assert control_tagged(again.view, "new-tasks") is not None
    control_tagged(again.view, "new-tasks-seen").content.on_click(None)
    assert control_tagged(again.view, "new-tasks") is None
    assert arrivals.unseen_assigned(net["ca"]) == []


def test_opening_the_new_task_goes_to_it_and_counts_as_seen(net, tmp_path):
    task_id = _assign_and_send(net)
    ctx, screen = _dashboard(net["ca"], tmp_path)
    card = control_tagged(screen.view, "new-task-1")
    button = next(c for c in card.content.controls if type(c).__name__ == "OutlinedButton")
    button.on_click(None)
    assert ctx.went == [("tasks", {"task": task_id})]
    assert arrivals.unseen_assigned(net["ca"]) == []


def test_the_city_is_not_told_of_the_task_it_wrote_itself(net, tmp_path):
    _assign_and_send(net)
    assert arrivals.unseen_assigned(net["city"]) == []
    _, screen = _dashboard(net["city"], tmp_path)
    assert control_tagged(screen.view, "new-tasks") is None
