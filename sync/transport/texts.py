"""Default Vietnamese wording of the carrier's e-mails (NFC); the app may pass its own templates.

Placeholders: {index}, {count}, {sha8}, {size} (bundle bytes), {filename} (the attachment).
"""

from __future__ import annotations

EMAIL_SUBJECT = "Gói dữ liệu đồng bộ {sha8} — phần {index}/{count}"

EMAIL_BODY = """\
Kính gửi đồng chí,

Thư này mang phần {index} trên tổng số {count} phần của một gói dữ liệu đồng bộ \
(mã gói {sha8}, {size} byte), đính kèm dưới tên tệp {filename}.

Cách nhập: lưu thư này (tệp .eml) hoặc tệp đính kèm vào máy, rồi trong ứng dụng chọn \
“Đồng bộ” → “Nhập gói”, hoặc chạy lệnh: cchc sync import <đường dẫn tệp>.
Các phần có thể nhập theo bất kỳ thứ tự nào và trong nhiều lần nhập khác nhau; \
gói chỉ được áp dụng khi đã đủ {count} phần và chữ ký hợp lệ.

Thư được tạo tự động, xin đừng sửa nội dung tệp đính kèm.
"""
