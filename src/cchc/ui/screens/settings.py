"""Cài đặt: this laptop's unit and officer; backup to a file and restore from one."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.errors import CchcError
from cchc.services import backup as backup_service
from cchc.services import certification
from cchc.services import overview as overview_service
from cchc.services.backup import BackupInfo
from cchc.texts.errors import describe
from cchc.texts.ui import COMMON, FIRST_START, NAV, SETTINGS, size_text
from cchc.ui.context import AppContext
from cchc.ui.drive_picker import DrivePicker
from cchc.ui.screens import ScreenSpec
from cchc.ui.widgets import heading, options, section, tagged


class ProfileForm:
    """Unit (from the plan's units) and officer name; used by Cài đặt and by the first start."""

    def __init__(self, ctx: AppContext, submit_label: str, on_saved: Any) -> None:
        self.ctx = ctx
        self.on_saved = on_saved
        profile = ctx.call(overview_service.local_profile)
        units = ctx.call(certification.laptop_units)
        self.unit = ft.Dropdown(
            label=SETTINGS["unit"],
            value=profile.unit_code,
            options=options([(u.code, u.name) for u in units]),
            width=460,
            enable_filter=True,
            menu_height=420,
        )
        self.officer = ft.TextField(
            label=SETTINGS["officer"], value=profile.officer or "", width=460, on_submit=self._save
        )
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.view = ft.Column(
            [
                tagged("profile-unit", self.unit),
                tagged("profile-officer", self.officer),
                tagged(
                    "profile-save",
                    ft.Button(submit_label, icon=ft.Icons.CHECK, on_click=self._save),
                ),
                tagged("profile-error", self.error),
            ],
            spacing=12,
            tight=True,
        )

    def _save(self, e: Any) -> None:
        self.unit.error_text = None
        self.officer.error = None
        self.error.value = ""
        if not self.unit.value:
            self.unit.error_text = FIRST_START["unit_missing"]
            self.error.value = FIRST_START["unit_missing"]
            self.ctx.page.update()
            return
        try:
            profile = self.ctx.call(
                overview_service.set_local_profile, self.unit.value, self.officer.value or ""
            )
        except CchcError as err:
            text = describe(err)
            if err.key == "officer_missing":
                self.officer.error = text
            else:
                self.unit.error_text = text
            self.error.value = text
            self.ctx.page.update()
            return
        self.on_saved(profile)


class SettingsScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        self.backup_path = ft.TextField(label=SETTINGS["backup_path"], expand=True, dense=True)
        self.restore_path = ft.TextField(label=SETTINGS["restore_path"], expand=True, dense=True)
        self.progress = ft.ProgressBar(visible=False)
        self.error = ft.Text("", color=ft.Colors.ERROR)
        self.drives = DrivePicker("backup-drive", self._drive_chosen)

    def _drive_chosen(self, path: str) -> None:
        name = self.ctx.call(backup_service.default_backup_name)
        self.backup_path.value = str(Path(path) / name)
        self.ctx.page.update()

    def show(self, **params: Any) -> None:
        self.drives.refresh()
        ws_path = self.ctx.db_path
        self.backup_path.value = self.backup_path.value or str(
            ws_path.parent / self.ctx.call(backup_service.default_backup_name)
        )
        profile_form = ProfileForm(self.ctx, SETTINGS["save_profile"], self._profile_saved)
        pick_or_download = (
            ft.Button(SETTINGS["backup_pick"], icon=ft.Icons.SAVE_AS, on_click=self._backup_pick)
            if self.ctx.desktop
            else ft.Button(
                SETTINGS["backup_download"], icon=ft.Icons.DOWNLOAD, on_click=self._backup_download
            )
        )
        self.view.controls = [
            heading(SETTINGS["title"]),
            section(
                SETTINGS["profile_heading"],
                profile_form.view,
                ft.Text(SETTINGS["db_path"].format(path=ws_path), size=12),
                identifier="settings-profile",
            ),
            section(
                SETTINGS["backup_heading"],
                ft.Text(SETTINGS["backup_intro"].format(attachments=self.ctx.attachments_dir)),
                self.drives.view,
                ft.Row(
                    [
                        tagged("backup-path", self.backup_path),
                        tagged(
                            "backup-now",
                            ft.Button(
                                SETTINGS["backup_now"],
                                icon=ft.Icons.BACKUP,
                                on_click=self._backup_to_path,
                            ),
                        ),
                    ]
                ),
                tagged("backup-pick", pick_or_download),
                ft.Divider(),
                ft.Row(
                    [
                        tagged("restore-path", self.restore_path),
                        tagged(
                            "restore-now",
                            ft.Button(
                                SETTINGS["restore_now"],
                                icon=ft.Icons.RESTORE,
                                on_click=self._restore_from_path,
                            ),
                        ),
                    ]
                ),
                tagged(
                    "restore-pick",
                    ft.OutlinedButton(
                        SETTINGS["restore_pick"],
                        icon=ft.Icons.FOLDER_OPEN,
                        on_click=self._restore_pick,
                    ),
                ),
                self.progress,
                tagged("settings-error", self.error),
                identifier="settings-backup",
            ),
        ]

    def _profile_saved(self, profile: overview_service.LocalProfile) -> None:
        self.ctx.notify(
            SETTINGS["profile_saved"].format(unit=profile.unit_name, officer=profile.officer)
        )

    def _busy(self, on: bool) -> None:
        self.progress.visible = on
        if on:
            self.error.value = ""
        self.ctx.page.update()

    def _fail(self, err: CchcError) -> None:
        self.progress.visible = False
        self.error.value = describe(err)
        self.ctx.notify(describe(err), error=True)

    # ---- backup -----------------------------------------------------------------------------

    def _backup(self, target: Path) -> None:
        self._busy(True)

        def done(info: BackupInfo) -> None:
            self.progress.visible = False
            self.ctx.notify(
                SETTINGS["backup_done"].format(
                    tasks=info.tasks, path=info.path, size=size_text(info.size)
                )
            )

        self.ctx.run_background(
            lambda: self.ctx.call(backup_service.backup_to, target), done, self._fail
        )

    def _backup_to_path(self, e: Any) -> None:
        text = (self.backup_path.value or "").strip()
        if not text:
            self.error.value = SETTINGS["path_missing"]
            return
        self._backup(Path(text).expanduser())

    async def _backup_pick(self, e: Any) -> None:
        name = self.ctx.call(backup_service.default_backup_name)
        chosen = await self.ctx.file_picker.save_file(
            dialog_title=SETTINGS["backup_pick"], file_name=name
        )
        if chosen:
            self._backup(Path(chosen))

    async def _backup_download(self, e: Any) -> None:
        self._busy(True)
        name = self.ctx.call(backup_service.default_backup_name)
        target = Path(tempfile.mkdtemp(prefix="cchc-backup-")) / name
        try:
            info = self.ctx.call(backup_service.backup_to, target)
        except CchcError as err:
            self._fail(err)
            return
        self.progress.visible = False
        await self.ctx.file_picker.save_file(file_name=name, src_bytes=target.read_bytes())
        self.ctx.notify(SETTINGS["backup_sent"].format(name=name, size=size_text(info.size)))

    # ---- restore ----------------------------------------------------------------------------

    def _restore_from_path(self, e: Any) -> None:
        text = (self.restore_path.value or "").strip()
        if not text:
            self.error.value = SETTINGS["path_missing"]
            return
        self._confirm_restore(Path(text).expanduser(), Path(text).name)

    async def _restore_pick(self, e: Any) -> None:
        files = await self.ctx.file_picker.pick_files(
            dialog_title=SETTINGS["restore_pick"], with_data=not self.ctx.desktop
        )
        if not files:
            return
        chosen = files[0]
        if chosen.path:
            self._confirm_restore(Path(chosen.path), chosen.name)
        elif chosen.bytes is not None:
            local = Path(tempfile.mkdtemp(prefix="cchc-restore-")) / Path(chosen.name).name
            local.write_bytes(chosen.bytes)
            self._confirm_restore(local, chosen.name)

    def _confirm_restore(self, source: Path, name: str) -> None:
        self.error.value = ""
        try:
            info = backup_service.inspect_backup(source)
        except CchcError as err:
            self._fail(err)
            return

        def go(e: Any) -> None:
            self.ctx.page.pop_dialog()
            self._busy(True)

            def done(_: BackupInfo) -> None:
                self.progress.visible = False
                self.ctx.notify(SETTINGS["restore_done"].format(name=name))

            self.ctx.run_background(
                lambda: self.ctx.call(backup_service.restore_from, source), done, self._fail
            )

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(SETTINGS["restore_confirm_title"]),
            content=ft.Text(
                SETTINGS["restore_confirm"].format(
                    name=name, tasks=info.tasks, plan=info.plan_number
                )
            ),
            actions=[
                tagged(
                    "restore-cancel",
                    ft.TextButton(COMMON["cancel"], on_click=lambda e: self.ctx.page.pop_dialog()),
                ),
                tagged("restore-confirm", ft.Button(SETTINGS["restore_yes"], on_click=go)),
            ],
        )
        self.ctx.page.show_dialog(dialog)


SPEC = ScreenSpec(
    key="settings",
    label=NAV["settings"],
    icon=ft.Icons.SETTINGS_OUTLINED,
    selected_icon=ft.Icons.SETTINGS,
    order=90,
    factory=SettingsScreen,
)
