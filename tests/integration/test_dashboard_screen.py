"""The dashboard writes numbers the Vietnamese way (16,7%, never 16.7%) and shows each target
with a bar, labelled as the plan names it (row 18, never "t18.")."""

from __future__ import annotations

import re

from cchc.services import tasks as task_service
from cchc.ui.screens import panels
from cchc.ui.screens.dashboard import DashboardScreen
from tests.integration.screen_ctx import ScreenContext, controls_of, shown_texts


def test_progress_is_written_with_a_decimal_comma(ws, db_path):
    task_service.update_task(ws, "4", progress=50, by="A")  # area I: a fractional mean
    screen = DashboardScreen(ScreenContext(ws, db_path))
    screen.show()
    texts = " ".join(shown_texts(screen.view))
    assert re.search(r"\d,\d%", texts), "a fractional percentage is on the dashboard"
    assert not re.search(r"\d\.\d+%", texts), texts


def test_the_targets_panel_shows_a_bar_and_the_plans_own_labels(ws, db_path):
    ctx = ScreenContext(ws, db_path)
    panel = panels.targets_panel(ctx)
    texts = shown_texts(panel)
    assert not any(t.startswith("t18") for t in texts)
    assert any("18" in t for t in texts)
    assert list(controls_of(panel, "ProgressBar"))
