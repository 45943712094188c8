"""Texts of `cchc plan check`: one Vietnamese reason per kind of problem in a plan file."""

from __future__ import annotations

PLAN_CHECK_LINE = "Dòng {line} ({where}): {reason}"
PLAN_CHECK_LINE_FILE = "Dòng {line}: {reason}"
PLAN_CHECK_FAILED = "Tệp kế hoạch {path} có {count} lỗi; chưa có gì được lưu."
PLAN_CHECK_OK = (
    "Kế hoạch hợp lệ: {areas} lĩnh vực, {tasks} nhiệm vụ, {units} đơn vị, {targets} chỉ tiêu "
    "— {zone}, năm {year}, Quyết định số {number} ngày {date}."
)
PLAN_CHECK_UNREADABLE = "Không đọc được tệp {path}: {reason}"
PLAN_CHECK_TOO_BIG = "tệp quá lớn ({size} byte, tối đa {limit} byte) để là một kế hoạch"
PLAN_CHECK_NOT_UTF8 = "tệp không phải văn bản UTF-8 (lỗi ở dòng {line})"

# Per kind of problem (cchc.domain.plan_file.Problem.kind); {value} is the value as written.
PLAN_PROBLEMS: dict[str, str] = {
    "toml_syntax": "Sai cú pháp TOML ({detail}).",
    "missing": "Thiếu mục bắt buộc.",
    "extra_forbidden": "Mục không có trong định dạng kế hoạch (xem docs/plan-format.md).",
    "empty": "Không được để trống.",
    "not_nfc": "Chữ tiếng Việt chưa chuẩn hóa Unicode NFC.",
    "literal_error": "Phiên bản định dạng phải là {expected}.",
    "string_type": "Phải là một chuỗi chữ trong ngoặc kép.",
    "int_type": "Phải là một số nguyên.",
    "int_parsing": "Phải là một số nguyên.",
    "int_from_float": "Phải là một số nguyên.",
    "float_type": "Phải là một số.",
    "float_parsing": "Phải là một số.",
    "bool_type": "Phải là true hoặc false.",
    "date_type": "Phải là một ngày dạng 2027-01-07 (không có ngoặc kép).",
    "date_parsing": "Phải là một ngày dạng 2027-01-07 (không có ngoặc kép).",
    "date_from_datetime_inexact": "Phải là một ngày, không kèm giờ.",
    "date_from_datetime_parsing": "Phải là một ngày dạng 2027-01-07.",
    "tuple_type": 'Phải là một danh sách ["…", "…"].',
    "list_type": 'Phải là một danh sách ["…", "…"].',
    "model_type": "Phải là một bảng (mục [tên] hoặc [[tên]]).",
    "dict_type": "Phải là một bảng (mục [tên] hoặc [[tên]]).",
    "too_short": "Phải có ít nhất {min_length} mục.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "string_pattern_mismatch": "Giá trị “{value}” không đúng dạng (mẫu {pattern}).",
    "enum": "Giá trị “{value}” không nằm trong các giá trị cho phép: {expected}.",
    "duplicate_area": "Mã lĩnh vực “{value}” bị trùng.",
    "duplicate_unit_code": "Mã đơn vị “{value}” bị trùng.",
    "duplicate_unit_name": "Tên đơn vị “{value}” đã dùng cho một đơn vị khác.",
    "duplicate_target": "Mã chỉ tiêu “{value}” bị trùng.",
    "duplicate_stt": "Số thứ tự {value} bị trùng (đã có ở dòng {first}).",
    "unknown_area": "Lĩnh vực “{value}” không có trong các mục [[areas]] của tệp.",
    "unknown_lead": "Cơ quan chủ trì “{value}” không có trong các mục [[units]] của tệp.",
    "unknown_partner": "Cơ quan phối hợp “{value}” không có trong các mục [[units]] của tệp.",
    "unknown_reporting_unit": "Đơn vị “{value}” không có trong các mục [[units]] của tệp.",
    "timeframe_unread": (
        "Không đọc được thời gian thực hiện “{value}” (ví dụ đọc được: “Trước ngày 15/01/2027”, "
        "“Quý II/2027”, “Tháng 6/2027”, “Cả năm 2027”)."
    ),
    "timeframe_other_year": (
        "Thời gian thực hiện “{value}” có hạn trong năm {due_year}, khác năm của Kế hoạch "
        "({year}): kiểm tra lại năm."
    ),
    "threshold_missing": "Chỉ tiêu “{value}” so sánh “>=” nhưng thiếu ngưỡng threshold.",
    "threshold_extra": "Chỉ tiêu “{value}” là “improved” nên không có ngưỡng threshold.",
}
PLAN_PROBLEM_OTHER = "Giá trị không hợp lệ ({detail})."

MESSAGES: dict[str, str] = {
    "plan_file_invalid": (
        "Tệp kế hoạch {value} có {count} lỗi nên chưa được nạp: hãy kiểm tra tệp để xem từng lỗi "
        "và dòng của lỗi."
    ),
    "plan_db_taken": (
        "Cơ sở dữ liệu {value} đã có Kế hoạch số {number} (năm {year}): chỉ nạp kế hoạch từ tệp "
        "vào một cơ sở dữ liệu mới."
    ),
}
