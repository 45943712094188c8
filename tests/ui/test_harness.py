"""The UI harness's own rules, checked without a browser: one retry layer, and it is counted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import cchc_env


def _pytest(folder: Path, body: str) -> subprocess.CompletedProcess[str]:
    """Run pytest on one test file with the UI tests' conftest loaded, as `tests/ui` has it."""
    target = folder / "test_probe.py"
    target.write_text(body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.ui.conftest"]
        + ["-W", "ignore::pytest.PytestUnknownMarkWarning", str(target)],
        capture_output=True,
        text=True,
        cwd=folder,
        env=cchc_env(),
        timeout=120,
    )


def test_the_run_ends_with_how_many_times_the_harness_tried_again(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        "from tests.ui.harness import attempts\n"
        "def test_a_click_lost_twice():\n"
        "    tries = []\n"
        "    for n in attempts('click', 5):\n"
        "        tries.append(n)\n"
        "        if n == 2:\n"
        "            break  # the third click took\n"
        "    assert tries == [0, 1, 2]\n",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "UI reruns: 2" in result.stdout, result.stdout


def test_a_failing_browser_test_is_not_run_again_by_pytest(tmp_path: Path) -> None:
    result = _pytest(
        tmp_path,
        "import pytest\n"
        "COUNT = []\n"
        "@pytest.mark.ui\n"
        "def test_fails_once():\n"
        "    COUNT.append(1)\n"
        "    assert len(COUNT) > 1\n",
    )
    assert result.returncode == 1
    assert "1 failed" in result.stdout and "rerun" not in result.stdout.replace("UI reruns", "")
    assert "UI reruns: 0" in result.stdout
