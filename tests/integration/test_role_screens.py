"""The role screens store what their officers do, on the same services as the command line:
the city assigns a task (content, lead, time frame in the document's words, source document)
that reaches the island's laptop by a real bundle, and revokes a lost laptop after a
confirmation naming it and saying what stands and what is taken back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.services import exchange, send_queue
from cchc.services import tasks as task_service
from cchc.services.import_summary import summary_of
from cchc.services.sync_view import PeerView, peers
from cchc.services.workspace import Workspace
from cchc.texts.exchange import summary_lines
from cchc.ui.screens.task_assign import AssignTaskForm
from cchc.ui.screens.tasks import TasksScreen
from cchc.ui.sync.peers_panel import PeersPanel
from tests.integration.screen_ctx import ScreenContext, control_tagged
from tests.integration.worlds import certified_net

TTHCC = "Trung tâm Phục vụ hành chính công đặc khu"
CONTENT = "Rà soát, công bố danh mục thủ tục hành chính thực hiện trực tuyến toàn trình"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[dict[str, Workspace]]:
    sites = certified_net(tmp_path, (("tthcc", "tthcc", "unit"),))
    yield sites
    for ws in sites.values():
        ws.close()


def _assign_form(screen: TasksScreen) -> AssignTaskForm:
    """Open "Giao nhiệm vụ mới": the form is drawn in the detail pane."""
    screen._assign(None)
    form = screen.assign_form
    assert form is not None
    assert control_tagged(screen.detail, "assign-task") is not None
    return form


def test_the_city_assigns_a_task_that_reaches_the_island_by_a_bundle(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    city, tthcc = net["city"], net["tthcc"]
    ctx = ScreenContext(city, city.path)
    screen = TasksScreen(ctx)
    screen.show()
    assert control_tagged(screen.view, "task-assign-open") is not None
    form = _assign_form(screen)
    assert form.source_issuer.value == "UBND thành phố Hải Phòng"

    form.content.value = CONTENT
    form.lead.value = "tthcc"
    form.timeframe.value = "Quý III/2026"
    form.source_number.value = "123 UBND"  # not a document number
    form.source_date.value = "02/07/2026"
    before = len(task_service.list_tasks(city))
    form.save(None)
    assert form.source_number.error and len(task_service.list_tasks(city)) == before

    form.source_number.value = "123/UBND-NC"
    form.save(None)
    assert len(ctx.errors) == 1  # only the refusal above
    (added,) = [t for t in task_service.list_tasks(city) if t.content == CONTENT]
    detail = task_service.get_task(city, added.id)
    assert (detail.lead_unit_name, detail.timeframe, detail.due) == (
        TTHCC,
        "Quý III/2026",
        "2026-09-30",
    )
    assert (detail.source_number, detail.source_date, detail.source_issuer) == (
        "123/UBND-NC",
        "2026-07-02",
        "UBND thành phố Hải Phòng",
    )
    assert screen.selected == added.id
    assert ctx.notices[-1][0].startswith("Đã giao nhiệm vụ “Rà soát")

    (bundle,) = exchange.export_to(city, tmp_path / "usb")
    summary = summary_of(tthcc, exchange.import_paths(tthcc, [bundle]))
    # a new task is said as one, not as an update of a task the laptop never had
    assert "Từ Thành phố: 1 nhiệm vụ mới được giao." in summary_lines(summary)
    (arrived,) = [t for t in task_service.list_tasks(tthcc, unit="tthcc") if t.content == CONTENT]
    assert arrived.timeframe == "Quý III/2026"


def test_a_unit_laptop_is_not_offered_to_assign_tasks(net: dict[str, Workspace]) -> None:
    tthcc = net["tthcc"]
    screen = TasksScreen(ScreenContext(tthcc, tthcc.path))
    screen.show()
    assert control_tagged(screen.view, "task-assign-open") is None


def test_the_city_revokes_a_lost_laptop_after_a_confirmation_that_names_it(
    net: dict[str, Workspace], tmp_path: Path
) -> None:
    city, tthcc = net["city"], net["tthcc"]
    stt = next(t.stt for t in task_service.list_tasks(tthcc) if t.lead_unit == "tthcc" and t.stt)
    task_service.update_task(tthcc, str(stt), progress=40, by="Trần Văn C")
    exchange.import_paths(city, exchange.export_to(tthcc, tmp_path / "usb"))
    site = str(exchange.identity(tthcc)["site_id"])
    ctx = ScreenContext(city, city.path)
    panel = PeersPanel(ctx)
    panel.refresh()
    assert control_tagged(panel.view, f"revoke-{site[:8]}") is not None
    assert (
        control_tagged(panel.view, "revoke-" + str(exchange.identity(city)["site_id"])[:8]) is None
    )

    panel._ask_revoke(next(p for p in _peers(city) if p.site_id == site))
    (dialog,) = ctx.page.dialogs
    said = control_tagged(dialog, "revoke-confirm-text").label
    assert dialog.title.value == f"Thu hồi máy của {TTHCC}?"
    assert "Vẫn giữ nguyên trên mọi máy" in said and "1 nhiệm vụ được cập nhật" in said
    assert "gỡ khỏi máy nào đã nhận" in said
    assert send_queue.unsent(city).counts.get("revocations") is None  # nothing yet

    confirm = control_tagged(dialog, "revoke-confirm").content
    confirm.on_click(None)
    assert [p.revoked for p in _peers(city) if p.site_id == site] == [True]
    assert send_queue.unsent(city).counts.get("revocations") == 1
    assert control_tagged(panel.view, f"revoke-{site[:8]}") is None


def test_cancelling_the_revocation_changes_nothing(net: dict[str, Workspace]) -> None:
    city, tthcc = net["city"], net["tthcc"]
    site = str(exchange.identity(tthcc)["site_id"])
    ctx = ScreenContext(city, city.path)
    panel = PeersPanel(ctx)
    panel.refresh()
    panel._ask_revoke(next(p for p in _peers(city) if p.site_id == site))
    (dialog,) = ctx.page.dialogs
    said = control_tagged(dialog, "revoke-confirm-text").label
    assert "Thành phố chưa nhận được gì từ máy này" in said
    control_tagged(dialog, "revoke-cancel").content.on_click(None)
    assert ctx.page.dialogs == []
    assert [p.revoked for p in _peers(city) if p.site_id == site] == [False]


def _peers(ws: Workspace) -> list[PeerView]:
    return peers(ws)
