"""Vietnamese words of the role screens: Phòng Tài chính's three budget steps, the city's
assignment of a new task and its revocation of a lost laptop (NFC, full diacritics)."""

from __future__ import annotations

FINANCE_STEPS = {
    "heading": "Các bước của Phòng Tài chính",
    "hint": "Mỗi bước ghi riêng, theo thứ tự của Kế hoạch: thẩm định dự toán của đơn vị và trình "
    "UBND đặc khu; ghi kinh phí UBND đặc khu quyết định phân bổ; kiểm tra việc sử dụng.",
    "need_estimate": "Nhiệm vụ này chưa có dự toán của đơn vị chủ trì: chưa thẩm định được.",
    "appraise_title": "1. Thẩm định dự toán",
    "appraised": "Số thẩm định (đồng) *",
    "appraised_on": "Ngày thẩm định (ngày/tháng/năm) *",
    "submitted_on": "Ngày trình UBND đặc khu (ngày/tháng/năm)",
    "appraisal_note": "Ý kiến thẩm định",
    "appraise": "Ghi thẩm định",
    "appraised_done": "Đã thẩm định {amount} ngày {date}{by}.",
    "submitted_done": "Đã trình UBND đặc khu ngày {date}.",
    "allocate_title": "2. Phân bổ theo quyết định của UBND đặc khu",
    "allocated": "Số được phân bổ (đồng) *",
    "decision_number": "Số quyết định (ví dụ 52/QĐ-UBND) *",
    "decision_date": "Ngày quyết định (ngày/tháng/năm) *",
    "allocate": "Ghi phân bổ",
    "allocated_done": "Được phân bổ {amount} theo Quyết định số {number} ngày {date}{by}.",
    "check_title": "3. Kiểm tra việc sử dụng kinh phí",
    "checked_on": "Ngày kiểm tra (ngày/tháng/năm) *",
    "check_note": "Kết quả kiểm tra *",
    "check": "Ghi kết quả kiểm tra",
    "checked_done": "Đã kiểm tra ngày {date}: {note}",
    "not_yet": "Chưa ghi.",
    "by": " ({name})",
    "saved_appraise": "Đã ghi thẩm định dự toán nhiệm vụ {task}.",
    "saved_allocate": "Đã ghi phân bổ kinh phí nhiệm vụ {task}.",
    "saved_check": "Đã ghi kết quả kiểm tra kinh phí nhiệm vụ {task}.",
}
