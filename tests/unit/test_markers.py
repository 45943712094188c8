"""The fast loop (`pytest -m "not slow and not ui"`, README "Run the tests") stays fast because the
tests that cost the most say so with a marker; these tests hold that rule for every test pytest
collects, so a new property test, long-running test or browser test cannot land in the fast loop
silently. CI runs plain `pytest`, which still runs them all.

The rule, read from what each test declares rather than from a list of names:
- a browser test (one that uses, directly or through another fixture, the `page`, `browsing`,
  `server` or `chromium_browser` fixtures of tests/ui/conftest.py) is `ui`; the harness's own
  tests in tests/ui/test_harness.py run no browser and stay in the fast loop;
- a hypothesis test that turns its deadline off (each example may take longer than hypothesis'
  200 ms default: it builds databases, networks of laptops, bundles) or asks for more examples than
  hypothesis' default of 100 is `slow`;
- a test that gives itself a timeout above a minute is `slow` (or `ui`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cchc_env

DEFAULT_MAX_EXAMPLES = 100
LONG_TIMEOUT_S = 60
BROWSER_FIXTURES = {"page", "browsing", "server", "chromium_browser"}

# Collects the whole suite in a child pytest (the way `pytest` itself would see it, markers of the
# module, class and function together) and writes, for each test, what it declares.
_COLLECT = r"""
import json, sys
import pytest

class Dump:
    def __init__(self):
        self.items = []

    def pytest_collection_finish(self, session):
        for item in session.items:
            fn = getattr(item, "obj", None)
            inner = getattr(fn, "hypothesis", None)
            settings = getattr(fn, "_hypothesis_internal_use_settings", None)
            if settings is None and inner is not None:
                settings = getattr(inner.inner_test, "_hypothesis_internal_use_settings", None)
            hyp = None
            if getattr(fn, "is_hypothesis_test", False):
                hyp = {
                    "max_examples": settings.max_examples,
                    "deadline_off": settings.deadline is None,
                }
            timeout = item.get_closest_marker("timeout")
            self.items.append({
                "nodeid": item.nodeid,
                "path": str(item.path),
                "markers": sorted({m.name for m in item.iter_markers()}),
                "fixtures": sorted(getattr(item, "fixturenames", [])),
                "hypothesis": hyp,
                "timeout": float(timeout.args[0]) if timeout and timeout.args else None,
            })

dump = Dump()
code = pytest.main(
    ["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[2:]], plugins=[dump]
)
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(dump.items, out)
sys.exit(int(code))
"""


def collect(paths: list[str], cwd: Path, out: Path) -> list[dict]:
    """What each test pytest collects under `paths` declares, as a developer's run sees it: without
    CI set (hypothesis' own "ci" profile turns every deadline off, which would hide the signal)."""
    proc = subprocess.run(
        [sys.executable, "-c", _COLLECT, str(out), *paths],
        cwd=cwd,
        env={k: v for k, v in cchc_env().items() if k != "CI"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    items: list[dict] = json.loads(out.read_text(encoding="utf-8"))
    return items


def unmarked_browser_tests(items: list[dict]) -> list[str]:
    return [
        i["nodeid"]
        for i in items
        if BROWSER_FIXTURES & set(i["fixtures"]) and "ui" not in i["markers"]
    ]


def unmarked_property_tests(items: list[dict]) -> list[str]:
    return [
        f"{i['nodeid']} (max_examples={i['hypothesis']['max_examples']}, "
        f"deadline {'off' if i['hypothesis']['deadline_off'] else 'on'})"
        for i in items
        if i["hypothesis"]
        and (
            i["hypothesis"]["deadline_off"]
            or i["hypothesis"]["max_examples"] > DEFAULT_MAX_EXAMPLES
        )
        and "slow" not in i["markers"]
    ]


def unmarked_long_tests(items: list[dict]) -> list[str]:
    return [
        f"{i['nodeid']} (timeout {i['timeout']:g} s)"
        for i in items
        if i["timeout"] is not None
        and i["timeout"] > LONG_TIMEOUT_S
        and not {"slow", "ui"} & set(i["markers"])
    ]


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("collect") / "items.json"
    return collect(["tests", "sync/tests"], ROOT, out)


def test_the_whole_suite_is_collected_including_property_and_browser_tests(
    collected: list[dict],
) -> None:
    assert len(collected) > 300
    assert sum(1 for i in collected if i["hypothesis"]) >= 10
    assert sum(1 for i in collected if BROWSER_FIXTURES & set(i["fixtures"])) >= 10
    assert any(i["nodeid"].startswith("sync/tests/") for i in collected)


def test_every_browser_test_is_marked_ui(collected: list[dict]) -> None:
    unmarked = unmarked_browser_tests(collected)
    assert not unmarked, "browser tests without @pytest.mark.ui:\n" + "\n".join(unmarked)


def test_every_costly_property_test_is_marked_slow(collected: list[dict]) -> None:
    unmarked = unmarked_property_tests(collected)
    assert not unmarked, "property tests without @pytest.mark.slow:\n" + "\n".join(unmarked)


def test_every_test_that_allows_itself_over_a_minute_is_marked_slow_or_ui(
    collected: list[dict],
) -> None:
    unmarked = unmarked_long_tests(collected)
    assert not unmarked, "long tests without @pytest.mark.slow:\n" + "\n".join(unmarked)


_PLANTED = """
import pytest
from hypothesis import given, settings, strategies as st

@settings(deadline=None, max_examples=5)
@given(st.integers())
def test_costly_property_without_marker(n):
    assert n == n

@settings(max_examples=500)
@given(st.integers())
def test_many_examples_without_marker(n):
    assert n == n

@pytest.mark.slow
@settings(deadline=None)
@given(st.integers())
def test_costly_property_marked(n):
    assert n == n

@given(st.integers())
def test_cheap_property(n):
    assert n == n

@pytest.mark.timeout(600)
def test_soak_without_marker():
    pass

@pytest.mark.timeout(30)
def test_short_timeout():
    pass

def test_browser_without_marker(page):
    pass
"""


def test_the_rule_catches_a_new_unmarked_slow_or_browser_test(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n@pytest.fixture\ndef page():\n    return None\n", encoding="utf-8"
    )
    (tmp_path / "test_planted.py").write_text(_PLANTED, encoding="utf-8")
    items = collect(["test_planted.py"], tmp_path, tmp_path / "items.json")

    def names(found: list[str]) -> set[str]:
        return {f.split("::")[1].split(" ")[0] for f in found}

    assert names(unmarked_property_tests(items)) == {
        "test_costly_property_without_marker",
        "test_many_examples_without_marker",
    }
    assert names(unmarked_long_tests(items)) == {"test_soak_without_marker"}
    assert names(unmarked_browser_tests(items)) == {"test_browser_without_marker"}
