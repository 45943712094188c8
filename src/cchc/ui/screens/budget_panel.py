"""Kinh phí: each task's budget (estimate, approval, spending) with totals, and the form that
records one task's figures. The form always shows the chosen task's stored figures, and offers
only what this laptop may record for that task (services.budget.budget_choices)."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError
from cchc.domain.numbers import format_money, format_number
from cchc.domain.roles import Role
from cchc.domain.text import shorten
from cchc.services import budget as budget_service
from cchc.services import task_text
from cchc.services.budget import BudgetChoice, BudgetLine
from cchc.services.permissions import laptop_authority
from cchc.texts import reports as T
from cchc.texts.errors import describe
from cchc.texts.ui_reports import PLAN_MONEY
from cchc.texts.ui_roles import FINANCE_STEPS
from cchc.ui.context import AppContext
from cchc.ui.screens.budget_steps import FinanceSteps
from cchc.ui.widgets import options, section, tagged, vn_date

# Which field shows which refusal (by message key); others go under the form.
_BUDGET_FIELD = {
    "money_invalid": "money",
    "budget_spent_exceeds": "spent",
    "budget_nothing": "estimate",
}
_NAME_CHARS = 70  # a task's name in the list of choices, cut between words


def _amount_text(value: int | None) -> str:
    """An amount as the officer types it back: 15.000.000 (empty when not entered)."""
    return "" if value is None else format_number(value, decimals=0)


def _date_text(iso_value: str | None) -> str:
    return vn_date(iso_value) if iso_value else ""


class BudgetPanel:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.choices: dict[str, BudgetChoice] = {}
        self.budget_task = ft.Dropdown(
            label=PLAN_MONEY["task"],
            width=620,
            dense=True,
            on_select=self._on_task,
        )
        self.estimate = self._field("estimate", 200)
        self.approved = self._field("approved", 200)
        self.spent = self._field("spent", 200)
        self.sent_on = self._field("sent_on", 300)
        self.approved_on = self._field("approved_on", 300)
        self.allocation_number = self._field("allocation_number", 360)
        self.budget_note = self._field("note", None)
        self.budget_note.expand = True
        self.budget_note.max_length = 500  # a counter under the field
        self.rights = ft.Text("", size=12, color=ft.Colors.ON_SURFACE_VARIANT)
        self.budget_error = ft.Text("", color=ft.Colors.ERROR)
        self.budget_box = ft.Column(spacing=4, tight=True)
        self.steps = FinanceSteps(ctx, self.refresh)
        # hidden as a whole where Phòng Tài chính's steps take the allocation (a hidden field
        # inside its tag is drawn as a red "Semantics.content must be provided" box)
        self._allocation_tags = [
            tagged("budget-approved", self.approved),
            tagged("budget-approved-on", self.approved_on),
            tagged("budget-allocation-number", self.allocation_number),
        ]

    def _field(self, key: str, width: int | None) -> ft.TextField:
        # a handler makes the field send each keystroke, so a click on Ghi sees the text
        return ft.TextField(label=PLAN_MONEY[key], width=width, dense=True, on_change=self._on_text)

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    @property
    def _unit_fields(self) -> tuple[ft.TextField, ...]:
        return (self.estimate, self.spent, self.sent_on, self.budget_note)

    @property
    def _allocation_fields(self) -> tuple[ft.TextField, ...]:
        return (self.approved, self.approved_on, self.allocation_number)

    def view(self) -> ft.Control:
        return section(
            PLAN_MONEY["budget_heading"],
            tagged("budget-table", self.budget_box),
            ft.Divider(),
            ft.Text(PLAN_MONEY["budget_form"], weight=ft.FontWeight.W_600),
            tagged("budget-task", self.budget_task),
            tagged("budget-rights", self.rights),
            ft.Row(
                [
                    tagged("budget-estimate", self.estimate),
                    self._allocation_tags[0],
                    tagged("budget-spent", self.spent),
                ],
                wrap=True,
            ),
            ft.Row(
                [
                    tagged("budget-sent-on", self.sent_on),
                    *self._allocation_tags[1:],
                ],
                wrap=True,
            ),
            ft.Row([tagged("budget-note", self.budget_note)]),
            tagged(
                "budget-save",
                ft.Button(PLAN_MONEY["budget_save"], icon=ft.Icons.SAVE, on_click=self._save),
            ),
            tagged("budget-error", self.budget_error),
            self.steps.view(),
            identifier="budget",
        )

    def refresh(self) -> None:
        """Read the choices and the table again; the chosen task's figures fill the form."""
        found = self.ctx.call(budget_service.budget_choices)
        self.choices = {c.task_id: c for c in found}
        self.budget_task.options = options(
            [(c.task_id, f"{c.stt or '*'}. {shorten(c.content, _NAME_CHARS)}") for c in found]
        )
        if self.budget_task.value not in self.choices:
            self.budget_task.value = None
        self._fill()
        self._refresh_table()

    # ---- the form -----------------------------------------------------------------------------

    def _on_task(self, e: Any) -> None:
        self._fill()
        self.ctx.page.update()

    def _fill(self) -> None:
        """The chosen task's stored figures (empty when none), and only the fields this laptop
        may record for it enabled."""
        for f in (*self._unit_fields, *self._allocation_fields):
            f.error = None
        self.budget_error.value = ""
        choice = self.choices.get(self.budget_task.value or "")
        line = choice.line if choice else None
        self.estimate.value = _amount_text(line.estimate if line else None)
        self.approved.value = _amount_text(line.approved if line else None)
        self.spent.value = _amount_text(line.spent if line else None)
        self.sent_on.value = _date_text(line.estimate_sent_on if line else None)
        self.approved_on.value = _date_text(line.approved_on if line else None)
        self.allocation_number.value = (line.decision_number or "") if line else ""
        self.budget_note.value = line.note if line else ""
        for f in self._unit_fields:
            f.disabled = choice is None or not choice.may_estimate
        for f in self._allocation_fields:
            f.disabled = choice is None or not choice.may_allocate
        if choice is None:
            self.rights.value = ""
        elif not choice.may_estimate:
            self.rights.value = PLAN_MONEY["rights_allocate_only"]
        elif not choice.may_allocate:
            self.rights.value = PLAN_MONEY["rights_estimate_only"]
        else:
            self.rights.value = ""
        # Phòng Tài chính records the allocation as its own step, with the decision, below
        steps = choice is not None and (choice.may_appraise or choice.may_check)
        for tag in self._allocation_tags:
            tag.visible = not steps
        if steps and choice is not None and not choice.may_estimate:
            self.rights.value = FINANCE_STEPS["rights"]
        self.steps.show(choice)

    def _save(self, e: Any) -> None:
        self.budget_error.value = ""
        for f in (*self._unit_fields, *self._allocation_fields):
            f.error = None
        choice = self.choices.get(self.budget_task.value or "")
        if choice is None:
            self.budget_error.value = PLAN_MONEY["pick_task"]
            self.ctx.page.update()
            return
        try:
            line = self._record(choice)
        except CchcError as err:
            self._show_error(err)
            return
        self.refresh()
        text = PLAN_MONEY["budget_saved"].format(
            task=task_text.task_ref(line.stt, line.content),
            estimate=format_money(line.estimate),
            approved=format_money(line.approved),
            spent=format_money(line.spent),
        )
        if line.over_estimate:
            text += " " + PLAN_MONEY["over_estimate"]
        self.ctx.notify(text)

    def _show_error(self, err: CchcError) -> None:
        text = describe(err)
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

    def _record(self, choice: BudgetChoice) -> BudgetLine:
        """What changed of the unit's part by ``set_budget``; an allocation by ``allocate`` with
        its decision (the city, and a laptop not yet set up, record everything as typed)."""
        line = choice.line

        def changed(field: ft.TextField, stored: str) -> str | None:
            typed = (field.value or "").strip()
            return typed if not field.disabled and typed and typed != stored else None

        unit_part = {
            "estimate": changed(self.estimate, _amount_text(line.estimate if line else None)),
            "spent": changed(self.spent, _amount_text(line.spent if line else None)),
            "sent_on": changed(self.sent_on, _date_text(line.estimate_sent_on if line else None)),
            "note": changed(self.budget_note, line.note if line else ""),
        }
        approved = changed(self.approved, _amount_text(line.approved if line else None))
        approved_on = changed(self.approved_on, _date_text(line.approved_on if line else None))
        number = changed(self.allocation_number, (line.decision_number or "") if line else "")
        authority = self.ctx.call(laptop_authority)
        if authority.role == Role.CITY or not (approved or approved_on or number):
            result: BudgetLine = self.ctx.call(
                budget_service.set_budget,
                choice.task_id,
                **unit_part,
                approved=approved,
                approved_on=approved_on,
            )
            return result
        if any(v is not None for v in unit_part.values()):
            self.ctx.call(budget_service.set_budget, choice.task_id, **unit_part)
        result = self.ctx.call(
            budget_service.allocate,
            choice.task_id,
            amount=(self.approved.value or "").strip(),
            decision_number=(self.allocation_number.value or "").strip(),
            decision_date=(self.approved_on.value or "").strip(),
        )
        return result

    # ---- the table ----------------------------------------------------------------------------

    def _refresh_table(self) -> None:
        view = self.ctx.call(budget_service.show_budget)
        if not view.lines:
            self.budget_box.controls = [ft.Text(PLAN_MONEY["budget_empty"])]
            return
        rows: list[ft.Control] = [_row(T.BUDGET_HEAD, bold=True)]
        for line in view.lines:
            ref = line.stt or line.task_id[:8]
            rows.append(
                tagged(
                    f"budget-line-{ref}",
                    _row(
                        (
                            str(line.stt or "*"),
                            line.content,
                            line.unit_name,
                            format_money(line.estimate),
                            format_money(line.approved),
                            format_money(line.spent),
                        )
                    ),
                )
            )
            if line.over_estimate:
                rows.append(
                    tagged(
                        f"budget-over-{ref}",
                        ft.Text(
                            PLAN_MONEY["over_estimate_line"].format(
                                approved=format_money(line.approved),
                                estimate=format_money(line.estimate),
                            ),
                            color=ft.Colors.RED_700,
                            size=12,
                        ),
                    )
                )
            if line.estimate_late:
                rows.append(ft.Text(PLAN_MONEY["budget_late"], color=ft.Colors.AMBER_900, size=12))
        total = view.total
        rows.append(
            tagged(
                "budget-total",
                _row(
                    (
                        "",
                        PLAN_MONEY["budget_total"],
                        "",
                        format_money(total.estimate),
                        format_money(total.approved),
                        format_money(total.spent),
                    ),
                    bold=True,
                ),
            )
        )
        self.budget_box.controls = rows


_WIDTHS = (50, None, 200, 130, 130, 130)


def _row(cells: tuple[str, ...], bold: bool = False) -> ft.Control:
    """A table row; a long name wraps to two lines, then ends in "…" with the whole on hover."""
    return ft.Row(
        [
            ft.Container(
                ft.Text(
                    text,
                    size=13,
                    weight=ft.FontWeight.W_600 if bold else None,
                    max_lines=2,
                    overflow=ft.TextOverflow.ELLIPSIS,
                    tooltip=text if len(text) > 40 else None,
                ),
                width=w,
                expand=w is None,
            )
            for text, w in zip(cells, _WIDTHS, strict=True)
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
