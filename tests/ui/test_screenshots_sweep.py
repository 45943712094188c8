"""The screenshot sweep (`python -m tests.ui.screenshots`) in CI: every destination and every
panel opened from a list, at both laptop sizes, scrolled to the end, with no Flutter grey failure
box and no console error anywhere."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.ui.harness import SIZES
from tests.ui.screenshots import shoot_all

pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]


def test_every_screen_and_panel_is_drawn_whole_at_both_sizes_scrolled_to_the_end() -> None:
    sweep = shoot_all(ROOT / "artifacts" / "review", list(SIZES))
    names = {path.stem.split("-")[1] if "-" in path.stem else path.stem for path in sweep.written}
    assert {"dashboard", "tasks", "reports", "sync", "settings", "plan_money"} <= names, names
    assert any("reports-editor" in path.stem for path in sweep.written)
    assert any("reports-zone" in path.stem for path in sweep.written)
    assert any("tasks-detail" in path.stem for path in sweep.written)
    assert sweep.problems == [], "\n".join(sweep.problems)
