"""Task states under the Government's task-tracking rules (QĐ 42/2014/QĐ-TTg as amended).

The stored status is what a person sets: not started, in progress, done (with the day it was done).
The state shown is derived: done on time or late from the completion date against the due date;
overdue from today against the due date, never typed in. Days are counted in Asia/Ho_Chi_Minh: a task
due on 31/03 is overdue from 00:00 on 01/04 local time.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class Status(StrEnum):
    """What an officer records."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class State(StrEnum):
    """What the app derives for display, counting and reports."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date on the island, whatever the laptop's clock zone."""
    moment = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(ZONE).date()


def derive_state(
    status: Status, due: dt.date | None, done_on: dt.date | None, today: dt.date
) -> State:
    """The displayed state of a task. A task with no due date is never overdue."""
    if status is Status.DONE:
        if due is not None and done_on is not None and done_on > due:
            return State.DONE_LATE
        return State.DONE_ON_TIME
    if due is not None and today > due:
        return State.OVERDUE
    return State.IN_PROGRESS if status is Status.IN_PROGRESS else State.NOT_STARTED


def state_at(status: Status, due: dt.date | None, done_on: dt.date | None, day: dt.date) -> State:
    """The state a task was in on `day` (a report's reference date): a task done after that day
    was not done on it; what was due before it and not done was overdue on it."""
    if status is Status.DONE and done_on is not None and done_on > day:
        status = Status.IN_PROGRESS
    return derive_state(status, due, done_on, day)


def days_left(due: dt.date | None, today: dt.date) -> int | None:
    """Whole days from today to the due date (negative once overdue)."""
    return None if due is None else (due - today).days


#: A derived state as the status a person picks (overdue and late are derived, never typed):
#: what a report's task line offers as its current status.
STATUS_OF_STATE: dict[str, Status] = {
    "not_started": Status.NOT_STARTED,
    "in_progress": Status.IN_PROGRESS,
    "overdue": Status.IN_PROGRESS,
    "done_on_time": Status.DONE,
    "done_late": Status.DONE,
    "done": Status.DONE,
}


def status_of_state(state: str) -> Status:
    """The status behind a derived state (an unknown state reads as in progress)."""
    return STATUS_OF_STATE.get(state, Status.IN_PROGRESS)
