"""Texts of the Đồng bộ screen and the dashboard's "last exchanged" panel (Vietnamese, NFC)."""

from __future__ import annotations

SYNC = {
    "title": "Đồng bộ dữ liệu",
    "intro": (
        "Trao đổi dữ liệu với các máy khác và với Thành phố: qua thư mục hoặc USB, qua thư điện "
        "tử, hoặc qua mạng khi có kết nối. Mọi gói đều được ký số và kiểm tra khi nhập."
    ),
    "me_heading": "Máy này",
    "site_id": "Mã máy",
    "fingerprint": "Mã nhận dạng khóa của máy này (đọc qua điện thoại để Thành phố đối chiếu)",
    "root": "Mã nhận dạng khóa gốc của Thành phố đã cài",
    "root_none": "Chưa cài khóa gốc của Thành phố",
    "role": "Vai trò",
    "units": "Đơn vị",
    "certified_yes": "Đã được Thành phố chứng nhận: {role} · {units}.",
    "certified_no": "CHƯA được Thành phố chứng nhận. Máy này được đặt cho {units} ({role}); các "
    "máy khác sẽ từ chối dữ liệu của máy này cho tới khi cài tệp chứng nhận.",
    "certified_no_unit": "CHƯA được Thành phố chứng nhận và chưa chọn đơn vị: hãy chọn đơn vị "
    "của máy này trong Cài đặt trước.",
    "is_root": "Máy này giữ khóa gốc của Thành phố: chứng nhận các máy ở mục bên dưới.",
    "counts": "Xung đột đang mở: {conflicts} · Lần từ chối đã ghi: {rejections}",
    # certification, laptop side
    "request_heading": "Xin chứng nhận của Thành phố",
    "request_steps": (
        "1. Lưu tệp yêu cầu chứng nhận (vào ổ USB hoặc tải về) và gửi cho Thành phố. "
        "2. Đọc mã nhận dạng khóa ở trên qua điện thoại để Thành phố đối chiếu. "
        "3. Khi nhận tệp chứng nhận (.trust), cài nó ở mục bên dưới với mã khóa gốc Thành phố đọc."
    ),
    "request_folder": "Thư mục lưu tệp yêu cầu (ví dụ ổ USB)",
    "request_save": "Lưu tệp yêu cầu vào thư mục",
    "request_download": "Tải tệp yêu cầu về",
    "request_saved": "Đã lưu tệp yêu cầu chứng nhận: {path}",
    "request_sent": "Đã gửi tệp {name} về trình duyệt.",
    # certification, city side
    "certify_heading": "Chứng nhận một máy (Thành phố)",
    "certify_intro": "Chọn tệp yêu cầu của máy cần chứng nhận, đối chiếu mã nhận dạng khóa với "
    "mã cán bộ của máy đó đọc qua điện thoại, rồi chứng nhận.",
    "request_file": "Đường dẫn tệp yêu cầu chứng nhận (.yeucau)",
    "request_pick": "Chọn tệp yêu cầu…",
    "request_read": "Đọc tệp",
    "request_shown": "Yêu cầu chứng nhận của cán bộ {officer}.",
    "request_unit": "Đơn vị theo danh mục: {name} (mã {code}). Máy yêu cầu tự ghi: “{claimed}”.",
    "request_unit_unknown": "Mã đơn vị “{code}” trong tệp yêu cầu không có trong danh mục đơn vị "
    "của kế hoạch. Máy yêu cầu tự ghi: “{claimed}”.",
    "request_unit_none": "Tệp yêu cầu không nêu đơn vị: hãy chọn đơn vị bên dưới.",
    "request_unit_differs": "⚠ Tên máy yêu cầu tự ghi khác tên trong danh mục: hãy gọi điện "
    "hỏi lại trước khi chứng nhận.",
    "request_role_none": "Vai trò chưa được chọn sẵn: đơn vị này không có máy riêng (cơ quan của "
    "Thành phố, nhóm hoặc đơn vị ngoài đặc khu). Hãy tự chọn vai trò.",
    "request_fp": "Mã nhận dạng khóa trong tệp (phải trùng mã được đọc qua điện thoại):",
    "certify_unit": "Đơn vị được chứng nhận",
    "certify_role": "Vai trò",
    "certify_folder": "Thư mục lưu tệp chứng nhận",
    "certify": "Chứng nhận máy này",
    "certified": "Đã chứng nhận {unit} ({role}); tệp chứng nhận: {path}. Hãy gửi tệp này cho "
    "máy đó và đọc cho họ mã khóa gốc: {root}.",
    "request_missing": "Hãy chọn hoặc nhập tệp yêu cầu chứng nhận.",
    # uncertified warning
    "uncertified_title": "Máy này chưa được chứng nhận",
    "uncertified_body": "Thành phố chưa chứng nhận máy này, nên mọi máy nhận sẽ TỪ CHỐI gói dữ "
    "liệu này. Hãy xin chứng nhận trước (mục “Máy này”). Vẫn tạo gói?",
    "uncertified_go": "Vẫn tạo gói",
    # send queue
    "queue_heading": "Chưa gửi",
    "send_now": "Gửi ngay",
    "send_hint": "Gửi lên máy chủ khi có kết nối; nếu không, ghi gói vào ổ USB hoặc thư mục đã chọn "
    "ở mục Xuất gói.",
    # drives
    "drive": "Ổ USB đang cắm",
    "drive_none": "Không thấy ổ USB nào: hãy cắm ổ rồi bấm Làm mới, hoặc nhập đường dẫn.",
    "drive_refresh": "Làm mới danh sách ổ",
    "drive_option": "{name} ({path})",
    "last_export": "Lần xuất gói gần nhất: {when} ({where})",
    "never_exported": "Máy này chưa xuất gói nào.",
    # export
    "export_heading": "Xuất gói ra thư mục hoặc USB",
    "export_folder": "Thư mục nhận gói (ví dụ ổ USB)",
    "pick_folder": "Chọn thư mục…",
    "part_size": "Chia nhỏ mỗi phần (MB, để trống nếu không chia)",
    "export": "Xuất gói",
    "exporting": "Đang xuất gói…",
    "exported": "Đã ghi {count} tệp vào {folder}: {names}",
    "sealed_for": "Gói được mã hóa: chỉ máy của {readers} mở được.",
    "sealed_clear": "Lưu ý: gói KHÔNG được mã hóa vì máy chưa cài tệp tin cậy của Thành phố: ai "
    "cầm được tệp cũng đọc được nội dung.",
    "folder_missing": "Hãy nhập thư mục.",
    "part_size_bad": "Kích thước phần phải là số MB lớn hơn 0: đã nhập “{value}”.",
    # import
    "import_heading": "Nhập gói",
    "import_paths": "Đường dẫn tệp hoặc thư mục cần nhập (mỗi dòng một đường dẫn)",
    "pick_files": "Chọn tệp…",
    "import": "Nhập",
    "importing": "Đang nhập…",
    "paths_missing": "Hãy nhập ít nhất một đường dẫn tệp hoặc thư mục.",
    "path_not_found": "Không tìm thấy “{value}”.",
    "file_applied": "Áp dụng: {what}",
    "file_applied_nothing": "Áp dụng: không có gì mới từ tệp này.",
    "file_held": "Một phần dữ liệu được giữ lại, chờ phần trước của nó.",
    "file_conflicts": "Có {count} xung đột (xem mục Xung đột bên dưới).",
    "file_refused": "TỪ CHỐI: {reason}",
    "file_duplicate": "Gói này đã nhập trước đây; không có gì mới.",
    "file_staged": "Đã nhận một phần của gói; đang chờ các phần còn lại.",
    "file_part": "Phần {index}/{count} của gói {name}: {state}.",
    "part_whole": "đã đủ {count}/{count}",
    "part_some": "đã có {have}/{count}",
    "waiting": "Một gói còn thiếu các tệp: {missing}",
    "rejection": "Bị từ chối: {reason}",
    "nothing_found": "Không tìm thấy gói nào để nhập trong các đường dẫn đã nêu.",
    # e-mail
    "email_heading": "Tạo thư điện tử (.eml)",
    "email_to": "Gửi đến địa chỉ",
    "email_folder": "Thư mục lưu thư",
    "email_part": "Giới hạn mỗi thư (MB)",
    "email_write": "Tạo tệp thư",
    "emails_written": "Đã tạo {count} thư gửi {to} trong {folder}. Hãy gửi chúng từ phần mềm "
    "thư của cơ quan.",
    "email_to_missing": "Hãy nhập địa chỉ thư nhận.",
    "letter_line": "{name} — {size}",
    "letter_size_bad": "Giới hạn mỗi thư phải là số MB từ 0,02 đến 2000 (thư điện tử của cơ "
    "quan thường nhận tới 10 MB): đã nhập “{value}”.",
    # http
    "http_heading": "Đồng bộ qua mạng (máy chủ của Thành phố)",
    "hub_url": "Địa chỉ máy chủ đồng bộ (ví dụ https://10.0.0.5:8443)",
    "hub_fingerprint": "Mã nhận dạng chứng chỉ của máy chủ (SHA-256, Thành phố cấp kèm tệp tin "
    "cậy; chỉ cần nhập một lần)",
    "check": "Kiểm tra kết nối",
    "link_unknown": "Chưa kiểm tra kết nối",
    "link_up": "Kết nối được với máy chủ — có thể đồng bộ ngay",
    "link_down": "Không kết nối được với máy chủ",
    "push": "Gửi lên máy chủ",
    "pull": "Nhận về từ máy chủ",
    "pushed": "Đã gửi {size} byte lên máy chủ: áp dụng {applied}, đã có {duplicate}, "
    "từ chối {rejected} (nối lại {resumes} lần).",
    "pulled_nothing": "Máy chủ không có gì mới cho máy này.",
    "pulled_units": "Đã nhận từ máy chủ:",
    "url_missing": "Hãy nhập địa chỉ máy chủ.",
    "transport_failed": "Không trao đổi được với máy chủ: {error}",
    # conflicts
    "conflicts_heading": "Xung đột (hai nơi cùng sửa một ô dữ liệu)",
    "no_conflicts": "Không có xung đột nào đang mở.",
    "conflict_line": "{what}: {column}",
    "conflict_values": "Đang giữ: “{kept}” (của {kept_origin}) · Bị thay: “{lost}” "
    "(của {lost_origin})",
    "keep_other": "Giữ giá trị của máy kia",
    "keep_other_title": "Giữ giá trị của máy kia?",
    "keep_other_confirm": "Ghi lại giá trị “{lost}” thay cho “{kept}” ({what}, {column}). "
    "Thay đổi sẽ được gửi đi ở lần đồng bộ sau.",
    "keep_other_yes": "Giữ giá trị này",
    "resolved": "Đã giữ giá trị “{value}” cho {what}, {column}.",
    # trust
    "trust_heading": "Khóa và chứng nhận",
    "peers_heading": "Các máy đã được chứng nhận",
    "no_peers": "Chưa có chứng nhận nào. Hãy gửi mã nhận dạng khóa của máy này cho Thành phố, "
    "rồi cài tệp chứng nhận nhận về.",
    "peer_me": "(máy này)",
    "peer_revoked": "ĐÃ THU HỒI",
    "peer_last": "Trao đổi gần nhất: {when}",
    "peer_never": "Chưa trao đổi",
    "install_heading": "Cài tệp chứng nhận nhận từ Thành phố",
    "trust_file": "Đường dẫn tệp chứng nhận (.trust)",
    "root_typed": "Mã nhận dạng khóa gốc (do Thành phố đọc qua điện thoại)",
    "install": "Kiểm tra và cài đặt",
    "installed": "Đã cài khóa gốc {root}. Máy này: vai trò {role}, đơn vị {units}.",
    "trust_file_missing": "Hãy nhập đường dẫn tệp chứng nhận.",
    "root_missing": "Hãy nhập mã nhận dạng khóa gốc được đọc qua điện thoại.",
    "city": "Thành phố",
    "all_units": "tất cả đơn vị",
    "how_import": "nhập gói",
    "how_push": "gửi qua mạng",
    "how_pull": "nhận qua mạng",
    "how_folder": "thư mục/USB",
    "how_email": "thư điện tử",
}

# A synchronised row as people name it: "{which}" is a task's number, a report's period and unit…
ROW_LABELS = {
    "tasks": "Nhiệm vụ {which}",
    "task_updates": "Cập nhật nhiệm vụ {which}",
    "documents": "Văn bản {which}",
    "reports": "Báo cáo {which}",
    "report_sections": "Nội dung báo cáo {which}",
    "report_tasks": "Nhiệm vụ trong báo cáo {which}",
    "report_figures": "Số liệu báo cáo {which}",
    "budgets": "Kinh phí {which}",
    "amendments": "Đề xuất điều chỉnh {which}",
}
COLUMN_LABELS = {
    "status": "trạng thái",
    "progress": "tiến độ",
    "done_on": "ngày hoàn thành",
    "due": "hạn hoàn thành",
    "note": "ghi chú",
    "updated_at": "thời điểm cập nhật",
    "text": "nội dung",
    "content": "nội dung",
}

#: The plan's roles as a laptop's card names them (every role the trust chain knows).
ROLE_LABELS = {
    "unit": "Đơn vị",
    "consolidator": "Đơn vị tổng hợp",
    "finance": "Phòng Tài chính (thẩm định, phân bổ kinh phí)",
    "leadership": "Lãnh đạo UBND đặc khu",
    "city": "Thành phố",
}

DASHBOARD_SYNC = {
    "heading": "Trao đổi dữ liệu gần nhất",
    "line": "Trao đổi gần nhất với {name}: {when} ({how})",
    "none": "Máy này chưa trao đổi dữ liệu với máy nào.",
    "export": "Xuất gói gần nhất: {when}",
    "today": "hôm nay, {time}",
    "open": "Mở Đồng bộ",
}


def group_fingerprint(fp: str) -> str:
    """A fingerprint in groups of four, spaced to be read out over the phone."""
    return "  ".join(fp.split("-"))
