"""Vietnamese messages of exchanging data on screen: key requests, certificates, e-mail
addresses, folders and removable drives, import results by unit (NFC, full diacritics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cchc.texts.errors import register

if TYPE_CHECKING:
    from cchc.services.import_summary import ImportSummary

MESSAGES = {
    "key_request_bad": "Tệp “{value}” không phải tệp yêu cầu chứng nhận hợp lệ của một máy; "
    "hãy xin lại tệp từ máy đó.",
    "folder_missing_on_disk": "Không có thư mục “{value}”. Hãy cắm ổ USB hoặc chọn thư mục khác.",
    "certify_unit_missing": "Hãy chọn đơn vị mà máy này được chứng nhận.",
    "email_invalid": "Địa chỉ thư “{value}” không đúng dạng; ví dụ đúng: vanthu@baclongvi.gov.vn.",
}
register(MESSAGES)

#: How many of each kind came in, as officers count them.
KIND_WORDS = {
    "reports": "{n} báo cáo",
    "task_updates": "{n} nhiệm vụ được cập nhật",
    "documents": "{n} văn bản",
    "budgets": "{n} dòng kinh phí",
    "amendments": "{n} đề xuất điều chỉnh",
}
SUMMARY = {
    "headline": "Đã xem {files} tệp.",
    "nothing_new": "Không có gì mới: các gói này đã được nhập trước đây.",
    "from_unit": "Từ {name}: {what}.",
    "nothing_from_unit": "Từ {name}: không có gì mới.",
    "refused_row": "Bị từ chối ({name}): {reason}",
    "file_refused": "Tệp {file} bị từ chối: {reason}",
    "already": "{n} tệp đã nhập từ trước.",
    "waiting": "{n} gói còn chờ các phần chưa tới.",
    "conflicts": "{n} xung đột cần xem ở mục Xung đột.",
}


def arrivals_text(counts: dict[str, int]) -> str:
    """“1 báo cáo, 3 nhiệm vụ được cập nhật, 2 văn bản”, in the order officers read them."""
    return ", ".join(
        words.format(n=counts[kind]) for kind, words in KIND_WORDS.items() if counts.get(kind)
    )


def summary_lines(summary: ImportSummary) -> list[str]:
    """The import summary in words, one line each: the same on the screen and the command line."""
    lines = [SUMMARY["headline"].format(files=summary.files_seen)]
    if summary.nothing_new:
        lines.append(SUMMARY["nothing_new"])
    for unit in summary.units:
        what = arrivals_text(unit.counts)
        if what:
            lines.append(SUMMARY["from_unit"].format(name=unit.name, what=what))
        elif not unit.refused:
            lines.append(SUMMARY["nothing_from_unit"].format(name=unit.name))
        lines += [SUMMARY["refused_row"].format(name=unit.name, reason=r) for r in unit.refused]
    lines += [SUMMARY["file_refused"].format(file=f, reason=r) for f, r in summary.files_refused]
    for key, n in (
        ("already", summary.files_already_imported if not summary.nothing_new else 0),
        ("waiting", summary.parts_waiting),
        ("conflicts", summary.conflicts),
    ):
        if n:
            lines.append(SUMMARY[key].format(n=n))
    return lines
