"""What the command line adds to an error's sentence: the flag or value to type. Only the CLI
shows these (`cchc.cli.common.error_text`); the catalog's sentences (`cchc.texts.errors`) name
no flag, so a screen can show them as they are."""

from __future__ import annotations

import contextlib
from typing import Any

HINT_LINE = "Trên dòng lệnh: {hint}"

#: Error code -> the command-line way to give what is missing ({…} filled from the error).
CLI_HINTS: dict[str, str] = {
    "status_unknown": "--status not_started, in_progress hoặc done.",
    "full_progress_needs_done": "--status done.",
    "officer_missing": "--by “Họ và tên”, hoặc cchc settings --officer “Họ và tên”.",
    "profile_nothing": "--unit ĐƠN_VỊ hoặc --officer “Họ và tên”.",
    "due_or_timeframe": "--due ngày/tháng/năm hoặc --timeframe “như văn bản ghi”.",
    "origin_unknown": "--origin city (Thành phố giao) hoặc zone (đặc khu giao).",
    "attach_incomplete": "--attach TỆP --doc-type LOẠI --doc-number SỐ --doc-date NGÀY.",
    "sha256_invalid": "mã tệp như trong “cchc task show --json”.",
    "report_locked": "cchc report revise {ref}",
    "section_unknown": "--section I … VII, difficulties hoặc proposals.",
    "report_status_unknown": "not_started, in_progress hoặc done.",
    "nothing_to_set": "--field, --section, --status, --progress, --note, --number, --date hoặc "
    "--signer.",
    "budget_nothing": "--estimate, --approved, --spent hoặc --sent-on.",
    "amendment_action": "add, change hoặc drop.",
    "amendment_needs_task": "--task.",
    "amendment_add_fields": "--content, --area và --timeframe.",
    "amendment_change_fields": "--content, --lead, --timeframe hoặc --product.",
    "amendment_reason": "--reason.",
    "export_format": "tên tệp kết thúc bằng .csv hoặc .xlsx.",
    "budget_use_allocate": "cchc budget allocate … --decision-number … --decision-date …",
    "budget_check_note": "--note.",
    "no_root_installed": "cchc trust install TỆP --root-fingerprint MÃ.",
    "plain_http_refused": "--url https://… --hub-fingerprint MÃ.",
    "field_syntax": "--field TÊN=GIÁ_TRỊ, ví dụ --field received_direct=12.",
}


def cli_hint(code: str, params: dict[str, Any]) -> str | None:
    """The command-line line to add under an error's sentence, if its code has one."""
    hint = CLI_HINTS.get(code)
    if hint is None:
        return None
    with contextlib.suppress(KeyError, IndexError):
        hint = hint.format(**params)
    return HINT_LINE.format(hint=hint)
