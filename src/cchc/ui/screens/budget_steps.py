"""Phòng Tài chính's part of a task's budget, as three steps each recorded on its own (seed
lines 207–211): appraise the unit's estimate and submit it to UBND đặc khu; record the
allocation UBND đặc khu decided (decision number and date); check the spending. Each step is
offered only to a laptop whose role takes it (services.budget.budget_choices)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.dates import DATE_ERROR_KEYS
from cchc.domain.errors import CchcError
from cchc.domain.numbers import format_money
from cchc.services import budget as budget_service
from cchc.services.budget import BudgetChoice, BudgetLine
from cchc.texts.errors import describe
from cchc.texts.ui_roles import FINANCE_STEPS as S
from cchc.ui.context import AppContext
from cchc.ui.widgets import tagged, vn_date


def _field(label: str, width: int | None, **kwargs: Any) -> ft.TextField:
    return ft.TextField(label=label, width=width, dense=True, on_change=lambda e: None, **kwargs)


def _by(name: str | None) -> str:
    return S["by"].format(name=name) if name else ""


class FinanceSteps:
    """The three steps for the task chosen on the budget form; ``saved`` refreshes the panel."""

    def __init__(self, ctx: AppContext, saved: Callable[[], None]) -> None:
        self.ctx = ctx
        self.saved = saved
        self.choice: BudgetChoice | None = None
        self.appraised = _field(S["appraised"], 220)
        self.appraised_on = _field(S["appraised_on"], 330)
        self.submitted_on = _field(S["submitted_on"], 380)
        self.appraisal_note = _field(S["appraisal_note"], None, expand=True, max_length=500)
        self.allocated = _field(S["allocated"], 260)
        self.decision_number = _field(S["decision_number"], 340)
        self.decision_date = _field(S["decision_date"], 340)
        self.checked_on = _field(S["checked_on"], 330)
        self.check_note = _field(S["check_note"], None, expand=True, max_length=500)
        self.appraise_state = ft.Text("", size=13)
        self.allocate_state = ft.Text("", size=13)
        self.check_state = ft.Text("", size=13)
        self.notice = ft.Text("", color=ft.Colors.AMBER_900, size=13)
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.appraise_box = self._step(
            "budget-step-appraise",
            S["appraise_title"],
            self.appraise_state,
            [
                ft.Row(
                    [
                        tagged("budget-appraised", self.appraised),
                        tagged("budget-appraised-on", self.appraised_on),
                        tagged("budget-submitted-on", self.submitted_on),
                    ],
                    wrap=True,
                ),
                ft.Row([tagged("budget-appraisal-note", self.appraisal_note)]),
            ],
            tagged(
                "budget-appraise",
                ft.Button(S["appraise"], icon=ft.Icons.FACT_CHECK, on_click=self._appraise),
            ),
        )
        self.allocate_box = self._step(
            "budget-step-allocate",
            S["allocate_title"],
            self.allocate_state,
            [
                ft.Row(
                    [
                        tagged("budget-allocated", self.allocated),
                        tagged("budget-decision-number", self.decision_number),
                        tagged("budget-decision-date", self.decision_date),
                    ],
                    wrap=True,
                )
            ],
            tagged(
                "budget-allocate",
                ft.Button(S["allocate"], icon=ft.Icons.GAVEL, on_click=self._allocate),
            ),
        )
        self.check_box = self._step(
            "budget-step-check",
            S["check_title"],
            self.check_state,
            [
                ft.Row([tagged("budget-checked-on", self.checked_on)]),
                ft.Row([tagged("budget-check-note", self.check_note)]),
            ],
            tagged(
                "budget-check",
                ft.Button(S["check"], icon=ft.Icons.RULE, on_click=self._check),
            ),
        )
        self.box = ft.Column(
            [
                ft.Divider(),
                ft.Text(S["heading"], weight=ft.FontWeight.W_600),
                ft.Text(S["hint"], size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                tagged("budget-steps-notice", self.notice),
                self.appraise_box,
                self.allocate_box,
                self.check_box,
                tagged("budget-steps-error", self.error),
            ],
            spacing=8,
            tight=True,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        )
        # the tag is what hides: a hidden control inside a tag is drawn as a red error box
        self.tag = tagged("budget-steps", self.box)
        self.tag.visible = False

    @staticmethod
    def _step(
        identifier: str,
        title: str,
        state: ft.Text,
        rows: list[ft.Control],
        button: ft.Control,
    ) -> ft.Container:
        return ft.Container(
            tagged(
                identifier,
                ft.Column(
                    [
                        ft.Text(title, weight=ft.FontWeight.W_600),
                        tagged(f"{identifier}-state", state),
                        *rows,
                        button,
                    ],
                    spacing=6,
                    tight=True,
                ),
            ),
            padding=ft.Padding.all(10),
            border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
            border_radius=6,
        )

    def view(self) -> ft.Control:
        return self.tag

    @property
    def _fields(self) -> tuple[ft.TextField, ...]:
        return (
            self.appraised,
            self.appraised_on,
            self.submitted_on,
            self.appraisal_note,
            self.allocated,
            self.decision_number,
            self.decision_date,
            self.checked_on,
            self.check_note,
        )

    def show(self, choice: BudgetChoice | None) -> None:
        """The steps of the task chosen, each with what is recorded so far; hidden when this
        laptop takes none of them."""
        self.choice = choice
        for f in self._fields:
            f.error = None
        self.error.value = ""
        takes = choice is not None and (choice.may_appraise or choice.may_check)
        self.tag.visible = takes
        if choice is None or not takes:
            return
        line = choice.line
        estimated = line is not None and line.estimate is not None
        self.notice.value = "" if estimated else S["need_estimate"]
        self.appraise_box.visible = choice.may_appraise
        self.allocate_box.visible = choice.may_allocate
        self.check_box.visible = choice.may_check
        for f in self._fields:
            f.disabled = not estimated
        self.appraise_state.value = _appraise_state(line)
        self.allocate_state.value = _allocate_state(line)
        self.check_state.value = _check_state(line)

    # ---- the three actions --------------------------------------------------------------------

    def _run(
        self, fields: tuple[ft.TextField, ...], saved_key: str, job: Callable[[], Any]
    ) -> None:
        self.error.value = ""
        for f in self._fields:
            f.error = None
        if self.choice is None:
            return
        try:
            line: BudgetLine = job()
        except CchcError as err:
            text = describe(err)
            self._place(err, text, fields)
            self.error.value = text
            self.ctx.notify(text, error=True)
            self.ctx.page.update()
            return
        for f in fields:
            f.value = ""
        self.saved()
        self.ctx.notify(S[saved_key].format(task=line.stt or "*"))

    def _place(self, err: CchcError, text: str, fields: tuple[ft.TextField, ...]) -> None:
        """The refusal under the field it is about, when it is about one."""
        if err.key == "money_invalid":
            fields[0].error = text
        elif err.key == "decision_number":
            self.decision_number.error = text
        elif err.key in DATE_ERROR_KEYS or err.key == "decision_future":
            bad = str(err.params.get("value", ""))
            for f in fields:
                if bad and (f.value or "").strip() == bad:
                    f.error = text
        elif err.key == "budget_check_note":
            self.check_note.error = text

    def _appraise(self, e: Any) -> None:
        choice = self.choice
        fields = (self.appraised, self.appraised_on, self.submitted_on, self.appraisal_note)
        submitted = (self.submitted_on.value or "").strip()
        note = (self.appraisal_note.value or "").strip()
        self._run(
            fields,
            "saved_appraise",
            lambda: self.ctx.call(
                budget_service.appraise,
                choice.task_id if choice else "",
                amount=(self.appraised.value or "").strip(),
                on=(self.appraised_on.value or "").strip(),
                note=note or None,
                submitted_on=submitted or None,
            ),
        )

    def _allocate(self, e: Any) -> None:
        choice = self.choice
        self._run(
            (self.allocated, self.decision_number, self.decision_date),
            "saved_allocate",
            lambda: self.ctx.call(
                budget_service.allocate,
                choice.task_id if choice else "",
                amount=(self.allocated.value or "").strip(),
                decision_number=(self.decision_number.value or "").strip(),
                decision_date=(self.decision_date.value or "").strip(),
            ),
        )

    def _check(self, e: Any) -> None:
        choice = self.choice
        self._run(
            (self.checked_on, self.check_note),
            "saved_check",
            lambda: self.ctx.call(
                budget_service.check_spending,
                choice.task_id if choice else "",
                on=(self.checked_on.value or "").strip(),
                note=(self.check_note.value or "").strip(),
            ),
        )


def _appraise_state(line: BudgetLine | None) -> str:
    if line is None or line.appraised is None:
        return S["not_yet"]
    said = S["appraised_done"].format(
        amount=format_money(line.appraised),
        date=vn_date(line.appraised_on),
        by=_by(line.appraised_by),
    )
    if line.submitted_on:
        said += " " + S["submitted_done"].format(date=vn_date(line.submitted_on))
    if line.appraisal_note:
        said += " " + S["appraisal_said"].format(note=line.appraisal_note)
    return said


def _allocate_state(line: BudgetLine | None) -> str:
    if line is None or not line.decision_number:
        return S["not_yet"]
    return S["allocated_done"].format(
        amount=format_money(line.approved),
        number=line.decision_number,
        date=vn_date(line.decision_date),
        by=_by(line.allocated_by),
    )


def _check_state(line: BudgetLine | None) -> str:
    if line is None or not line.spending_checked_on:
        return S["not_yet"]
    return S["checked_done"].format(
        date=vn_date(line.spending_checked_on), note=line.spending_check_note or ""
    )
