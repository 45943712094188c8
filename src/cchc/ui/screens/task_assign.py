"""Giao nhiệm vụ mới: the city (or UBND đặc khu's leadership) assigns a task outside the plan,
with its content, lead unit, time frame in the document's own words and the document that
assigns it (number, date, issuer), on the same service as ``cchc task add``. The new task then
travels to the island's laptops in the next bundle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError
from cchc.domain.roles import Action, Role, can_own_laptop
from cchc.domain.text import shorten
from cchc.services import letterhead
from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.permissions import laptop_authority
from cchc.texts.errors import describe
from cchc.texts.ui_roles import ASSIGN
from cchc.ui.widgets import options, section, tagged

if TYPE_CHECKING:
    from cchc.ui.screens.tasks import TasksScreen

#: Which field shows which refusal (by message key); others go under the form.
_FIELD_OF = {
    "content_missing": "content",
    "doc_number_bad": "source_number",
    "issuer_missing": "source_issuer",
    "due_or_timeframe": "timeframe",
    "unit_unknown": "lead",
}


def may_assign(screen: TasksScreen) -> bool:
    """Whether this laptop assigns tasks (the city; UBND đặc khu's leadership for its own)."""
    return bool(screen.ctx.call(laptop_authority).may(Action.TASK_ADD))


def _field(label: str, **kwargs: Any) -> ft.TextField:
    return ft.TextField(label=label, dense=True, on_change=lambda e: None, **kwargs)


class AssignTaskForm:
    """The form, shown in the task screen's detail pane."""

    def __init__(self, screen: TasksScreen) -> None:
        self.screen = screen
        ctx = screen.ctx
        city = ctx.call(laptop_authority).role == Role.CITY.value
        units = [u for u in ctx.call(overview_service.units) if can_own_laptop(u.role)]
        self.content = _field(
            ASSIGN["content"], multiline=True, min_lines=2, max_lines=5, expand=True
        )
        self.lead = ft.Dropdown(
            label=ASSIGN["lead"],
            options=options([(u.code, u.name) for u in units]),
            width=420,
            dense=True,
            enable_filter=True,
            menu_height=360,
        )
        head = ctx.call(letterhead.current)
        year = head.year if head is not None else ""
        self.timeframe = _field(ASSIGN["timeframe"].format(year=year), width=420)
        self.product = _field(ASSIGN["product"], width=420)
        self.source_number = _field(ASSIGN["source_number"], width=360)
        self.source_date = _field(ASSIGN["source_date"], width=320)
        self.source_issuer = _field(
            ASSIGN["source_issuer"],
            value=ASSIGN["city_issuer"]
            if city
            else ASSIGN["zone_issuer"].format(zone=head.zone if head else ""),
            width=360,
        )
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.view = section(
            ASSIGN["heading"],
            ft.Text(ASSIGN["hint"], size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row([tagged("assign-content", self.content)]),
            ft.Row(
                [
                    tagged("assign-lead", self.lead),
                    tagged("assign-timeframe", self.timeframe),
                ],
                wrap=True,
            ),
            ft.Row([tagged("assign-product", self.product)], wrap=True),
            ft.Row(
                [
                    tagged("assign-source-number", self.source_number),
                    tagged("assign-source-date", self.source_date),
                    tagged("assign-source-issuer", self.source_issuer),
                ],
                wrap=True,
            ),
            ft.Row(
                [
                    tagged(
                        "assign-save",
                        ft.Button(ASSIGN["save"], icon=ft.Icons.ASSIGNMENT_ADD, on_click=self.save),
                    ),
                    tagged("assign-cancel", ft.TextButton(ASSIGN["cancel"], on_click=self._cancel)),
                ],
                wrap=True,
            ),
            tagged("assign-error", self.error),
            identifier="assign-task",
        )

    @property
    def _fields(self) -> dict[str, ft.TextField]:
        return {
            "content": self.content,
            "timeframe": self.timeframe,
            "source_number": self.source_number,
            "source_date": self.source_date,
            "source_issuer": self.source_issuer,
        }

    def _cancel(self, e: Any) -> None:
        self.screen.refresh_detail()
        self.screen.ctx.page.update()

    def save(self, e: Any) -> None:
        ctx = self.screen.ctx
        self.error.value = ""
        for f in self._fields.values():
            f.error = None
        self.lead.error_text = None
        timeframe = (self.timeframe.value or "").strip()
        if not self.lead.value:
            self.lead.error_text = ASSIGN["lead_missing"]
        if not timeframe:
            self.timeframe.error = ASSIGN["timeframe_missing"]
        if self.lead.error_text or self.timeframe.error:
            ctx.page.update()
            return
        try:
            task = ctx.call(
                task_service.add_task,
                content=self.content.value or "",
                lead=self.lead.value or "",
                partners=[],
                due=None,
                timeframe=timeframe,
                source_number=self.source_number.value or "",
                source_date=(self.source_date.value or "").strip(),
                source_issuer=self.source_issuer.value or "",
                product=self.product.value or "",
            )
        except CchcError as err:
            text = describe(err)
            target = _FIELD_OF.get(err.key)
            if target is None and err.key in DATE_ERROR_KEYS:
                target = "source_date"
            if target == "lead":
                self.lead.error_text = text
            elif target is not None:
                self._fields[target].error = text
            self.error.value = text
            ctx.notify(text, error=True)
            ctx.page.update()
            return
        self.screen.selected = task.id
        self.screen.changed(
            ASSIGN["saved"].format(
                content=shorten(task.content, 60), lead=task.lead_unit_name, timeframe=timeframe
            )
        )
        ctx.page.update()
