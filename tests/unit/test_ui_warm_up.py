"""Before the first page is served, the workspace is opened once, so the first load waits for
nothing but drawing; a file that cannot be opened does not stop the server (the page explains)."""

from __future__ import annotations

from pathlib import Path

from cchc.services import tasks as task_service
from cchc.services.workspace import Workspace
from cchc.ui import app


def test_warming_up_creates_the_database_with_the_plan_loaded(tmp_path: Path) -> None:
    db = tmp_path / "cchc.sqlite"
    app.warm_up(db)
    assert db.is_file()
    with Workspace.open(db, load_plan=False) as ws:
        assert len(task_service.list_tasks(ws)) == 26


def test_warming_up_a_file_that_is_not_a_database_leaves_it_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "hong.sqlite"
    garbage = b"khong phai co so du lieu" * 200
    db.write_bytes(garbage)
    app.warm_up(db)
    assert db.read_bytes() == garbage
