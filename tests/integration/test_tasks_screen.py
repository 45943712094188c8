"""The Nhiệm vụ screen: marking a task done needs the day it was done (an empty field never
silently means today), and the list opens on this laptop's own unit."""

from __future__ import annotations

import flet as ft
import pytest

from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.ui.screens.tasks import TasksScreen
from cchc.ui.widgets import ALL
from tests.integration.screen_ctx import ScreenContext


def _opened(ws: Workspace, db_path, stt: int) -> tuple[ScreenContext, TasksScreen]:
    ctx = ScreenContext(ws, db_path)
    screen = TasksScreen(ctx)
    screen.show()
    screen.open_task(next(t.id for t in task_service.list_tasks(ws) if t.stt == stt))
    return ctx, screen


def test_marking_done_with_an_empty_completion_date_is_refused_beside_the_field(ws, db_path):
    overview_service.set_local_profile(ws, "vhxh", "Nguyễn Văn An")
    # Row 4 (row 1, done by the decision itself since issue 19, is no longer open)
    ctx, screen = _opened(ws, db_path, 4)
    form = screen.form
    assert form is not None
    form.status.value = "done"
    form.done_on.value = ""
    form._submit(None)
    assert form.done_on.error, "the empty completion date is pointed at"
    assert task_service.get_task(ws, "4").status == "not_started"
    assert task_service.get_task(ws, "4").history == []

    form.done_on.value = "14/01/2026"
    form._submit(None)
    done = task_service.get_task(ws, "4")
    assert (done.status, done.done_on, done.state) == ("done", "2026-01-14", "done_on_time")


def test_the_completion_date_is_marked_required_once_done_is_chosen(ws, db_path):
    overview_service.set_local_profile(ws, "vhxh", "Nguyễn Văn An")
    _, screen = _opened(ws, db_path, 4)
    form = screen.form
    assert form is not None
    assert "*" not in (form.done_on.label or "")
    form.status.value = "done"
    form.status.on_select(None)
    assert (form.done_on.label or "").endswith("*")


def test_the_service_still_takes_today_when_the_command_line_leaves_the_date_out(ws):
    """`cchc task update --status done` documents "default today"; only the screen asks."""
    assert task_service.update_task(ws, "4", status="done", by="A").done_on == "2026-07-10"


def test_the_task_list_opens_on_this_laptops_unit(ws, db_path):
    overview_service.set_local_profile(ws, "tthcc", "Trần Thị Bình")
    ctx = ScreenContext(ws, db_path)
    screen = TasksScreen(ctx)
    screen.show()
    assert screen.unit.value == "tthcc"
    assert {v.lead_unit for v in screen._views} == {"tthcc"}
    screen._clear(None)  # the officer may still look at every task
    assert screen.unit.value == ALL
    assert len(screen._views) == 26


def test_a_laptop_not_yet_set_to_a_unit_lists_every_task(ws, db_path):
    ctx = ScreenContext(ws, db_path)
    screen = TasksScreen(ctx)
    screen.show()
    assert screen.unit.value == ALL
    assert len(screen._views) == 26


def test_a_long_note_is_capped_with_a_counter(ws, db_path):
    overview_service.set_local_profile(ws, "vhxh", "Nguyễn Văn An")
    _, screen = _opened(ws, db_path, 4)
    assert screen.form is not None
    assert screen.form.note.max_length == task_service.NOTE_MAX


def test_the_search_field_keeps_room_for_its_label_at_1024_pixels(ws, db_path):
    """Its label wrapped into six lines when the filters were squeezed into one row: now the
    field has a width of its own and the filter row wraps."""
    screen = TasksScreen(ScreenContext(ws, db_path))
    row = next(
        c
        for c in screen.view.controls
        if isinstance(c, ft.Row)
        and any(getattr(x, "identifier", "") == "filter-search" for x in c.controls)
    )
    assert row.wrap
    assert not screen.search.expand
    assert (screen.search.width or 0) >= 12 * len(screen.search.label or "")


@pytest.mark.parametrize(
    ("status", "progress", "done_on", "expected"),
    [
        ("done", "0", "20/03/2026", ("done", 100, "2026-03-20")),  # done means 100%
        ("in_progress", "60%", "", ("in_progress", 60, None)),
    ],
)
def test_the_form_reads_as_the_officer_means_it(ws, status, progress, done_on, expected):
    view = task_service.update_from_form(
        ws, "4", status=status, progress_text=progress, done_on_text=done_on, by="A"
    )
    assert (view.status, view.progress, view.done_on) == expected


def test_a_task_no_longer_done_drops_its_stored_completion_date(ws):
    task_service.update_task(ws, "4", status="done", done_on="20/03/2026", by="A")
    view = task_service.update_from_form(
        ws, "4", status="in_progress", progress_text="80", done_on_text="20/03/2026", by="A"
    )
    assert (view.status, view.progress, view.done_on) == ("in_progress", 80, None)


def test_a_long_note_from_another_laptop_does_not_flood_the_history(ws, db_path):
    from cchc.ui.screens.task_detail import HISTORY_LINES, history

    task_service.update_task(ws, "4", note="Ghi chú.", by="A")
    detail = task_service.get_task(ws, "4")
    long = detail.history[-1].model_copy(update={"new_value": "chữ " * 1250})  # 5,000 chars
    panel = history(detail.model_copy(update={"history": [long]}))
    texts = [c for c in panel.content.content.controls if isinstance(c, ft.Text)]
    entry = texts[-1]
    assert len(entry.value or "") > 4000
    assert entry.max_lines == HISTORY_LINES
    assert entry.overflow == ft.TextOverflow.ELLIPSIS


@pytest.mark.parametrize("unit", ["so_noi_vu", "vhxh", "vp_ubnd"])
def test_the_city_the_leadership_and_the_consolidator_open_on_every_units_tasks(ws, db_path, unit):
    """The city's laptop (set to Sở Nội vụ, which leads no task) once opened on 0/26."""
    overview_service.set_local_profile(ws, unit, "Lê Văn Cường")
    screen = TasksScreen(ScreenContext(ws, db_path))
    screen.show()
    assert screen.unit.value == ALL
    assert len(screen._views) == 26
