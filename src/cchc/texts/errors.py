"""The one function that turns any failure into the sentence an officer reads (`describe`), over
the one table of messages (`cchc.texts.catalog`, loaded whole). Entry points add only their own framing: the CLI a "Lỗi:" prefix,
a command-line hint (`cchc.texts.cli.CLI_HINTS`) and an exit code; the UI a notice.

Rules for every text here: Vietnamese with full diacritics, NFC; no identifier, no command-line
flag, no English word (tests/unit/test_error_catalog.py walks them all). A field is named by its
Vietnamese label (`FIELD_LABELS`), never by the name the code gives it.
"""

from __future__ import annotations

import errno as errno_codes
import sqlite3
import unicodedata
from typing import Any

import httpx

from cchc.domain.errors import CchcError
from cchc.texts import catalog, general
from cchc.texts.sync import policy_text, sync_message, transport_message
from sync.errors import SyncError
from sync.transport import TransportError

#: The one table (`cchc.texts.catalog`), re-exported for the entry points that quote a message.
MESSAGES = catalog.MESSAGES
FIELD_LABELS = general.FIELD_LABELS

_LINK_DOWN_CODES = {"transfer_aborted"}


def label(field: str) -> str:
    """The Vietnamese name of a field, or the text as given when the code names none."""
    return catalog.LABELS.get(field) or field


def os_cause(errno: int | None) -> str:
    """Why the operating system refused, in Vietnamese."""
    return general.OS_CAUSES.get(errno or 0, general.OS_OTHER)


def _fill(template: str, params: dict[str, Any]) -> str:
    values = dict(params)
    if "reasons" in values:  # policy refusals (`domain.refusals`), put in words here
        values["reason"] = "; ".join(policy_text(str(r)) for r in values["reasons"])
    for name, words in catalog.CODED_PARAMS.items():
        if name in values:
            values[name] = words.get(str(values[name]), values[name])
    values.setdefault("cause", os_cause(values.get("errno")))
    try:
        text = template.format(**values)
    except (KeyError, IndexError):
        text = template
    return unicodedata.normalize("NFC", text)


def _message(err: CchcError) -> str:
    """The Vietnamese text for an app error (its key and parameters), filled in."""
    template = MESSAGES.get(err.key) or MESSAGES.get(type(err).key) or MESSAGES["error"]
    return _fill(template, err.params)


def describe(exc: BaseException) -> str:
    """The sentence an officer reads for any failure: app, engine, carrier, database, disk, or
    one nobody foresaw. Never quotes an exception's English text or the bytes of a file. A
    service that has a message to give without failing hands over a `CchcError` (its key and
    parameters) and the entry point describes it like any other."""
    if isinstance(exc, CchcError):
        return _message(exc)
    if isinstance(exc, SyncError):
        return sync_message(exc)
    if is_link_down(exc):
        return MESSAGES["link_down"]
    if isinstance(exc, TransportError):
        return transport_message(exc) or MESSAGES["unexpected"]
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc)
        if "locked" in text or "busy" in text:
            return MESSAGES["db_locked"]
        if "full" in text:
            return MESSAGES["disk_full"]
        return MESSAGES["db_damaged"]
    if isinstance(exc, OSError):
        if exc.errno == errno_codes.ENOSPC:
            return MESSAGES["disk_full"]
        if exc.filename is None:  # a failure not tied to one file name (opening a program…)
            return _fill(MESSAGES["system_error"], {"errno": exc.errno})
        return _fill(MESSAGES["file_error"], {"value": exc.filename, "errno": exc.errno})
    return MESSAGES["unexpected"]


def is_link_down(exc: BaseException) -> bool:
    """Whether a failure means the network link (or the hub) is not there, judged by the error's
    type and code, never by its words."""
    if isinstance(exc, TransportError):
        return exc.code in _LINK_DOWN_CODES
    return isinstance(exc, ConnectionError | TimeoutError | httpx.TransportError)
