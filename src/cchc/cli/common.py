"""What every command shares: the door to the services (opened once per run, from --db), JSON
output, and the command line's one error translator."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from cchc.paths import resolve_db_path
from cchc.services.door import FAILURES, Door, users_to_fix
from cchc.services.workspace import Workspace
from cchc.texts.cli import cli_hint
from cchc.texts.errors import MESSAGES, describe, is_link_down

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
EXIT_FAILURE = 1
EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader closed


class State:
    """The group-level options, handed to every command through click's context; opens the door
    on first use and keeps it for the rest of the run (`close` at the end)."""

    def __init__(self, db: str | None) -> None:
        self.db_option = db
        self._door: Door | None = None

    def door(self) -> Door:
        if self._door is None:
            self._door = Door.open(resolve_db_path(self.db_option))
        return self._door

    @contextmanager
    def workspace(self) -> Iterator[Workspace]:
        yield self.door().workspace

    def close(self) -> None:
        if self._door is not None:
            self._door.close()
            self._door = None


pass_state = click.make_pass_decorator(State)


def fail(text: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(text, err=True)
    sys.exit(code)


def closed_pipe() -> None:
    """The reader of our output went away (``cchc targets | head -1``): end quietly, as Unix
    tools do, with 128 + SIGPIPE and nothing on stderr (what is still buffered goes nowhere)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_CLOSED_PIPE)


def exit_code(err: BaseException) -> int:
    """Bad input (the officer can fix the command) is 2; a failure of the world is 1."""
    return EXIT_BAD_INPUT if users_to_fix(err) else EXIT_FAILURE


def error_text(err: BaseException) -> str:
    """The command line's words for a failure: the catalog's sentence, then the command-line
    hint of its code when there is one (the flag to use)."""
    text = f"Lỗi: {describe(err)}"
    key = getattr(err, "key", None) or getattr(err, "code", None)
    hint = None if is_link_down(err) else cli_hint(str(key), getattr(err, "params", {}) or {})
    return f"{text}\n{hint}" if hint else text


def translate_errors(func: F) -> F:
    """Turn the app's, the engine's, the carriers', the database's and the disk's errors into one
    clear message and a non-zero exit; nothing else leaks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:  # a ConnectionError, but only the reader went away (| head)
            closed_pipe()
        except FAILURES as err:
            fail(error_text(err), exit_code(err))
        except (OverflowError, ValueError):  # a number or text from the command no part took
            fail(f"Lỗi: {MESSAGES['value_unusable']}", EXIT_BAD_INPUT)

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
