"""Đồng bộ qua mạng: the city's hub address and certificate fingerprint, the link's state
(checked off the UI thread; when the hub answers the screen offers to sync), push and pull."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from cchc.services import sync_view
from cchc.texts.exchange import SUMMARY, arrivals_text
from cchc.texts.sync import rejection_reason
from cchc.texts.ui_sync import SYNC
from cchc.ui.context import AppContext
from cchc.ui.sync.common import Failed, field, guard, say_error, unless_uncertified
from cchc.ui.widgets import tagged


class LinkDown:
    """The hub did not answer: the link is down (decided by the check, not by any text)."""


class HubPanel:
    def __init__(self, ctx: AppContext, after: Callable[[], None]) -> None:
        self.ctx = ctx
        self.after = after
        self.link_up: bool | None = None
        self.hub_url = field(SYNC["hub_url"], expand=True)
        self.hub_fingerprint = field(SYNC["hub_fingerprint"], expand=True)
        self.link_icon = ft.Icon(ft.Icons.HELP_OUTLINE, color=ft.Colors.BLUE_GREY_400)
        self.link_text = ft.Text(SYNC["link_unknown"])
        self.progress = ft.ProgressBar(visible=False)
        self.result = ft.Text("")

    def view(self) -> list[ft.Control]:
        def button(key: str, text: str, icon: ft.IconData, direction: str) -> ft.Control:
            return tagged(key, ft.Button(text, icon=icon, on_click=lambda e: self._http(direction)))

        return [
            ft.Row([tagged("sync-hub-url", self.hub_url)]),
            ft.Row([tagged("sync-hub-fingerprint", self.hub_fingerprint)]),
            ft.Row(
                [
                    tagged(
                        "sync-check",
                        ft.OutlinedButton(
                            SYNC["check"], icon=ft.Icons.WIFI_FIND, on_click=self._check
                        ),
                    ),
                    tagged("sync-link-state", ft.Row([self.link_icon, self.link_text], tight=True)),
                ],
                wrap=True,
            ),
            ft.Row(
                [
                    button("sync-push", SYNC["push"], ft.Icons.CLOUD_UPLOAD, "push"),
                    button("sync-pull", SYNC["pull"], ft.Icons.CLOUD_DOWNLOAD, "pull"),
                ],
                wrap=True,
            ),
            self.progress,
            tagged("sync-http-result", self.result),
        ]

    def show(self) -> None:
        """Fill the saved address and pinned fingerprint, then check the link once."""
        saved = self.ctx.call(sync_view.hub_url)
        if saved and not self.hub_url.value:
            self.hub_url.value = saved
        if self.hub_url.value and not self.hub_fingerprint.value:
            pinned = self.ctx.call(sync_view.hub_fingerprint, self.hub_url.value.strip())
            self.hub_fingerprint.value = pinned or ""
        if self.hub_url.value:
            self._probe(self.hub_url.value.strip(), remember=False)

    def url(self) -> str | None:
        return (self.hub_url.value or "").strip() or None

    def _set_link(self, up: bool | None) -> None:
        self.link_up = up
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

    def _required_url(self) -> str | None:
        url = self.url()
        self.hub_url.error = None if url else SYNC["url_missing"]
        if not url:
            self.ctx.page.update()
        return url

    def _check(self, e: Any) -> None:
        url = self._required_url()
        if url is not None:
            self._probe(url, remember=True)

    def _probe(self, url: str, *, remember: bool) -> None:
        self.progress.visible = True
        self.ctx.page.update()
        if remember:
            self.ctx.call(sync_view.set_hub_url, url)

        def done(up: bool) -> None:
            self.progress.visible = False
            self._set_link(up)
            if up:
                self.ctx.notify(SYNC["link_up"])

        self.ctx.run_background(lambda: sync_view.reachable(url), done)

    def _http(self, direction: str) -> None:
        url = self._required_url()
        if url is None:
            return
        if direction == "push":
            unless_uncertified(self.ctx, lambda: self._transfer(url, direction))
        else:
            self._transfer(url, direction)

    def _transfer(self, url: str, direction: str) -> None:
        self.progress.visible = True
        self.result.value = ""
        self.ctx.page.update()
        pin = (self.hub_fingerprint.value or "").strip() or None
        fn = sync_view.push if direction == "push" else sync_view.pull

        def job() -> dict[str, Any] | Failed | LinkDown:
            if not sync_view.reachable(url):
                return LinkDown()
            result: dict[str, Any] | Failed = guard(lambda: self.ctx.call(fn, url, pin))()
            return result

        def done(result: dict[str, Any] | Failed | LinkDown) -> None:
            self.progress.visible = False
            if isinstance(result, LinkDown):
                self._set_link(False)
                say_error(self.ctx, self.result, SYNC["link_down"])
                return
            if isinstance(result, Failed):
                self._set_link(False if result.link_down else None)
                say_error(self.ctx, self.result, result.text)
                return
            self._set_link(True)
            text = (
                _said_push(result)
                if direction == "push"
                else _said_pull(result, self.ctx.call(sync_view.site_names, SYNC["city"]))
            )
            self.result.value = text
            self.result.color = ft.Colors.GREEN_800
            self.after()
            self.ctx.notify(text)

        self.ctx.run_background(job, done)


def _said_push(result: dict[str, Any]) -> str:
    counts = {k: result.get(k, 0) for k in ("applied", "duplicate", "held", "rejected")}
    return SYNC["pushed"].format(
        size=result.get("size", 0), resumes=result.get("resumes", 0), **counts
    )


def _said_pull(result: dict[str, Any], names: dict[str, str]) -> str:
    """What came from the hub, by unit, and each refusal with its reason."""
    if result.get("nothing"):
        return SYNC["pulled_nothing"]
    lines = [SYNC["pulled_units"]]
    for origin, counts in (result.get("arrivals") or {}).items():
        what = arrivals_text(counts)
        if what:
            lines.append(SUMMARY["from_unit"].format(name=names.get(origin, origin[:8]), what=what))
    for why in result.get("rejections") or []:
        name = names.get(str(why.get("origin")), str(why.get("origin"))[:8])
        reason = rejection_reason(str(why.get("code")), str(why.get("reason")))
        lines.append(SUMMARY["refused_row"].format(name=name, reason=reason))
    if len(lines) == 1:
        return SYNC["pulled_nothing"]
    return "\n".join(lines)
