"""Báo cáo: one report on the right: its title, state, actions and a bar with the report's
number, date, signer and "Ghi PDF" stay in view while its body scrolls (figures, outline,
output, targets). A draft this laptop may write is editable; what is typed is kept on the laptop
at each keystroke (services.report_drafts) and put back when the report is opened again, after
leaving the screen or reloading the page, until it is saved. Enter in a one-line field saves.
"Nộp báo cáo" first runs every check and lists every problem at once; the zone's report names
the units that have not reported and asks before going on; then it locks the report and says
that it has not left the laptop yet, offering the send queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.domain.figures import FiguresInvalid
from cchc.services import report_drafts
from cchc.services import reports as report_service
from cchc.services import targets as target_service
from cchc.services.periods import period_name
from cchc.services.reports import ReportView
from cchc.texts import reports as T
from cchc.texts.errors import describe
from cchc.texts.sync import flagged_text
from cchc.texts.ui import COMMON
from cchc.texts.ui_reports import REPORTS, zone_report_name
from cchc.ui.context import AppContext
from cchc.ui.screens.report_figures import FiguresForm
from cchc.ui.screens.report_files import OutputPanel
from cchc.ui.screens.report_outline import OutlineForm
from cchc.ui.targets_panel import target_rows
from cchc.ui.widgets import section, tagged, vn_date


class ReportEditor:
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_changed: Callable[[str], None],
        on_consolidate: Callable[[str], None],
    ) -> None:
        self.ctx = ctx
        self.on_changed = on_changed  # a report was written: redraw the list, show this one
        self.on_consolidate = on_consolidate
        self.selected: str | None = None
        self.report: ReportView | None = None
        self.figures = FiguresForm(ctx, {})
        self.outline = OutlineForm(ctx)
        self.output = OutputPanel(ctx, self.show_error)
        for form in (self.figures, self.outline):
            form.keep = self._keep
            form.on_submit = self._enter
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.head = ft.Column(spacing=6, tight=True)
        self.body = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=12)
        self.view = ft.Column([self.head, self.body], expand=True, spacing=8)
        # every field reports each change, so a click on Lưu right after typing sees the text
        self.number = self._field("number", 180)
        self.report_date = self._field("report_date", 230)
        self.signer = self._field("signer", 220)

    def _field(self, key: str, width: int) -> ft.TextField:
        return ft.TextField(
            label=REPORTS[key],
            width=width,
            dense=True,
            on_change=lambda e: self._keep(f"meta:{key}", str(e.control.value or "")),
            on_submit=lambda e: self._enter(),
        )

    def _keep(self, field: str, text: str) -> None:
        """Keep what was just typed on this laptop, so nothing is lost before it is saved."""
        report = self.report
        if report is None or report.status != "draft":
            return
        try:
            self.ctx.call(report_drafts.keep, report.id, field, text)
        except CchcError as err:
            self.show_error(err)

    def _enter(self) -> None:
        """Enter in a one-line field saves the draft, as Lưu nháp does."""
        self.save_click(None)

    def set_thresholds(self, thresholds: dict[str, float]) -> None:
        self.figures.thresholds = thresholds

    # ---- drawing ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.error.value = ""
        self.report = self.output.report = None
        if not self.selected:
            self.head.controls = [ft.Text(REPORTS["pick_one"])]
            self.body.controls = []
            return
        try:
            report = self.ctx.call(report_service.get_report, self.selected)
            writable = self.ctx.call(report_service.may_write, report.id)
        except CchcError as err:
            self.head.controls = [ft.Text(describe(err), color=ft.Colors.ERROR)]
            self.body.controls = []
            return
        self.report = self.output.report = report
        editable = report.status == "draft" and writable
        typed = self.ctx.call(report_drafts.typed, report.id) if editable else {}
        self.head.controls = self._head(report, writable, editable, typed)
        body: list[ft.Control] = []
        if report.scope == "zone":
            body.append(_missing(report))
        body += [
            self.figures.build(report, editable and report.scope == "unit", typed),
            self.outline.build(report, editable, typed),
            self.output.build(),
            self._targets(report),
        ]
        self.body.controls = body

    def _head(
        self, report: ReportView, writable: bool, editable: bool, typed: dict[str, str]
    ) -> list[ft.Control]:
        who = report.unit_name or zone_report_name(report.zone_name)
        status = T.REPORT_STATUS.get(report.status, report.status)
        controls: list[ft.Control] = [
            tagged(
                "report-editor",
                ft.Text(
                    REPORTS["editor_heading"].format(period=period_name(report.period), who=who),
                    size=18,
                    weight=ft.FontWeight.W_600,
                ),
            ),
            tagged(
                "report-meta",
                ft.Text(
                    REPORTS["editor_meta"].format(
                        status=status,
                        revision=report.revision,
                        start=vn_date(report.period_start),
                        end=vn_date(report.period_end),
                        due=vn_date(report.due),
                    ),
                    color=ft.Colors.ON_SURFACE_VARIANT,
                ),
            ),
        ]
        if report.flagged:  # values an older copy let in outside their domain, read as empty
            controls.append(
                tagged(
                    "report-flagged",
                    ft.Text(f"⚠ {flagged_text(report.flagged)}", color=ft.Colors.AMBER_900),
                )
            )
        if not writable:
            controls.append(
                tagged(
                    "report-read-only",
                    ft.Text(
                        REPORTS["read_only"],
                        italic=True,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                    ),
                )
            )
        elif report.status != "draft":
            controls.append(
                tagged(
                    "report-locked",
                    ft.Text(
                        REPORTS["locked"].format(date=vn_date(report.submitted_at)),
                        color=ft.Colors.GREEN_800,
                        weight=ft.FontWeight.W_500,
                    ),
                )
            )
        if report.superseded_by:
            controls.append(ft.Text(REPORTS["superseded"], size=13))
        if writable:
            controls.append(self._actions(report))
        controls.append(self._meta(report, editable, typed))
        controls.append(tagged("report-error", self.error))
        if report.scope == "unit" or report.figures:
            controls.append(tagged("report-rates-head", self.figures.rates_head))
        return controls

    def _actions(self, report: ReportView) -> ft.Control:
        buttons: list[ft.Control] = []
        if report.status == "draft":
            buttons += [
                tagged(
                    "report-save",
                    ft.Button(REPORTS["save"], icon=ft.Icons.SAVE, on_click=self.save_click),
                ),
                tagged(
                    "report-submit",
                    ft.FilledButton(
                        REPORTS["submit"], icon=ft.Icons.TASK_ALT, on_click=self.submit_click
                    ),
                ),
            ]
            if report.scope == "zone":
                buttons.append(
                    tagged(
                        "report-reconsolidate",
                        ft.OutlinedButton(
                            REPORTS["consolidate"],
                            icon=ft.Icons.MERGE_TYPE,
                            on_click=lambda e: self.on_consolidate(report.period),
                        ),
                    )
                )
        else:
            # submitted is not sent: the next step is the send queue on Đồng bộ
            buttons.append(
                tagged(
                    "report-send-next",
                    ft.FilledButton(
                        REPORTS["send_next"],
                        icon=ft.Icons.OUTBOX,
                        on_click=lambda e: self.ctx.go("sync"),
                    ),
                )
            )
            if not report.superseded_by:
                buttons.append(
                    tagged(
                        "report-revise",
                        ft.OutlinedButton(
                            REPORTS["revise"], icon=ft.Icons.EDIT, on_click=self._revise_click
                        ),
                    )
                )
        return ft.Row(buttons, wrap=True)

    def _meta(self, report: ReportView, editable: bool, typed: dict[str, str]) -> ft.Control:
        """The bar above the scrolling body: number, date and signer, and "Ghi PDF", always in
        reach, however far the officer has scrolled."""
        stored = {
            "number": report.number or "",
            "report_date": vn_date(report.report_date) if report.report_date else "",
            "signer": report.signer_name or "",
        }
        for key, f in (
            ("number", self.number),
            ("report_date", self.report_date),
            ("signer", self.signer),
        ):
            f.value = typed.get(f"meta:{key}", stored[key]) if editable else stored[key]
            f.read_only = not editable
            f.error = None
        return tagged(
            "report-meta-bar",
            ft.Row(
                [
                    tagged("report-number", self.number),
                    tagged("report-date", self.report_date),
                    tagged("report-signer", self.signer),
                    self.output.pdf_button(),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        )

    def _targets(self, report: ReportView) -> ft.Control:
        who = report.unit_name or zone_report_name(report.zone_name)
        heading = REPORTS["targets_heading"].format(who=who, period=period_name(report.period))
        try:
            view = self.ctx.call(
                target_service.measure, period=report.period, unit=report.unit or None
            )
        except CchcError as err:
            return section(heading, ft.Text(describe(err)))
        note = (
            REPORTS["target_from"].format(
                periods=", ".join(period_name(p) for p in view.figures_from)
            )
            if view.figures_from
            else REPORTS["target_no_figures"]
        )
        return section(
            heading,
            ft.Text(note, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            *target_rows(view, "report-target"),
            identifier="report-targets",
        )

    # ---- save, submit, revise -----------------------------------------------------------------

    def _changes(self, report: ReportView) -> dict[str, Any]:
        """What the form holds that differs from the stored report, as `set_report` takes it."""
        out: dict[str, Any] = {}
        if report.scope == "unit":
            fields = self.figures.changes(report)
            if fields:
                out["fields"] = fields
        out.update(self.outline.changes(report))
        number = (self.number.value or "").strip()
        if number != (report.number or ""):
            out["number"] = number
        date_text = (self.report_date.value or "").strip()
        stored = vn_date(report.report_date) if report.report_date else ""
        if date_text and date_text != stored:
            out["report_date"] = date_text
        signer = (self.signer.value or "").strip()
        if signer != (report.signer_name or ""):
            out["signer"] = signer
        return out

    def show_error(self, err: CchcError) -> None:
        if isinstance(err, FiguresInvalid):
            lines = []
            for p in err.problems:
                text = T.problem_text(p.key, p.field, p.params)
                lines.append(text)
                self.figures.set_error(p.field, text)
            self.error.value = REPORTS["errors_heading"] + "\n" + "\n".join(lines)
            self.ctx.notify(lines[0], error=True)
        else:
            text = describe(err)
            if err.key == "bad_date" or "date" in err.key:
                self.report_date.error = text
            self.error.value = text
            self.ctx.notify(text, error=True)
        self.ctx.page.update()

    def _save(self) -> bool:
        """Write the form to the draft; True when it is stored (or there was nothing to store)."""
        report = self.report
        if report is None:
            return False
        self.error.value = ""
        _, errors = self.figures.typed()
        if errors:
            for name, text in errors.items():
                self.figures.set_error(name, text)
            self.error.value = REPORTS["errors_heading"] + "\n" + "\n".join(errors.values())
            self.ctx.notify(next(iter(errors.values())), error=True)
            self.ctx.page.update()
            return False
        changes = self._changes(report)
        if not changes:
            return True
        try:
            self.ctx.call(report_service.set_report, report.id, **changes)
        except CchcError as err:
            self.show_error(err)
            return False
        self.ctx.call(report_drafts.clear, report.id)  # saved: nothing typed is pending
        return True

    def save_click(self, e: Any) -> None:
        report = self.report
        if report is None:
            return
        had_changes = bool(self._changes(report))
        if not self._save():
            return
        self.on_changed(report.id)
        self.ctx.notify(
            REPORTS["saved"].format(period=period_name(report.period))
            if had_changes
            else REPORTS["nothing_changed"]
        )

    def submit_click(self, e: Any) -> None:
        """Save, run every check (all problems listed at once, nothing asked), then confirm."""
        report = self.report
        if report is None or not self._save():
            return
        found = self.ctx.call(report_service.submission_problems, report.id)
        if found:
            self.show_error(FiguresInvalid(found))
            return
        who = report.unit_name or zone_report_name(report.zone_name)
        # the zone's report is judged again as it stands now: units may have reported since
        missing = (
            self.ctx.call(report_service.get_report, report.id).missing_units
            if report.scope == "zone"
            else []
        )

        def go(ev: Any) -> None:
            self.ctx.page.pop_dialog()
            try:
                view = self.ctx.call(report_service.submit_report, report.id)
            except CchcError as err:
                self.refresh()
                self.show_error(err)
                return
            self.on_changed(view.id)
            self.ctx.notify(REPORTS["submitted"].format(period=period_name(view.period), who=who))

        content: ft.Control = ft.Text(
            REPORTS["submit_confirm"].format(period=period_name(report.period), who=who)
        )
        if missing:  # ask first, naming every unit whose report the zone's lacks
            content = ft.Column(
                [
                    tagged(
                        "submit-missing",
                        ft.Text(
                            REPORTS["submit_missing"].format(count=len(missing)),
                            color=ft.Colors.RED_700,
                            weight=ft.FontWeight.W_600,
                        ),
                    ),
                    *[ft.Text(f"• {name}", color=ft.Colors.RED_700) for name in missing],
                    content,
                ],
                tight=True,
                scroll=ft.ScrollMode.AUTO,
            )
        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(REPORTS["submit_missing_title"] if missing else REPORTS["submit_title"]),
            content=content,
            actions=[
                tagged(
                    "submit-cancel",
                    ft.TextButton(COMMON["cancel"], on_click=lambda ev: self.ctx.page.pop_dialog()),
                ),
                tagged("submit-confirm", ft.Button(REPORTS["submit_yes"], on_click=go)),
            ],
        )
        self.ctx.page.show_dialog(dialog)

    def _revise_click(self, e: Any) -> None:
        report = self.report
        if report is None:
            return
        try:
            view = self.ctx.call(report_service.revise_report, report.id)
        except CchcError as err:
            self.show_error(err)
            return
        self.ctx.notify(REPORTS["revised"].format(revision=view.revision))
        self.on_changed(view.id)


def _missing(report: ReportView) -> ft.Control:
    body: list[ft.Control] = [
        ft.Text(REPORTS["zone_note"], size=12),
        ft.Text(REPORTS["sources"].format(count=len(report.sources)), size=13),
    ]
    if report.missing_units:
        body += [ft.Text(f"• {name}", color=ft.Colors.RED_700) for name in report.missing_units]
    else:
        body.append(ft.Text(REPORTS["missing_none"], color=ft.Colors.GREEN_700))
    return section(REPORTS["missing_heading"], *body, identifier="report-missing")
