"""Vietnamese words of the role screens: Phòng Tài chính's three budget steps, the city's
assignment of a new task and its revocation of a lost laptop (NFC, full diacritics)."""

from __future__ import annotations

FINANCE_STEPS = {
    "heading": "Các bước của Phòng Tài chính",
    "hint": "Mỗi bước ghi riêng, theo thứ tự của Kế hoạch: thẩm định dự toán của đơn vị và trình "
    "UBND đặc khu; ghi kinh phí UBND đặc khu quyết định phân bổ; kiểm tra việc sử dụng.",
    "rights": "Dự trù, ngày gửi và số đã chi của nhiệm vụ này do đơn vị chủ trì ghi; phần của "
    "Phòng Tài chính (thẩm định, phân bổ, kiểm tra) ở mục “Các bước của Phòng Tài chính” bên "
    "dưới.",
    "need_estimate": "Nhiệm vụ này chưa có dự toán của đơn vị chủ trì: chưa thẩm định được.",
    "appraise_title": "1. Thẩm định dự toán",
    "appraised": "Số thẩm định (đồng) *",
    "appraised_on": "Ngày thẩm định (ngày/tháng/năm) *",
    "submitted_on": "Ngày trình UBND đặc khu (ngày/tháng/năm)",
    "appraisal_note": "Ý kiến thẩm định",
    "appraise": "Ghi thẩm định",
    "appraisal_said": "Ý kiến: {note}",
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

ASSIGN = {
    "open": "Giao nhiệm vụ mới",
    "heading": "Giao nhiệm vụ mới",
    "hint": "Nhiệm vụ ngoài Kế hoạch, theo văn bản chỉ đạo. Nhiệm vụ đi cùng gói đồng bộ tới "
    "các máy của đặc khu và hiện trên trang Tổng quan của đơn vị chủ trì.",
    "content": "Nội dung nhiệm vụ *",
    "lead": "Đơn vị chủ trì *",
    "timeframe": "Thời gian thực hiện * (ví dụ Quý III/{year})",  # the plan's year
    "product": "Sản phẩm (ví dụ Báo cáo, Kế hoạch)",
    "source_number": "Số văn bản giao * (ví dụ 123/UBND-NC)",
    "source_date": "Ngày văn bản (ngày/tháng/năm) *",
    "source_issuer": "Cơ quan ban hành *",
    "city_issuer": "UBND thành phố Hải Phòng",
    "zone_issuer": "UBND {zone}",  # the zone of the plan: "UBND xã Đông Hà"
    "save": "Giao nhiệm vụ",
    "cancel": "Thôi",
    "lead_missing": "Hãy chọn đơn vị chủ trì.",
    "timeframe_missing": "Hãy ghi thời gian thực hiện như văn bản giao.",
    "saved": "Đã giao nhiệm vụ “{content}” cho {lead}, thời gian {timeframe}.",
}

REVOKE = {
    "button": "Thu hồi máy này",
    "title": "Thu hồi máy của {unit}?",
    "who": "Máy: {unit} ({role}). Lần trao đổi gần nhất với Thành phố: {last}.",
    "never": "chưa có",
    "stands": "Vẫn giữ nguyên trên mọi máy: những gì Thành phố đã nhận từ máy này ({what}).",
    "stands_nothing": "Thành phố chưa nhận được gì từ máy này; không có gì của máy này được giữ.",
    "taken_back": "Bị từ chối ở mọi máy, và gỡ khỏi máy nào đã nhận: mọi thứ máy này ghi sau "
    "lần Thành phố nhận gần nhất.",
    "travels": "Việc thu hồi đi cùng gói đồng bộ tiếp theo của Thành phố tới các máy của đặc khu.",
    "confirm": "Thu hồi",
    "cancel": "Thôi",
    "done": "Đã thu hồi máy của {unit}. Hãy gửi gói đồng bộ để các máy khác biết.",
}
