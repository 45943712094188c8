"""Báo cáo: writing one report out: the official PDF and the spreadsheet, into a folder, saved
where the officer picks (window) or downloaded (browser)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError, InvalidInput
from cchc.services import report_output
from cchc.services.reports import ReportView
from cchc.texts.errors import describe
from cchc.texts.ui import size_text
from cchc.texts.ui_reports import REPORTS
from cchc.ui.context import AppContext
from cchc.ui.system_open import open_with_system
from cchc.ui.widgets import section, tagged


class OutputPanel:
    def __init__(self, ctx: AppContext, show_error: Callable[[CchcError], None]) -> None:
        self.ctx = ctx
        self.show_error = show_error
        self.report: ReportView | None = None  # the report shown, set by the editor
        self.last_written: Path | None = None
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-reports-"))
        self.out_folder = ft.TextField(
            label=REPORTS["output_folder"], expand=True, dense=True, on_change=self._on_text
        )

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    def _update(self) -> None:
        self.ctx.page.update()

    def _file_name(self, suffix: str) -> str:
        report = self.report
        assert report is not None
        who = report.unit or "dac-khu"
        return f"bao-cao-cchc-{who}-{report.period}-lan{report.revision}{suffix}"

    def pdf_button(self) -> ft.Control:
        """ "Ghi PDF": shown in the report's bar that stays in reach (the editor places it)."""
        return tagged(
            "report-write-pdf",
            ft.Button(
                REPORTS["write_pdf"],
                icon=ft.Icons.PICTURE_AS_PDF,
                on_click=lambda e: self._write(".pdf"),
            ),
        )

    def build(self) -> ft.Control:
        buttons: list[ft.Control] = [
            tagged(
                "report-write-csv",
                ft.OutlinedButton(
                    REPORTS["write_csv"],
                    icon=ft.Icons.TABLE_CHART,
                    on_click=lambda e: self._write(".csv"),
                ),
            ),
        ]
        if self.ctx.desktop:
            buttons += [
                tagged(
                    "report-save-pdf",
                    ft.OutlinedButton(
                        REPORTS["save_pdf_as"], icon=ft.Icons.SAVE_AS, on_click=self._save_pdf_as
                    ),
                ),
                tagged(
                    "report-open",
                    ft.TextButton(
                        REPORTS["open_last"], icon=ft.Icons.OPEN_IN_NEW, on_click=self._open_last
                    ),
                ),
            ]
        else:
            buttons += [
                tagged(
                    "report-download-pdf",
                    ft.OutlinedButton(
                        REPORTS["download_pdf"],
                        icon=ft.Icons.DOWNLOAD,
                        on_click=self._download_pdf,
                    ),
                ),
                tagged(
                    "report-download-csv",
                    ft.OutlinedButton(
                        REPORTS["download_csv"],
                        icon=ft.Icons.DOWNLOAD,
                        on_click=self._download_csv,
                    ),
                ),
            ]
        return section(
            REPORTS["output_heading"],
            tagged("report-out-folder", self.out_folder),
            ft.Row(buttons, wrap=True),
            identifier="report-output",
        )

    def _render(self, target: Path) -> Path:
        report = self.report
        assert report is not None
        if target.suffix == ".pdf":
            return self.ctx.call(report_output.write_pdf, report.id, target)
        return self.ctx.call(report_output.write_export, report.id, target)

    def _write(self, suffix: str) -> None:
        if self.report is None:
            return
        folder_text = (self.out_folder.value or "").strip()
        if not folder_text:
            self.out_folder.error = describe(InvalidInput("ui_output_folder_missing"))
            self.ctx.notify(self.out_folder.error, error=True)  # the field may be scrolled away
            self._update()
            return
        self.out_folder.error = None
        folder = Path(folder_text).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            err = InvalidInput("out_path", value=str(folder), errno=exc.errno)
            self.out_folder.error = describe(err)
            self.ctx.notify(describe(err), error=True)
            return
        target = folder / self._file_name(suffix)

        def done(path: Path) -> None:
            self.last_written = path
            self.ctx.notify(REPORTS["written"].format(path=path))

        self.ctx.run_background(lambda: self._render(target), done, self.show_error)

    async def _save_pdf_as(self, e: Any) -> None:
        if self.report is None:
            return
        chosen = await self.ctx.file_picker.save_file(
            dialog_title=REPORTS["save_pdf_as"], file_name=self._file_name(".pdf")
        )
        if not chosen:
            return
        try:
            path = self._render(Path(chosen))
        except CchcError as err:
            self.show_error(err)
            return
        self.last_written = path
        self.ctx.notify(REPORTS["written"].format(path=path))

    def _open_last(self, e: Any) -> None:
        path = self.last_written
        if path is None or not path.exists():
            return
        try:
            open_with_system(path)
        except OSError as exc:
            self.ctx.notify(
                REPORTS["open_failed"].format(path=path, error=self.ctx.error_text(exc)), error=True
            )

    async def _download(self, suffix: str) -> None:
        if self.report is None:
            return
        name = self._file_name(suffix)
        try:
            path = self._render(self._tmp / name)
        except CchcError as err:
            self.show_error(err)
            return
        data = path.read_bytes()
        await self.ctx.file_picker.save_file(file_name=name, src_bytes=data)
        self.ctx.notify(REPORTS["downloaded"].format(name=name, size=size_text(len(data))))

    async def _download_pdf(self, e: Any) -> None:
        await self._download(".pdf")

    async def _download_csv(self, e: Any) -> None:
        await self._download(".csv")
