"""Task states follow the task-tracking rules; days turn at midnight in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.domain.status import State, Status, days_left, derive_state, local_today

D = dt.date
DUE = D(2026, 3, 31)


@pytest.mark.parametrize(
    ("status", "due", "done_on", "today", "expected"),
    [
        (Status.NOT_STARTED, DUE, None, D(2026, 3, 31), State.NOT_STARTED),
        (Status.NOT_STARTED, DUE, None, D(2026, 4, 1), State.OVERDUE),
        (Status.IN_PROGRESS, DUE, None, D(2026, 3, 31), State.IN_PROGRESS),
        (Status.IN_PROGRESS, DUE, None, D(2026, 4, 1), State.OVERDUE),
        (Status.DONE, DUE, D(2026, 3, 31), D(2026, 11, 1), State.DONE_ON_TIME),
        (Status.DONE, DUE, D(2026, 4, 1), D(2026, 11, 1), State.DONE_LATE),
        (Status.DONE, None, D(2026, 4, 1), D(2026, 11, 1), State.DONE_ON_TIME),
        (Status.NOT_STARTED, None, None, D(2030, 1, 1), State.NOT_STARTED),
    ],
)
def test_state_is_derived_from_status_dates_and_today(status, due, done_on, today, expected):
    assert derive_state(status, due, done_on, today) is expected


@pytest.mark.parametrize(
    ("utc_moment", "island_date"),
    [
        (dt.datetime(2026, 3, 31, 16, 59, 59, tzinfo=dt.UTC), D(2026, 3, 31)),  # 23:59:59 +07
        (dt.datetime(2026, 3, 31, 17, 0, 0, tzinfo=dt.UTC), D(2026, 4, 1)),  # 00:00:00 +07
    ],
)
def test_the_island_day_turns_at_local_midnight(utc_moment, island_date):
    assert local_today(utc_moment) == island_date


def test_a_task_due_today_becomes_overdue_exactly_at_local_midnight():
    before = local_today(dt.datetime(2026, 3, 31, 16, 59, 59, tzinfo=dt.UTC))
    after = local_today(dt.datetime(2026, 3, 31, 17, 0, 0, tzinfo=dt.UTC))
    assert derive_state(Status.IN_PROGRESS, DUE, None, before) is State.IN_PROGRESS
    assert derive_state(Status.IN_PROGRESS, DUE, None, after) is State.OVERDUE


def test_a_naive_moment_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        local_today(dt.datetime(2026, 3, 31, 12, 0))


def test_days_left_counts_down_and_goes_negative_once_overdue():
    assert days_left(DUE, D(2026, 3, 29)) == 2
    assert days_left(DUE, D(2026, 4, 2)) == -2
    assert days_left(None, D(2026, 4, 2)) is None
