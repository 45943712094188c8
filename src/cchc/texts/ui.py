"""Every text of the Flet app, in Vietnamese with full diacritics (NFC)."""

from __future__ import annotations

# "{year}" and "{zone}" come from the plan of the year ("Xã Đông Hà"); APP_TITLE_BARE before a
# plan is loaded.
APP_TITLE = "Cải cách hành chính {year} - {zone}"
APP_TITLE_BARE = "Cải cách hành chính"

NAV = {
    "dashboard": "Tổng quan",
    "tasks": "Nhiệm vụ",
    "reports": "Báo cáo",
    "sync": "Đồng bộ",
    "settings": "Cài đặt",
}

COMMON = {
    "all": "Tất cả",
    "none": "—",
    "save": "Lưu",
    "cancel": "Hủy",
    "close": "Đóng",
    "working": "Đang xử lý…",
    "unexpected": "Có lỗi ngoài dự kiến nên việc này chưa làm được. Không có gì bị thay đổi.",
}

FIRST_START = {
    "title": "Chào mừng đến với ứng dụng theo dõi cải cách hành chính {year}",
    "intro": "Máy này chưa được gán cho đơn vị nào. Hãy chọn đơn vị sử dụng máy và nhập họ tên "
    "cán bộ phụ trách; các cập nhật nhiệm vụ sẽ được ghi nhận theo đơn vị và cán bộ này.",
    "unit": "Đơn vị sử dụng máy này",
    "officer": "Họ và tên cán bộ",
    "start": "Bắt đầu sử dụng",
    "unit_missing": "Hãy chọn đơn vị.",
    "saved": "Đã lưu: máy này thuộc {unit}, cán bộ {officer}.",
}

DASHBOARD = {
    "title": "Tổng quan thực hiện Kế hoạch",
    "subtitle": "Kế hoạch {plan}: {total} nhiệm vụ · Hôm nay {today}",
    "profile": "Máy của: {unit} · Cán bộ: {officer}",
    "new_tasks_heading": "Nhiệm vụ mới Thành phố giao",
    "new_task_meta": "Chủ trì: {lead} · Thời hạn: {timeframe} · Theo văn bản số {number} ngày "
    "{date} của {issuer}",
    "new_task_open": "Mở nhiệm vụ",
    "new_tasks_seen": "Đã xem",
    "states_heading": "Nhiệm vụ theo tình trạng",
    "by_area": "Tiến độ theo lĩnh vực ({areas}), % trung bình",
    "by_unit": "Tiến độ theo đơn vị chủ trì",
    "unit_row": "{done}/{tasks} xong · {progress}",
    "overdue": "Nhiệm vụ quá hạn",
    "due_soon": "Đến hạn trong {days} ngày tới",
    "none_overdue": "Không có nhiệm vụ quá hạn.",
    "none_due_soon": "Không có nhiệm vụ đến hạn trong {days} ngày tới.",
    "overdue_by": "quá hạn {days} ngày",
    "due_in": "còn {days} ngày",
    "due_today": "đến hạn hôm nay",
    "count_label": "{label}: {count}",
    "targets": "Chỉ tiêu của Kế hoạch: yêu cầu và kết quả",
    "targets_span": "Lũy kế từ {start} đến {end}, theo số liệu các báo cáo đã nộp.",
    "more_units": "… và {count} đơn vị khác (xem trong Nhiệm vụ, lọc theo đơn vị)",
    "all_overdue": "Xem tất cả {count} nhiệm vụ quá hạn",
    "more_tasks": "… và {count} nhiệm vụ khác",
    "area_tooltip": "Lĩnh vực {code}: {title} — {progress} ({done}/{tasks} xong)",
    "area_legend": "{code}. {title}: {progress} ({done}/{tasks})",
    "task_due": "{lead} · Hạn: {due} · {days}",
}

TASKS = {
    "title": "Nhiệm vụ",
    "flagged": "⚠ Giá trị không hợp lệ",
    "filter_area": "Lĩnh vực",
    "filter_unit": "Đơn vị chủ trì",
    "filter_state": "Tình trạng",
    "search": "Tìm kiếm (có dấu hoặc không dấu)",
    "clear": "Bỏ lọc",
    "shown": "Đang hiển thị {shown}/{total} nhiệm vụ",
    "show_more": "Hiện thêm {count} nhiệm vụ",
    "empty": "Không có nhiệm vụ nào khớp điều kiện lọc.",
    "pick_one": "Chọn một nhiệm vụ trong danh sách để xem chi tiết và cập nhật.",
    "row_subtitle": "{state} · {progress}% · {lead} · Hạn: {due}",
    "detail_heading": "Nhiệm vụ {ref}",
    "area": "Lĩnh vực",
    "lead": "Chủ trì",
    "partners": "Phối hợp",
    "timeframe": "Thời gian thực hiện (như văn bản)",
    "derived": "Thời hạn tính được",
    "product": "Sản phẩm",
    "state": "Tình trạng",
    "progress": "Tiến độ",
    "source": "Giao tại",
    "source_value": "{number} ngày {date} của {issuer}",
    "done_on": "Ngày hoàn thành",
    "update_heading": "Cập nhật tiến độ",
    "read_only": "Nhiệm vụ do {lead} chủ trì; máy của {unit} chỉ xem, không cập nhật được. "
    "Đơn vị chủ trì cập nhật và gửi qua Đồng bộ.",
    "status": "Trạng thái",
    "progress_field": "Tiến độ (%)",
    "done_on_field": "Ngày hoàn thành",
    "done_on_help": "ngày/tháng/năm, bắt buộc khi đã hoàn thành",
    "note": "Ghi chú",
    "officer": "Cán bộ cập nhật",
    "submit": "Lưu cập nhật",
    "updated": "Đã cập nhật nhiệm vụ {ref}: {state}, tiến độ {progress}%.",
    "progress_not_number": "Tiến độ phải là số nguyên từ 0 đến 100 (đã nhập “{value}”).",
    "documents_heading": "Văn bản, sản phẩm kèm theo",
    "no_documents": "Chưa có văn bản nào.",
    "document_line": "{doc_type} số {number} ngày {date} — {file} ({size})",
    "open": "Mở",
    "download": "Tải về",
    "opened": "Đã mở “{file}”.",
    "downloaded": "Đã gửi “{file}” về trình duyệt.",
    "open_failed": "Không mở được “{file}”: {reason}",
    "attach_heading": "Đính kèm văn bản mới",
    "pick_file": "Chọn tệp…",
    "no_file": "Chưa chọn tệp.",
    "file_chosen": "Tệp đã chọn: {name} ({size})",
    "doc_type": "Loại văn bản *",
    "doc_type_help": "Kế hoạch, Báo cáo, Quyết định…",
    "doc_number": "Số văn bản *",
    "doc_number_help": "ví dụ 12/KH-UBND",
    "doc_date": "Ngày văn bản *",
    "doc_date_help": "ngày/tháng/năm",
    "doc_title": "Trích yếu (không bắt buộc)",
    "attach": "Đính kèm",
    "attach_needs_file": "Hãy chọn tệp văn bản trước.",
    "attached": "Đã đính kèm {doc_type} số {number} vào nhiệm vụ {ref}.",
    "history_heading": "Lịch sử thay đổi",
    "no_history": "Chưa có thay đổi nào.",
    "history_line": "{at} · {actor} · {action}{change}",
    "history_change": "{field} từ “{old}” thành “{new}”",
    "from": "từ {date}",
    "until": "đến {date}",
}

SETTINGS = {
    "title": "Cài đặt",
    "profile_heading": "Máy này",
    "unit": "Đơn vị sử dụng máy này",
    "officer": "Họ và tên cán bộ",
    "save_profile": "Lưu thông tin máy",
    "profile_saved": "Đã lưu: máy này thuộc {unit}, cán bộ {officer}.",
    "db_path": "Cơ sở dữ liệu: {path}",
    "backup_heading": "Sao lưu và phục hồi",
    "backup_intro": "Sao lưu chép toàn bộ dữ liệu, kể cả nội dung các văn bản đính kèm, ra một "
    "tệp (dùng cơ chế sao lưu an toàn của SQLite, kể cả khi ứng dụng đang chạy). Thư mục "
    "“{attachments}” chỉ là bản mở sẵn của các văn bản đó.",
    "backup_path": "Đường dẫn tệp sao lưu trên máy này",
    "backup_now": "Sao lưu vào đường dẫn",
    "backup_pick": "Sao lưu… (chọn nơi lưu)",
    "backup_download": "Sao lưu và tải về",
    "backup_done": "Đã sao lưu {tasks} nhiệm vụ vào “{path}” ({size}).",
    "backup_sent": "Đã tạo bản sao lưu “{name}” ({size}) và gửi về trình duyệt.",
    "restore_path": "Đường dẫn tệp cần phục hồi",
    "restore_now": "Phục hồi từ đường dẫn",
    "restore_pick": "Chọn tệp để phục hồi…",
    "restore_confirm_title": "Phục hồi dữ liệu?",
    "restore_confirm": "Toàn bộ dữ liệu hiện tại sẽ được thay bằng nội dung của “{name}” "
    "({tasks} nhiệm vụ, kế hoạch {plan}). Nên sao lưu dữ liệu hiện tại trước.",
    "restore_yes": "Phục hồi",
    "restore_done": "Đã phục hồi dữ liệu từ “{name}”.",
    "path_missing": "Hãy nhập đường dẫn tệp.",
}

DESKTOP_FALLBACK = {
    "why_no_flet_desktop": "chưa cài gói flet-desktop {version}",
    "why_no_display": "máy không có màn hình đồ họa (biến DISPLAY trống)",
    "why_no_client": "chưa có chương trình cửa sổ Flet {version} trên máy",
    "how_no_flet_desktop": "Muốn có cửa sổ riêng: cài gói flet-desktop {version} từ USB "
    "(pip install --no-index --find-links <thư mục wheels> flet-desktop=={version}), rồi chép tệp "
    "{artifact} vào máy và đặt biến FLET_CLIENT_URL=file:///đường/dẫn/{artifact} "
    "(xem docs/offline-install.md).",
    "how_no_display": "Muốn có cửa sổ riêng: mở ứng dụng trong phiên làm việc có màn hình đồ họa.",
    "how_no_client": "Muốn có cửa sổ riêng: chép tệp {artifact} (mang từ máy có Internet, xem "
    "docs/offline-install.md) vào máy, rồi đặt biến FLET_CLIENT_URL=file:///đường/dẫn/{artifact} "
    "hoặc FLET_VIEW_PATH=<thư mục chứa chương trình flet đã giải nén> và mở lại ứng dụng.",
    "message": "Không mở được cửa sổ ứng dụng vì {why}.\n"
    "Ứng dụng vẫn chạy đầy đủ trong trình duyệt tại: {url}\n"
    "(chỉ máy này truy cập được; đóng cửa sổ dòng lệnh này để tắt ứng dụng).\n{advice}",
    "serving": "Ứng dụng đang chạy tại {url} (nhấn Ctrl+C để tắt).",
}

UI_ERRORS = {
    "ui_progress_not_number": TASKS["progress_not_number"],
}


def size_text(size: int) -> str:
    """A file size people read: 820 B, 12,4 kB, 3,1 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} kB".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
