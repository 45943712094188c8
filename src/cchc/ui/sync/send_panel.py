"""Sending: the "chưa gửi" queue with one send action, a bundle written to a USB drive or a
folder, e-mail files for the office mail client. Each warns first on an uncertified laptop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.email_address import checked_address
from cchc.domain.errors import InvalidInput
from cchc.services import send_queue, sync_view
from cchc.services.send_queue import Sent
from cchc.texts.errors import describe
from cchc.texts.exchange import QUEUE, queue_text, size_text
from cchc.texts.ui_sync import SYNC
from cchc.ui.context import AppContext
from cchc.ui.drive_picker import DrivePicker
from cchc.ui.sync.common import (
    Failed,
    field,
    guard,
    letter_bytes,
    part_bytes,
    say_done,
    say_error,
    unless_uncertified,
)
from cchc.ui.widgets import tagged


class SendPanel:
    """Three ways out; ``after`` refreshes the rest of the screen once something left."""

    def __init__(self, ctx: AppContext, after: Callable[[], None], hub: Any) -> None:
        self.ctx = ctx
        self.after = after
        self.hub = hub  # the hub panel: its address and whether the link is up
        base = ctx.db_path.parent
        self.queue_text = ft.Text("", weight=ft.FontWeight.W_600)
        self.queue_progress = ft.ProgressBar(visible=False)
        self.queue_result = ft.Column(spacing=2, tight=True)
        self.export_folder = field(
            SYNC["export_folder"], value=str(base / "goi-dong-bo"), expand=True
        )
        self.part_size = field(SYNC["part_size"], width=440)
        self.export_progress = ft.ProgressBar(visible=False)
        self.export_result = ft.Column(spacing=2, tight=True)
        self.email_to = field(SYNC["email_to"], width=320)
        self.email_folder = field(
            SYNC["email_folder"], value=str(base / "thu-dong-bo"), expand=True
        )
        self.email_part = field(SYNC["email_part"], value="9", width=180)
        self.email_progress = ft.ProgressBar(visible=False)
        self.email_result = ft.Column(spacing=2, tight=True)
        self.drives = DrivePicker("sync-export-drive", self._drive_chosen)

    # ---- the parts of the layout --------------------------------------------------------------

    def queue_view(self) -> list[ft.Control]:
        return [
            tagged("sync-queue", self.queue_text),
            ft.Text(SYNC["send_hint"], size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            tagged(
                "sync-send-now",
                ft.Button(SYNC["send_now"], icon=ft.Icons.SEND, on_click=self._send_now),
            ),
            self.queue_progress,
            tagged("sync-send-result", self.queue_result),
        ]

    def export_view(self) -> list[ft.Control]:
        buttons: list[ft.Control] = [
            tagged(
                "sync-export",
                ft.Button(SYNC["export"], icon=ft.Icons.UPLOAD_FILE, on_click=self._export),
            )
        ]
        if self.ctx.desktop:
            buttons.append(
                tagged(
                    "sync-pick-folder",
                    ft.OutlinedButton(
                        SYNC["pick_folder"], icon=ft.Icons.FOLDER, on_click=self._pick_folder
                    ),
                )
            )
        return [
            self.drives.view,
            ft.Row([tagged("sync-export-folder", self.export_folder)]),
            tagged("sync-part-size", self.part_size),
            ft.Row(buttons, wrap=True),
            self.export_progress,
            tagged("sync-export-result", self.export_result),
        ]

    def email_view(self) -> list[ft.Control]:
        return [
            ft.Row(
                [
                    tagged("sync-email-to", self.email_to),
                    tagged("sync-email-part", self.email_part),
                ],
                wrap=True,
            ),
            ft.Row([tagged("sync-email-folder", self.email_folder)]),
            tagged(
                "sync-email-write",
                ft.Button(SYNC["email_write"], icon=ft.Icons.MAIL, on_click=self._write_emails),
            ),
            self.email_progress,
            tagged("sync-email-result", self.email_result),
        ]

    def refresh(self) -> None:
        waiting = self.ctx.call(send_queue.unsent)
        self.queue_text.value = queue_text(waiting.counts)
        self.queue_text.color = None if waiting.empty else ft.Colors.AMBER_900
        self.drives.refresh()

    def _drive_chosen(self, path: str) -> None:
        self.export_folder.value = path
        self.ctx.page.update()

    async def _pick_folder(self, e: Any) -> None:
        chosen = await self.ctx.file_picker.get_directory_path(dialog_title=SYNC["pick_folder"])
        if chosen:
            self.export_folder.value = chosen
            self.ctx.page.update()

    def _sealed_line(self) -> str:
        """Who can open what was just written (or that it is readable by anyone)."""
        names = self.ctx.call(sync_view.sealed_for)
        return SYNC["sealed_for"].format(readers=names) if names else SYNC["sealed_clear"]

    def _busy(self, bar: ft.ProgressBar) -> None:
        bar.visible = True
        self.ctx.page.update()

    # ---- one send -----------------------------------------------------------------------------

    def _send_now(self, e: Any) -> None:
        folder_text = (self.export_folder.value or "").strip()
        folder = Path(folder_text).expanduser() if folder_text else None
        url = self.hub.url()
        up = bool(self.hub.link_up)

        def go() -> None:
            self._busy(self.queue_progress)

            def done(result: Sent | Failed) -> None:
                self.queue_progress.visible = False
                if isinstance(result, Failed):
                    say_error(self.ctx, self.queue_result, result.text)
                    return
                said = (
                    QUEUE["sent_push"]
                    if result.how == "push"
                    else QUEUE["sent_folder"].format(where=result.where)
                )
                if result.how == "push":
                    say_done(self.queue_result, said)
                else:
                    sealed = self._sealed_line()
                    say_done(self.queue_result, said, sealed)
                    said = f"{said}\n{sealed}"
                self.after()
                self.ctx.notify(said)

            job = guard(
                lambda: self.ctx.call(send_queue.send, folder=folder, hub_url=url, hub_up=up)
            )
            self.ctx.run_background(job, done)

        unless_uncertified(self.ctx, go)

    # ---- a bundle into a folder ---------------------------------------------------------------

    def _export(self, e: Any) -> None:
        folder_text = (self.export_folder.value or "").strip()
        self.export_folder.error = self.part_size.error = None
        if not folder_text:
            self.export_folder.error = SYNC["folder_missing"]
        part = part_bytes(self.part_size)
        if isinstance(part, Failed):
            self.part_size.error = part.text
        if self.export_folder.error or self.part_size.error:
            self.ctx.page.update()
            return
        folder = Path(folder_text).expanduser()
        size = part if isinstance(part, int) else None

        def go() -> None:
            self.export_result.controls = [ft.Text(SYNC["exporting"])]
            self._busy(self.export_progress)

            def done(result: list[Path] | Failed) -> None:
                self.export_progress.visible = False
                if isinstance(result, Failed):
                    say_error(self.ctx, self.export_result, result.text)
                    return
                text = SYNC["exported"].format(
                    count=len(result), folder=folder, names=", ".join(p.name for p in result)
                )
                sealed = self._sealed_line()
                say_done(self.export_result, text, sealed)
                self.after()
                self.ctx.notify(f"{text}\n{sealed}")

            job = guard(lambda: self.ctx.call(sync_view.export_folder, folder, part_size=size))
            self.ctx.run_background(job, done)

        unless_uncertified(self.ctx, go)

    # ---- e-mail files -------------------------------------------------------------------------

    def _write_emails(self, e: Any) -> None:
        to = (self.email_to.value or "").strip()
        folder_text = (self.email_folder.value or "").strip()
        self.email_to.error = self.email_folder.error = self.email_part.error = None
        if not to:
            self.email_to.error = SYNC["email_to_missing"]
        else:
            try:
                to = checked_address(to)
            except InvalidInput as err:
                self.email_to.error = describe(err)
        if not folder_text:
            self.email_folder.error = SYNC["folder_missing"]
        part = letter_bytes(self.email_part)
        if isinstance(part, Failed):
            self.email_part.error = part.text
        if self.email_to.error or self.email_folder.error or self.email_part.error:
            self.ctx.page.update()
            return
        folder = Path(folder_text).expanduser()
        size = part if isinstance(part, int) else None

        def go() -> None:
            self._busy(self.email_progress)

            def done(result: list[tuple[Path, int]] | Failed) -> None:
                self.email_progress.visible = False
                if isinstance(result, Failed):
                    say_error(self.ctx, self.email_result, result.text)
                    return
                text = SYNC["emails_written"].format(count=len(result), to=to, folder=folder)
                sealed = self._sealed_line()
                self.email_result.controls = [
                    ft.Text(text, color=ft.Colors.GREEN_800, selectable=True),
                    ft.Text(sealed, color=ft.Colors.GREEN_800, selectable=True),
                    *(
                        tagged(
                            f"sync-letter-{i}",
                            ft.Text(line, size=12, selectable=True),
                            label=line,
                        )
                        for i, line in enumerate(
                            (
                                SYNC["letter_line"].format(name=p.name, size=size_text(n))
                                for p, n in result
                            ),
                            start=1,
                        )
                    ),
                ]
                self.after()
                self.ctx.notify(f"{text}\n{sealed}")

            job = guard(
                lambda: self.ctx.call(
                    sync_view.write_emails, to=to, folder=folder, letter_size=size
                )
            )
            self.ctx.run_background(job, done)

        unless_uncertified(self.ctx, go)
