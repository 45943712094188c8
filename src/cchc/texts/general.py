"""The messages every area shares (a value, a date, a file, the disk, the database) and the
Vietnamese names of the fields and operating-system causes they quote. Pure data: the one table
is assembled by `cchc.texts.catalog`."""

from __future__ import annotations

import errno as errno_codes

from cchc.domain.fields import Field

MESSAGES: dict[str, str] = {
    "error": "Không thực hiện được yêu cầu.",
    "invalid_input": "Giá trị không hợp lệ: {value}.",
    "not_found": "Không tìm thấy: {value}.",
    "conflict": "Yêu cầu mâu thuẫn với dữ liệu hiện có.",
    "seed_invalid": "Tệp dữ liệu kế hoạch không hợp lệ tại mục “{where}”: {problem}",
    "bad_date": "{field}: “{value}” không phải một ngày. Hãy nhập theo dạng ngày/tháng/năm, "
    "ví dụ 05/01/2026.",
    "date_not_on_calendar": "{field}: ngày “{value}” không có trên lịch, vì tháng {month}/{year} "
    "chỉ có {days} ngày.",
    "month_not_on_calendar": "{field}: “{value}” không có trên lịch, vì tháng phải từ 1 đến 12 "
    "(đã nhập tháng {month}).",
    "task_unknown": "Không có nhiệm vụ “{value}”. Hãy dùng số thứ tự 1–26 của Phụ lục hoặc mã "
    "nhiệm vụ.",
    "task_ambiguous": "Mã “{value}” trùng với nhiều nhiệm vụ; hãy nhập thêm ký tự.",
    "unit_unknown": "Không có đơn vị “{value}” trong kế hoạch.",
    "status_unknown": "Trạng thái “{value}” không hợp lệ; chọn “chưa bắt đầu”, “đang thực hiện” "
    "hoặc “đã hoàn thành”.",
    "state_unknown": "Tình trạng “{value}” không hợp lệ.",
    "days_negative": "Số ngày phải từ 0 trở lên (đã nhập {value}).",
    "progress_range": "Tiến độ phải từ 0 đến 100% (đã nhập {value}).",
    "done_needs_full_progress": "Nhiệm vụ đã hoàn thành thì tiến độ phải là 100% (đã nhập {value}).",
    "full_progress_needs_done": "Tiến độ 100% nghĩa là đã hoàn thành: hãy chọn trạng thái "
    "“đã hoàn thành”.",
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
    "officer_missing": "Hãy cho biết tên cán bộ cập nhật, hoặc đặt tên cán bộ của máy này "
    "trong Cài đặt.",
    "profile_nothing": "Hãy cho biết đơn vị của máy này hoặc tên cán bộ.",
    "doc_type_missing": "Hãy cho biết loại văn bản (Kế hoạch, Báo cáo, Quyết định…).",
    "doc_number_bad": "Số văn bản “{value}” không đúng dạng, ví dụ 12/KH-UBND.",
    "doc_date_future": "Ngày văn bản {value} chưa tới.",
    "file_missing": "Không tìm thấy tệp “{value}”.",
    "file_unwritable": "Không ghi được tệp “{value}”: {cause}.",
    "content_missing": "Hãy nhập nội dung nhiệm vụ.",
    "due_or_timeframe": "Hãy cho một trong hai: hạn hoàn thành, hoặc thời gian thực hiện như "
    "văn bản ghi.",
    "issuer_missing": "Hãy cho biết cơ quan ban hành văn bản giao nhiệm vụ.",
    "origin_unknown": "Nguồn giao nhiệm vụ “{value}” không hợp lệ; chọn Thành phố hoặc đặc khu.",
    "attach_incomplete": "Đính kèm văn bản cần đủ: tệp, loại văn bản, số văn bản và ngày văn bản.",
    "sha256_invalid": "Mã tệp “{value}” không hợp lệ: cần đúng 64 chữ số hệ mười sáu (từ 0 đến 9 và từ A đến F).",
    "attachment_missing": "Chưa có tệp văn bản {value} trên máy này: tệp sẽ tới cùng gói đồng bộ "
    "của máy đã đính kèm.",
    "db_locked": "Cơ sở dữ liệu đang bận; hãy thử lại sau ít phút.",
    "disk_full": "Ổ đĩa đã đầy; không có gì được ghi. Hãy giải phóng dung lượng rồi thử lại.",
    "db_unreadable": "Không mở được cơ sở dữ liệu “{value}”: tệp bị hỏng hoặc không phải cơ sở dữ "
    "liệu của ứng dụng. Không có gì bị thay đổi.",
    "db_damaged": "Cơ sở dữ liệu bị hỏng hoặc không phải của ứng dụng. Không có gì bị thay đổi.",
    "file_error": "Không đọc hoặc ghi được tệp “{value}”: {cause}.",
    "system_error": "Máy tính không làm được việc này: {cause}.",
    "link_down": "Không kết nối được tới máy chủ đồng bộ: đường truyền đang mất hoặc máy chủ "
    "chưa chạy. Hãy thử lại sau, hoặc gửi bằng USB hay thư điện tử.",
    "value_unusable": "Một giá trị đã nhập quá lớn hoặc không đúng dạng nên không dùng được. "
    "Không có gì bị thay đổi; hãy kiểm tra lại các số và ngày trong lệnh.",
    "unexpected": "Có lỗi ngoài dự kiến nên việc này chưa làm được. Không có gì bị thay đổi. "
    "Hãy thử lại; nếu vẫn lỗi, báo cho cán bộ phụ trách kỹ thuật.",
}

#: The Vietnamese label of every field a service names in an error (`cchc.domain.fields`).
FIELD_LABELS: dict[str, str] = {
    Field.DATE: "Ngày",
    Field.DONE_ON: "Ngày hoàn thành",
    Field.DUE: "Hạn hoàn thành",
    Field.DOC_DATE: "Ngày văn bản",
    Field.SOURCE_DATE: "Ngày văn bản giao nhiệm vụ",
    Field.SENT_ON: "Ngày gửi dự toán",
    Field.APPROVED_ON: "Ngày duyệt kinh phí",
    Field.REPORT_DATE: "Ngày báo cáo",
    Field.DECISION_DATE: "Ngày quyết định",
    Field.APPRAISED_ON: "Ngày thẩm định",
    Field.SUBMITTED_ON: "Ngày trình",
    Field.CHECKED_ON: "Ngày kiểm tra",
}

#: Why the operating system refused a file, by errno; anything else is `OS_OTHER`.
OS_CAUSES: dict[int, str] = {
    errno_codes.ENOENT: "không có tệp hoặc thư mục này",
    errno_codes.EACCES: "không có quyền truy cập",
    errno_codes.EPERM: "không có quyền truy cập",
    errno_codes.ENOSPC: "ổ đĩa đã đầy",
    errno_codes.EROFS: "ổ đĩa chỉ cho đọc (có thể USB đang khóa ghi)",
    errno_codes.EISDIR: "đây là một thư mục, không phải tệp",
    errno_codes.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno_codes.EEXIST: "tệp đã có",
    errno_codes.ENAMETOOLONG: "tên tệp quá dài",
    errno_codes.EIO: "ổ đĩa bị lỗi đọc ghi (có thể USB đã bị rút)",
}
OS_OTHER = "hệ điều hành từ chối thao tác này"
