"""The UI harness's own rules: one retry layer, and it is counted; the gate every browser test
passes (Flutter's grey failure box in a picture, an error on the page console) fails a test."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser

from tests.conftest import cchc_env
from tests.ui.harness import GREY_BOX, assert_console_clean, assert_no_grey_box, browse, grey_share


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


def _png(size: tuple[int, int], boxes: list[tuple[int, int, int, int]]) -> bytes:
    """A white picture with Flutter's grey failure colour in each box (x0, y0, x1, y1)."""
    image = Image.new("RGB", size, (255, 255, 255))
    for box in boxes:
        image.paste(GREY_BOX, box)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_screen_half_covered_by_flutters_grey_box_fails_the_gate() -> None:
    broken = _png((1366, 768), [(0, 300, 1366, 768)])
    assert grey_share(broken) > 0.5
    with pytest.raises(AssertionError, match="grey failure box"):
        assert_no_grey_box(broken, "report editor")


def test_a_thin_grey_divider_is_not_taken_for_a_failure() -> None:
    assert_no_grey_box(_png((1366, 768), [(0, 400, 1366, 401)]), "a divider")


@pytest.mark.ui
@pytest.mark.timeout(60)
def test_an_error_on_the_page_console_fails_the_gate(chromium_browser: Browser) -> None:
    with browse(chromium_browser) as browsing:
        page = browsing.new_page()
        page.set_content("<script>console.error('Another exception was thrown: x')</script>")
        page.wait_for_timeout(300)
        with pytest.raises(AssertionError, match="Another exception was thrown"):
            assert_console_clean(browsing, "probe")
