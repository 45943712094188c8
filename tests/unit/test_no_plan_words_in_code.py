"""Nothing about a particular zone or year lives in code or in the text catalog (issue 21): the
words of every plan file the project ships (its decision's number, the zone's name, body and
place, the signer, the recipients, the units' report suffixes) and any year are read from the
plan data, never written in `src/cchc`.

The check reads every string and number the code holds (docstrings aside: they explain where a
rule comes from, often by quoting the 2026 decision) and lists each offending literal with its
file and line. The allow-list is for what is generic on purpose, each entry with its reason."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "src" / "cchc"
PLAN_FILES = (
    ROOT / "db" / "seeds" / "qd-07-2026.toml",
    *sorted((ROOT / "tests" / "plans").glob("*.toml")),
)

# A year written out: 2010–2098 (2000 and 2099/2100 are the bounds of a plausible year).
YEAR = re.compile(r"(?<![\d,.])20(?:1\d|[2-8]\d|9[0-8])(?!\d)")
# A national legal document cites its own year ("Nghị định số 09/2019/NĐ-CP"): not plan data.
LEGAL_CITATION = re.compile(r"\d+/20\d\d/[A-ZĐ]")

# (file under src/cchc, words in the literal, why they are generic)
ALLOWED: tuple[tuple[str, str, str], ...] = (
    ("store/seed_file.py", "db/seeds/qd-07-2026.toml", "the file name of the plan shipped"),
    ("texts/general.py", "ví dụ 05/01/2026", "an example of the date format"),
    ("texts/ui_reports.py", "ví dụ 2026", "an example of the year format (four digits)"),
    ("texts/plan_file.py", "2027-01-07", "an example of a TOML date in the plan file's check"),
    ("texts/plan_file.py", "Trước ngày 15/01/2027", "examples of time frames the check reads"),
)


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                out.add(id(first.value))
    return out


def _literals() -> list[tuple[str, int, str | int]]:
    """Every string and integer constant of the code, outside docstrings."""
    out: list[tuple[str, int, str | int]] = []
    for path in sorted(CODE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        where = path.relative_to(CODE).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in skip:
                value = node.value
                if isinstance(value, str) or (
                    isinstance(value, int) and not isinstance(value, bool)
                ):
                    out.append((where, node.lineno, value))
    return out


def _allowed(where: str, text: str) -> bool:
    return any(where == file and words in text for file, words, _ in ALLOWED)


def _plan_words() -> set[str]:
    """What each shipped plan file says about its own zone and decision."""
    words: set[str] = set()
    for path in PLAN_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        plan, zone = data["plan"], data["zone"]
        words |= {plan["number"], plan["signer_name"], plan["place"], plan["title"]}
        words |= {zone["name"], zone["body"]}
        words |= {line for line in zone["recipients"] if not line.startswith("Sở Nội vụ")}
        words |= {u["doc_suffix"] for u in data["units"] if u.get("doc_suffix")}
    return words


def test_the_plan_files_give_words_to_look_for():
    words = _plan_words()
    assert {"07/QĐ-UBND", "Bạch Long Vĩ", "15/QĐ-UBND", "Đông Hà", "BC-VHXH"} <= words


def test_no_word_of_a_shipped_plan_is_written_in_the_code():
    words = _plan_words()
    found = [
        f"{where}:{line}: {word!r} in {text!r}"
        for where, line, text in _literals()
        if isinstance(text, str)
        for word in sorted(words)
        if word in text and not _allowed(where, text)
    ]
    assert found == []


def test_no_zone_name_in_capitals_either():
    found = [
        f"{where}:{line}: {text!r}"
        for where, line, text in _literals()
        if isinstance(text, str) and re.search(r"bạch\s+long\s+vĩ", text, re.IGNORECASE)
    ]
    assert found == []


def test_no_year_is_written_in_the_code():
    found = []
    for where, line, value in _literals():
        if isinstance(value, int):
            if YEAR.fullmatch(str(value)):
                found.append(f"{where}:{line}: {value}")
            continue
        text = LEGAL_CITATION.sub("", value)
        if YEAR.search(text) and not _allowed(where, value):
            found.append(f"{where}:{line}: {value!r}")
    assert found == []


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Quyết định số 07/QĐ-UBND", True),
        ("Kế hoạch năm 2027", True),
        ("Nghị định số 09/2019/NĐ-CP", False),
        ("từ 0,02 đến 2000 MB", False),
        ("năm {year}", False),
    ],
)
def test_the_check_catches_a_year_or_a_decision_and_lets_the_generic_pass(text, caught):
    words = _plan_words()
    hit = bool(YEAR.search(LEGAL_CITATION.sub("", text))) or any(w in text for w in words)
    assert hit is caught
