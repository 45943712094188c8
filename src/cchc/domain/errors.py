"""The app's error root. Each error carries a message key and its parameters; `cchc.texts.errors`
turns them into Vietnamese for the UI and the command line."""

from __future__ import annotations

from typing import Any


class CchcError(Exception):
    """Something the user asked for cannot be done; nothing was written."""

    key: str = "error"

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or type(self).key
        self.params = params
        super().__init__(f"{self.key}: {params}" if params else self.key)


class InvalidInput(CchcError):
    """A value given by the user or a file is malformed or out of range."""

    key = "invalid_input"


class NotFound(CchcError):
    """The task, unit, report or file named does not exist."""

    key = "not_found"


class Conflict(CchcError):
    """The request contradicts the stored state (a locked report, a duplicate entry…)."""

    key = "conflict"


class SeedInvalid(CchcError):
    """A plan seed file does not have the required shape; `params['where']` names the field."""

    key = "seed_invalid"
