"""Texts of publishing a plan (`cchc plan load`, `cchc plan list`, the Kế hoạch screen) and of
the years held side by side."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "plan_year_unknown": "Không có Kế hoạch năm {value} trên máy này.",
    "plan_year_held": (
        "Máy này đã có Kế hoạch năm {year} (số {number}): mỗi năm một Kế hoạch; muốn sửa thì "
        "đề nghị điều chỉnh Kế hoạch."
    ),
    "plan_other_zone": (
        "Tệp là Kế hoạch của {value}, còn máy này theo dõi Kế hoạch của {zone}: không nạp."
    ),
    "plan_carry_no_previous": (
        "Không chuyển tiếp được dòng {value}: máy này không có Kế hoạch năm {year}."
    ),
    "plan_carry_row_unknown": "Kế hoạch năm {year} không có dòng {value} để chuyển tiếp.",
    "plan_carry_row_done": (
        "Dòng {value} của Kế hoạch năm {year} đã hoàn thành: chỉ chuyển tiếp nhiệm vụ chưa xong."
    ),
    "plan_carry_twice": "Dòng {value} của năm {year} được chuyển tiếp hai lần.",
    "plan_file_evidence": (
        "Dòng {value} của tệp có kèm tài liệu: kế hoạch gửi đi không mang tệp kèm theo; "
        "hãy đính kèm tài liệu vào nhiệm vụ sau khi nạp."
    ),
}

PLAN_LOAD_DONE = (
    "Đã nạp Kế hoạch số {number} năm {year} ({zone}): {areas} lĩnh vực, {tasks} nhiệm vụ, "
    "trong đó {carried} nhiệm vụ chuyển tiếp từ năm {previous}. Kế hoạch sẽ đi cùng lần gửi dữ "
    "liệu tới các máy của {zone}."
)
PLAN_LOAD_ALREADY = "Kế hoạch số {number} năm {year} đã có trên máy này: không có gì thay đổi."
PLAN_LOAD_CARRIED = "  Dòng {stt}: chuyển tiếp từ dòng {from_stt} năm {from_year} — {content}"
PLAN_LIST_HEADER = "Các Kế hoạch trên máy này:"
PLAN_LIST_ROW = (
    "  Năm {year}: Kế hoạch số {number} ngày {date} ({zone}) — {tasks} nhiệm vụ{carried}{source}"
)
PLAN_LIST_CARRIED = ", {count} chuyển tiếp"
PLAN_LIST_PUBLISHED = "; do thành phố ban hành"
PLAN_LIST_NONE = "Máy này chưa có Kế hoạch nào."
PLAN_LIST_DEFAULT = "Năm làm việc mặc định: {year}."
CARRIED_MARK = "Chuyển tiếp từ dòng {stt} Kế hoạch năm {year}"
CARRIED_LABEL = "Chuyển tiếp"
CARRY_TIMEFRAME = "Cả năm {year}"

#: The Kế hoạch screen (city role only).
PLAN_SCREEN: dict[str, str] = {
    "nav": "Các năm",
    "title": "Kế hoạch các năm",
    "held": "Các Kế hoạch trên máy này",
    "load_title": "Nạp Kế hoạch năm mới",
    "load_help": (
        "Chọn tệp kế hoạch (định dạng trong docs/plan-format.md). Tệp được kiểm tra trước; "
        "nếu có lỗi thì không lưu gì. Kế hoạch đã nạp sẽ đi tới mọi máy theo kế hoạch này trong "
        "lần gửi dữ liệu tới."
    ),
    "file": "Đường dẫn tệp kế hoạch",
    "check": "Kiểm tra tệp",
    "carry": "Chuyển tiếp nhiệm vụ chưa xong của năm {year}",
    "carry_listed": "Dòng {stt} (tệp đã ghi chuyển tiếp)",
    "load": "Nạp Kế hoạch",
    "city_only": "Chỉ máy của thành phố được nạp Kế hoạch mới.",
    "problems": "Tệp có lỗi, chưa nạp:",
    "year": "Năm",
}
