"""Điều chỉnh Kế hoạch: proposals to add, change or drop a task (proposed by a unit, forwarded
by Phòng Văn hóa - Xã hội, decided by UBND đặc khu), and the form for a new one."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.domain.roles import Action, takes_step
from cchc.domain.text import shorten
from cchc.services import amendments as amendment_service
from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.amendment_text import change_lines
from cchc.services.amendments import AmendmentView
from cchc.services.permissions import Authority, laptop_authority
from cchc.texts import reports as T
from cchc.texts.errors import describe
from cchc.texts.ui import COMMON
from cchc.texts.ui_reports import PLAN_MONEY
from cchc.ui.context import AppContext
from cchc.ui.widgets import options, section, tagged, vn_date

_AMEND_FIELD = {
    "amendment_reason": "reason",
    "amendment_needs_task": "task",
    "amendment_task_dropped": "task",
    "amendment_add_fields": "content",
    "amendment_change_fields": "content",
    "amendment_area": "area",
}


class AmendmentsPanel:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        tasks = ctx.call(task_service.list_tasks)
        task_opts = [(t.id, f"{t.stt or '*'}. {shorten(t.content, 70)}") for t in tasks]
        self.action = ft.Dropdown(
            label=PLAN_MONEY["action"],
            options=options(list(T.AMENDMENT_ACTIONS.items())),
            value="change",
            width=220,
            dense=True,
        )
        self.amend_task = ft.Dropdown(
            label=PLAN_MONEY["amend_task"],
            options=options(task_opts),
            width=520,
            dense=True,
        )
        self.content = ft.TextField(label=PLAN_MONEY["content"], expand=True, dense=True)
        self.timeframe = ft.TextField(label=PLAN_MONEY["timeframe"], width=260, dense=True)
        self.area = ft.Dropdown(
            label=PLAN_MONEY["area"],
            options=options([(a.code, a.code) for a in ctx.call(overview_service.areas)]),
            width=260,
            dense=True,
        )
        self.reason = ft.TextField(
            label=PLAN_MONEY["reason"], expand=True, dense=True, max_length=1000
        )
        self.amend_error = ft.Text("", color=ft.Colors.ERROR)
        for text_field in (self.content, self.timeframe, self.reason):
            text_field.on_change = self._on_text  # each keystroke reaches the app at once
        self.amend_box = ft.Column(spacing=6, tight=True)

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    def _authority(self) -> Authority:
        found: Authority = self.ctx.call(laptop_authority)
        return found

    def view(self) -> ft.Control:
        return section(
            PLAN_MONEY["amend_heading"],
            tagged("amend-list", self.amend_box),
            ft.Divider(),
            ft.Text(PLAN_MONEY["amend_form"], weight=ft.FontWeight.W_600),
            ft.Row(
                [tagged("amend-action", self.action), tagged("amend-task", self.amend_task)],
                wrap=True,
            ),
            ft.Row([tagged("amend-content", self.content)]),
            ft.Row(
                [tagged("amend-timeframe", self.timeframe), tagged("amend-area", self.area)],
                wrap=True,
            ),
            ft.Row([tagged("amend-reason", self.reason)]),
            tagged(
                "amend-propose",
                ft.Button(PLAN_MONEY["propose"], icon=ft.Icons.SEND, on_click=self._propose),
            ),
            tagged("amend-error", self.amend_error),
            identifier="amendments",
        )

    def refresh(self) -> None:
        items = self.ctx.call(amendment_service.list_amendments)
        found = self._authority()
        forwarder = found.may(Action.AMENDMENT_FORWARD)
        decider = found.may(Action.AMENDMENT_DECIDE)
        if not items:
            self.amend_box.controls = [ft.Text(PLAN_MONEY["amend_empty"])]
            return
        rows: list[ft.Control] = []
        for a in items:
            rows.append(tagged(f"amendment-{a.id[:8]}", self._amendment(a, forwarder, decider)))
        self.amend_box.controls = rows

    def _amendment(self, a: AmendmentView, forwarder: bool, decider: bool) -> ft.Control:
        task = (
            f"{a.task_stt or '*'}. {shorten(a.task_content or '', 60)}"
            if a.task_id
            else PLAN_MONEY["no_task"]
        )
        unit = a.unit  # the proposing unit's name
        lines: list[ft.Control] = [
            ft.Text(
                PLAN_MONEY["amend_line"].format(
                    action=T.AMENDMENT_ACTIONS.get(a.action, a.action), task=task, unit=unit
                ),
                weight=ft.FontWeight.W_500,
            ),
            *(
                tagged(f"amendment-change-{a.id[:8]}-{i}", ft.Text(line, size=13))
                for i, line in enumerate(change_lines(a))
            ),
            ft.Text(
                PLAN_MONEY["amend_status"].format(
                    status=T.AMENDMENT_STATUS.get(a.status, a.status),
                    date=vn_date(a.proposed_at),
                    reason=a.reason,
                ),
                size=12,
                max_lines=3,
                overflow=ft.TextOverflow.ELLIPSIS,
            ),
        ]
        if a.decision_number:
            lines.append(
                ft.Text(
                    PLAN_MONEY["amend_decision"].format(
                        number=a.decision_number, date=vn_date(a.decision_date)
                    ),
                    size=12,
                )
            )
        buttons: list[ft.Control] = []
        if forwarder and takes_step(Action.AMENDMENT_FORWARD, a.status):
            buttons.append(
                ft.OutlinedButton(
                    PLAN_MONEY["forward"], on_click=lambda e, ref=a.id: self._forward(ref)
                )
            )
        if decider and takes_step(Action.AMENDMENT_DECIDE, a.status):
            buttons += [
                ft.OutlinedButton(
                    PLAN_MONEY["approve"], on_click=lambda e, ref=a.id: self._decide(ref, True)
                ),
                ft.OutlinedButton(
                    PLAN_MONEY["reject"], on_click=lambda e, ref=a.id: self._decide(ref, False)
                ),
            ]
        return ft.Container(
            ft.Row(
                [ft.Column(lines, spacing=2, expand=True, tight=True), *buttons],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            padding=ft.Padding.all(8),
            border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
            border_radius=6,
        )

    def _propose(self, e: Any) -> None:
        for f in (self.content, self.reason, self.timeframe):
            f.error = None
        self.amend_task.error_text = None
        self.area.error_text = None
        self.amend_error.value = ""
        profile = self.ctx.call(overview_service.local_profile)
        own = profile.unit_code or self._authority().own_unit or ""

        def typed(field: ft.TextField) -> str | None:
            return (field.value or "").strip() or None

        try:
            view = self.ctx.call(
                amendment_service.propose,
                unit=own,
                action=self.action.value or "",
                reason=self.reason.value or "",
                task=self.amend_task.value if self.action.value != "add" else None,
                content=typed(self.content),
                timeframe=typed(self.timeframe),
                area=self.area.value if self.action.value == "add" else None,
            )
        except CchcError as err:
            text = describe(err)
            target = _AMEND_FIELD.get(err.key)
            if target == "reason":
                self.reason.error = text
            elif target == "task":
                self.amend_task.error_text = text
            elif target == "content":
                self.content.error = text
            elif target == "area":
                self.area.error_text = text
            self.amend_error.value = text
            self.ctx.notify(text, error=True)
            return
        self.reason.value = self.content.value = self.timeframe.value = ""
        self.refresh()
        self.ctx.notify(
            PLAN_MONEY["proposed"].format(
                action=T.AMENDMENT_ACTIONS.get(view.action, view.action).lower()
            )
        )

    def _forward(self, ref: str) -> None:
        try:
            self.ctx.call(amendment_service.forward, ref)
        except CchcError as err:
            self.ctx.notify(describe(err), error=True)
            return
        self.refresh()
        self.ctx.notify(PLAN_MONEY["forwarded"])

    def _decide(self, ref: str, approve: bool) -> None:
        number = ft.TextField(label=PLAN_MONEY["decision_number"], width=320)
        date = ft.TextField(label=PLAN_MONEY["decision_date"], width=320)
        error = ft.Text("", color=ft.Colors.ERROR)

        def go(e: Any) -> None:
            try:
                view = self.ctx.call(
                    amendment_service.decide,
                    ref,
                    approve=approve,
                    number=number.value or "",
                    date=date.value or "",
                )
            except CchcError as err:
                error.value = describe(err)
                self.ctx.page.update()
                return
            self.ctx.page.pop_dialog()
            self.refresh()
            self.ctx.notify(
                PLAN_MONEY["decided"].format(
                    number=view.decision_number,
                    status=T.AMENDMENT_STATUS.get(view.status, view.status),
                )
            )

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(PLAN_MONEY["decide_title"]),
            content=ft.Column(
                [tagged("decision-number", number), tagged("decision-date", date), error],
                tight=True,
            ),
            actions=[
                ft.TextButton(COMMON["cancel"], on_click=lambda e: self.ctx.page.pop_dialog()),
                tagged(
                    "decision-save",
                    ft.Button(
                        PLAN_MONEY["approve"] if approve else PLAN_MONEY["reject"], on_click=go
                    ),
                ),
            ],
        )
        self.ctx.page.show_dialog(dialog)
