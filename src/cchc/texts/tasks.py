"""Vietnamese labels for tasks: statuses, derived states, deadline kinds, cadences."""

STATUS_LABELS = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done": "Đã hoàn thành",
}

STATE_LABELS = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn",
}

DEADLINE_KIND_LABELS = {
    "hard_date": "Hạn cố định",
    "window": "Trong khoảng thời gian",
    "year": "Cả năm",
    "standing": "Thường xuyên",
    "set_later": "Hạn sẽ được xác định sau",
    "on_demand": "Khi có yêu cầu",
    "unparsed": "Chưa đọc được thời hạn",
}

CADENCE_LABELS = {
    "monthly": "báo cáo hằng tháng",
    "quarterly": "báo cáo hằng quý",
    "half_yearly": "báo cáo 6 tháng một lần",
    "yearly": "báo cáo hằng năm",
}

ORIGIN_LABELS = {
    "plan": "Kế hoạch",
    "city": "UBND thành phố giao",
    "zone": "UBND đặc khu giao",
}

HISTORY_ACTIONS = {
    "created": "tạo nhiệm vụ",
    "updated": "cập nhật",
    "noted": "ghi chú",
    "document_added": "đính kèm văn bản",
    "amended": "điều chỉnh theo quyết định",
}

FIELD_LABELS = {
    "status": "trạng thái",
    "progress": "tiến độ",
    "done_on": "ngày hoàn thành",
    "due": "hạn hoàn thành",
    "note": "ghi chú",
    "document": "văn bản",
    "decision": "quyết định",
    "dropped": "đưa ra khỏi kế hoạch",
    "content": "nội dung",
    "lead_unit_id": "đơn vị chủ trì",
    "lead_text": "đơn vị chủ trì",
    "window_start": "ngày bắt đầu",
    "deadline_kind": "loại thời hạn",
    "cadence": "kỳ báo cáo",
    "timeframe": "thời gian thực hiện",
    "product": "sản phẩm",
}

#: An approved amendment in a task's history: the decision, a drop, and each field it changed.
HISTORY_AMENDED = {
    "decision": "điều chỉnh theo Quyết định {new}",
    "dropped": "bãi bỏ khỏi Kế hoạch theo Quyết định {new}",
    "field": "điều chỉnh {field} từ “{old}” sang “{new}”",
}

CLI = {
    "init_done": "Đã sẵn sàng: {path} — kế hoạch {plan} với {tasks} nhiệm vụ.",
    "no_tasks": "Không có nhiệm vụ nào khớp điều kiện lọc.",
    "updated": "Đã cập nhật nhiệm vụ {ref}: {state}, tiến độ {progress}%.",
    "added": "Đã thêm nhiệm vụ {id}.",
    "timeframe_flagged": "Lưu ý: chưa đọc được thời hạn “{value}”; đã giữ nguyên văn và đánh dấu "
    "để xác định sau.",
    "profile_saved": "Đã lưu. Máy này thuộc: {unit} ({code}); cán bộ: {officer}.",
    "overdue_heading": "Quá hạn",
    "due_soon_heading": "Đến hạn trong {days} ngày",
    "nothing_due": "Không có nhiệm vụ quá hạn hay sắp đến hạn.",
}
