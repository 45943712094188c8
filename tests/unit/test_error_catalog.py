"""One voice: every error code the app can show has a Vietnamese text that an officer reads
without a technical person beside them (no identifier, no command-line flag, no English word),
and the text a user sees for a real error names the field in Vietnamese."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import cchc.texts.reports
from cchc.domain.dates import parse_vn_date
from cchc.domain.errors import CchcError, Conflict, InvalidInput
from cchc.domain.fields import Field
from cchc.texts import catalog as whole
from cchc.texts import errors as catalog
from cchc.texts import sync as sync_texts
from sync.errors import Malformed, SyncError

SRC = Path(__file__).resolve().parents[2] / "src" / "cchc"

#: Words written in Latin letters that a Vietnamese message may contain: loanwords officers use.
LOANWORDS = {"byte", "email", "hub", "index"}  # "PAR Index" is the index's official name
#: English words that also spell a Vietnamese syllable, so the syllable test alone lets them by.
ENGLISH_SYLLABLES = {"the", "not", "and", "no", "on", "at", "by", "or"}

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
_RHYME = r"[aeiouy]{1,3}(?:ch|ng|nh|c|m|n|p|t)?"
_VIETNAMESE_SYLLABLE = re.compile(rf"^{_ONSET}{_RHYME}$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_FLAG = re.compile(r"(?<![\w-])--?[A-Za-z]")
_IDENTIFIER = re.compile(r"\b[A-Za-z]+_[A-Za-z_]+\b|\b[a-z]+[A-Z]\w*\b")
_COMMAND = re.compile(r"\bcchc\s+[a-z]")
_WORD = re.compile(r"[^\W\d_]+")


def problems_in(text: str) -> list[str]:
    """What in `text` an officer could not read: flags, identifiers, commands, English words."""
    body = _PLACEHOLDER.sub(" ", text)
    found = [f"flag {m.group()!r}" for m in _FLAG.finditer(body)]
    found += [f"identifier {m.group()!r}" for m in _IDENTIFIER.finditer(body)]
    found += [f"command {m.group()!r}" for m in _COMMAND.finditer(body)]
    for word in _WORD.findall(body):
        if not word.isascii() or word.isupper() or word.lower() in LOANWORDS:
            continue  # Vietnamese with diacritics, or an acronym (UBND, PDF, USB, KH)
        if word.lower() in ENGLISH_SYLLABLES or not _VIETNAMESE_SYLLABLE.match(word):
            found.append(f"word {word!r}")
    return found


def every_error_text() -> dict[str, str]:
    texts = {f"error:{k}": v for k, v in catalog.MESSAGES.items()}
    texts |= {f"field:{k}": v for k, v in catalog.FIELD_LABELS.items()}
    texts |= {f"sync:{k}": v for k, v in sync_texts.ERRORS.items()}
    texts |= {f"transport:{k}": v for k, v in sync_texts.TRANSPORT.items()}
    return texts


def test_the_checker_catches_what_the_issue_saw():
    assert problems_in("Ngày không hợp lệ ở trường done_on")
    assert problems_in("Đề xuất phải nêu lý do (--reason).")
    assert problems_in("b'\\xdd' expected b'SYNCBNDL'")
    assert problems_in("file is not a database")
    assert problems_in("Có lỗi ngoài dự kiến: string index out of range")
    assert problems_in("hãy chạy “cchc trust install”")
    assert problems_in("dùng add, change hoặc drop")
    assert problems_in("Trả lại (returned) không được âm")
    assert not problems_in("Ngày hoàn thành “31/02/2026” không có trên lịch.")
    assert not problems_in("Số văn bản “{value}” không đúng dạng, ví dụ 12/KH-UBND.")


@pytest.mark.parametrize("code", sorted(every_error_text()))
def test_every_error_code_reads_as_plain_vietnamese(code: str):
    text = every_error_text()[code]
    assert unicodedata.normalize("NFC", text) == text
    assert problems_in(text) == []


def test_every_field_a_service_names_has_a_vietnamese_label():
    assert set(catalog.FIELD_LABELS) == {f.value for f in Field}


def _keys_raised_in_the_code() -> set[str]:
    raised = re.compile(
        r"(?:CchcError|InvalidInput|Conflict|NotFound|SeedInvalid|ChangeRefused|Problem)\(\s*"
        r'(?:key=)?"([a-z_0-9]+)"'
    )
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        keys |= set(raised.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_error_key_raised_in_the_code_has_a_message():
    keys = _keys_raised_in_the_code()
    assert len(keys) > 50
    assert sorted(k for k in keys if k not in catalog.MESSAGES) == []


#: Run in a fresh interpreter that imports nothing but the function the entry points call.
_FRESH = """
import json, sys
from cchc.domain.errors import InvalidInput
from cchc.texts.errors import describe
from cchc.texts import catalog
json.dump({
    "tables": {name: dict(t) for name, t in catalog.TABLES.items()},
    "labels": catalog.LABELS,
    "backup_onto_live": describe(InvalidInput("backup_onto_live", value="/tmp/x.db")),
    "figure": describe(InvalidInput("figure_negative", field="returned", value=-1)),
    "loaded": sorted(m for m in sys.modules if m.startswith("cchc.services")),
}, sys.stdout, ensure_ascii=False)
"""


def _fresh_catalog() -> dict[str, object]:
    root = SRC.parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], capture_output=True, text=True, env=env, check=True
    )
    found: dict[str, object] = json.loads(out.stdout)
    return found


def test_a_fresh_interpreter_holds_the_whole_table_whatever_was_imported_before():
    """The issue saw the generic "Giá trị không hợp lệ" for a backup refusal until two more
    modules were imported. The table is declared whole: a fresh interpreter that imports only
    `describe` already has every message and label, and it is the same table as this process
    (which has imported most of the app) holds, so nothing adds to it as a side effect."""
    fresh = _fresh_catalog()
    tables = fresh["tables"]
    assert isinstance(tables, dict)
    assert tables == {name: dict(t) for name, t in whole.TABLES.items()}
    assert fresh["labels"] == whole.LABELS
    assert str(fresh["backup_onto_live"]).startswith("Không thể sao lưu hay phục hồi đè lên")
    assert str(fresh["figure"]).startswith(cchc.texts.reports.FIGURE_LABELS["returned"])
    assert fresh["loaded"] == []  # the catalog stands without the services
    # every key the code raises is in the fresh table; every text there is plain Vietnamese, NFC
    assert sorted(_keys_raised_in_the_code() - set(tables["errors"])) == []
    for name, texts in tables.items():
        for key, text in texts.items():
            assert unicodedata.normalize("NFC", text) == text, (name, key)
            assert problems_in(text) == [], (name, key, text)


def test_no_text_module_adds_to_the_table_at_import():
    """Only `cchc.texts.catalog` names the areas' tables; no module registers more."""
    for path in (SRC / "texts").glob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*register(_labels)?\(", code, re.MULTILINE), path.name
    for path in SRC.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        assert "# noqa: F401  (registers" not in code, path


def test_a_bad_date_names_the_field_in_vietnamese_not_its_identifier():
    with pytest.raises(InvalidInput) as caught:
        parse_vn_date("5-1-2026", Field.DONE_ON)
    text = catalog.describe(caught.value)
    assert "Ngày hoàn thành" in text
    assert "done_on" not in text


def test_a_date_that_is_not_on_the_calendar_is_not_called_a_wrong_format():
    with pytest.raises(InvalidInput) as caught:
        parse_vn_date("31/02/2026", Field.DONE_ON)
    assert caught.value.key == "date_not_on_calendar"
    text = catalog.describe(caught.value)
    assert "31/02/2026" in text
    assert "28" in text  # February 2026 has 28 days
    assert "dạng" not in text


def test_an_engine_error_never_shows_the_bytes_it_read():
    err = Malformed("bad magic: b'\\xdd\\x01' expected b'SYNCBNDL'")
    text = catalog.describe(err)
    assert "SYNCBNDL" not in text and "expected" not in text
    assert problems_in(text) == []


def test_an_unreadable_database_is_not_described_in_sqlite_english():
    err = sqlite3.DatabaseError("file is not a database")
    text = catalog.describe(err)
    assert "file is not a database" not in text
    assert problems_in(text) == []
    wrapped = CchcError("db_unreadable", value="/tmp/x.db", reason="file is not a database")
    assert "file is not a database" not in catalog.describe(wrapped)


def test_an_unexpected_error_says_so_without_quoting_python():
    text = catalog.describe(IndexError("string index out of range"))
    assert "string index" not in text
    assert problems_in(text) == []


def test_a_link_down_is_known_by_the_error_type_not_by_its_words():
    from sync.transport import TransferAborted, TransportError

    assert catalog.is_link_down(ConnectionRefusedError(111, "Connection refused"))
    assert catalog.is_link_down(TransferAborted("gave up after 5 tries"))
    assert not catalog.is_link_down(TransportError("refused", remote_code="untrusted_key"))
    assert not catalog.is_link_down(SyncError("x"))


@pytest.mark.parametrize("figure", ["returned", "withdrawn", "pending_overdue"])
def test_a_figure_error_names_the_figure_in_vietnamese(figure: str):
    from cchc.domain.figures import FiguresInvalid, Problem

    err = FiguresInvalid([Problem(key="figure_negative", field=figure, params={"value": -1})])
    text = catalog.describe(err)
    assert figure not in text
    assert text.startswith(cchc.texts.reports.FIGURE_LABELS[figure])


@pytest.mark.parametrize("typed", ["5-1-2026", "31/02/2026", "05/13/2026"])
def test_the_task_form_puts_any_date_error_beside_its_date_field(typed: str):
    from cchc.ui.screens.task_forms import error_field

    with pytest.raises(InvalidInput) as caught:
        parse_vn_date(typed, Field.DONE_ON)
    assert error_field(caught.value) == "done_on"


def test_a_refused_row_is_explained_with_tables_and_columns_in_words(tmp_path: Path):
    from cchc.services.door import Door
    from cchc.services.sync_policy import TRACKED_TABLES

    with Door.open(tmp_path / "x.sqlite") as door:
        conn = door.workspace.db.conn
        columns = {
            t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in TRACKED_TABLES
        }
    for table, names in columns.items():
        for column in names:
            for key in sync_texts.POLICY:
                text = sync_texts.policy_reason(
                    key,
                    table=table,
                    row_id="12",
                    scope=["Phòng Văn hóa - Xã hội"],
                    column=column,
                    columns=", ".join(names[:3]),
                    unit="Công an đặc khu",
                    units="Công an đặc khu",
                    size=10,
                    cap=5,
                    old="đã gửi",
                    new="đã duyệt",
                    low=0,  # the value-domain refusals (issue 20): the range and the character
                    high=100,
                    char="U+202E",
                )
                assert problems_in(text) == [], (key, table, column, text)


def test_a_policy_refusal_travels_as_its_key_and_is_put_in_words_by_the_reader():
    """The policy hands the engine a key with parameters, never a sentence; the entry points'
    one door puts it in words, tables and columns by their Vietnamese names."""
    from cchc.domain import refusals

    reason = refusals.encode(
        "task_plan_fields", table="tasks", row_id="t1", scope=["Công an đặc khu"], columns="due"
    )
    assert refusals.decode(reason) == (
        "task_plan_fields",
        {"table": "tasks", "row_id": "t1", "scope": ["Công an đặc khu"], "columns": "due"},
    )
    words = sync_texts.rejection_reason("out_of_scope", reason)
    assert words == sync_texts.policy_reason(
        "task_plan_fields", table="tasks", row_id="t1", scope=["Công an đặc khu"], columns="due"
    )
    assert "due" not in words and problems_in(words) == []
    overruled = sync_texts.rejection_reason("overruled", reason)
    assert overruled.startswith("Đã gỡ thay đổi này") and words in overruled
    refused = CchcError("change_refused", reasons=[reason])
    assert words in catalog.describe(refused)
    # a reason that is no encoded refusal (an engine's own) is left as it is
    assert sync_texts.policy_text("signature does not verify") == "signature does not verify"


@pytest.mark.parametrize(
    ("key", "params"),
    [
        (
            "amendment_state",
            {"ref": "12345678", "status": "forwarded", "action": "amendment_decide"},
        ),
        (
            "amendment_state",
            {"ref": "12345678", "status": "approved", "action": "amendment_forward"},
        ),
        (
            "not_permitted",
            {"action": "budget_appraise", "role": "unit", "units": "Công an đặc khu"},
        ),
    ],
)
def test_a_code_a_service_passes_is_named_in_words_by_the_catalog(key: str, params: dict):
    """Services pass a procedure, a role or a status by its code; the issue's reading found
    "không thể decide" and "trạng thái “forwarded”" on screen. The catalog names them."""
    text = catalog.describe(Conflict(key, **params))
    assert problems_in(text) == [], text
    assert params["action"] not in text and params.get("status", params["action"]) not in text


def test_the_clis_json_answers_give_a_refused_rows_reason_in_words():
    from cchc.cli.sync_cmds import _reasons_in_words
    from cchc.domain import refusals

    reason = refusals.encode(
        "task_plan_fields", table="tasks", row_id="t1", scope=["Công an đặc khu"], columns="due"
    )
    answer = {"files": [{"rejections": [{"code": "out_of_scope", "reason": reason}]}]}
    (why,) = _reasons_in_words(answer)["files"][0]["rejections"]
    assert why["reason"] == sync_texts.rejection_reason("out_of_scope", reason)
    assert not why["reason"].startswith("policy:") and problems_in(why["reason"]) == []
