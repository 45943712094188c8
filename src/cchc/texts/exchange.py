"""Vietnamese messages of exchanging data on screen: key requests, certificates, e-mail
addresses, folders and removable drives, import results by unit (NFC, full diacritics)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc.services.import_summary import ImportSummary

MESSAGES = {
    "key_request_bad": "Tệp “{value}” không phải tệp yêu cầu chứng nhận hợp lệ của một máy; "
    "hãy xin lại tệp từ máy đó.",
    "folder_missing_on_disk": "Không có thư mục “{value}”. Hãy cắm ổ USB hoặc chọn thư mục khác.",
    "certify_unit_missing": "Hãy chọn đơn vị mà máy này được chứng nhận.",
    "site_taken": "Không cấp chứng nhận: mã máy {site_id} đã thuộc về một máy khác đang được chứng "
    "nhận (mã nhận dạng khóa {fingerprint}, đơn vị: {units}). Tệp yêu cầu này có thể là giả. Nếu "
    "đúng là máy đó vừa đổi khóa, Thành phố cấp lại theo cách đổi khóa: khóa cũ sẽ bị thu hồi.",
    "certify_role_missing": "Hãy chọn vai trò cho máy này: đơn vị “{unit}” trong tệp yêu cầu "
    "không phải một đơn vị có máy riêng của đặc khu, nên ứng dụng không tự đề xuất vai trò.",
    "send_nowhere": "Chưa có nơi gửi: hãy cắm ổ USB hoặc chọn thư mục, hoặc kiểm tra kết nối "
    "tới máy chủ của Thành phố.",
    "folder_too_many": "Thư mục này có quá nhiều mục: chỉ xem {limit} mục đầu tiên, sâu tới "
    "{depth} cấp thư mục. Hãy chọn đúng thư mục chứa các gói cần nhập.",
    "revoke_not_city": "Chỉ máy của Thành phố (giữ khóa gốc) mới thu hồi được một máy.",
    "revoke_unknown": "Không có máy “{value}” đang được chứng nhận để thu hồi.",
    "letter_size_small": "Giới hạn mỗi thư quá nhỏ ({value} byte): một thư cần ít nhất "
    "{limit} byte.",
    "export_nobody_to_seal": "Không ghi gói: máy này chưa chứng nhận máy nào khác nên chưa có "
    "nơi nhận để mã hóa gói. Hãy chứng nhận máy nhận trước; chỉ khi thật sự cần mới ghi gói "
    "không mã hóa (ai cầm được tệp cũng đọc được).",
    "export_reader_unknown": "Không ghi gói: máy này chưa biết khóa của máy nhận “{value}” nên "
    "không mã hóa được cho máy đó. Hãy nhập một gói từ máy đó (hoặc tệp tin cậy mới của Thành "
    "phố) trước; chỉ khi thật sự cần mới ghi gói không mã hóa (ai cầm được tệp cũng đọc được).",
    "email_invalid": "Địa chỉ thư “{value}” không đúng dạng: cần một tên, dấu @ rồi tên miền của "
    "nơi nhận, viết liền không có dấu cách.",
}

#: How many of each kind came in, as officers count them.
KIND_WORDS = {
    "new_tasks": "{n} nhiệm vụ mới được giao",
    "reports": "{n} báo cáo",
    "task_updates": "{n} nhiệm vụ được cập nhật",
    "documents": "{n} văn bản",
    "budgets": "{n} dòng kinh phí",
    "amendments": "{n} đề xuất điều chỉnh",
    "certificates": "{n} chứng nhận máy",
    "revocations": "{n} thu hồi chứng nhận máy",
}
SUMMARY = {
    "headline": "Đã xem {files} tệp.",
    "nothing_new": "Không có gì mới: các gói này đã được nhập trước đây.",
    "from_unit": "Từ {name}: {what}.",
    "nothing_from_unit": "Từ {name}: không có gì mới.",
    "refused_row": "Bị từ chối ({name}): {reason}",
    "taken_back": "Đã gỡ khỏi máy này {n} thay đổi của {name}: Thành phố đã thu hồi máy đó, và các "
    "thay đổi này được gửi sau thời điểm thu hồi. Dữ liệu trở lại như trên máy của Thành phố.",
    "file_refused": "Tệp {file} bị từ chối: {reason}",
    "already": "{n} tệp đã nhập từ trước.",
    "waiting": "{n} gói khác nhận từ trước còn chờ các phần chưa tới.",
    "parts_whole": "Gói {name}: đã đủ {count}/{count} phần.",
    "parts_some": "Gói {name}: đã có {have}/{count} phần, còn chờ các phần chưa tới.",
    "conflicts": "{n} xung đột cần xem ở mục Xung đột.",
}


def arrivals_text(counts: dict[str, int]) -> str:
    """“1 báo cáo, 3 nhiệm vụ được cập nhật, 2 văn bản”, in the order officers read them."""
    return ", ".join(
        words.format(n=counts[kind]) for kind, words in KIND_WORDS.items() if counts.get(kind)
    )


def summary_rows(summary: ImportSummary) -> list[tuple[str, bool]]:
    """The import summary in words, one line each with whether it tells of a refusal."""
    rows = [(SUMMARY["headline"].format(files=summary.files_seen), False)]
    if summary.nothing_new:
        rows.append((SUMMARY["nothing_new"], False))
    for unit in summary.units:
        what = arrivals_text(unit.counts)
        if what:
            rows.append((SUMMARY["from_unit"].format(name=unit.name, what=what), False))
        elif not unit.refused and not unit.taken_back:
            rows.append((SUMMARY["nothing_from_unit"].format(name=unit.name), False))
        if unit.taken_back:
            rows.append((SUMMARY["taken_back"].format(n=unit.taken_back, name=unit.name), True))
        rows += [
            (SUMMARY["refused_row"].format(name=unit.name, reason=r), True) for r in unit.refused
        ]
    rows += [
        (SUMMARY["file_refused"].format(file=f, reason=r), True) for f, r in summary.files_refused
    ]
    rows += [(note, True) for note in summary.notes]
    for name, have, count in summary.bundles_in_parts:
        key = "parts_whole" if have >= count else "parts_some"
        rows.append((SUMMARY[key].format(name=name, have=have, count=count), False))
    for key, n in (
        ("already", summary.files_already_imported if not summary.nothing_new else 0),
        ("waiting", summary.parts_waiting),
        ("conflicts", summary.conflicts),
    ):
        if n:
            rows.append((SUMMARY[key].format(n=n), False))
    return rows


def summary_lines(summary: ImportSummary) -> list[str]:
    """The import summary in words: the same on the screen and the command line."""
    return [text for text, _ in summary_rows(summary)]


QUEUE = {
    "waiting": "Chưa gửi: {what}.",
    "empty": "Không có gì chờ gửi.",
    "sent_push": "Đã gửi lên máy chủ của Thành phố.",
    "sent_folder": "Đã ghi gói vào {where}. Hãy mang ổ USB hoặc tệp này tới nơi nhận.",
}


def queue_text(counts: dict[str, int]) -> str:
    """“Chưa gửi: 1 báo cáo, 2 văn bản.”, or that nothing waits."""
    what = arrivals_text(counts)
    return QUEUE["waiting"].format(what=what) if what else QUEUE["empty"]


def size_text(n: int) -> str:
    """A file's size as officers read it (1 MB = 1.000.000 byte, as mail servers count):
    "8,95 MB", "120 KB", "900 byte"."""
    if n >= 1_000_000:
        hundredths = n // 10_000  # cut, never rounded up past a limit
        return f"{hundredths // 100},{hundredths % 100:02d} MB"
    if n >= 1000:
        return f"{n // 1000} KB"
    return f"{n} byte"
