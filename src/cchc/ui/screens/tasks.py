"""Nhiệm vụ: the filterable list (opening on this laptop's unit) beside one task's detail; the
detail's parts are cchc.ui.screens.task_detail, its forms cchc.ui.screens.task_forms."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import overview as overview_service
from cchc.services import plan as plan_service
from cchc.services import tasks as task_service
from cchc.services.permissions import task_list_unit
from cchc.services.tasks import TaskView
from cchc.texts.errors import describe
from cchc.texts.plan_publish import PLAN_SCREEN
from cchc.texts.tasks import STATE_LABELS
from cchc.texts.ui import COMMON, NAV, TASKS
from cchc.texts.ui_roles import ASSIGN
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.screens.dashboard import STATE_COLORS
from cchc.ui.screens.task_assign import AssignTaskForm, may_assign
from cchc.ui.screens.task_detail import documents, facts, history
from cchc.ui.screens.task_forms import EvidenceForm, UpdateForm
from cchc.ui.widgets import ALL, heading, options, tagged, unit_filter, vn_date

ROWS_PER_PAGE = 25
SEARCH_WIDTH = 400  # its label on one line beside the search icon
LIST_WIDTH = 430  # the list column; the detail takes the rest (1024 px windows included)


class TasksScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.selected: str | None = None
        self._views: list[TaskView] = []
        self._total = 0  # tasks in the plan and added, counted when the data may have changed
        self._detail_builds = 0
        self._row_cache: dict[str, tuple[tuple[str, str, str, bool], ft.Control]] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-ui-"))
        self.form: UpdateForm | None = None  # the open task's update form, when it may be edited
        self.assign_form: AssignTaskForm | None = None  # "Giao nhiệm vụ mới", when open

        areas = ctx.call(overview_service.areas)
        units = ctx.call(overview_service.units)
        self.area = ft.Dropdown(
            label=TASKS["filter_area"],
            value=ALL,
            options=options(
                [(ALL, COMMON["all"])] + [(a.code, f"{a.code}. {a.title}") for a in areas]
            ),
            width=220,
            dense=True,
            on_select=self._on_filter,
        )
        self.unit = unit_filter(
            label=TASKS["filter_unit"],
            all_label=COMMON["all"],
            units=units,
            width=300,
            on_select=self._on_filter,
        )
        # a unit's laptop opens on its own tasks ("Tất cả" is one choice away); the city, the
        # leadership and the consolidator work on the whole zone's and open on every unit
        own = ctx.call(task_list_unit)
        if own in {u.code for u in units}:
            self.unit.value = own
        self.state = ft.Dropdown(
            label=TASKS["filter_state"],
            value=ALL,
            options=options([(ALL, COMMON["all"]), *STATE_LABELS.items()]),
            width=210,
            dense=True,
            on_select=self._on_filter,
        )
        self.search = ft.TextField(
            label=TASKS["search"],
            dense=True,
            width=SEARCH_WIDTH,  # a fixed width: the row wraps instead of squeezing the label
            prefix_icon=ft.Icons.SEARCH,
            on_change=self._on_filter,
            on_submit=self._on_filter,
        )
        # Years side by side: a picker once the laptop holds more than one year's plan.
        years = ctx.call(plan_service.plan_years)
        self.year: ft.Dropdown | None = None
        if len(years) > 1:
            self.year = ft.Dropdown(
                label=PLAN_SCREEN["year"],
                value=str(ctx.call(plan_service.default_year)),
                options=options([(str(y), str(y)) for y in years]),
                width=120,
                dense=True,
                on_select=self._on_year,
            )
        self.count = ft.Text()
        self.rows = ft.ListView(expand=True, spacing=2)
        # What a filter change redraws: the count and the rows, not the filters themselves.
        self.listing = ft.Column([tagged("task-count", self.count), self.rows], expand=True)
        self.detail = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=12)
        self.detail_host = ft.Container(self.detail, expand=True, padding=ft.Padding.only(left=8))
        filters = ft.Row(
            [
                *([tagged("filter-year", self.year)] if self.year is not None else []),
                tagged("filter-area", self.area),
                tagged("filter-unit", self.unit),
                tagged("filter-state", self.state),
                tagged("filter-search", self.search),
                ft.IconButton(
                    ft.Icons.FILTER_ALT_OFF, tooltip=TASKS["clear"], on_click=self._clear
                ),
            ],
            wrap=True,  # at 1024 px the search field goes to a second line, its label whole
            run_spacing=8,
        )
        title: list[ft.Control] = [heading(TASKS["title"])]
        if may_assign(self):  # the city, and UBND đặc khu's leadership
            title.append(
                tagged(
                    "task-assign-open",
                    ft.OutlinedButton(
                        ASSIGN["open"], icon=ft.Icons.ASSIGNMENT_ADD, on_click=self._assign
                    ),
                )
            )
        self.view = ft.Column(
            [
                ft.Row(title, wrap=True, spacing=16),
                filters,
                ft.Row(
                    [
                        ft.Container(self.listing, width=LIST_WIDTH),
                        ft.VerticalDivider(width=1),
                        self.detail_host,
                    ],
                    expand=True,
                    vertical_alignment=ft.CrossAxisAlignment.START,
                ),
            ],
            expand=True,
        )

    # ---- list -------------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        if "state" in params:
            self.area.value = ALL
            self.unit.value = ALL
            self.search.value = ""
            self.state.value = params["state"]
        self._fresh_detail()
        if "task" in params:
            self.selected = params["task"]
        self.refresh_list()
        self.refresh_detail()

    def _on_filter(self, e: Any = None) -> None:
        """A filter changed in the browser: the data did not, so the total stands; only the
        list part is compared and sent (the unit filter alone holds over a hundred options)."""
        self.refresh_list(recount=False)
        self.listing.update()

    def _on_year(self, e: Any = None) -> None:
        """Another year's plan: its tasks, counted afresh; its areas are its own."""
        self.area.value = ALL
        self.selected = None
        self.refresh_list()
        self.refresh_detail()
        self.ctx.page.update()

    def _clear(self, e: Any) -> None:
        self.area.value = self.unit.value = self.state.value = ALL
        self.search.value = ""
        self.refresh_list(recount=False)
        self.ctx.page.update()

    def _filters(self) -> dict[str, Any]:
        def chosen(dropdown: ft.Dropdown) -> str | None:
            return None if dropdown.value in (None, ALL) else dropdown.value

        return {
            "year": int(self.year.value) if self.year is not None and self.year.value else None,
            "area": chosen(self.area),
            "unit": chosen(self.unit),
            "state": chosen(self.state),
            "search": (self.search.value or "").strip() or None,
        }

    def refresh_list(self, *, recount: bool = True) -> None:
        """Read the filtered list; `recount` also counts every task (after the data changed)."""
        if recount:
            views, self._total = self.ctx.call(_filtered_and_total, self._filters())
        else:
            views = self.ctx.call(task_service.list_tasks, **self._filters())
        self.count.value = TASKS["shown"].format(shown=len(views), total=self._total)
        self._views = views
        self.rows.controls = [self._row(v) for v in views[:ROWS_PER_PAGE]] or [
            ft.Text(TASKS["empty"])
        ]
        self._more_button()

    def _more_button(self) -> None:
        """Long lists (a city database) are drawn a page at a time, so filtering stays quick."""
        shown = sum(1 for c in self.rows.controls if isinstance(c, ft.Semantics))
        left = len(self._views) - shown
        if left > 0:
            self.rows.controls.append(
                tagged(
                    "task-more",
                    ft.TextButton(
                        TASKS["show_more"].format(count=min(left, ROWS_PER_PAGE)),
                        on_click=self._show_more,
                    ),
                )
            )

    def _show_more(self, e: Any) -> None:
        shown = [c for c in self.rows.controls if isinstance(c, ft.Semantics)]
        shown = [c for c in shown if c.identifier != "task-more"]
        more = self._views[len(shown) : len(shown) + ROWS_PER_PAGE]
        self.rows.controls = shown + [self._row(v) for v in more]
        self._more_button()
        self.ctx.page.update()

    def _row(self, v: TaskView) -> ft.Control:
        """A list row; unchanged tasks reuse their control, so a filter change sends little."""
        key = (v.id, v.updated_at, v.state, v.id == self.selected)
        cached = self._row_cache.get(v.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        row = self._build_row(v)
        self._row_cache[v.id] = (key, row)
        return row

    def _build_row(self, v: TaskView) -> ft.Control:
        tile = ft.ListTile(
            leading=ft.Container(
                ft.Text(str(v.stt or "*"), weight=ft.FontWeight.BOLD, color=ft.Colors.WHITE),
                bgcolor=STATE_COLORS[v.state],
                width=34,
                height=34,
                border_radius=17,
                alignment=ft.Alignment.CENTER,
            ),
            title=ft.Text(
                v.content,
                max_lines=2,
                overflow=ft.TextOverflow.ELLIPSIS,
                size=14,
                tooltip=v.content,  # the whole name on hover when it is cut
            ),
            subtitle=ft.Text(
                TASKS["row_subtitle"].format(
                    state=STATE_LABELS[v.state],
                    progress=v.progress,
                    lead=v.lead_unit_name,
                    due=vn_date(v.due) if v.due else v.timeframe,
                ),
                size=12,
                max_lines=2,
                overflow=ft.TextOverflow.ELLIPSIS,
            ),
            selected=v.id == self.selected,
            dense=True,
            on_click=lambda e, ref=v.id: self.open_task(ref),
        )
        return tagged(f"task-row-{v.stt or v.id[:8]}", tile)

    def _fresh_detail(self) -> None:
        """Another task opens scrolled to its top."""
        try:
            self.detail.page  # noqa: B018  (raises until the column is on the page)
        except RuntimeError:
            return
        self.ctx.page.run_task(self._scroll_detail_top)

    async def _scroll_detail_top(self) -> None:
        await self.detail.scroll_to(offset=0, duration=0)

    def open_task(self, ref: str) -> None:
        self.selected = ref
        self._fresh_detail()
        self.refresh_list(recount=False)  # opening a task changes no data
        self.refresh_detail()
        self.ctx.page.update()

    # ---- detail -----------------------------------------------------------------------------

    def refresh_detail(self) -> None:
        if self.selected is None:
            self.detail.controls = [ft.Text(TASKS["pick_one"], italic=True)]
            return
        try:
            detail = self.ctx.call(task_service.get_task, self.selected)
        except CchcError as err:
            self.detail.controls = [ft.Text(describe(err), color=ft.Colors.ERROR)]
            return
        controls: list[ft.Control] = [tagged("task-detail", facts(detail))]
        self.form = None
        if self.ctx.call(overview_service.may_edit, detail):
            self.form = UpdateForm(self, detail)
            controls += [
                self.form.view,
                documents(self.ctx, detail, self._tmp),
                EvidenceForm(self, detail).view,
            ]
        else:
            profile = self.ctx.call(overview_service.local_profile)
            controls += [
                tagged(
                    "read-only",
                    ft.Text(
                        TASKS["read_only"].format(
                            lead=detail.lead_unit_name, unit=profile.unit_name or ""
                        ),
                        italic=True,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                    ),
                ),
                documents(self.ctx, detail, self._tmp),
            ]
        controls.append(history(detail))
        # A fresh key per build: Flutter then lays the new detail out from scratch (patching the
        # previous task's form in place left the panel blank when the form disappeared).
        self._detail_builds += 1
        self.detail.controls = [
            ft.Column(controls, spacing=12, key=f"detail-{self._detail_builds}")
        ]

    def _assign(self, e: Any) -> None:
        """The form for a new task, in the detail pane."""
        self._detail_builds += 1
        self.assign_form = AssignTaskForm(self)
        self.detail.controls = [
            ft.Column([self.assign_form.view], spacing=12, key=f"detail-{self._detail_builds}")
        ]
        self._fresh_detail()
        self.ctx.page.update()

    def changed(self, text: str) -> None:
        """After a write: confirm it, and show the new state in the list and the detail."""
        self.refresh_list()
        self.refresh_detail()
        self.ctx.notify(text)


def _filtered_and_total(ws: Any, filters: dict[str, Any]) -> tuple[list[TaskView], int]:
    """The tasks the filters keep and how many tasks there are, from one read of the list."""
    every = task_service.list_tasks(ws, year=filters.get("year"))
    if not any(v for k, v in filters.items() if k != "year"):
        return every, len(every)
    return task_service.list_tasks(ws, **filters), len(every)


SPEC = ScreenSpec(
    key="tasks",
    label=NAV["tasks"],
    icon=ft.Icons.CHECKLIST_OUTLINED,
    selected_icon=ft.Icons.CHECKLIST,
    order=20,
    factory=TasksScreen,
)
