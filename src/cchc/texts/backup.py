"""Vietnamese messages of backup and restore."""

MESSAGES = {
    "backup_onto_live": "Không thể sao lưu hay phục hồi đè lên chính cơ sở dữ liệu đang dùng "
    "(“{value}”). Hãy chọn tệp khác.",
    "backup_target_is_folder": "“{value}” là một thư mục; hãy cho tên tệp sao lưu.",
    "backup_unreadable": "Tệp “{value}” bị hỏng hoặc không phải bản sao lưu cơ sở dữ liệu. "
    "Dữ liệu hiện tại không thay đổi.",
    "backup_not_cchc": "Tệp “{value}” không phải bản sao lưu của ứng dụng theo dõi cải cách hành "
    "chính. Dữ liệu hiện tại không thay đổi.",
    "backup_newer": "Tệp “{value}” được tạo bởi phiên bản mới hơn của ứng dụng (cấu trúc số "
    "{version}); hãy cập nhật ứng dụng trước khi phục hồi. Dữ liệu hiện tại không thay đổi.",
}
