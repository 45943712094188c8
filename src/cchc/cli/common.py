"""What every command shares: the workspace from --db, JSON output, and error translation."""

from __future__ import annotations

import errno
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from cchc.domain.errors import CchcError
from cchc.paths import resolve_db_path
from cchc.services.workspace import Workspace
from cchc.texts.errors import MESSAGES, message

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1


class State:
    """The group-level options, handed to every command through click's context."""

    def __init__(self, db: str | None) -> None:
        self.db_option = db

    @contextmanager
    def workspace(self) -> Iterator[Workspace]:
        ws = Workspace.open(resolve_db_path(self.db_option))
        try:
            yield ws
        finally:
            ws.close()


pass_state = click.make_pass_decorator(State)


def fail(text: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(text, err=True)
    sys.exit(code)


def translate_errors(func: F) -> F:
    """Turn the app's errors into one clear message and a non-zero exit; nothing else leaks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CchcError as err:
            fail(f"Lỗi: {message(err)}", EXIT_BAD_INPUT)
        except sqlite3.OperationalError as err:
            text = str(err)
            if "locked" in text or "busy" in text:
                fail(f"Lỗi: {MESSAGES['db_locked']} ({text})", EXIT_FAILURE)
            if "disk is full" in text:
                fail(f"Lỗi: {MESSAGES['disk_full']} ({text})", EXIT_FAILURE)
            raise
        except sqlite3.DatabaseError as err:
            fail(f"Lỗi: {message(CchcError('db_unreadable', value='', reason=str(err)))}")
        except OSError as err:
            if err.errno == errno.ENOSPC:
                fail(f"Lỗi: {MESSAGES['disk_full']}", EXIT_FAILURE)
            raise

    return wrapper  # type: ignore[return-value]


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def echo_json(value: Any) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))
