"""Vietnamese messages for the app's errors (`cchc.domain.errors`), shown by the CLI and the UI."""

from __future__ import annotations

import unicodedata

from cchc.domain.errors import CchcError

MESSAGES: dict[str, str] = {
    "error": "Không thực hiện được yêu cầu.",
    "invalid_input": "Giá trị không hợp lệ: {value}.",
    "not_found": "Không tìm thấy: {value}.",
    "conflict": "Yêu cầu mâu thuẫn với dữ liệu hiện có.",
    "seed_invalid": "Tệp dữ liệu kế hoạch không hợp lệ tại {where}: {problem}",
    "bad_date": "Ngày không hợp lệ ở trường {field}: “{value}”. Hãy nhập theo dạng ngày/tháng/năm, "
    "ví dụ 05/01/2026.",
    "task_unknown": "Không có nhiệm vụ “{value}”. Hãy dùng số thứ tự 1–26 của Phụ lục hoặc mã "
    "nhiệm vụ.",
    "task_ambiguous": "Mã “{value}” trùng với nhiều nhiệm vụ; hãy nhập thêm ký tự.",
    "unit_unknown": "Không có đơn vị “{value}” trong kế hoạch.",
    "status_unknown": "Trạng thái “{value}” không hợp lệ; chọn not_started (chưa bắt đầu), "
    "in_progress (đang thực hiện) hoặc done (đã hoàn thành).",
    "state_unknown": "Tình trạng “{value}” không hợp lệ.",
    "days_negative": "Số ngày phải từ 0 trở lên (đã nhập {value}).",
    "progress_range": "Tiến độ phải từ 0 đến 100% (đã nhập {value}).",
    "done_needs_full_progress": "Nhiệm vụ đã hoàn thành thì tiến độ phải là 100% (đã nhập {value}).",
    "full_progress_needs_done": "Tiến độ 100% nghĩa là đã hoàn thành: hãy chọn trạng thái "
    "“đã hoàn thành” (--status done).",
    "done_in_future": "Ngày hoàn thành {value} chưa tới.",
    "done_on_required": "Hãy nhập ngày hoàn thành (ngày/tháng/năm) khi đánh dấu đã hoàn thành.",
    "note_too_long": "Ghi chú dài {value} ký tự, quá giới hạn {limit} ký tự; hãy rút gọn.",
    "done_on_needs_done": "Chỉ ghi ngày hoàn thành ({value}) khi nhiệm vụ đã hoàn thành.",
    "due_fixed_by_plan": "Thời hạn của nhiệm vụ này do kế hoạch quy định, không sửa được ở đây "
    "({value}).",
    "nothing_to_update": "Không có gì thay đổi cho nhiệm vụ {value}.",
    "task_not_led": "Máy này thuộc {unit}: nhiệm vụ {value} do đơn vị khác chủ trì ({lead}), nên "
    "không cập nhật được từ máy này; các máy khác cũng sẽ từ chối thay đổi đó khi đồng bộ.",
    "change_refused": "Không ghi thay đổi này: các máy khác và Thành phố sẽ từ chối nó khi đồng "
    "bộ, vì {reason}. Không có gì được lưu.",
    "task_add_not_led": "Máy này thuộc {unit}: chỉ thêm được nhiệm vụ do {unit} chủ trì, không "
    "thêm thay {lead} được; hãy báo {lead} nhập từ máy của đơn vị đó.",
    "task_partner_notes_only": "Máy này thuộc {unit}, đơn vị phối hợp của nhiệm vụ {value}: chỉ "
    "ghi được ghi chú và văn bản; trạng thái và tiến độ do đơn vị chủ trì ({lead}) cập nhật.",
    "officer_missing": "Hãy cho biết tên cán bộ cập nhật (--by), hoặc đặt tên cán bộ của máy này "
    "trong Cài đặt.",
    "doc_type_missing": "Hãy cho biết loại văn bản (Kế hoạch, Báo cáo, Quyết định…).",
    "doc_number_bad": "Số văn bản “{value}” không đúng dạng, ví dụ 12/KH-UBND.",
    "doc_date_future": "Ngày văn bản {value} chưa tới.",
    "file_missing": "Không tìm thấy tệp “{value}”.",
    "file_unwritable": "Không ghi được tệp “{value}”: {reason}.",
    "content_missing": "Hãy nhập nội dung nhiệm vụ.",
    "due_or_timeframe": "Hãy cho một trong hai: hạn hoàn thành (--due) hoặc thời gian thực hiện "
    "như văn bản ghi (--timeframe).",
    "issuer_missing": "Hãy cho biết cơ quan ban hành văn bản giao nhiệm vụ.",
    "origin_unknown": "Nguồn giao nhiệm vụ “{value}” không hợp lệ; chọn city hoặc zone.",
    "attach_incomplete": "Đính kèm văn bản cần đủ: tệp (--attach), loại (--doc-type), số "
    "(--doc-number) và ngày (--doc-date).",
    "sha256_invalid": "Mã tệp “{value}” không hợp lệ: cần đúng 64 chữ số hệ mười sáu (0–9, a–f), "
    "như trong “cchc task show --json”.",
    "attachment_missing": "Chưa có tệp văn bản {value} trên máy này: tệp sẽ tới cùng gói đồng bộ "
    "của máy đã đính kèm.",
    "db_locked": "Cơ sở dữ liệu đang bận; hãy thử lại sau ít phút.",
    "disk_full": "Ổ đĩa đã đầy; không có gì được ghi. Hãy giải phóng dung lượng rồi thử lại.",
    "db_unreadable": "Không mở được cơ sở dữ liệu “{value}”: {reason}.",
}


def message(err: CchcError) -> str:
    """The Vietnamese text for an error, with its parameters filled in."""
    template = MESSAGES.get(err.key) or MESSAGES.get(type(err).key) or MESSAGES["error"]
    try:
        text = template.format(**err.params)
    except (KeyError, IndexError):
        text = template
    return unicodedata.normalize("NFC", text)


def register(messages: dict[str, str]) -> None:
    """Let another area's text module add its error messages to the one table."""
    clash = set(messages) & set(MESSAGES)
    if clash:
        raise ValueError(f"error keys defined twice: {sorted(clash)}")
    MESSAGES.update(messages)
