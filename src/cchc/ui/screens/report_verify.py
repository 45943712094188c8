"""Xác minh báo cáo: a PDF, a typed code or a scanned QR payload checked against the reports held
here (`cchc.services.provenance.verify`, the same answer as `cchc report verify`): the verdict,
what differs when a copy was changed, and the unit reports behind each figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import provenance
from cchc.texts.errors import describe
from cchc.texts.ui_reports import VERIFY
from cchc.ui.context import AppContext
from cchc.ui.widgets import heading, tagged


class VerifyPanel:
    """The panel in a dialog of the Báo cáo destination."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.source = ft.TextField(label=VERIFY["field"], width=560, dense=True)
        self.verdict = ft.Text("", weight=ft.FontWeight.W_600)  # read aloud, so not selectable
        self.lines = ft.Column(spacing=2, tight=True)
        self.view = ft.Column(
            [
                heading(VERIFY["title"], 18),
                ft.Text(VERIFY["help"], size=13),
                tagged("verify-source", self.source),
                ft.Row(
                    [
                        tagged(
                            "verify-pick",
                            ft.OutlinedButton(
                                VERIFY["pick"], icon=ft.Icons.FOLDER_OPEN, on_click=self._pick
                            ),
                        ),
                        tagged(
                            "verify-run",
                            ft.Button(VERIFY["run"], icon=ft.Icons.VERIFIED, on_click=self.run),
                        ),
                    ]
                ),
                tagged("verify-verdict", self.verdict),
                ft.Container(self.lines, height=320),
            ],
            tight=True,
            spacing=8,
            scroll=ft.ScrollMode.AUTO,
            width=600,
        )

    async def _pick(self, e: Any) -> None:
        files = await self.ctx.file_picker.pick_files(
            dialog_title=VERIFY["pick"],
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=["pdf"],
            with_data=not self.ctx.desktop,
        )
        if not files:
            return
        chosen = files[0]
        if chosen.path:
            self.source.value = chosen.path
        elif chosen.bytes is not None:  # in the browser: a copy beside the database
            folder = self.ctx.db_path.parent / "xac-minh"
            folder.mkdir(exist_ok=True)
            local = folder / Path(chosen.name).name
            local.write_bytes(chosen.bytes)
            self.source.value = str(local)
        self.run(None)

    def run(self, e: Any) -> None:
        ref = (self.source.value or "").strip()
        self.lines.controls = []
        if not ref:
            self._say(VERIFY["empty"], ok=False)
            return
        try:
            result = self.ctx.call(provenance.verify, ref)
        except CchcError as err:
            self._say(describe(err), ok=False)
            return
        first, *rest = provenance.describe(result)
        self.lines.controls = [ft.Text(line, size=13) for line in rest]  # read aloud too
        self._say(first, ok=result.ok)

    def _say(self, text: str, *, ok: bool) -> None:
        self.verdict.value = text
        self.verdict.color = ft.Colors.GREEN_800 if ok else ft.Colors.RED_800
        self.ctx.page.update()


def open_dialog(ctx: AppContext) -> VerifyPanel:
    """Show the panel in a dialog; returns it (for tests)."""
    panel = VerifyPanel(ctx)
    dialog = ft.AlertDialog(
        content=panel.view,
        actions=[ft.TextButton(VERIFY["close"], on_click=lambda e: ctx.page.pop_dialog())],
    )
    ctx.page.show_dialog(dialog)
    return panel
