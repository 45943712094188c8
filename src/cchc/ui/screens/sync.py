"""Đồng bộ: export to a folder or USB stick, import files with a clear summary, e-mail files,
HTTP sync with a visible link state, conflicts, and keys and certificates read out by phone."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from cchc.domain.dates import format_island_time
from cchc.services import exchange, sync_view
from cchc.services.door import FAILURES
from cchc.services.exchange import ImportReport
from cchc.texts.sync import clock_ahead_text, rejection_reason
from cchc.texts.ui import COMMON, NAV
from cchc.texts.ui_sync import COLUMN_LABELS, ROLE_LABELS, ROW_LABELS, SYNC, group_fingerprint
from cchc.ui.context import AppContext
from cchc.ui.screens import ScreenSpec
from cchc.ui.widgets import heading, section, tagged

MB = 1024 * 1024


def when_text(iso_value: str | None) -> str:
    """An ISO time as the island reads it: 26/11/2026 14:05."""
    return format_island_time(iso_value)


def _how(how: str | None) -> str:
    return SYNC.get(f"how_{how}", how or "")


def _fingerprint_text(fp: str | None, identifier: str, size: int = 22) -> ft.Control:
    shown = group_fingerprint(fp) if fp else SYNC["root_none"]
    return tagged(
        identifier,
        ft.Text(
            shown,
            size=size if fp else 14,
            weight=ft.FontWeight.W_600 if fp else None,
            selectable=True,
            color=ft.Colors.BLUE_900 if fp else ft.Colors.RED_700,
        ),
        label=fp or SYNC["root_none"],
    )


class SyncScreen:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._tmp = Path(tempfile.mkdtemp(prefix="cchc-sync-"))
        base = ctx.db_path.parent
        self.view = ft.Column(scroll=ft.ScrollMode.AUTO, expand=True, spacing=14)
        # export
        self.export_folder = ft.TextField(
            label=SYNC["export_folder"], value=str(base / "goi-dong-bo"), expand=True, dense=True
        )
        self.part_size = ft.TextField(label=SYNC["part_size"], width=440, dense=True)
        self.export_progress = ft.ProgressBar(visible=False)
        self.export_result = ft.Column(spacing=2, tight=True)
        # import
        self.import_paths = ft.TextField(
            label=SYNC["import_paths"], multiline=True, min_lines=2, max_lines=5, expand=True
        )
        self.import_progress = ft.ProgressBar(visible=False)
        self.import_result = ft.Column(spacing=4, tight=True)
        # e-mail
        self.email_to = ft.TextField(label=SYNC["email_to"], width=320, dense=True)
        self.email_folder = ft.TextField(
            label=SYNC["email_folder"], value=str(base / "thu-dong-bo"), expand=True, dense=True
        )
        self.email_part = ft.TextField(label=SYNC["email_part"], value="9", width=180, dense=True)
        self.email_progress = ft.ProgressBar(visible=False)
        self.email_result = ft.Column(spacing=2, tight=True)
        # http
        self.hub_url = ft.TextField(label=SYNC["hub_url"], expand=True, dense=True)
        self.hub_fingerprint = ft.TextField(label=SYNC["hub_fingerprint"], expand=True, dense=True)
        self.link_icon = ft.Icon(ft.Icons.HELP_OUTLINE, color=ft.Colors.BLUE_GREY_400)
        self.link_text = ft.Text(SYNC["link_unknown"])
        self.http_progress = ft.ProgressBar(visible=False)
        self.http_result = ft.Text("")
        # trust
        self.trust_file = ft.TextField(label=SYNC["trust_file"], expand=True, dense=True)
        self.root_typed = ft.TextField(label=SYNC["root_typed"], width=520, dense=True)
        self.trust_result = ft.Text("")
        for text_field in (
            self.export_folder,
            self.part_size,
            self.import_paths,
            self.email_to,
            self.email_folder,
            self.email_part,
            self.hub_url,
            self.hub_fingerprint,
            self.trust_file,
            self.root_typed,
        ):
            text_field.on_change = self._on_text  # each keystroke reaches the app at once
        # rebuilt on show
        self.me_box = ft.Column(spacing=6, tight=True)
        self.conflicts_box = ft.Column(spacing=6, tight=True)
        self.peers_box = ft.Column(spacing=8, tight=True)

    def _on_text(self, e: Any) -> None:
        """Nothing to do: having a handler makes the field send every change as it is typed."""

    # ---- layout -------------------------------------------------------------------------------

    def show(self, **params: Any) -> None:
        self.refresh()
        saved_url = self.ctx.call(sync_view.hub_url)
        if saved_url and not self.hub_url.value:
            self.hub_url.value = saved_url
        if self.hub_url.value and not self.hub_fingerprint.value:
            pinned = self.ctx.call(sync_view.hub_fingerprint, self.hub_url.value.strip())
            self.hub_fingerprint.value = pinned or ""
        if self.hub_url.value:
            self._probe(self.hub_url.value.strip(), remember=False)
        export_buttons: list[ft.Control] = [
            tagged(
                "sync-export",
                ft.Button(SYNC["export"], icon=ft.Icons.UPLOAD_FILE, on_click=self._export),
            )
        ]
        import_buttons: list[ft.Control] = [
            tagged(
                "sync-import",
                ft.Button(SYNC["import"], icon=ft.Icons.DOWNLOAD, on_click=self._import),
            ),
            tagged(
                "sync-pick-files",
                ft.OutlinedButton(
                    SYNC["pick_files"], icon=ft.Icons.FOLDER_OPEN, on_click=self._pick_files
                ),
            ),
        ]
        if self.ctx.desktop:
            export_buttons.append(
                tagged(
                    "sync-pick-folder",
                    ft.OutlinedButton(
                        SYNC["pick_folder"], icon=ft.Icons.FOLDER, on_click=self._pick_folder
                    ),
                )
            )
        self.view.controls = [
            heading(SYNC["title"]),
            ft.Text(SYNC["intro"], color=ft.Colors.ON_SURFACE_VARIANT),
            section(SYNC["me_heading"], self.me_box, identifier="sync-me"),
            ft.ResponsiveRow(
                [
                    ft.Container(
                        section(
                            SYNC["export_heading"],
                            ft.Row([tagged("sync-export-folder", self.export_folder)]),
                            tagged("sync-part-size", self.part_size),
                            ft.Row(export_buttons, wrap=True),
                            self.export_progress,
                            tagged("sync-export-result", self.export_result),
                            identifier="sync-export-section",
                        ),
                        col={"xs": 12, "lg": 6},
                    ),
                    ft.Container(
                        section(
                            SYNC["import_heading"],
                            ft.Row([tagged("sync-import-paths", self.import_paths)]),
                            ft.Row(import_buttons, wrap=True),
                            self.import_progress,
                            tagged("sync-import-result", self.import_result),
                            identifier="sync-import-section",
                        ),
                        col={"xs": 12, "lg": 6},
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            ft.ResponsiveRow(
                [
                    ft.Container(
                        section(
                            SYNC["http_heading"],
                            ft.Row([tagged("sync-hub-url", self.hub_url)]),
                            ft.Row([tagged("sync-hub-fingerprint", self.hub_fingerprint)]),
                            ft.Row(
                                [
                                    tagged(
                                        "sync-check",
                                        ft.OutlinedButton(
                                            SYNC["check"],
                                            icon=ft.Icons.WIFI_FIND,
                                            on_click=self._check_link,
                                        ),
                                    ),
                                    tagged(
                                        "sync-link-state",
                                        ft.Row([self.link_icon, self.link_text], tight=True),
                                    ),
                                ],
                                wrap=True,
                            ),
                            ft.Row(
                                [
                                    tagged(
                                        "sync-push",
                                        ft.Button(
                                            SYNC["push"],
                                            icon=ft.Icons.CLOUD_UPLOAD,
                                            on_click=lambda e: self._http("push"),
                                        ),
                                    ),
                                    tagged(
                                        "sync-pull",
                                        ft.Button(
                                            SYNC["pull"],
                                            icon=ft.Icons.CLOUD_DOWNLOAD,
                                            on_click=lambda e: self._http("pull"),
                                        ),
                                    ),
                                ],
                                wrap=True,
                            ),
                            self.http_progress,
                            tagged("sync-http-result", self.http_result),
                            identifier="sync-http",
                        ),
                        col={"xs": 12, "lg": 6},
                    ),
                    ft.Container(
                        section(
                            SYNC["email_heading"],
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
                                ft.Button(
                                    SYNC["email_write"],
                                    icon=ft.Icons.MAIL,
                                    on_click=self._write_emails,
                                ),
                            ),
                            self.email_progress,
                            tagged("sync-email-result", self.email_result),
                            identifier="sync-email",
                        ),
                        col={"xs": 12, "lg": 6},
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
            section(SYNC["conflicts_heading"], self.conflicts_box, identifier="sync-conflicts"),
            section(
                SYNC["trust_heading"],
                ft.Text(SYNC["peers_heading"], weight=ft.FontWeight.W_600),
                self.peers_box,
                ft.Divider(),
                ft.Text(SYNC["install_heading"], weight=ft.FontWeight.W_600),
                ft.Row([tagged("sync-trust-file", self.trust_file)]),
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
                identifier="sync-trust",
            ),
            tagged("sync-ready", ft.Text(" ", size=1)),
        ]

    def refresh(self) -> None:
        self._refresh_me()
        self._refresh_conflicts()
        self._refresh_peers()

    def _refresh_me(self) -> None:
        st = self.ctx.call(exchange.status)
        last = self.ctx.call(sync_view.last_export)
        names = self.ctx.call(sync_view.unit_names, st["units"])
        units = ", ".join(SYNC["all_units"] if n == "*" else n for n in names) or "—"
        self.me_box.controls = [
            ft.Text(SYNC["fingerprint"], size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            _fingerprint_text(st["fingerprint"], "sync-my-fingerprint", 26),
            ft.Text(f"{SYNC['site_id']}: {st['site_id']}", size=13, selectable=True),
            ft.Text(SYNC["root"], size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            _fingerprint_text(st["root_fingerprint"], "sync-root-fingerprint", 18),
            ft.Text(
                f"{SYNC['role']}: {ROLE_LABELS.get(st['role'] or '', '—')} · "
                f"{SYNC['units']}: {units}",
                size=13,
            ),
            tagged(
                "sync-counts",
                ft.Text(
                    SYNC["counts"].format(
                        unsealed=st["unsealed_changes"],
                        conflicts=st["open_conflicts"],
                        rejections=st["rejections"],
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
        ]

    # ---- busy and errors ----------------------------------------------------------------------

    def _busy(self, bar: ft.ProgressBar, on: bool) -> None:
        bar.visible = on
        self.ctx.page.update()

    def _failure(
        self, bar: ft.ProgressBar, out: ft.Column | ft.Text
    ) -> Callable[[BaseException], None]:
        def fail(err: BaseException) -> None:
            bar.visible = False
            self._say_error(out, self.ctx.error_text(err))

        return fail

    def _say_error(self, out: ft.Column | ft.Text, text: str) -> None:
        if isinstance(out, ft.Column):
            out.controls = [ft.Text(text, color=ft.Colors.ERROR)]
        else:
            out.value = text
            out.color = ft.Colors.ERROR
        self.ctx.notify(text, error=True)

    def _guard(self, job: Callable[[], Any]) -> Callable[[], Any]:
        """Run `job` turning the engine's and carriers' errors into Vietnamese on the screen."""

        def run() -> Any:
            try:
                return job()
            except FAILURES as err:
                return _Failed(self.ctx.error_text(err), link_down=self.ctx.link_down(err))

        return run

    # ---- export -------------------------------------------------------------------------------

    def _part_bytes(self, field: ft.TextField) -> int | None | _Failed:
        raw = (field.value or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            return _Failed(SYNC["part_size_bad"].format(value=field.value))
        if value <= 0:
            return _Failed(SYNC["part_size_bad"].format(value=field.value))
        return max(1024, int(value * MB))

    def _export(self, e: Any) -> None:
        folder_text = (self.export_folder.value or "").strip()
        self.export_folder.error = None
        self.part_size.error = None
        if not folder_text:
            self.export_folder.error = SYNC["folder_missing"]
            self.ctx.page.update()
            return
        part = self._part_bytes(self.part_size)
        if isinstance(part, _Failed):
            self.part_size.error = part.text
            self.ctx.page.update()
            return
        folder = Path(folder_text).expanduser()
        self.export_result.controls = [ft.Text(SYNC["exporting"])]
        self._busy(self.export_progress, True)

        def done(result: list[Path] | _Failed) -> None:
            self.export_progress.visible = False
            if isinstance(result, _Failed):
                self._say_error(self.export_result, result.text)
                return
            text = SYNC["exported"].format(
                count=len(result), folder=folder, names=", ".join(p.name for p in result)
            )
            self.export_result.controls = [
                ft.Text(text, color=ft.Colors.GREEN_800, selectable=True)
            ]
            self._refresh_me()
            self.ctx.notify(text)

        job = self._guard(
            lambda: self.ctx.call(sync_view.export_folder, folder, part_size=part),
        )
        self.ctx.run_background(job, done, self._failure(self.export_progress, self.export_result))

    async def _pick_folder(self, e: Any) -> None:
        chosen = await self.ctx.file_picker.get_directory_path(dialog_title=SYNC["pick_folder"])
        if chosen:
            self.export_folder.value = chosen
            self.ctx.page.update()

    # ---- import -------------------------------------------------------------------------------

    def _import(self, e: Any) -> None:
        lines = [ln.strip() for ln in (self.import_paths.value or "").splitlines() if ln.strip()]
        self.import_paths.error = None
        if not lines:
            self.import_paths.error = SYNC["paths_missing"]
            self.ctx.page.update()
            return
        missing = [ln for ln in lines if not Path(ln).expanduser().exists()]
        if missing:
            self.import_paths.error = SYNC["path_not_found"].format(value=missing[0])
            self.ctx.page.update()
            return
        self._run_import([Path(ln).expanduser() for ln in lines])

    def _run_import(self, paths: list[Path]) -> None:
        self.import_result.controls = [ft.Text(SYNC["importing"])]
        self._busy(self.import_progress, True)

        def done(report: ImportReport | _Failed) -> None:
            self.import_progress.visible = False
            if isinstance(report, _Failed):
                self._say_error(self.import_result, report.text)
                return
            self._show_import(report)
            self.refresh()

        job = self._guard(
            lambda: self.ctx.call(sync_view.import_files, paths),
        )
        self.ctx.run_background(job, done, self._failure(self.import_progress, self.import_result))

    def _show_import(self, report: ImportReport) -> None:
        if not report.files and not report.waiting:
            self.import_result.controls = [ft.Text(SYNC["nothing_found"])]
            self.ctx.notify(SYNC["nothing_found"], error=True)
            return
        applied = sum(f.result.applied for f in report.files if f.result is not None)
        duplicate = sum(f.result.duplicate for f in report.files if f.result is not None)
        held = sum(f.result.held for f in report.files if f.result is not None)
        refused = sum(1 for f in report.files if f.rejected)
        summary = SYNC["import_summary"].format(
            files=len(report.files),
            applied=applied,
            duplicate=duplicate,
            held=held,
            refused=refused,
        )
        rows: list[ft.Control] = [
            tagged(
                "sync-import-summary",
                ft.Text(
                    summary,
                    weight=ft.FontWeight.W_600,
                    color=ft.Colors.RED_700 if refused else ft.Colors.GREEN_800,
                ),
            )
        ]
        for i, outcome in enumerate(report.files):
            control, said = self._outcome(outcome)
            rows.append(tagged(f"sync-import-file-{i}", control, label=said))
        for w in report.waiting:
            rows.append(
                ft.Text(
                    SYNC["waiting"].format(
                        bundle=w["bundle"], missing=", ".join(str(m) for m in w["missing"])
                    ),
                    color=ft.Colors.AMBER_900,
                )
            )
        self.import_result.controls = rows
        self.ctx.notify(summary, error=bool(refused))

    def _outcome(self, outcome: exchange.FileOutcome) -> tuple[ft.Control, str]:
        """One file's line, and the same said in words (its accessible label)."""
        name = Path(outcome.source).name
        lines: list[ft.Control] = []
        if outcome.error is not None:
            icon, color = ft.Icons.BLOCK, ft.Colors.RED_700
            lines.append(
                ft.Text(SYNC["file_refused"].format(reason=outcome.error), color=color, size=13)
            )
        elif outcome.staged:
            icon, color = ft.Icons.HOURGLASS_TOP, ft.Colors.AMBER_800
            lines.append(ft.Text(SYNC["file_staged"], size=13))
        elif outcome.result is not None:
            r = outcome.result
            if not r.sender and not (r.applied or r.held or r.rejected):
                icon, color = ft.Icons.DONE_ALL, ft.Colors.BLUE_GREY_600
                lines.append(ft.Text(SYNC["file_duplicate"], size=13))
            else:
                bad = r.rejected > 0
                icon = ft.Icons.WARNING if bad else ft.Icons.CHECK_CIRCLE
                color = ft.Colors.RED_700 if bad else ft.Colors.GREEN_700
                lines.append(
                    ft.Text(
                        SYNC["file_applied"].format(
                            applied=r.applied,
                            duplicate=r.duplicate,
                            held=r.held,
                            rejected=r.rejected,
                        ),
                        size=13,
                    )
                )
                if r.conflicts:
                    lines.append(ft.Text(SYNC["file_conflicts"].format(count=r.conflicts)))
                for why in r.rejections:
                    lines.append(
                        ft.Text(
                            SYNC["rejection"].format(
                                table=why.table or "",
                                reason=rejection_reason(why.code, why.reason),
                            ),
                            color=ft.Colors.RED_700,
                            size=12,
                        )
                    )
                if r.clock_ahead_ms:
                    lines.append(
                        ft.Text(
                            clock_ahead_text(r.clock_ahead_ms), color=ft.Colors.AMBER_900, size=13
                        )
                    )
        else:
            icon, color = ft.Icons.INFO_OUTLINE, ft.Colors.BLUE_GREY_600
        said = " — ".join([name, *(str(ln.value) for ln in lines if isinstance(ln, ft.Text))])
        row = ft.Row(
            [
                ft.Icon(icon, color=color),
                ft.Column(
                    [ft.Text(name, weight=ft.FontWeight.W_500), *lines],
                    spacing=1,
                    tight=True,
                    expand=True,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
        return row, said

    async def _pick_files(self, e: Any) -> None:
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
            self.import_paths.value = "\n".join(str(p) for p in paths)
        self._run_import(paths)

    # ---- e-mail -------------------------------------------------------------------------------

    def _write_emails(self, e: Any) -> None:
        to = (self.email_to.value or "").strip()
        folder_text = (self.email_folder.value or "").strip()
        self.email_to.error = self.email_folder.error = self.email_part.error = None
        if not to:
            self.email_to.error = SYNC["email_to_missing"]
        if not folder_text:
            self.email_folder.error = SYNC["folder_missing"]
        part = self._part_bytes(self.email_part)
        if isinstance(part, _Failed):
            self.email_part.error = part.text
        if self.email_to.error or self.email_folder.error or self.email_part.error:
            self.ctx.page.update()
            return
        folder = Path(folder_text).expanduser()
        size = part if isinstance(part, int) else None
        self._busy(self.email_progress, True)

        def done(result: list[Path] | _Failed) -> None:
            self.email_progress.visible = False
            if isinstance(result, _Failed):
                self._say_error(self.email_result, result.text)
                return
            text = SYNC["emails_written"].format(count=len(result), to=to, folder=folder)
            shown: list[ft.Control] = [ft.Text(text, color=ft.Colors.GREEN_800, selectable=True)]
            shown += [ft.Text(p.name, size=12) for p in result]
            self.email_result.controls = shown
            self._refresh_me()
            self.ctx.notify(text)

        job = self._guard(
            lambda: self.ctx.call(sync_view.write_emails, to=to, folder=folder, part_size=size),
        )
        self.ctx.run_background(job, done, self._failure(self.email_progress, self.email_result))

    # ---- http ---------------------------------------------------------------------------------

    def _set_link(self, up: bool | None) -> None:
        if up is None:
            self.link_icon.icon, self.link_icon.color = ft.Icons.HELP_OUTLINE, ft.Colors.BLUE_GREY
            self.link_text.value = SYNC["link_unknown"]
        elif up:
            self.link_icon.icon, self.link_icon.color = ft.Icons.LINK, ft.Colors.GREEN_700
            self.link_text.value = SYNC["link_up"]
        else:
            self.link_icon.icon, self.link_icon.color = ft.Icons.LINK_OFF, ft.Colors.RED_700
            self.link_text.value = SYNC["link_down"]
        self.link_text.color = self.link_icon.color

    def _url(self) -> str | None:
        url = (self.hub_url.value or "").strip()
        self.hub_url.error = None if url else SYNC["url_missing"]
        if not url:
            self.ctx.page.update()
            return None
        return url

    def _check_link(self, e: Any) -> None:
        url = self._url()
        if url is None:
            return
        self._probe(url, remember=True)

    def _probe(self, url: str, *, remember: bool) -> None:
        """Check the link off the UI thread; when the hub answers, the screen offers to sync."""
        self._busy(self.http_progress, True)
        if remember:
            self.ctx.call(sync_view.set_hub_url, url)

        def done(up: bool) -> None:
            self.http_progress.visible = False
            self._set_link(up)
            if up:
                self.ctx.notify(SYNC["link_up"])

        self.ctx.run_background(lambda: sync_view.reachable(url), done)

    def _http(self, direction: str) -> None:
        url = self._url()
        if url is None:
            return
        self._busy(self.http_progress, True)
        self.http_result.value = ""

        def job() -> dict[str, Any] | _Failed:
            if not sync_view.reachable(url):
                return _Failed(SYNC["link_down"], link_down=True)
            fn = sync_view.push if direction == "push" else sync_view.pull
            pin = (self.hub_fingerprint.value or "").strip() or None
            result: dict[str, Any] | _Failed = self._guard(lambda: self.ctx.call(fn, url, pin))()
            return result

        def done(result: dict[str, Any] | _Failed) -> None:
            self.http_progress.visible = False
            if isinstance(result, _Failed):
                self._set_link(False if result.link_down else None)
                self._say_error(self.http_result, result.text)
                return
            self._set_link(True)
            if result.get("nothing"):
                text = SYNC["pulled_nothing"]
            elif direction == "push":
                text = SYNC["pushed"].format(
                    size=result.get("size", 0),
                    applied=result.get("applied", 0),
                    duplicate=result.get("duplicate", 0),
                    rejected=result.get("rejected", 0),
                    resumes=result.get("resumes", 0),
                )
            else:
                text = SYNC["pulled"].format(
                    applied=result.get("applied", 0),
                    duplicate=result.get("duplicate", 0),
                    held=result.get("held", 0),
                    rejected=result.get("rejected", 0),
                )
            self.http_result.value = text
            self.http_result.color = ft.Colors.GREEN_800
            self.refresh()
            self.ctx.notify(text)

        self.ctx.run_background(job, done, self._failure(self.http_progress, self.http_result))

    # ---- conflicts ----------------------------------------------------------------------------

    def _refresh_conflicts(self) -> None:
        items = self.ctx.call(exchange.conflicts)
        if not items:
            self.conflicts_box.controls = [ft.Text(SYNC["no_conflicts"])]
            return
        names = self.ctx.call(sync_view.site_names, SYNC["city"])
        rows: list[ft.Control] = []
        for c in items:
            kind, which = self.ctx.call(sync_view.row_label, c["table"], str(c["row_id"]))
            what = ROW_LABELS.get(kind, kind + " {which}").format(which=which)
            column = COLUMN_LABELS.get(c["column"], c["column"])
            c = {**c, "what": what, "column_label": column}
            rows.append(
                tagged(
                    f"conflict-{c['id']}",
                    ft.Row(
                        [
                            ft.Column(
                                [
                                    ft.Text(
                                        SYNC["conflict_line"].format(what=what, column=column),
                                        weight=ft.FontWeight.W_500,
                                    ),
                                    ft.Text(
                                        SYNC["conflict_values"].format(
                                            kept=c["kept_value"],
                                            kept_origin=names.get(
                                                str(c["kept_origin"]), str(c["kept_origin"])[:8]
                                            ),
                                            lost=c["lost_value"],
                                            lost_origin=names.get(
                                                str(c["lost_origin"]), str(c["lost_origin"])[:8]
                                            ),
                                        ),
                                        size=13,
                                    ),
                                ],
                                spacing=2,
                                expand=True,
                                tight=True,
                            ),
                            ft.OutlinedButton(
                                SYNC["keep_other"],
                                icon=ft.Icons.SWAP_HORIZ,
                                on_click=lambda e, c=c: self._confirm_keep_other(c),
                            ),
                        ]
                    ),
                )
            )
        self.conflicts_box.controls = rows

    def _confirm_keep_other(self, c: dict[str, Any]) -> None:
        def go(e: Any) -> None:
            self.ctx.page.pop_dialog()
            try:
                self.ctx.call(exchange.resolve, int(c["id"]), "other")
            except FAILURES as err:
                self.ctx.notify(self.ctx.error_text(err), error=True)
                return
            self.refresh()
            self.ctx.notify(
                SYNC["resolved"].format(
                    value=c["lost_value"], what=c["what"], column=c["column_label"]
                )
            )

        dialog = ft.AlertDialog(
            modal=True,
            title=ft.Text(SYNC["keep_other_title"]),
            content=ft.Text(
                SYNC["keep_other_confirm"].format(
                    lost=c["lost_value"],
                    kept=c["kept_value"],
                    what=c["what"],
                    column=c["column_label"],
                )
            ),
            actions=[
                tagged(
                    "keep-other-cancel",
                    ft.TextButton(COMMON["cancel"], on_click=lambda e: self.ctx.page.pop_dialog()),
                ),
                tagged("keep-other-confirm", ft.Button(SYNC["keep_other_yes"], on_click=go)),
            ],
        )
        self.ctx.page.show_dialog(dialog)

    # ---- keys and trust -----------------------------------------------------------------------

    def _refresh_peers(self) -> None:
        peers = self.ctx.call(sync_view.peers)
        if not peers:
            self.peers_box.controls = [ft.Text(SYNC["no_peers"])]
            return
        cards: list[ft.Control] = []
        for p in peers:
            units = SYNC["all_units"] if "*" in p.units else ", ".join(p.units)
            title = f"{ROLE_LABELS.get(p.role, p.role)}: {units}"
            if p.me:
                title += f" {SYNC['peer_me']}"
            last = (
                ""
                if p.me
                else SYNC["peer_last"].format(when=f"{when_text(p.last_at)} ({_how(p.last_how)})")
                if p.last_at
                else SYNC["peer_never"]
            )
            body: list[ft.Control] = [
                ft.Row(
                    [
                        ft.Text(title, weight=ft.FontWeight.W_600, expand=True),
                        ft.Text(SYNC["peer_revoked"], color=ft.Colors.RED_700)
                        if p.revoked
                        else ft.Text(""),
                    ]
                ),
                _fingerprint_text(p.fingerprint, f"peer-fp-{p.site_id[:8]}", 20),
                ft.Text(
                    f"{SYNC['site_id']}: {p.site_id}" + (f" · {last}" if last else ""),
                    size=12,
                    color=ft.Colors.ON_SURFACE_VARIANT,
                ),
            ]
            cards.append(
                tagged(
                    f"peer-{p.site_id[:8]}",
                    ft.Container(
                        ft.Column(body, spacing=4, tight=True),
                        padding=ft.Padding.all(10),
                        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
                        border_radius=6,
                    ),
                )
            )
        self.peers_box.controls = cards

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
            self._say_error(self.trust_result, text)
            self.ctx.page.update()
            return
        text = SYNC["installed"].format(
            root=out["root_fingerprint"],
            role=ROLE_LABELS.get(out.get("role") or "", "—"),
            units=", ".join(out.get("units") or []) or "—",
        )
        self.trust_result.value = text
        self.trust_result.color = ft.Colors.GREEN_800
        self.refresh()
        self.ctx.notify(text)


class _Failed:
    """A job's failure carried back to the page as its Vietnamese text."""

    def __init__(self, text: str, *, link_down: bool = False) -> None:
        self.text = text
        self.link_down = link_down  # the hub could not be reached: known by the error's type


SPEC = ScreenSpec(
    key="sync",
    label=NAV["sync"],
    icon=ft.Icons.SYNC_OUTLINED,
    selected_icon=ft.Icons.SYNC,
    order=40,
    factory=SyncScreen,
)
