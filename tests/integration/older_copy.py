"""A city database into which a copy running an older version let values outside their domain
(issue 20), for the read tests of the command line and the screens."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tests.integration.hostile_world import build_in

#: What an older copy accepted: +inf and 1e308 as money, year 9999, 50,5 %, dates that are no
#: dates, bidi overrides, list columns that are no lists.
POISON = (
    "UPDATE budgets SET estimate = 9e999, spent = 1e308, appraised = 'nhiều', "
    "estimate_sent_on = '31/12/2026'",
    "UPDATE tasks SET done_on = '9999-12-31', progress = 50.5, due = '2026-99-01', "
    "subitems = 'không phải danh sách', updated_at = 'hôm qua', "
    "content = content || ' \u202egnp.exe' WHERE stt = 2",
    "UPDATE tasks SET done_on = 'hôm qua', status = 'done' WHERE stt = 3",
    "UPDATE report_sections SET text = 'Kết quả \u202eđảo chiều\u202c'",
    "UPDATE report_tasks SET progress = 50.5",
    "UPDATE reports SET period_start = '9999-01-01', report_date = 'x', revision = 1e308, "
    "sources = 'zz', due = '2026-02-30'",
    "UPDATE task_updates SET date = '9999-12-31', progress = 1e308",
    "UPDATE documents SET date = 'x', size = 1e308",
    "UPDATE amendments SET decision_date = '0001-01-01', proposal = '[1'",
)


def poisoned_city(folder: Path) -> Path:
    """Build the hostile world in ``folder`` and return a copy of the city's database holding
    every value of ``POISON`` (its keys and attachments beside it)."""
    db = build_in(folder) / "city.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in POISON:
            conn.execute(statement)
    finally:
        conn.close()
    shutil.rmtree(folder / "world" / "tc.sqlite.keys", ignore_errors=True)
    return db
