"""Chứng nhận một máy, on the city's computer: read a laptop's key request file, compare its
fingerprint with the one read out over the phone, choose its unit and role, write the
certificate file (onto a USB drive, or downloaded in the browser)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import certification
from cchc.services.certification import KeyRequest
from cchc.texts.errors import describe
from cchc.texts.ui_sync import ROLE_LABELS, SYNC, group_fingerprint
from cchc.ui.context import AppContext
from cchc.ui.drive_picker import DrivePicker
from cchc.ui.sync.common import Failed, field, guard, say_error
from cchc.ui.widgets import options, tagged


class CertifyPanel:
    """Shown only on the computer that holds the city's root key."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-request-"))
        self.request: KeyRequest | None = None
        self.request_file = field(SYNC["request_file"], expand=True)
        self.shown = ft.Column(spacing=4, tight=True)
        self.unit = ft.Dropdown(label=SYNC["certify_unit"], dense=True, width=460)
        self.role = ft.Dropdown(
            label=SYNC["certify_role"],
            dense=True,
            width=300,
            options=options(list(ROLE_LABELS.items())),
        )
        self.folder = field(SYNC["certify_folder"], expand=True, value=str(ctx.db_path.parent))
        self.result = ft.Column(spacing=2, tight=True)
        self.drives = DrivePicker("certify-drive", self._drive_chosen)
        self.unit.on_select = self._unit_chosen
        self.view = ft.Column(
            [
                ft.Text(SYNC["certify_intro"], size=13),
                ft.Row([tagged("certify-request-file", self.request_file)]),
                ft.Row(
                    [
                        tagged(
                            "certify-request-pick",
                            ft.OutlinedButton(
                                SYNC["request_pick"],
                                icon=ft.Icons.FOLDER_OPEN,
                                on_click=self._pick_request,
                            ),
                        ),
                        tagged(
                            "certify-request-read",
                            ft.OutlinedButton(
                                SYNC["request_read"],
                                icon=ft.Icons.FIND_IN_PAGE,
                                on_click=lambda e: self._read(),
                            ),
                        ),
                    ],
                    wrap=True,
                ),
                tagged("certify-request-shown", self.shown),
                ft.Row(
                    [tagged("certify-unit", self.unit), tagged("certify-role", self.role)],
                    wrap=True,
                ),
                self.drives.view,
                ft.Row([tagged("certify-folder", self.folder)]),
                tagged(
                    "certify-go",
                    ft.Button(SYNC["certify"], icon=ft.Icons.VERIFIED_USER, on_click=self._certify),
                ),
                tagged("certify-result", self.result),
            ],
            spacing=8,
            tight=True,
        )

    def refresh(self) -> None:
        units = self.ctx.call(certification.laptop_units)
        self.unit.options = options([(u.code, u.name) for u in units])
        self.drives.refresh()

    def _drive_chosen(self, path: str) -> None:
        self.folder.value = path
        self.ctx.page.update()

    def _unit_chosen(self, e: Any) -> None:
        if self.unit.value:
            self.role.value = self.ctx.call(certification.suggested_role, self.unit.value)
            self.ctx.page.update()

    async def _pick_request(self, e: Any) -> None:
        files = await self.ctx.file_picker.pick_files(
            dialog_title=SYNC["request_pick"], with_data=not self.ctx.desktop
        )
        if not files:
            return
        chosen = files[0]
        if chosen.path:
            self.request_file.value = chosen.path
        elif chosen.bytes is not None:
            local = self._tmp / Path(chosen.name).name
            local.write_bytes(chosen.bytes[: certification.MAX_KEY_REQUEST_BYTES + 1])
            self.request_file.value = str(local)
        self._read()

    def _read(self) -> KeyRequest | None:
        text = (self.request_file.value or "").strip()
        self.request_file.error = None if text else SYNC["request_missing"]
        self.request = None
        self.shown.controls = []
        if not text:
            self.ctx.page.update()
            return None
        try:
            request = certification.read_key_request(Path(text).expanduser())
        except CchcError as err:
            self.request_file.error = describe(err)
            say_error(self.ctx, self.result, describe(err))
            self.ctx.page.update()
            return None
        self.request = request
        judged = self.ctx.call(certification.judge_request, request)
        self.shown.controls = [
            ft.Text(SYNC["request_shown"].format(officer=request.officer or "—")),
            *self._unit_lines(judged),
            ft.Text(SYNC["request_fp"], size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            tagged(
                "certify-request-fp",
                ft.Text(
                    group_fingerprint(request.fingerprint),
                    size=22,
                    weight=ft.FontWeight.W_600,
                    color=ft.Colors.BLUE_900,
                    selectable=True,
                ),
                label=request.fingerprint,
            ),
        ]
        if request.unit_code and any(o.key == request.unit_code for o in self.unit.options or []):
            self.unit.value = request.unit_code
        # judged by the unit table: a city body's code never preselects a role (least of all city)
        self.role.value = judged.role
        self.ctx.page.update()
        return request

    def _unit_lines(self, judged: certification.RequestUnit) -> list[ft.Control]:
        """The unit table's name for the request's code beside the requester's own words,
        flagged when they differ; and why no role is preselected, when none is."""
        claimed = judged.claimed or "—"
        if not judged.code:
            lines: list[ft.Control] = [ft.Text(SYNC["request_unit_none"])]
        elif judged.name is None:
            text = SYNC["request_unit_unknown"].format(code=judged.code, claimed=claimed)
            lines = [ft.Text(text)]
        else:
            text = SYNC["request_unit"].format(name=judged.name, code=judged.code, claimed=claimed)
            lines = [tagged("certify-request-unit", ft.Text(text), label=judged.name)]
        if judged.differs:
            lines.append(
                tagged(
                    "certify-request-unit-differs",
                    ft.Text(SYNC["request_unit_differs"], color=ft.Colors.RED_800),
                )
            )
        if judged.code and judged.role is None:
            lines.append(tagged("certify-request-no-role", ft.Text(SYNC["request_role_none"])))
        return lines

    def _certify(self, e: Any) -> None:
        request = self.request or self._read()
        if request is None:
            return
        folder_text = (self.folder.value or "").strip()
        self.folder.error = None if folder_text else SYNC["folder_missing"]
        if not folder_text:
            self.ctx.page.update()
            return
        unit_code, role = self.unit.value, self.role.value
        outcome = guard(
            lambda: self.ctx.call(
                certification.certify_request,
                request,
                Path(folder_text).expanduser(),
                unit_code=unit_code,
                role=role,
            )
        )()
        if isinstance(outcome, Failed):
            say_error(self.ctx, self.result, outcome.text)
            self.ctx.page.update()
            return
        st = self.ctx.call(certification.standing)
        names = dict((o.key, o.text) for o in self.unit.options or [])
        said = SYNC["certified"].format(
            unit=names.get(unit_code or request.unit_code or "", "—"),
            role=ROLE_LABELS.get(role or "", "—"),
            path=outcome,
            root=group_fingerprint(st.root_fingerprint or ""),
        )
        self.result.controls = [ft.Text(said, color=ft.Colors.GREEN_800, selectable=True)]
        self.ctx.notify(said)
