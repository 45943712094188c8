"""Vietnamese names of the plan's roles and procedures, and the refusal of a procedure this
laptop may not carry out. NFC, full diacritics."""

from __future__ import annotations

ROLE_NAMES: dict[str, str] = {
    "city": "Thành phố",
    "leadership": "lãnh đạo UBND đặc khu",
    "consolidator": "đơn vị tổng hợp (Phòng Văn hóa - Xã hội)",
    "finance": "Phòng Tài chính",
    "unit": "đơn vị",
}

ACTION_NAMES: dict[str, str] = {
    "task_progress": "cập nhật trạng thái, tiến độ nhiệm vụ",
    "task_notes": "ghi chú, đính kèm văn bản cho nhiệm vụ",
    "task_add": "giao nhiệm vụ ngoài kế hoạch",
    "task_plan": "sửa nội dung kế hoạch của nhiệm vụ (thời hạn, đơn vị chủ trì…) hoặc giao "
    "nhiệm vụ của Thành phố",
    "budget_estimate": "lập dự toán, ghi số đã chi",
    "budget_appraise": "thẩm định dự toán kinh phí",
    "budget_allocate": "ghi nhận kinh phí được UBND đặc khu quyết định phân bổ",
    "budget_check": "kiểm tra việc sử dụng kinh phí",
    "amendment_propose": "đề xuất điều chỉnh kế hoạch",
    "amendment_forward": "tổng hợp, chuyển đề xuất điều chỉnh lên UBND đặc khu",
    "amendment_decide": "quyết định về đề xuất điều chỉnh",
    "report_write": "lập, sửa, gửi báo cáo của đơn vị này",
    "report_consolidate": "tổng hợp báo cáo của đặc khu",
}

MESSAGES: dict[str, str] = {
    "budget_use_allocate": "Kinh phí được phân bổ do UBND đặc khu quyết định: hãy ghi ở mục phân "
    "bổ kinh phí (lãnh đạo UBND đặc khu hoặc Phòng Tài chính), kèm số và ngày quyết định.",
    "budget_no_estimate": "Nhiệm vụ {task} chưa có dự toán của đơn vị chủ trì nên chưa thẩm định, "
    "phân bổ hay kiểm tra được.",
    "budget_check_note": "Hãy ghi kết quả kiểm tra việc sử dụng kinh phí.",
    "not_permitted": "Máy này (vai trò {role}, đơn vị {units}) không được {action}{unit}. "
    "Không có gì được ghi; các máy khác cũng sẽ từ chối thay đổi đó khi đồng bộ.",
}

#: Command-line confirmations of the plan's procedures.
CLI: dict[str, str] = {
    "budget_appraised": "Đã ghi kết quả thẩm định dự toán nhiệm vụ {task}.",
    "budget_allocated": "Đã ghi kinh phí UBND đặc khu quyết định phân bổ cho nhiệm vụ {task}.",
    "budget_checked": "Đã ghi kết quả kiểm tra sử dụng kinh phí nhiệm vụ {task}.",
}
