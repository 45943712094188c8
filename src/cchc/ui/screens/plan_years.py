"""Kế hoạch các năm: the plans this laptop holds and the year each covers; on the city's computer,
loading a new year's plan from its file (checked first; last year's unfinished rows may be
carried over), which then travels to every laptop of the zone (`services.plan_publish`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.domain.roles import Action
from cchc.services import plan_publish
from cchc.services.overview import local_profile
from cchc.services.permissions import laptop_authority
from cchc.services.plan_file import PlanCheckReport, check_plan_file
from cchc.texts import plan_publish as PT
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.widgets import heading, section, tagged, vn_date


def _may_publish(ws: Any) -> bool:
    return laptop_authority(ws).may(Action.TASK_PLAN)


class PlanYearsScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        self.path = ft.TextField(label=PT.PLAN_SCREEN["file"], width=560, on_submit=self._check)
        self.messages = ft.Column(spacing=4, tight=True)
        self.carry_boxes: list[tuple[int, ft.Checkbox]] = []
        self.carry = ft.Column(spacing=2, tight=True)
        self.load_button = ft.Button(
            PT.PLAN_SCREEN["load"], icon=ft.Icons.UPLOAD_FILE, on_click=self._load, disabled=True
        )
        self.checked: PlanCheckReport | None = None

    def show(self, **params: Any) -> None:
        plans = self.ctx.call(plan_publish.held_plans)
        rows: list[ft.Control] = []
        for p in plans:
            rows.append(
                tagged(
                    f"plan-year-{p.year}",
                    ft.Text(
                        PT.PLAN_LIST_ROW.format(
                            year=p.year,
                            number=p.number,
                            date=vn_date(p.date),
                            zone=p.zone,
                            tasks=p.tasks,
                            carried=PT.PLAN_LIST_CARRIED.format(count=p.carried)
                            if p.carried
                            else "",
                            source=PT.PLAN_LIST_PUBLISHED if p.published else "",
                        ).strip()
                    ),
                )
            )
        if not plans:
            rows.append(ft.Text(PT.PLAN_LIST_NONE))
        default = next((p.year for p in plans if p.default), None)
        if default is not None:
            rows.append(ft.Text(PT.PLAN_LIST_DEFAULT.format(year=default), italic=True))
        controls: list[ft.Control] = [
            heading(PT.PLAN_SCREEN["title"]),
            section(PT.PLAN_SCREEN["held"], *rows, identifier="plans-held"),
        ]
        if self.ctx.call(_may_publish):
            controls.append(
                section(
                    PT.PLAN_SCREEN["load_title"],
                    ft.Text(PT.PLAN_SCREEN["load_help"], width=640),
                    ft.Row(
                        [
                            tagged("plan-file", self.path),
                            tagged(
                                "plan-check",
                                ft.OutlinedButton(
                                    PT.PLAN_SCREEN["check"],
                                    icon=ft.Icons.FACT_CHECK,
                                    on_click=self._check,
                                ),
                            ),
                        ],
                        wrap=True,
                    ),
                    tagged("plan-messages", self.messages),
                    tagged("plan-carry", self.carry),
                    tagged("plan-load", self.load_button),
                    identifier="plan-load-section",
                )
            )
        else:
            controls.append(tagged("plan-city-only", ft.Text(PT.PLAN_SCREEN["city_only"])))
        self.view.controls = controls

    def _check(self, e: Any = None) -> None:
        """Check the file named; list its problems, or offer last year's unfinished rows."""
        text = (self.path.value or "").strip()
        self.messages.controls.clear()
        self.carry.controls.clear()
        self.carry_boxes = []
        self.load_button.disabled = True
        self.checked = None
        if not text:
            self.ctx.page.update()
            return
        report = check_plan_file(Path(text))
        if not report.ok:
            self.messages.controls = [
                ft.Text(PT.PLAN_SCREEN["problems"], color=ft.Colors.ERROR),
                *[ft.Text(line, color=ft.Colors.ERROR) for line in report.lines],
            ]
            self.ctx.page.update()
            return
        self.checked = report
        self.messages.controls = [ft.Text(line) for line in report.lines]
        plan = report.plan
        assert plan is not None
        previous = plan.plan.year - 1
        listed = {t.carried_from for t in plan.tasks if t.carried_from is not None}
        rows = self.ctx.call(plan_publish.carry_candidates, previous)
        if rows:
            self.carry.controls.append(
                ft.Text(PT.PLAN_SCREEN["carry"].format(year=previous), weight=ft.FontWeight.W_500)
            )
        for row in rows:
            stt = int(row["stt"])
            label = f"{stt}. {row['content']} ({row['progress']}%)"
            if stt in listed:
                self.carry.controls.append(
                    ft.Text(f"{label} — {PT.PLAN_SCREEN['carry_listed'].format(stt=stt)}")
                )
                continue
            box = ft.Checkbox(label=label, value=False)
            self.carry_boxes.append((stt, box))
            self.carry.controls.append(tagged(f"plan-carry-{stt}", box))
        self.load_button.disabled = False
        self.ctx.page.update()

    def chosen_rows(self) -> list[int]:
        return [stt for stt, box in self.carry_boxes if box.value]

    def _load(self, e: Any = None) -> None:
        if self.checked is None:
            return
        path = Path((self.path.value or "").strip())
        officer = self.ctx.call(local_profile).officer
        try:
            loaded = self.ctx.call(plan_publish.load_plan, path, self.chosen_rows(), officer)
        except CchcError as err:
            self.ctx.notify(self.ctx.error_text(err), error=True)
            return
        if loaded.already:
            self.ctx.notify(PT.PLAN_LOAD_ALREADY.format(number=loaded.number, year=loaded.year))
        else:
            self.ctx.notify(
                PT.PLAN_LOAD_DONE.format(
                    number=loaded.number,
                    year=loaded.year,
                    zone=loaded.zone,
                    areas=loaded.areas,
                    tasks=loaded.tasks,
                    carried=len(loaded.carried),
                    previous=loaded.year - 1,
                )
            )
        self.path.value = ""
        self.messages.controls.clear()
        self.carry.controls.clear()
        self.carry_boxes = []
        self.load_button.disabled = True
        self.checked = None
        self.show()
        self.ctx.page.update()


SPEC = ScreenSpec(
    key="plan_years",
    label=PT.PLAN_SCREEN["nav"],
    icon=ft.Icons.CALENDAR_MONTH_OUTLINED,
    selected_icon=ft.Icons.CALENDAR_MONTH,
    order=97,  # after Kinh phí: Alt+1…Alt+6 keep their places
    factory=PlanYearsScreen,
)
