"""Tổng quan: counts by state, progress by area and unit, what is overdue or due soon."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft
import flet_charts as fch

from cchc.domain.numbers import format_percent
from cchc.services import arrivals, letterhead
from cchc.services import overview as overview_service
from cchc.services.overview import LocalProfile, Overview
from cchc.services.tasks import TaskView
from cchc.texts.reports import area_range
from cchc.texts.tasks import STATE_LABELS
from cchc.texts.ui import DASHBOARD, NAV
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.widgets import heading, section, tagged, vn_date

STATE_COLORS = {
    "not_started": ft.Colors.BLUE_GREY_400,
    "in_progress": ft.Colors.BLUE_600,
    "done_on_time": ft.Colors.GREEN_700,
    "done_late": ft.Colors.AMBER_800,
    "overdue": ft.Colors.RED_700,
}

# Panels that other areas add to the dashboard: each takes the context and returns a control
# (or None when it has nothing to show yet). The lead wires targets against actuals
# (cchc.services.targets) and "last exchanged with each peer" (sync) here, one line each.
MAX_UNIT_ROWS = 12  # a city database has over a hundred units: the busiest are shown
MAX_TASK_ROWS = 8

DashboardPanel = Callable[[AppContext], ft.Control | None]
EXTRA_PANELS: list[DashboardPanel] = []


class DashboardScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)

    def _plan_number(self) -> str:
        """The number of the decision of this year's plan, as the plan data states it."""
        head = self.ctx.call(letterhead.current)
        return head.plan_number if head is not None else "—"

    def show(self, profile: LocalProfile | None = None, **params: Any) -> None:
        """Draw afresh; `profile` is this laptop's, when the caller has just read it."""
        data = self.ctx.call(overview_service.overview)
        if profile is None:
            profile = self.ctx.call(overview_service.local_profile)
        today = data.today
        panels = [panel(self.ctx) for panel in EXTRA_PANELS]
        self.view.controls = [
            heading(DASHBOARD["title"]),
            ft.Text(
                DASHBOARD["subtitle"].format(
                    plan=self._plan_number(), total=data.total, today=today.strftime("%d/%m/%Y")
                )
                + " · "
                + DASHBOARD["profile"].format(
                    unit=profile.unit_name or "—", officer=profile.officer or "—"
                ),
                color=ft.Colors.ON_SURFACE_VARIANT,
            ),
            *self._new_tasks(),
            self._counts(data),
            ft.ResponsiveRow(
                [
                    _spanning(self._areas(data), 5),
                    _spanning(self._units(data), 7),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            ft.ResponsiveRow(
                [
                    _spanning(
                        self._task_list(
                            DASHBOARD["overdue"], data.overdue, DASHBOARD["none_overdue"], "overdue"
                        ),
                        6,
                    ),
                    _spanning(
                        self._task_list(
                            DASHBOARD["due_soon"].format(days=data.due_soon_days),
                            data.due_soon,
                            DASHBOARD["none_due_soon"].format(days=data.due_soon_days),
                            "due-soon",
                        ),
                        6,
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            *[p for p in panels if p is not None],
        ]
        self.view.controls.append(tagged("dashboard-ready", ft.Text(" ", size=1)))

    def _new_tasks(self) -> list[ft.Control]:
        """The city's new tasks this laptop received, named, until the officer has seen them."""
        fresh = self.ctx.call(arrivals.unseen_assigned)
        if not fresh:
            return []
        rows: list[ft.Control] = [
            ft.Row(
                [
                    ft.Icon(ft.Icons.NEW_RELEASES, color=ft.Colors.PRIMARY),
                    ft.Text(DASHBOARD["new_tasks_heading"], size=16, weight=ft.FontWeight.W_600),
                ]
            )
        ]
        for i, task in enumerate(fresh, start=1):
            meta = DASHBOARD["new_task_meta"].format(
                lead=task.lead_unit_name,
                timeframe=task.timeframe,
                number=task.source_number or "—",
                date=vn_date(task.source_date),
                issuer=task.source_issuer or "—",
            )
            rows.append(
                tagged(
                    f"new-task-{i}",
                    ft.Row(
                        [
                            ft.Column(
                                [
                                    ft.Text(task.content, weight=ft.FontWeight.W_500),
                                    ft.Text(meta, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                                ],
                                spacing=2,
                                tight=True,
                                expand=True,
                            ),
                            ft.OutlinedButton(
                                DASHBOARD["new_task_open"],
                                on_click=lambda e, ref=task.id: self._open_new(ref),
                            ),
                        ],
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    ),
                    label=f"{DASHBOARD['new_tasks_heading']}: {task.content}",
                )
            )
        rows.append(
            tagged(
                "new-tasks-seen",
                ft.TextButton(
                    DASHBOARD["new_tasks_seen"],
                    icon=ft.Icons.DONE,
                    on_click=lambda e: self._seen([t.id for t in fresh]),
                ),
            )
        )
        card = ft.Container(
            ft.Column(rows, spacing=8, tight=True),
            padding=ft.Padding.all(12),
            border=ft.Border.all(2, ft.Colors.PRIMARY),
            border_radius=8,
            bgcolor=ft.Colors.PRIMARY_CONTAINER,
        )
        return [tagged("new-tasks", card)]

    def _seen(self, task_ids: list[str]) -> None:
        self.ctx.call(arrivals.mark_seen, task_ids)
        self.show()
        self.ctx.page.update()

    def _open_new(self, task_id: str) -> None:
        self.ctx.call(arrivals.mark_seen, [task_id])
        self.ctx.go("tasks", task=task_id)

    def _counts(self, data: Overview) -> ft.Control:
        cards: list[ft.Control] = []
        for state, label in STATE_LABELS.items():
            count = data.counts.get(state, 0)
            card = ft.Container(
                content=ft.Column(
                    [
                        ft.Text(
                            str(count),
                            size=40,
                            weight=ft.FontWeight.BOLD,
                            color=STATE_COLORS[state],
                        ),
                        ft.Text(label, size=14),
                    ],
                    spacing=2,
                    tight=True,
                ),
                padding=ft.Padding.symmetric(vertical=10, horizontal=16),
                border=ft.Border.all(1, STATE_COLORS[state]),
                border_radius=8,
                width=200,
                ink=True,
                on_click=lambda e, s=state: self.ctx.go("tasks", state=s),
            )
            cards.append(
                tagged(
                    f"count-{state}",
                    card,
                    label=DASHBOARD["count_label"].format(label=label, count=count),
                )
            )
        return ft.Row(cards, wrap=True, spacing=12, run_spacing=12)

    def _areas(self, data: Overview) -> ft.Control:
        chart = fch.BarChart(
            groups=[
                fch.BarChartGroup(
                    x=i,
                    rods=[
                        fch.BarChartRod(
                            to_y=row.mean_progress,
                            width=22,
                            color=ft.Colors.BLUE_600,
                            border_radius=3,
                            bg_to_y=100,
                            bgcolor=ft.Colors.BLUE_50,
                            # A tooltip object, not a string: flet_charts wraps a string in a
                            # new object at every update, so each page update (any event) would
                            # resend every rod and redraw the chart.
                            tooltip=fch.BarChartRodTooltip(
                                text=DASHBOARD["area_tooltip"].format(
                                    code=row.key,
                                    title=row.label,
                                    progress=format_percent(row.mean_progress),
                                    done=row.done,
                                    tasks=row.tasks,
                                )
                            ),
                        )
                    ],
                )
                for i, row in enumerate(data.by_area)
            ],
            min_y=0,
            max_y=100,
            height=230,
            left_axis=fch.ChartAxis(
                label_size=36,
                labels=[
                    fch.ChartAxisLabel(value=v, label=ft.Text(f"{v}%", size=11))
                    for v in (0, 50, 100)
                ],
            ),
            bottom_axis=fch.ChartAxis(
                label_size=28,
                labels=[
                    fch.ChartAxisLabel(value=i, label=ft.Text(row.key, size=12))
                    for i, row in enumerate(data.by_area)
                ],
            ),
            horizontal_grid_lines=fch.ChartGridLines(
                interval=25, color=ft.Colors.OUTLINE_VARIANT, width=0.5
            ),
        )
        legend = ft.Text(
            "\n".join(
                DASHBOARD["area_legend"].format(
                    code=row.key,
                    title=row.label,
                    progress=format_percent(row.mean_progress),
                    done=row.done,
                    tasks=row.tasks,
                )
                for row in data.by_area
            ),
            size=12,
        )
        areas = area_range([row.key for row in data.by_area])  # the plan's: "I–VII", "I–III"
        title = DASHBOARD["by_area"].format(areas=areas)
        return section(title, chart, legend, identifier="chart-areas")

    def _units(self, data: Overview) -> ft.Control:
        rows: list[ft.Control] = []
        for row in data.by_unit[:MAX_UNIT_ROWS]:
            rows.append(
                ft.Column(
                    [
                        ft.Row(
                            [
                                ft.Text(
                                    row.label,
                                    expand=True,
                                    size=13,
                                    max_lines=1,
                                    overflow=ft.TextOverflow.ELLIPSIS,
                                    tooltip=row.label,
                                ),
                                ft.Text(
                                    DASHBOARD["unit_row"].format(
                                        done=row.done,
                                        tasks=row.tasks,
                                        progress=format_percent(row.mean_progress),
                                    ),
                                    size=13,
                                ),
                            ]
                        ),
                        ft.ProgressBar(
                            value=row.mean_progress / 100,
                            color=ft.Colors.RED_700 if row.overdue else ft.Colors.BLUE_600,
                            bgcolor=ft.Colors.BLUE_50,
                            bar_height=8,
                            border_radius=4,
                        ),
                    ],
                    spacing=3,
                )
            )
        hidden = len(data.by_unit) - MAX_UNIT_ROWS
        if hidden > 0:
            rows.append(ft.Text(DASHBOARD["more_units"].format(count=hidden), italic=True))
        return section(DASHBOARD["by_unit"], *rows, identifier="chart-units")

    def _task_list(self, title: str, views: list[TaskView], empty: str, ident: str) -> ft.Control:
        if not views:
            return section(title, ft.Text(empty), identifier=f"list-{ident}")
        tiles: list[ft.Control] = [
            tagged(
                f"{ident}-{v.stt or v.id[:8]}",
                ft.ListTile(
                    leading=ft.Icon(
                        ft.Icons.WARNING_AMBER if v.state == "overdue" else ft.Icons.SCHEDULE,
                        color=STATE_COLORS[v.state],
                    ),
                    title=ft.Text(
                        f"{v.stt or '*'}. {v.content}",
                        max_lines=2,
                        overflow=ft.TextOverflow.ELLIPSIS,
                        size=14,
                    ),
                    subtitle=ft.Text(
                        DASHBOARD["task_due"].format(
                            lead=v.lead, due=vn_date(v.due), days=_days(v)
                        ),
                        size=12,
                    ),
                    dense=True,
                    on_click=lambda e, ref=v.id: self.ctx.go("tasks", task=ref),
                ),
            )
            for v in views[:MAX_TASK_ROWS]
        ]
        hidden = len(views) - MAX_TASK_ROWS
        if hidden > 0 and ident == "overdue":
            tiles.append(
                ft.TextButton(
                    DASHBOARD["all_overdue"].format(count=len(views)),
                    on_click=lambda e: self.ctx.go("tasks", state="overdue"),
                )
            )
        elif hidden > 0:
            tiles.append(ft.Text(DASHBOARD["more_tasks"].format(count=hidden), italic=True))
        return section(title, *tiles, identifier=f"list-{ident}")


def _spanning(control: ft.Control, lg: int) -> ft.Control:
    """A panel of a ResponsiveRow: the full width on narrow windows, `lg` of 12 on wide ones
    (set on the panel itself: a wrapping container would be one more control to draw)."""
    control.col = {"xs": 12, "lg": lg}
    return control


def _days(view: TaskView) -> str:
    if view.days_left is None:
        return ""
    if view.days_left < 0:
        return DASHBOARD["overdue_by"].format(days=-view.days_left)
    if view.days_left == 0:
        return DASHBOARD["due_today"]
    return DASHBOARD["due_in"].format(days=view.days_left)


SPEC = ScreenSpec(
    key="dashboard",
    label=NAV["dashboard"],
    icon=ft.Icons.DASHBOARD_OUTLINED,
    selected_icon=ft.Icons.DASHBOARD,
    order=10,
    factory=DashboardScreen,
)
