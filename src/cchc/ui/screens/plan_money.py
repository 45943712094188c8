"""Kinh phí và điều chỉnh: each task's budget (cchc.ui.screens.budget_panel) and proposals to
change the plan (cchc.ui.screens.amendments_panel), on one screen."""

from __future__ import annotations

from typing import Any

import flet as ft

from cchc.texts.ui_reports import PLAN_MONEY
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.screens.amendments_panel import AmendmentsPanel
from cchc.ui.screens.budget_panel import BudgetPanel
from cchc.ui.widgets import heading


class PlanMoneyScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        self.budget = BudgetPanel(ctx)
        self.amendments = AmendmentsPanel(ctx)

    def show(self, **params: Any) -> None:
        self.budget.refresh()
        self.amendments.refresh()
        self.view.controls = [
            heading(PLAN_MONEY["title"]),
            self.budget.view(),
            self.amendments.view(),
        ]


SPEC = ScreenSpec(
    key="plan_money",
    label=PLAN_MONEY["nav"],
    icon=ft.Icons.PAYMENTS_OUTLINED,
    selected_icon=ft.Icons.PAYMENTS,
    order=95,  # after Cài đặt so Alt+1…Alt+5 keep their places (tests/ui rely on Alt+5)
    factory=PlanMoneyScreen,
)
