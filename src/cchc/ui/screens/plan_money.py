"""Kinh phí và điều chỉnh: each task's budget (estimate, approval, spending) with totals, and
proposals to add, change or drop a task (proposed by a unit, forwarded by Phòng Văn hóa - Xã
hội, decided by UBND đặc khu)."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError
from cchc.domain.plan import AREA_CODES
from cchc.domain.roles import Action, Role
from cchc.services import amendments as amendment_service
from cchc.services import budget as budget_service
from cchc.services import overview as overview_service
from cchc.services import tasks as task_service
from cchc.services.amendments import AmendmentView
from cchc.services.permissions import Authority, laptop_authority
from cchc.texts import reports as T
from cchc.texts.errors import message
from cchc.texts.ui import COMMON
from cchc.texts.ui_reports import PLAN_MONEY
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.widgets import heading, options, section, tagged, vn_date

# Which field shows which refusal (by message key); others go under the form.
_BUDGET_FIELD = {
    "money_invalid": "money",
    "budget_spent_exceeds": "spent",
    "budget_nothing": "estimate",
}
_AMEND_FIELD = {
    "amendment_reason": "reason",
    "amendment_needs_task": "task",
    "amendment_task_dropped": "task",
    "amendment_add_fields": "content",
    "amendment_change_fields": "content",
    "amendment_area": "area",
}


def money(value: int | None) -> str:
    """15.000.000 đ, the Vietnamese way; a dash when not entered."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".") + " đ"


class PlanMoneyScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        tasks = ctx.call(task_service.list_tasks)
        task_opts = [(t.id, f"{t.stt or '*'}. {t.content[:70]}") for t in tasks]
        self.budget_task = ft.Dropdown(
            label=PLAN_MONEY["task"], options=options(task_opts), width=620, dense=True
        )
        self.estimate = ft.TextField(label=PLAN_MONEY["estimate"], width=200, dense=True)
        self.approved = ft.TextField(label=PLAN_MONEY["approved"], width=200, dense=True)
        self.spent = ft.TextField(label=PLAN_MONEY["spent"], width=200, dense=True)
        self.sent_on = ft.TextField(label=PLAN_MONEY["sent_on"], width=300, dense=True)
        self.approved_on = ft.TextField(label=PLAN_MONEY["approved_on"], width=300, dense=True)
        self.allocation_number = ft.TextField(
            label=PLAN_MONEY["allocation_number"], width=300, dense=True
        )
        self.budget_note = ft.TextField(label=PLAN_MONEY["note"], expand=True, dense=True)
        self.budget_error = ft.Text("", color=ft.Colors.ERROR)
        self.budget_box = ft.Column(spacing=4, tight=True)

        self.action = ft.Dropdown(
            label=PLAN_MONEY["action"],
            options=options(list(T.AMENDMENT_ACTIONS.items())),
            value="change",
            width=220,
            dense=True,
        )
        self.amend_task = ft.Dropdown(
            label=PLAN_MONEY["task"], options=options(task_opts), width=520, dense=True
        )
        self.content = ft.TextField(label=PLAN_MONEY["content"], expand=True, dense=True)
        self.timeframe = ft.TextField(label=PLAN_MONEY["timeframe"], width=260, dense=True)
        self.area = ft.Dropdown(
            label=PLAN_MONEY["area"],
            options=options([(a, a) for a in AREA_CODES]),
            width=260,
            dense=True,
        )
        self.reason = ft.TextField(label=PLAN_MONEY["reason"], expand=True, dense=True)
        self.amend_error = ft.Text("", color=ft.Colors.ERROR)
        for text_field in (
            self.estimate,
            self.approved,
            self.spent,
            self.sent_on,
            self.approved_on,
            self.allocation_number,
            self.budget_note,
            self.content,
            self.timeframe,
            self.reason,
        ):
            text_field.on_change = self._on_text  # each keystroke reaches the app at once
        self.amend_box = ft.Column(spacing=6, tight=True)

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    def _authority(self) -> Authority:
        """What this laptop may do (its certificate, else its unit setting): the screen offers
        only that, as the services and every other copy's sync policy allow."""
        found: Authority = self.ctx.call(laptop_authority)
        return found

    def show(self, **params: Any) -> None:
        may_allocate = self._authority().may(Action.BUDGET_ALLOCATE)
        for f in (self.approved, self.approved_on, self.allocation_number):
            f.disabled = not may_allocate
        self._refresh_budget()
        self._refresh_amendments()
        self.view.controls = [
            heading(PLAN_MONEY["title"]),
            section(
                PLAN_MONEY["budget_heading"],
                tagged("budget-table", self.budget_box),
                ft.Divider(),
                ft.Text(PLAN_MONEY["budget_form"], weight=ft.FontWeight.W_600),
                tagged("budget-task", self.budget_task),
                ft.Row(
                    [
                        tagged("budget-estimate", self.estimate),
                        tagged("budget-approved", self.approved),
                        tagged("budget-spent", self.spent),
                    ],
                    wrap=True,
                ),
                ft.Row(
                    [
                        tagged("budget-sent-on", self.sent_on),
                        tagged("budget-approved-on", self.approved_on),
                        tagged("budget-allocation-number", self.allocation_number),
                    ],
                    wrap=True,
                ),
                ft.Row([tagged("budget-note", self.budget_note)]),
                tagged(
                    "budget-save",
                    ft.Button(
                        PLAN_MONEY["budget_save"], icon=ft.Icons.SAVE, on_click=self._save_budget
                    ),
                ),
                tagged("budget-error", self.budget_error),
                identifier="budget",
            ),
            section(
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
            ),
        ]

    # ---- budget -------------------------------------------------------------------------------

    def _refresh_budget(self) -> None:
        view = self.ctx.call(budget_service.show_budget)
        if not view.lines:
            self.budget_box.controls = [ft.Text(PLAN_MONEY["budget_empty"])]
            return
        widths = (50, None, 220, 130, 130, 130)

        def row(cells: tuple[str, ...], bold: bool = False) -> ft.Control:
            return ft.Row(
                [
                    ft.Container(
                        ft.Text(text, size=13, weight=ft.FontWeight.W_600 if bold else None),
                        width=w,
                        expand=w is None,
                    )
                    for text, w in zip(cells, widths, strict=True)
                ]
            )

        rows = [row(T.BUDGET_HEAD, bold=True)]
        for line in view.lines:
            rows.append(
                tagged(
                    f"budget-line-{line.stt or line.task_id[:8]}",
                    row(
                        (
                            str(line.stt or "*"),
                            line.content[:80],
                            line.unit_name,
                            money(line.estimate),
                            money(line.approved),
                            money(line.spent),
                        )
                    ),
                )
            )
            if line.estimate_late:
                rows.append(ft.Text(PLAN_MONEY["budget_late"], color=ft.Colors.AMBER_900, size=12))
        total = view.total
        rows.append(
            tagged(
                "budget-total",
                row(
                    (
                        "",
                        PLAN_MONEY["budget_total"],
                        "",
                        money(total.estimate),
                        money(total.approved),
                        money(total.spent),
                    ),
                    bold=True,
                ),
            )
        )
        self.budget_box.controls = rows

    def _save_budget(self, e: Any) -> None:
        for f in (self.estimate, self.approved, self.spent, self.sent_on, self.approved_on):
            f.error = None
        self.budget_error.value = ""
        if not self.budget_task.value:
            self.budget_error.value = PLAN_MONEY["pick_task"]
            self.ctx.page.update()
            return

        def typed(field: ft.TextField) -> str | None:
            return (field.value or "").strip() or None

        try:
            line = self._record_budget(self.budget_task.value, typed)
        except CchcError as err:
            text = message(err)
            target = _BUDGET_FIELD.get(err.key)
            if target == "money":
                bad = str(err.params.get("value", ""))
                for f in (self.estimate, self.approved, self.spent):
                    if (f.value or "").strip() == bad:
                        f.error = text
            elif target == "spent":
                self.spent.error = text
            elif err.key in DATE_ERROR_KEYS:
                which = self.sent_on if err.params.get("field") == "sent_on" else self.approved_on
                which.error = text
            self.budget_error.value = text
            self.ctx.notify(text, error=True)
            return
        self._refresh_budget()
        self.ctx.notify(
            PLAN_MONEY["budget_saved"].format(
                task=line.stt or line.task_id[:8],
                estimate=money(line.estimate),
                approved=money(line.approved),
                spent=money(line.spent),
            )
        )

    def _record_budget(self, task: str, typed: Any) -> budget_service.BudgetLine:
        """The unit's figures by ``set_budget``; an allocation by ``allocate`` with its decision
        (the city, and a laptop not yet set up, record everything as typed)."""
        found = self._authority()
        approved, approved_on = typed(self.approved), typed(self.approved_on)
        if found.role == Role.CITY or not (approved or approved_on):
            line: budget_service.BudgetLine = self.ctx.call(
                budget_service.set_budget,
                task,
                estimate=typed(self.estimate),
                approved=approved,
                spent=typed(self.spent),
                sent_on=typed(self.sent_on),
                approved_on=approved_on,
                note=typed(self.budget_note),
            )
            return line
        unit_part = dict(
            estimate=typed(self.estimate),
            spent=typed(self.spent),
            sent_on=typed(self.sent_on),
            note=typed(self.budget_note),
        )
        if any(v is not None for v in unit_part.values()):
            self.ctx.call(budget_service.set_budget, task, **unit_part)
        line = self.ctx.call(
            budget_service.allocate,
            task,
            amount=approved or "",
            decision_number=typed(self.allocation_number) or "",
            decision_date=approved_on or "",
        )
        return line

    # ---- amendments ---------------------------------------------------------------------------

    def _refresh_amendments(self) -> None:
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
            f"{a.task_stt or '*'}. {(a.task_content or '')[:60]}"
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
            ft.Text(
                PLAN_MONEY["amend_status"].format(
                    status=T.AMENDMENT_STATUS.get(a.status, a.status),
                    date=vn_date(a.proposed_at[:10]),
                    reason=a.reason,
                ),
                size=12,
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
        if forwarder and a.status == "proposed":
            buttons.append(
                ft.OutlinedButton(
                    PLAN_MONEY["forward"], on_click=lambda e, ref=a.id: self._forward(ref)
                )
            )
        if decider and a.status == "forwarded":
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
            text = message(err)
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
        self._refresh_amendments()
        self.ctx.notify(
            PLAN_MONEY["proposed"].format(
                action=T.AMENDMENT_ACTIONS.get(view.action, view.action).lower(), ref=view.id[:8]
            )
        )

    def _forward(self, ref: str) -> None:
        try:
            self.ctx.call(amendment_service.forward, ref)
        except CchcError as err:
            self.ctx.notify(message(err), error=True)
            return
        self._refresh_amendments()
        self.ctx.notify(PLAN_MONEY["forwarded"].format(ref=ref[:8]))

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
                error.value = message(err)
                self.ctx.page.update()
                return
            self.ctx.page.pop_dialog()
            self._refresh_amendments()
            self.ctx.notify(
                PLAN_MONEY["decided"].format(
                    number=view.decision_number,
                    ref=ref[:8],
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


SPEC = ScreenSpec(
    key="plan_money",
    label=PLAN_MONEY["nav"],
    icon=ft.Icons.PAYMENTS_OUTLINED,
    selected_icon=ft.Icons.PAYMENTS,
    order=95,  # after Cài đặt so Alt+1…Alt+5 keep their places (tests/ui rely on Alt+5)
    factory=PlanMoneyScreen,
)
