"""Texts of the Báo cáo screen and the dashboard's targets panel (Vietnamese, NFC)."""

from __future__ import annotations

from cchc.domain.numbers import format_percent

REPORTS = {
    "title": "Báo cáo cải cách hành chính",
    "filter_period": "Kỳ báo cáo",
    "filter_unit": "Đơn vị",
    "all": "Tất cả",
    "list_heading": "Danh sách báo cáo",
    "list_empty": "Chưa có báo cáo nào khớp điều kiện lọc.",
    "row": "{who} · kỳ {period}",
    "row_sub": "{status} · lần {revision} · cập nhật {updated}",
    "new_heading": "Tạo báo cáo mới",
    "new_unit": "Đơn vị của máy này: {unit}",
    "new_no_unit": "Máy này chưa chọn đơn vị (vào Cài đặt).",
    "new_not_reporting": "{unit} không phải đơn vị báo cáo của đặc khu.",
    "new_period": "Kỳ báo cáo mới",
    "create": "Tạo báo cáo",
    "created": "Đã tạo báo cáo kỳ {period} của {unit} (dự thảo).",
    "consolidate": "Tổng hợp báo cáo của đặc khu",
    "consolidate_period": "Kỳ tổng hợp",
    "consolidated": ("Đã tổng hợp báo cáo kỳ {period} từ {count} đơn vị. Chưa nộp: {missing}."),
    "consolidated_all": "Đã tổng hợp báo cáo kỳ {period} từ {count} đơn vị; tất cả đã nộp.",
    "pick_one": "Chọn một báo cáo trong danh sách, hoặc tạo báo cáo mới.",
    "editor_heading": "Báo cáo kỳ {period} — {who}",
    "editor_meta": "{status} · lần {revision} · từ {start} đến {end} · hạn gửi {due}",
    "locked": (
        "Báo cáo đã nộp ngày {date} nên đã khóa. Muốn sửa, hãy tạo bản sửa đổi "
        "(bản đã nộp vẫn được giữ nguyên)."
    ),
    "superseded": "Báo cáo này đã có bản sửa đổi mới hơn.",
    "zone_note": (
        "Báo cáo chung của đặc khu lấy số liệu từ báo cáo đã nộp của các đơn vị; "
        "bấm “Tổng hợp” để cập nhật."
    ),
    "missing_heading": "Đơn vị chưa nộp báo cáo kỳ này",
    "missing_none": "Tất cả các đơn vị đã nộp báo cáo.",
    "sources": "Tổng hợp từ {count} báo cáo đơn vị.",
    "outline_heading": "Kết quả thực hiện theo lĩnh vực",
    "section_text": "Nội dung báo cáo lĩnh vực {code}",
    "task_status": "Trạng thái nhiệm vụ {stt}",
    "task_progress": "Tiến độ nhiệm vụ {stt} (%)",
    "task_note": "Ghi chú nhiệm vụ {stt}",
    "task_state_now": "Tình trạng: {state}",
    "assessment": "Đánh giá chung",
    "difficulties": "Khó khăn, vướng mắc",
    "direction": "Phương hướng, nhiệm vụ kỳ tới",
    "proposals": "Đề xuất, kiến nghị",
    "figures_heading": "Số liệu giải quyết thủ tục hành chính",
    "figures_hint": "Để trống ô chưa có số liệu. Tổng và tỷ lệ được tính ngay khi nhập.",
    "totals_heading": "Tổng",
    "rates_heading": "Tỷ lệ",
    "rate_line": "{label}: {value}",
    "rate_target": "{label}: {value} (chỉ tiêu ≥ {target}: {verdict})",
    "rate_none": "chưa tính được",
    "rate_invalid": "chưa tính được (số liệu đang sai)",
    "rates_head_invalid": "Tỷ lệ: chưa tính được vì số liệu đang sai (xem các ô báo đỏ).",
    "rates_head": "Đúng hạn: {on_time} · Thanh toán trực tuyến: {payment} · Hài lòng: "
    "{satisfaction}",
    "verdict_met": "đạt",
    "verdict_not_met": "chưa đạt",
    "group_received": "Tiếp nhận",
    "group_outcomes": "Kết quả giải quyết",
    "group_payments": "Thanh toán trực tuyến",
    "group_survey": "Đánh giá sự hài lòng",
    "solutions": "Nhiệm vụ, giải pháp tại mục II.{n} của Kế hoạch",
    "group_publication": "Công khai thủ tục hành chính (dòng 12, 13 của Phụ lục)",
    "group_other": "Phản ánh, kiến nghị và chỉ số khác",
    "meta_heading": "Số, ngày và người ký",
    "number": "Số báo cáo (ví dụ 12)",
    "report_date": "Ngày báo cáo (ngày/tháng/năm)",
    "signer": "Người ký",
    "save": "Lưu nháp",
    "saved": "Đã lưu dự thảo báo cáo kỳ {period}.",
    "nothing_changed": "Không có gì thay đổi để lưu.",
    "submit": "Nộp báo cáo",
    "submit_title": "Nộp báo cáo?",
    "submit_confirm": (
        "Nộp báo cáo kỳ {period} của {who}. Sau khi nộp, báo cáo bị khóa; muốn sửa phải tạo "
        "bản sửa đổi. Báo cáo chỉ rời máy này khi được gửi đi ở màn hình Đồng bộ."
    ),
    "submit_yes": "Nộp",
    "submit_missing_title": "Còn đơn vị chưa nộp báo cáo: vẫn nộp?",
    "submit_missing": "Báo cáo chung chưa có báo cáo của {count} đơn vị:",
    "submitted": (
        "Đã nộp báo cáo kỳ {period} của {who}; báo cáo đã khóa nhưng chưa rời máy này. "
        "Bước tiếp theo: gửi đi ở màn hình Đồng bộ (hàng chờ “chưa gửi”)."
    ),
    "send_next": "Gửi đi (mở hàng chờ ở Đồng bộ)",
    "read_only": (
        "Máy này chỉ xem báo cáo này: báo cáo của đơn vị do chính đơn vị đó viết, báo cáo chung "
        "của đặc khu do Phòng Văn hóa - Xã hội tổng hợp."
    ),
    "consolidate_heading": "Tổng hợp báo cáo của đặc khu",
    "revise": "Tạo bản sửa đổi",
    "revised": "Đã tạo bản sửa đổi lần {revision}; bản đã nộp được giữ nguyên.",
    "output_heading": "Xuất báo cáo",
    "output_folder": "Thư mục lưu tệp",
    "write_pdf": "Ghi PDF vào thư mục",
    "write_csv": "Ghi bảng tính (CSV) vào thư mục",
    "download_pdf": "Tải PDF về",
    "download_csv": "Tải CSV về",
    "save_pdf_as": "Lưu PDF thành…",
    "save_csv_as": "Lưu CSV thành…",
    "open_last": "Mở tệp vừa ghi",
    "written": "Đã ghi {path}.",
    "downloaded": "Đã gửi tệp {name} về trình duyệt ({size}).",
    "open_failed": "Không mở được tệp {path}: {error}",
    "targets_heading": "Chỉ tiêu so với thực tế ({who}, {period})",
    "target_row": "{code} {title}",
    "target_values": "Yêu cầu: {threshold} · Thực tế: {actual}",
    "target_from": "Số liệu từ kỳ: {periods}",
    "target_no_figures": "Chưa có số liệu báo cáo cho kỳ này.",
    "errors_heading": "Cần sửa trước khi lưu:",
    "zone": "{zone} (báo cáo chung)",  # the zone of the report's plan: "Xã Đông Hà"
}


def zone_report_name(zone: str) -> str:
    """The zone's own report as screens name it; `zone` as the plan names it ("xã Đông Hà")."""
    return REPORTS["zone"].format(zone=zone[:1].upper() + zone[1:])


MESSAGES = {
    "ui_no_local_unit": "Máy này chưa chọn đơn vị; hãy vào Cài đặt để chọn đơn vị trước.",
    "ui_output_folder_missing": "Hãy nhập thư mục để lưu tệp.",
}


def percent(value: float | None) -> str:
    """A rate as Vietnamese writes it: 83,3% (cchc.domain.numbers); a dash when it cannot be computed."""
    if value is None:
        return REPORTS["rate_none"]
    return format_percent(value)


PLAN_MONEY = {
    "nav": "Kinh phí",
    "title": "Kinh phí và điều chỉnh Kế hoạch",
    "budget_heading": "Kinh phí thực hiện nhiệm vụ",
    "budget_empty": "Chưa có nhiệm vụ nào được ghi kinh phí.",
    "budget_total": "Tổng cộng",
    "budget_late": "Chưa gửi dự trù cho Phòng Tài chính trước hết quý I",
    "budget_form": "Ghi kinh phí cho một nhiệm vụ",
    "task": "Nhiệm vụ *",
    "amend_task": "Nhiệm vụ (khi điều chỉnh hoặc bãi bỏ)",
    "estimate": "Dự trù (đồng)",
    "approved": "Được duyệt (đồng)",
    "spent": "Đã chi (đồng)",
    "sent_on": "Ngày gửi dự trù (ngày/tháng/năm)",
    "approved_on": "Ngày duyệt (ngày/tháng/năm)",
    "allocation_number": "Số quyết định phân bổ (ví dụ 52/QĐ-UBND)",
    "note": "Ghi chú",
    "budget_save": "Ghi kinh phí",
    "budget_saved": "Đã ghi kinh phí nhiệm vụ {task}: dự trù {estimate}, được duyệt {approved}, "
    "đã chi {spent}.",
    "pick_task": "Hãy chọn nhiệm vụ.",
    "over_estimate": "Lưu ý: số được duyệt vượt dự trù.",
    "over_estimate_line": "Số được duyệt {approved} vượt dự trù {estimate}: đề nghị kiểm tra lại.",
    "rights_allocate_only": "Máy này chỉ ghi số được duyệt theo quyết định của UBND đặc khu cho "
    "nhiệm vụ này; dự trù và số đã chi do đơn vị chủ trì ghi.",
    "rights_estimate_only": "Máy này ghi dự trù, ngày gửi và số đã chi; số được duyệt do Phòng "
    "Tài chính hoặc lãnh đạo UBND đặc khu ghi.",
    "amend_heading": "Đề xuất điều chỉnh, bổ sung, bãi bỏ nhiệm vụ",
    "amend_empty": "Chưa có đề xuất nào.",
    "amend_line": "{action} · {task} · {unit}",
    "amend_status": "{status} · đề xuất ngày {date} · lý do: {reason}",
    "amend_decision": "Quyết định số {number} ngày {date}",
    "amend_form": "Đề xuất mới (đơn vị của máy này)",
    "action": "Loại đề xuất",
    "content": "Nội dung nhiệm vụ (khi bổ sung hoặc điều chỉnh)",
    "timeframe": "Thời gian thực hiện",
    "area": "Lĩnh vực (khi bổ sung)",
    "reason": "Lý do *",
    "propose": "Gửi đề xuất",
    "proposed": "Đã ghi đề xuất {action}; chờ Phòng Văn hóa - Xã hội tổng hợp.",
    "forward": "Tổng hợp, trình UBND",
    "forwarded": "Đã tổng hợp, trình đề xuất lên UBND đặc khu.",
    "approve": "Ghi quyết định đồng ý",
    "reject": "Ghi quyết định không đồng ý",
    "decision_number": "Số quyết định (ví dụ 45/QĐ-UBND)",
    "decision_date": "Ngày quyết định (ngày/tháng/năm)",
    "decide_title": "Ghi quyết định của UBND đặc khu",
    "decided": "Đã ghi Quyết định {number}: {status}.",
    "no_task": "(nhiệm vụ mới)",
}

# ---- Xác minh báo cáo (cchc.ui.screens.report_verify) -----------------------------------------
#: The year's final verdict on the plan's targets (beside `cchc targets --final`).
YEAR_RESULT = {
    "open": "Kết quả cả năm",
    "title": "Kết quả thực hiện chỉ tiêu cả năm",
    "help": (
        "Sau ngày cuối cùng của năm (31/12), mỗi chỉ tiêu có kết quả cuối cùng: đạt hoặc không "
        "đạt, không còn “đúng tiến độ” hay “có nguy cơ”. Trước đó chỉ có kết quả lũy kế."
    ),
    "field": "Năm",
    "run": "Xem kết quả",
    "year_invalid": "Năm “{value}” không hợp lệ: nhập bốn chữ số, ví dụ 2026.",
    "final": "Kết quả cuối cùng năm {year} (tính đến hết ngày {end}).",
    "provisional": "Kết quả lũy kế năm {year} đến ngày {end}, chưa phải kết quả cuối cùng.",
    "tally": "Đạt: {met}; không đạt: {not_met}; chưa đủ số liệu: {no_data}.",
    "from": "Số liệu lấy từ các báo cáo: {periods}.",
    "close": "Đóng",
}
VERIFY = {
    "open": "Xác minh báo cáo",
    "title": "Xác minh báo cáo",
    "help": (
        "Chọn tệp PDF của báo cáo, hoặc gõ mã xác thực in trên báo cáo, hoặc dán nội dung quét "
        "từ mã QR. Tệp PDF được đọc toàn bộ chữ và so với bản đã ban hành."
    ),
    "field": "Tệp PDF, mã xác thực hoặc nội dung mã QR",
    "pick": "Chọn tệp PDF",
    "run": "Xác minh",
    "empty": "Chưa chọn tệp hoặc nhập mã.",
    "close": "Đóng",
}
