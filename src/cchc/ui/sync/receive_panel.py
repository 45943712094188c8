"""Receiving: files or folders (a USB drive chosen from the list, a typed path, or files
picked), imported, and what came in summarised by unit — then each file's own line."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from cchc.services import exchange, sync_view
from cchc.services.exchange import ImportReport
from cchc.services.import_summary import ImportSummary, summary_of
from cchc.texts.errors import describe
from cchc.texts.exchange import arrivals_text, summary_rows
from cchc.texts.sync import clock_ahead_text, rejection_reason
from cchc.texts.ui_sync import SYNC
from cchc.ui.context import AppContext
from cchc.ui.drive_picker import DrivePicker
from cchc.ui.sync.common import Failed, field, guard, say_error
from cchc.ui.widgets import tagged


class ReceivePanel:
    def __init__(self, ctx: AppContext, after: Callable[[], None]) -> None:
        self.ctx = ctx
        self.after = after
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-sync-"))
        self.paths = field(SYNC["import_paths"], multiline=True, min_lines=2, max_lines=5)
        self.paths.expand = True
        self.progress = ft.ProgressBar(visible=False)
        self.result = ft.Column(spacing=4, tight=True)
        self.drives = DrivePicker("sync-import-drive", self._drive_chosen)

    def view(self) -> list[ft.Control]:
        return [
            self.drives.view,
            ft.Row([tagged("sync-import-paths", self.paths)]),
            ft.Row(
                [
                    tagged(
                        "sync-import",
                        ft.Button(SYNC["import"], icon=ft.Icons.DOWNLOAD, on_click=self._import),
                    ),
                    tagged(
                        "sync-pick-files",
                        ft.OutlinedButton(
                            SYNC["pick_files"], icon=ft.Icons.FOLDER_OPEN, on_click=self._pick
                        ),
                    ),
                ],
                wrap=True,
            ),
            self.progress,
            tagged("sync-import-result", self.result),
        ]

    def refresh(self) -> None:
        self.drives.refresh()

    def _drive_chosen(self, path: str) -> None:
        self.paths.value = path
        self.ctx.page.update()

    def _import(self, e: Any) -> None:
        lines = [ln.strip() for ln in (self.paths.value or "").splitlines() if ln.strip()]
        self.paths.error = None
        if not lines:
            self.paths.error = SYNC["paths_missing"]
        else:
            missing = [ln for ln in lines if not Path(ln).expanduser().exists()]
            if missing:
                self.paths.error = SYNC["path_not_found"].format(value=missing[0])
        if self.paths.error:
            self.ctx.page.update()
            return
        self.run([Path(ln).expanduser() for ln in lines])

    async def _pick(self, e: Any) -> None:
        files = await self.ctx.file_picker.pick_files(
            dialog_title=SYNC["pick_files"], allow_multiple=True, with_data=not self.ctx.desktop
        )
        if not files:
            return
        paths: list[Path] = []
        for f in files:
            if f.path:
                paths.append(Path(f.path))
            elif f.bytes is not None:
                local = self._tmp / Path(f.name).name
                local.write_bytes(f.bytes)
                paths.append(local)
        if self.ctx.desktop:
            self.paths.value = "\n".join(str(p) for p in paths)
        self.run(paths)

    def run(self, paths: list[Path]) -> None:
        self.result.controls = [ft.Text(SYNC["importing"])]
        self.progress.visible = True
        self.ctx.page.update()

        def job() -> tuple[ImportReport, ImportSummary] | Failed:
            def both() -> tuple[ImportReport, ImportSummary]:
                report = self.ctx.call(sync_view.import_files, paths)
                return report, self.ctx.call(summary_of, report)

            result: tuple[ImportReport, ImportSummary] | Failed = guard(both)()
            return result

        def done(result: tuple[ImportReport, ImportSummary] | Failed) -> None:
            self.progress.visible = False
            if isinstance(result, Failed):
                say_error(self.ctx, self.result, result.text)
                return
            self._show(*result)
            self.after()

        self.ctx.run_background(job, done)

    def _show(self, report: ImportReport, summary: ImportSummary) -> None:
        if not report.files and not report.waiting:
            self.result.controls = [ft.Text(SYNC["nothing_found"])]
            self.ctx.notify(SYNC["nothing_found"], error=True)
            return
        refused = report.rejected
        summary_said = summary_rows(summary)
        lines = [text for text, _ in summary_said]
        rows: list[ft.Control] = [
            tagged(
                "sync-import-summary",
                ft.Column(
                    [
                        ft.Text(
                            line,
                            weight=ft.FontWeight.W_600 if i == 0 else None,
                            color=ft.Colors.RED_700 if bad else None,
                            selectable=True,
                        )
                        for i, (line, bad) in enumerate(summary_said)
                    ],
                    spacing=2,
                    tight=True,
                ),
                label="\n".join(lines),
            )
        ]
        for i, outcome in enumerate(report.files):
            control, said = _outcome(outcome)
            rows.append(tagged(f"sync-import-file-{i}", control, label=said))
        for w in report.waiting:
            rows.append(
                ft.Text(
                    SYNC["waiting"].format(missing=", ".join(w["missing_names"])),
                    color=ft.Colors.AMBER_900,
                )
            )
        self.result.controls = rows
        self.ctx.notify(" ".join(lines[1:3]) or lines[0], error=refused)


def part_line(p: exchange.PartNote) -> str:
    """“Phần 1/2 của gói …: đã đủ 2/2.” or “…: đã có 1/2.”"""
    state = (
        SYNC["part_whole"].format(count=p.count)
        if p.complete
        else SYNC["part_some"].format(have=p.have, count=p.count)
    )
    return SYNC["file_part"].format(index=p.index, count=p.count, name=p.bundle, state=state)


def _outcome(outcome: exchange.FileOutcome) -> tuple[ft.Control, str]:
    """One file's line, and the same said in words (its accessible label)."""
    name = Path(outcome.source).name
    lines: list[str] = []
    if outcome.error_code == "folder_too_many" and outcome.error is not None:
        icon, color = ft.Icons.WARNING_AMBER, ft.Colors.AMBER_900
        lines.append(describe(outcome.error))  # a folder looked at in part: no refusal
    elif outcome.error is not None:
        icon, color = ft.Icons.BLOCK, ft.Colors.RED_700
        lines.append(SYNC["file_refused"].format(reason=describe(outcome.error)))
    elif outcome.staged and outcome.part is not None:
        p = outcome.part
        whole = p.complete
        icon = ft.Icons.CHECK_CIRCLE if whole else ft.Icons.HOURGLASS_TOP
        color = ft.Colors.GREEN_700 if whole else ft.Colors.AMBER_800
        lines.append(part_line(p))
    elif outcome.staged:
        icon, color = ft.Icons.HOURGLASS_TOP, ft.Colors.AMBER_800
        lines.append(SYNC["file_staged"])
    elif outcome.result is not None:
        r = outcome.result
        if not r.sender and not (r.applied or r.held or r.rejected):
            icon, color = ft.Icons.DONE_ALL, ft.Colors.BLUE_GREY_600
            lines.append(SYNC["file_duplicate"])
        else:
            if outcome.part is not None:
                lines.append(part_line(outcome.part))
            bad = r.rejected > 0
            icon = ft.Icons.WARNING if bad else ft.Icons.CHECK_CIRCLE
            color = ft.Colors.RED_700 if bad else ft.Colors.GREEN_700
            totals: dict[str, int] = {}
            for kinds in outcome.arrivals.values():
                for kind, n in kinds.items():
                    totals[kind] = totals.get(kind, 0) + n
            what = arrivals_text(totals)
            lines.append(
                SYNC["file_applied"].format(what=what) if what else SYNC["file_applied_nothing"]
            )
            if r.held:
                lines.append(SYNC["file_held"])
            if r.conflicts:
                lines.append(SYNC["file_conflicts"].format(count=r.conflicts))
            lines += [
                SYNC["rejection"].format(reason=rejection_reason(why.code, why.reason))
                for why in r.rejections
            ]
            if r.clock_ahead_ms:
                lines.append(clock_ahead_text(r.clock_ahead_ms))
    else:
        icon, color = ft.Icons.INFO_OUTLINE, ft.Colors.BLUE_GREY_600
    row = ft.Row(
        [
            ft.Icon(icon, color=color),
            ft.Column(
                [
                    ft.Text(name, weight=ft.FontWeight.W_500),
                    *(ft.Text(line, size=13) for line in lines),
                ],
                spacing=1,
                tight=True,
                expand=True,
            ),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
    )
    return row, " — ".join([name, *lines])
