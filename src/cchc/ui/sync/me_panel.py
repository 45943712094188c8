"""Máy này: the laptop's fingerprint, whether the city certified it and for what; the key
request file the city needs (saved to a USB drive or downloaded); installing the certificate."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import certification, exchange, sync_view
from cchc.services.door import FAILURES
from cchc.texts.errors import describe
from cchc.texts.ui_sync import ROLE_LABELS, SYNC
from cchc.ui.context import AppContext
from cchc.ui.drive_picker import DrivePicker
from cchc.ui.sync.common import field, fingerprint_text, say_error, when_text
from cchc.ui.widgets import tagged


def _units_text(names: list[str]) -> str:
    return ", ".join(SYNC["all_units"] if n == "*" else n for n in names) or "—"


class MePanel:
    """This laptop, its certification request and the certificate's installation."""

    def __init__(self, ctx: AppContext, on_installed: Callable[[], None]) -> None:
        self.ctx = ctx
        self.on_installed = on_installed
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-trust-"))
        self.status = ft.Column(spacing=6, tight=True)
        self.request_folder = field(SYNC["request_folder"], expand=True)
        self.request_result = ft.Column(spacing=2, tight=True)
        self.trust_file = field(SYNC["trust_file"], expand=True)
        self.root_typed = field(SYNC["root_typed"], width=520)
        self.trust_result = ft.Text("")
        self.drives = DrivePicker("request-drive", self._drive_chosen)
        save = tagged(
            "request-save",
            ft.Button(SYNC["request_save"], icon=ft.Icons.SAVE, on_click=self._save_request),
        )
        download = tagged(
            "request-download",
            ft.OutlinedButton(
                SYNC["request_download"], icon=ft.Icons.DOWNLOAD, on_click=self._download_request
            ),
        )
        self.request_box = ft.Column(
            [
                ft.Text(SYNC["request_heading"], weight=ft.FontWeight.W_600),
                ft.Text(SYNC["request_steps"], size=13),
                self.drives.view,
                ft.Row([tagged("request-folder", self.request_folder)]),
                ft.Row([save, download], wrap=True),
                tagged("request-result", self.request_result),
            ],
            spacing=8,
            tight=True,
        )
        self.install_box = ft.Column(
            [
                ft.Text(SYNC["install_heading"], weight=ft.FontWeight.W_600),
                ft.Row([tagged("sync-trust-file", self.trust_file)]),
                ft.Row(
                    [
                        tagged(
                            "sync-trust-pick",
                            ft.OutlinedButton(
                                SYNC["pick_files"],
                                icon=ft.Icons.FOLDER_OPEN,
                                on_click=self._pick_trust,
                            ),
                        ),
                    ],
                    wrap=True,
                ),
                ft.Row(
                    [
                        tagged("sync-root-typed", self.root_typed),
                        tagged(
                            "sync-install",
                            ft.Button(
                                SYNC["install"], icon=ft.Icons.VERIFIED, on_click=self._install
                            ),
                        ),
                    ],
                    wrap=True,
                ),
                tagged("sync-trust-result", self.trust_result),
            ],
            spacing=8,
            tight=True,
        )
        self.view = ft.Column(
            [self.status, ft.Divider(), self.request_box, ft.Divider(), self.install_box],
            spacing=8,
            tight=True,
        )

    def refresh(self) -> None:
        st = self.ctx.call(certification.standing)
        counts = self.ctx.call(exchange.status)
        last = self.ctx.call(sync_view.last_export)
        role = ROLE_LABELS.get(st.role or "", "—")
        units = _units_text(st.units)
        if st.certified:
            standing, color = SYNC["certified_yes"].format(role=role, units=units), None
        elif st.unit_set:
            standing = SYNC["certified_no"].format(role=role, units=units)
            color = ft.Colors.RED_700
        else:
            standing, color = SYNC["certified_no_unit"], ft.Colors.RED_700
        lines: list[ft.Control] = [
            ft.Text(SYNC["fingerprint"], size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            fingerprint_text(st.fingerprint, "sync-my-fingerprint", 26),
            tagged("sync-standing", ft.Text(standing, color=color, weight=ft.FontWeight.W_500)),
            ft.Text(SYNC["root"], size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            fingerprint_text(st.root_fingerprint, "sync-root-fingerprint", 18),
        ]
        if st.is_root:
            lines.append(ft.Text(SYNC["is_root"], size=13))
        lines += [
            tagged(
                "sync-counts",
                ft.Text(
                    SYNC["counts"].format(
                        conflicts=counts["open_conflicts"], rejections=counts["rejections"]
                    ),
                    size=13,
                ),
            ),
            ft.Text(
                SYNC["last_export"].format(
                    when=when_text(last.get("at")), where=last.get("where", "")
                )
                if last
                else SYNC["never_exported"],
                size=13,
            ),
            ft.Text(f"{SYNC['site_id']}: {st.site_id}", size=11, selectable=True),
        ]
        self.status.controls = lines
        self.request_box.visible = not st.certified and not st.is_root
        self.drives.refresh()

    # ---- the key request ----------------------------------------------------------------------

    def _drive_chosen(self, path: str) -> None:
        self.request_folder.value = path
        self.ctx.page.update()

    def _save_request(self, e: Any) -> None:
        text = (self.request_folder.value or "").strip()
        self.request_folder.error = None if text else SYNC["folder_missing"]
        if not text:
            self.ctx.page.update()
            return
        try:
            path = self.ctx.call(certification.save_key_request, Path(text).expanduser())
        except (CchcError, OSError) as err:
            say_error(self.ctx, self.request_result, _text_of(err))
            self.ctx.page.update()
            return
        said = SYNC["request_saved"].format(path=path)
        self.request_result.controls = [ft.Text(said, color=ft.Colors.GREEN_800, selectable=True)]
        self.ctx.notify(said)

    async def _download_request(self, e: Any) -> None:
        name, data = self.ctx.call(certification.key_request_file)
        await self.ctx.file_picker.save_file(file_name=name, src_bytes=data)
        said = SYNC["request_sent"].format(name=name)
        self.request_result.controls = [ft.Text(said, color=ft.Colors.GREEN_800)]
        self.ctx.notify(said)

    # ---- the certificate ----------------------------------------------------------------------

    async def _pick_trust(self, e: Any) -> None:
        files = await self.ctx.file_picker.pick_files(
            dialog_title=SYNC["pick_files"], with_data=not self.ctx.desktop
        )
        if not files:
            return
        chosen = files[0]
        if chosen.path:
            self.trust_file.value = chosen.path
        elif chosen.bytes is not None:
            local = self._tmp / Path(chosen.name).name
            local.write_bytes(chosen.bytes)
            self.trust_file.value = str(local)
        self.ctx.page.update()

    def _install(self, e: Any) -> None:
        path_text = (self.trust_file.value or "").strip()
        typed = (self.root_typed.value or "").strip()
        self.trust_file.error = self.root_typed.error = None
        if not path_text:
            self.trust_file.error = SYNC["trust_file_missing"]
        elif not Path(path_text).expanduser().is_file():
            self.trust_file.error = SYNC["path_not_found"].format(value=path_text)
        if not typed:
            self.root_typed.error = SYNC["root_missing"]
        if self.trust_file.error or self.root_typed.error:
            self.ctx.page.update()
            return
        try:
            out = self.ctx.call(exchange.install_trust, Path(path_text).expanduser(), typed)
        except FAILURES as err:
            text = self.ctx.error_text(err)
            if getattr(err, "code", None) == "root_fingerprint_mismatch":
                self.root_typed.error = text
            say_error(self.ctx, self.trust_result, text)
            self.ctx.page.update()
            return
        names = self.ctx.call(sync_view.unit_names, out.get("units") or [])
        text = SYNC["installed"].format(
            root=out["root_fingerprint"],
            role=ROLE_LABELS.get(out.get("role") or "", "—"),
            units=_units_text(names),
        )
        self.trust_result.value = text
        self.trust_result.color = ft.Colors.GREEN_800
        self.on_installed()
        self.ctx.notify(text)


def _text_of(err: Exception) -> str:
    return describe(err)
