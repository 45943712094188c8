"""Xung đột: cells two places edited while apart, with the value kept and the one replaced;
a person may keep the other value (after a confirmation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.services import exchange, sync_view
from cchc.services.door import FAILURES
from cchc.texts.sync import UNKNOWN_LAPTOP
from cchc.texts.ui import COMMON
from cchc.texts.ui_sync import COLUMN_LABELS, ROW_LABELS, SYNC
from cchc.ui.context import AppContext
from cchc.ui.widgets import tagged


class ConflictsPanel:
    def __init__(self, ctx: AppContext, after: Callable[[], None]) -> None:
        self.ctx = ctx
        self.after = after
        self.view = ft.Column(spacing=6, tight=True)

    def refresh(self) -> None:
        items = self.ctx.call(exchange.conflicts)
        if not items:
            self.view.controls = [ft.Text(SYNC["no_conflicts"])]
            return
        names = self.ctx.call(sync_view.site_names, SYNC["city"])
        self.view.controls = [self._row(c, names) for c in items]

    def _row(self, c: dict[str, Any], names: dict[str, str]) -> ft.Control:
        kind, which = self.ctx.call(sync_view.row_label, c["table"], str(c["row_id"]))
        what = ROW_LABELS.get(kind, kind + " {which}").format(which=which).strip()
        column = COLUMN_LABELS.get(c["column"], c["column"])
        c = {**c, "what": what, "column_label": column}

        def origin(site: object) -> str:
            return names.get(str(site), UNKNOWN_LAPTOP)

        return tagged(
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
                                    kept_origin=origin(c["kept_origin"]),
                                    lost=c["lost_value"],
                                    lost_origin=origin(c["lost_origin"]),
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

    def _confirm_keep_other(self, c: dict[str, Any]) -> None:
        def go(e: Any) -> None:
            self.ctx.page.pop_dialog()
            try:
                self.ctx.call(exchange.resolve, int(c["id"]), "other")
            except FAILURES as err:
                self.ctx.notify(self.ctx.error_text(err), error=True)
                return
            self.after()
            self.ctx.notify(
                SYNC["resolved"].format(
                    value=c["lost_value"], what=c["what"], column=c["column_label"]
                )
            )

        self.ctx.page.show_dialog(
            ft.AlertDialog(
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
                        ft.TextButton(
                            COMMON["cancel"], on_click=lambda e: self.ctx.page.pop_dialog()
                        ),
                    ),
                    tagged("keep-other-confirm", ft.Button(SYNC["keep_other_yes"], on_click=go)),
                ],
            )
        )
