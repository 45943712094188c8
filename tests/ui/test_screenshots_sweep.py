"""The screenshot sweep (`python -m tests.ui.screenshots`) in CI: every destination and every
panel opened from a list, at both laptop sizes, scrolled to the end, with no Flutter grey failure
box and no console error anywhere.

It runs as the command a reviewer types, in its own process: the sweep drives its own Chromium
with Playwright's sync API, which cannot start beside the run's shared browser in this process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cchc_env

pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.timeout(900)]


def test_every_screen_and_panel_is_drawn_whole_at_both_sizes_scrolled_to_the_end(
    tmp_path: Path,
) -> None:
    out = tmp_path / "review"  # this run's pictures only, never an older run's
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.screenshots", "--out", str(out)],
        cwd=ROOT,
        env=cchc_env({}),
        capture_output=True,
        text=True,
        timeout=880,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    written = [p.stem for p in out.rglob("*.png")]
    for name in ("dashboard", "tasks", "reports", "sync", "settings", "plan_money"):
        assert any(name in stem for stem in written), (name, sorted(written)[:20])
    for panel in ("reports-editor", "reports-zone", "tasks-detail"):
        assert any(panel in stem for stem in written), panel
