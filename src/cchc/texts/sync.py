"""Vietnamese text of synchronisation: command output, error messages by engine code, policy
refusals. NFC, full diacritics."""

from __future__ import annotations

from typing import Any

from cchc.domain import refusals
from sync.errors import SyncError

#: Messages for the sync engine's error codes (`SyncError.code`). The engine's English detail
#: (which may quote a file's bytes) is for logs, never shown.
ERRORS: dict[str, str] = {
    "sync": "Lỗi đồng bộ; không có gì được áp dụng.",
    "format": "Tệp không đúng định dạng gói đồng bộ.",
    "integrity": "Gói dữ liệu bị hỏng hoặc bị sửa.",
    "trust": "Gói dữ liệu không đến từ máy được tin cậy.",
    "usage": "Không thực hiện được việc này.",
    "not_a_bundle": "Tệp này không phải gói dữ liệu đồng bộ.",
    "truncated": "Gói dữ liệu bị cắt cụt, có thể do chép chưa xong hoặc rút USB sớm.",
    "malformed": "Gói dữ liệu sai cấu trúc.",
    "unknown_major_version": "Gói được tạo bởi phiên bản phần mềm mới hơn, máy này chưa đọc được; "
    "hãy cập nhật phần mềm.",
    "unknown_capability": "Gói dùng tính năng máy này chưa hỗ trợ; hãy cập nhật phần mềm.",
    "too_large": "Gói dữ liệu vượt quá giới hạn cho phép.",
    "hash_mismatch": "Gói dữ liệu bị hỏng: mã kiểm tra không khớp.",
    "signature_invalid": "Chữ ký số của gói không hợp lệ: gói bị sửa hoặc giả mạo.",
    "chain_broken": "Chuỗi dữ liệu của một máy bị đứt hoặc bị sửa.",
    "decryption_failed": "Gói được mã hóa cho máy khác, máy này không mở được.",
    "feed_forked": "Một máy đã ký hai lịch sử dữ liệu khác nhau (máy bị sao chép, hoặc khôi phục "
    "từ bản sao lưu cũ cùng thư mục khóa): dữ liệu của máy đó chỉ được giữ đến điểm chung cuối "
    "cùng. Thành phố cần chứng nhận lại máy đó với mã máy mới.",
    "held_limit": "Một máy đã có quá nhiều dữ liệu đang chờ phần trước trên máy này: phần vượt "
    "quá bị từ chối, sẽ nhận lại khi phần còn thiếu đến.",
    "signer_untrusted": "Máy gửi chưa được Thành phố chứng nhận.",
    "signer_revoked": "Khóa của máy gửi đã bị thu hồi.",
    "out_of_scope": "Thay đổi nằm ngoài phạm vi được giao của máy gửi.",
    "taken_back": "Đã gỡ khỏi máy này những thay đổi của một máy đã bị Thành phố thu hồi, gửi sau "
    "thời điểm thu hồi; dữ liệu trở lại như trên máy của Thành phố.",
    "seen_backwards": "Máy gửi khai đã biết ít hơn so với lần gửi trước của chính nó (dữ liệu bị "
    "sửa): các thay đổi trong lần gửi này bị từ chối.",
    "certificate_refused": "Một chứng nhận trong gói không do Thành phố hoặc máy được Thành phố "
    "ủy quyền cấp, nên không được nhận và không chuyển tiếp.",
    "clock_ahead": "Dữ liệu của một máy mang giờ muộn hơn đồng hồ máy này quá 1 giờ: tạm giữ, chưa "
    "áp dụng. Hãy kiểm tra ngày giờ của máy này và của máy gửi.",
    "clock_invalid": "Dữ liệu của một máy mang giờ không thể có (đồng hồ bị sửa): bị từ chối.",
    "constraint_failed": "Một bản ghi có giá trị trái quy tắc dữ liệu (ví dụ tiến độ quá 100%): bị "
    "từ chối, các bản ghi khác vẫn được nhận.",
    "scope_widened": "Chứng nhận cấp quyền rộng hơn quyền của nơi cấp.",
    "root_fingerprint_mismatch": "Mã nhận dạng khóa gốc không khớp với mã được đọc: KHÔNG cài đặt. "
    "Hãy gọi lại Văn phòng Thành phố để đối chiếu.",
    "no_root_installed": "Máy này chưa cài khóa gốc của Thành phố: hãy cài tệp tin cậy Thành phố "
    "gửi về, sau khi đối chiếu mã nhận dạng khóa gốc qua điện thoại.",
    "feed_behind": "Cơ sở dữ liệu này cũ hơn dữ liệu máy đã gửi đi (có thể vừa khôi phục từ bản sao "
    "lưu). Hãy nhập gói đồng bộ từ máy khác hoặc từ Thành phố trước khi gửi.",
    "site_taken": "Mã máy này đã được chứng nhận cho một khóa khác (một máy khác đang dùng). "
    "Chỉ được cấp lại khi đổi khóa, có thu hồi khóa cũ.",
    "not_root": "Chỉ máy giữ khóa gốc của Thành phố mới làm được việc này.",
    "unknown_site": "Không biết máy có mã này.",
    "unknown_conflict": "Không có xung đột đang mở với mã này.",
    "table_not_trackable": "Bảng dữ liệu không đồng bộ được.",
    "key_file_insecure": "Tệp khóa bí mật đang để người khác đọc được; hãy sửa quyền về 0600.",
}


def sync_message(err: SyncError) -> str:
    """The Vietnamese message of an engine error (falls back along the class hierarchy)."""
    for cls in type(err).__mro__:
        code = getattr(cls, "code", None)
        if code in ERRORS:
            return ERRORS[code]
    return ERRORS["sync"]


#: A change taken back because a decision its writer had not seen forbids it: the policy's reason
#: follows.
OVERRULED = "Đã gỡ thay đổi này vì có quyết định mà máy gửi chưa biết khi sửa: {reason}"


def rejection_reason(code: str, reason: str) -> str:
    """A refused row's reason in Vietnamese: the plan's policy gives its key and parameters
    (`domain.refusals`); the engine's own refusals (a clock, a certificate, a table rule) get
    their message by code."""
    if code == "overruled":
        return OVERRULED.format(reason=policy_text(reason))
    if code == "out_of_scope" or code not in ERRORS:
        return policy_text(reason)
    return ERRORS[code]


def policy_text(reason: str) -> str:
    """The words of a policy refusal (`domain.refusals`); any other reason as it is given."""
    found = refusals.decode(reason)
    if found is None or found[0] not in POLICY:
        return reason
    key, params = found
    try:
        return policy_reason(key, **params)
    except (KeyError, IndexError, TypeError):
        return POLICY[key]


def clock_ahead_text(ms: int) -> str:
    """What a user is told when data from a laptop whose clock runs ahead is held."""
    hours, minutes = divmod(max(1, ms // 60000), 60)
    ahead = f"{hours} giờ {minutes} phút" if hours else f"{minutes} phút"
    return CLOCK_AHEAD.format(ahead=ahead)


#: A laptop this one holds no certificate for, named without its site id.
UNKNOWN_LAPTOP = "máy chưa được Thành phố chứng nhận"

CLOCK_AHEAD = (
    "Có dữ liệu ghi giờ muộn hơn đồng hồ máy này khoảng {ahead}: tạm giữ, chưa áp dụng, sẽ tự áp "
    "dụng khi đến giờ đó. Hãy kiểm tra ngày giờ của máy này, và báo máy gửi kiểm tra ngày giờ."
)

#: Reasons the plan's policy gives when it refuses an incoming row ({table}, {row_id} and the
#: sender's {scope} are always given).
POLICY: dict[str, str] = {
    "task_not_led": "nhiệm vụ do đơn vị {units} chủ trì, ngoài phạm vi {scope} của máy gửi",
    "task_plan_fields": "chỉ Thành phố, hoặc lãnh đạo UBND đặc khu khi thực hiện quyết định điều "
    "chỉnh đã phê duyệt, được sửa nội dung kế hoạch của nhiệm vụ ({columns}); phạm vi máy gửi "
    "{scope}",
    "budget_not_led": "kinh phí của nhiệm vụ do đơn vị {unit} chủ trì, ngoài phạm vi {scope}",
    "budget_columns": "máy gửi (phạm vi {scope}) không được ghi các mục kinh phí {columns} của "
    "nhiệm vụ do đơn vị {unit} chủ trì: đơn vị chủ trì lập dự toán, Phòng Tài chính thẩm định, "
    "ghi nhận phân bổ và kiểm tra chi, UBND đặc khu quyết định phân bổ",
    "budget_no_decision": "kinh phí được phân bổ phải kèm số và ngày quyết định của UBND đặc khu",
    "no_task": "bản ghi {table} không gắn với nhiệm vụ nào",
    "task_not_involved": "{table}: nhiệm vụ do {units} chủ trì/phối hợp, ngoài phạm vi {scope}",
    "update_other_unit": "cập nhật tiến độ ghi tên đơn vị {unit}, ngoài phạm vi {scope} của máy "
    "gửi",
    "actor_other_unit": "mục “{column}” của {table} ghi tên đơn vị {unit} thay cho cán bộ của máy "
    "gửi (phạm vi {scope})",
    "zone_report": "chỉ Phòng Văn hóa - Xã hội (đơn vị tổng hợp) được viết báo cáo chung của đặc "
    "khu; phạm vi máy gửi {scope}",
    "report_not_own": "báo cáo của đơn vị {unit}, ngoài phạm vi {scope} của máy gửi",
    "report_locked": "báo cáo đã gửi thì không sửa được nữa; muốn sửa phải lập bản sửa đổi mới",
    "report_transition": "trạng thái báo cáo “{new}” không hợp lệ",
    "amendment_decision": "chỉ lãnh đạo UBND đặc khu (hoặc Thành phố) được phê duyệt/bác đề xuất "
    "điều chỉnh; phạm vi máy gửi {scope}",
    "amendment_decision_fields": "quyết định về đề xuất điều chỉnh phải có số và ngày quyết định",
    "amendment_forwarder": "chỉ Phòng Văn hóa - Xã hội (đơn vị tổng hợp) được chuyển đề xuất "
    "điều chỉnh lên UBND đặc khu; phạm vi máy gửi {scope}",
    "amendment_transition": "đề xuất điều chỉnh không thể chuyển từ “{old}” sang “{new}”",
    "amendment_decided": "đề xuất điều chỉnh đã có quyết định thì không sửa được nữa",
    "amendment_locked": "nội dung đề xuất điều chỉnh ({columns}) không sửa được sau khi đã gửi",
    "amendment_not_own": "đề xuất điều chỉnh của đơn vị {unit}, ngoài phạm vi {scope}",
    "owner_moved": "mục “{column}” của {table} cho biết bản ghi thuộc về ai và không bao giờ được "
    "đổi",
    "row_unknown": "máy này chưa có bản ghi ({table}) mà thay đổi sửa vào",
    "delete_city_only": "chỉ Thành phố được xóa bản ghi {table}",
    "history_append_only": "lịch sử chỉ được ghi thêm, không được sửa hay xóa",
    "blob_delete": "tệp đính kèm {row_id} không bao giờ bị xóa",
    "blob_size": "tệp đính kèm {row_id} dài {size} byte, vượt giới hạn {cap} byte (hoặc ghi sai "
    "kích thước)",
    "blob_unreferenced": "tệp đính kèm {row_id} không thuộc văn bản nào",
    "document_sha256": "văn bản có mã tệp không hợp lệ (cần đúng 64 chữ số hệ mười sáu, viết thường)",
    "table_city_only": "chỉ Thành phố được sửa {table}",
    "plan_file_written": "Kế hoạch đã ban hành được Thành phố ghi một lần, trọn vẹn; không ai "
    "được sửa hay xóa",
    "blob_hash": "nội dung tệp đính kèm {row_id} không khớp mã băm của nó",
    # values outside their column's domain (domain.value_domains), whoever sends them
    "value_not_finite": "mục “{column}” của {table} không phải là một số hữu hạn (NaN hoặc vô cực)",
    "value_not_text": "mục “{column}” của {table} phải là chữ",
    "value_not_date": "mục “{column}” của {table} phải là một ngày",
    "value_date_range": "mục “{column}” của {table} là ngày không hợp lệ hoặc nằm ngoài khoảng "
    "năm {low}–{high}",
    "value_not_number": "mục “{column}” của {table} phải là một số",
    "value_not_whole": "mục “{column}” của {table} phải là số nguyên",
    "value_not_money": "mục “{column}” của {table} phải là số tiền nguyên, tính bằng đồng",
    "value_range": "mục “{column}” của {table} nằm ngoài khoảng cho phép từ {low} đến {high}",
    "value_not_json": "mục “{column}” của {table} không đúng định dạng danh sách/bản ghi",
    "value_not_file": "mục “{column}” của {table} phải là nội dung một tệp",
    "value_not_hex": "mục “{column}” của {table} phải là chữ ký số viết bằng chữ số hệ mười sáu "
    "(viết thường)",
    "value_too_long": "mục “{column}” của {table} dài quá {cap} ký tự",
    "value_hidden_character": "mục “{column}” của {table} chứa ký tự ẩn {char} (ký tự điều khiển "
    "hoặc đảo chiều chữ), có thể làm sai lệch nội dung hiển thị",
}

#: What a synchronised table holds, as officers name it (in refusals and lists).
TABLE_NAMES: dict[str, str] = {
    "tasks": "nhiệm vụ",
    "task_updates": "cập nhật tiến độ",
    "documents": "văn bản kèm theo",
    "history": "lịch sử thay đổi",
    "reports": "báo cáo",
    "report_sections": "nội dung báo cáo",
    "report_tasks": "nhiệm vụ trong báo cáo",
    "report_figures": "số liệu báo cáo",
    "budgets": "kinh phí",
    "amendments": "đề xuất điều chỉnh",
    "attachment_blobs": "tệp đính kèm",
    "plan_files": "Kế hoạch đã ban hành",
}

#: Columns of the synchronised tables as officers name them (a report's figures are named by
#: `cchc.texts.reports.FIGURE_LABELS`).
COLUMN_NAMES: dict[str, str] = {
    "id": "mã bản ghi",
    "stt": "số thứ tự",
    "area": "lĩnh vực",
    "content": "nội dung",
    "subitems": "các ý",
    "lead_unit_id": "đơn vị chủ trì",
    "lead_text": "đơn vị chủ trì (như văn bản)",
    "partners": "đơn vị phối hợp",
    "partner_unit_ids": "đơn vị phối hợp",
    "timeframe": "thời gian thực hiện",
    "deadline_kind": "loại thời hạn",
    "window_start": "ngày bắt đầu",
    "due": "hạn hoàn thành",
    "cadence": "chu kỳ báo cáo",
    "timeframe_flagged": "đánh dấu thời gian chưa rõ",
    "product": "sản phẩm",
    "status": "trạng thái",
    "progress": "tiến độ",
    "plan_year": "năm của Kế hoạch",
    "carried_from": "nhiệm vụ chuyển tiếp từ năm trước",
    # a published plan (plan_files)
    "year": "năm",
    "zone": "đặc khu, xã",
    "source": "nội dung tệp kế hoạch",
    "source_sha256": "mã băm tệp kế hoạch",
    "body": "các dòng của Kế hoạch",
    "carried": "nhiệm vụ chuyển tiếp",
    "loaded_at": "thời điểm nạp",
    "loaded_by": "người nạp",
    "done_on": "ngày hoàn thành",
    "origin": "nguồn giao",
    "source_number": "số văn bản giao",
    "source_date": "ngày văn bản giao",
    "source_issuer": "cơ quan giao",
    "created_at": "thời điểm tạo",
    "updated_at": "thời điểm cập nhật",
    "task_id": "nhiệm vụ",
    "date": "ngày",
    "unit_id": "đơn vị",
    "officer": "cán bộ",
    "note": "ghi chú",
    "doc_type": "loại văn bản",
    "number": "số",
    "title": "trích yếu",
    "sha256": "mã tệp",
    "file_name": "tên tệp",
    "size": "cỡ tệp",
    "added_by": "người đính kèm",
    "at": "thời điểm",
    "actor": "người thực hiện",
    "action": "việc",
    "field": "mục",
    "old_value": "giá trị cũ",
    "new_value": "giá trị mới",
    "scope": "phạm vi",
    "period": "kỳ báo cáo",
    "period_start": "đầu kỳ",
    "period_end": "cuối kỳ",
    "revision": "lần sửa đổi",
    "supersedes": "báo cáo được thay",
    "report_date": "ngày báo cáo",
    "signer_name": "người ký",
    "sources": "báo cáo nguồn",
    "missing_units": "đơn vị chưa gửi",
    "created_by": "người lập",
    "submitted_by": "người nộp",
    "submitted_at": "thời điểm nộp",
    "provenance": "nguồn gốc",
    "content_code": "mã xác thực",
    "issue_snapshot": "bản ban hành",
    "issue_signature": "chữ ký bản ban hành",
    "report_id": "báo cáo",
    "text": "nội dung",
    "state": "tình trạng",
    "estimate": "dự toán",
    "estimate_sent_on": "ngày gửi dự toán",
    "approved": "số được duyệt",
    "approved_on": "ngày duyệt",
    "spent": "số đã chi",
    "updated_by": "người cập nhật",
    "appraised": "số thẩm định",
    "appraised_on": "ngày thẩm định",
    "appraised_by": "người thẩm định",
    "appraisal_note": "ý kiến thẩm định",
    "submitted_on": "ngày trình",
    "decision_number": "số quyết định",
    "decision_date": "ngày quyết định",
    "allocated_by": "người ghi phân bổ",
    "spending_checked_on": "ngày kiểm tra chi",
    "spending_check_note": "kết quả kiểm tra chi",
    "proposal": "nội dung đề xuất",
    "reason": "lý do",
    "proposed_by": "người đề xuất",
    "proposed_at": "thời điểm đề xuất",
    "forwarded_by": "người chuyển",
    "forwarded_at": "thời điểm chuyển",
    "decided_by": "người quyết định",
    "decided_at": "thời điểm quyết định",
    "data": "nội dung tệp",
}


def flagged_text(columns: list[str]) -> str:
    """What a reader says of values an older copy let in outside their domain."""
    names = ", ".join(f"“{column_name(c)}”" for c in columns)
    return (
        f"{names}: giá trị đã lưu nằm ngoài khoảng cho phép (do một bản cũ của ứng dụng nhận), "
        "được hiển thị là trống"
    )


def column_name(column: str) -> str:
    from cchc.texts.reports import FIGURE_LABELS

    return COLUMN_NAMES.get(column) or FIGURE_LABELS.get(column) or column


def policy_reason(key: str, *, table: str, row_id: str, scope: list[str], **fields: Any) -> str:
    """Why the plan's policy refuses a row, in words: tables and columns by their Vietnamese
    names, the sender's scope as a list of units."""
    values = {k: v for k, v in fields.items()}
    values["table"] = TABLE_NAMES.get(table, table)
    values["row_id"] = row_id
    values["scope"] = ", ".join(scope) or "—"
    if "column" in values:
        values["column"] = column_name(str(values["column"]))
    if "columns" in values:
        values["columns"] = ", ".join(column_name(c) for c in str(values["columns"]).split(", "))
    return POLICY[key].format(**values)


CLI: dict[str, str] = {
    "export_clear": "Lưu ý: gói này KHÔNG được mã hóa (đã chọn --no-encrypt): ai cầm được tệp "
    "(USB, hộp thư) cũng đọc được nội dung.",
    "export_clear_no_city": "Lưu ý: gói này không được mã hóa vì máy chưa cài tệp tin cậy của "
    "Thành phố nên chưa biết nơi nhận: ai cầm được tệp cũng đọc được nội dung. Sau khi cài tệp "
    "tin cậy, gói được mã hóa cho máy của đơn vị tổng hợp và của Thành phố.",
    "export_sealed": "Gói được mã hóa: chỉ máy của {readers} mở được (nếu cần ghi gói không "
    "mã hóa, dùng --no-encrypt).",
    "export_uncertified": "Cảnh báo: máy này chưa được Thành phố chứng nhận, nên các máy nhận sẽ "
    "từ chối gói này. Hãy gửi tệp yêu cầu chứng nhận (màn hình Đồng bộ) cho Thành phố.",
    "root_made": "Máy này đã trở thành máy gốc của Thành phố.\nMã nhận dạng khóa gốc (đọc cho "
    "các máy đơn vị khi cài đặt): {fingerprint}",
    "certified": "Đã cấp chứng nhận cho máy {site_id} (vai trò {role}, đơn vị {units}); "
    "tệp: {path}",
    "installed": "Đã cài khóa gốc {root_fingerprint}. Máy này: vai trò {role}, đơn vị {units}.",
    "installed_hub": "Máy chủ đồng bộ của Thành phố: {url} (đã ghi nhớ mã nhận dạng chứng chỉ).",
    "revoked": "Đã thu hồi {count} khóa của máy {site_id}. Những gì máy đó đã gửi tới máy này vẫn "
    "được giữ ở mọi nơi; mọi thay đổi nó gửi sau đó sẽ bị từ chối và được gỡ khỏi các máy đã "
    "nhận. Hãy gửi gói đồng bộ để các máy khác biết.",
    "exported": "Đã ghi gói đồng bộ:",
    "nothing_to_import": "Không tìm thấy gói nào để nhập trong: {paths}",
    "import_waiting": "{source}: đã nhận phần, gói {sha8} còn thiếu phần {missing}",
    "status_site": "Máy: {site_id}\nMã nhận dạng khóa: {fingerprint}\nKhóa gốc: {root}\n"
    "Vai trò: {role}; đơn vị: {units}",
    "status_counts": "Thay đổi chưa gửi niêm phong: {unsealed}; xung đột đang mở: {conflicts}; "
    "lần từ chối đã ghi: {rejections}",
    "status_vector": "Đã nhận từ máy {origin}: đến số {seq}",
    "status_held": "Đang chờ phần trước: máy {origin}, số {first}–{last}",
    "no_root": "(chưa cài)",
    "no_conflicts": "Không có xung đột nào đang mở.",
    "conflict_line": "#{id} {table} {row_id} cột {column}: giữ “{kept}” (máy {kept_origin}), "
    "bị thay “{lost}” (máy {lost_origin})",
    "resolved": "Đã giải quyết xung đột #{id}: {what}.",
    "resolved_other": "ghi lại giá trị bị thay, sẽ được gửi đi ở lần đồng bộ sau",
    "resolved_current": "giữ giá trị hiện tại",
    "bad_public_key": "Khóa công khai không hợp lệ: “{value}” (cần 64 ký tự hex).",
    "bad_role": "Vai trò “{value}” không hợp lệ; chọn city, leadership, consolidator, finance "
    "hoặc unit.",
    "file_unreadable": "Không đọc được tệp “{value}”: {reason}.",
    "pushed": "Đã gửi gói {sha8} ({size} byte) lên {url}: áp dụng {applied}, đã có {duplicate}, "
    "bị từ chối {rejected}.",
    "pulled": "Đã nhận gói từ {url}: áp dụng {applied}, đã có {duplicate}, chờ {held}, "
    "bị từ chối {rejected}.",
    "pulled_nothing": "Máy chủ {url} không có gì mới cho máy này.",
    "serving": "Máy chủ đồng bộ đang chạy tại {url} (Ctrl+C để dừng).",
    "serving_fingerprint": "Mã nhận dạng chứng chỉ TLS của máy chủ (SHA-256), gửi kèm tệp tin "
    "cậy cho các máy: {fingerprint}",
    "serving_plain": "Cảnh báo: máy chủ nhận kết nối từ máy khác mà không có TLS; hãy dùng "
    "--tls-cert và --tls-key.",
    "hub_cert_made": "Đã tạo chứng chỉ {cert} và khóa {key} (giữ kín tệp khóa).",
    "tls_pair": "Cần cả --tls-cert và --tls-key.",
    "encrypt_conflict": "Không thể dùng --encrypt-to cùng với --no-encrypt.",
    "emails_written": "Đã ghi {count} thư (.eml) gửi {to}:",
    "emails_sent": "Đã gửi {count} thư tới {to}.",
}


#: Carrier (hub, TLS) refusals by code: the transport's own code, or the hub's `remote_code`.
TRANSPORT: dict[str, str] = {
    "disk_full": "Ổ đĩa đích đã đầy: tệp chưa được ghi, không có gì dở dang. Hãy giải phóng dung "
    "lượng hoặc dùng USB khác rồi làm lại.",
    "write_failed": "Không ghi được tệp vào nơi đã chọn: USB có thể đã bị rút, khóa ghi, hoặc "
    "không có quyền ghi. Không có gì dở dang; hãy làm lại.",
    "invalid_part_size": "Cỡ mỗi phần thư không hợp lệ: hãy chọn một cỡ lớn hơn 0 và không quá "
    "giới hạn của hộp thư.",
    "mail_failed": "Máy chủ thư không nhận thư: hãy kiểm tra địa chỉ máy chủ thư, tên đăng nhập "
    "và mật khẩu, hoặc gửi các tệp thư bằng chương trình thư của cơ quan.",
    "remote_rejected": "Máy chủ đồng bộ từ chối yêu cầu.",
    "http_error": "Máy chủ đồng bộ trả lời lỗi; hãy thử lại sau.",
    "unsigned": "Máy chủ chỉ nhận yêu cầu có chữ ký của máy đã được chứng nhận.",
    "bad_signature": "Máy chủ không kiểm tra được chữ ký của yêu cầu.",
    "stale_signature": "Đồng hồ của máy này lệch quá nhiều so với máy chủ; hãy chỉnh lại giờ.",
    "replayed": "Máy chủ từ chối một yêu cầu bị gửi lặp lại.",
    "wrong_hub": "Yêu cầu được ký cho một máy chủ khác, nên máy chủ này từ chối. Hãy kiểm tra "
    "địa chỉ máy chủ đồng bộ đã nhập.",
    "untrusted_key": "Máy chủ không nhận khóa của máy này: chưa được Thành phố chứng nhận hoặc "
    "đã bị thu hồi. Hãy liên hệ Văn phòng Thành phố.",
    "too_many_uploads": "Máy này đang có quá nhiều lần gửi dở trên máy chủ; hãy thử lại sau.",
    "quota_exceeded": "Dung lượng gửi dở của máy này trên máy chủ đã hết; hãy thử lại sau.",
    "plain_http_refused": "Không gửi dữ liệu không mã hóa tới máy khác: hãy dùng địa chỉ bắt "
    "đầu bằng HTTPS cùng mã nhận dạng chứng chỉ của máy chủ.",
    "hub_cannot_start": "Không khởi động được máy chủ đồng bộ: cổng đang được dùng, không có "
    "quyền, hoặc không đọc được chứng chỉ TLS.",
    "bad_fingerprint": "Mã nhận dạng chứng chỉ không hợp lệ: cần đủ 64 chữ số hệ 16 (có thể "
    "có dấu hai chấm).",
    "tls_pin_mismatch": "Chứng chỉ của máy chủ không khớp với mã nhận dạng đã được cấp: có thể "
    "đang kết nối nhầm hoặc bị giả mạo. KHÔNG gửi dữ liệu; hãy gọi Văn phòng Thành phố.",
    "transport_error": "Không đọc được.",
    "not_a_bundle": "Không phải gói dữ liệu đồng bộ.",
    "part_corrupt": "Phần của gói bị hỏng hoặc bị sửa.",
    "parts_missing": "Gói chưa đủ các phần.",
    "hash_mismatch": "Các phần ghép lại không đúng gói đã báo.",
    "unknown_version": "Phần của gói do phiên bản phần mềm mới hơn tạo ra; hãy cập nhật phần mềm.",
    "too_large": "Vượt quá giới hạn cho phép nên không nhập.",
    "unsafe_file": "Bỏ qua vì không phải tệp thường (liên kết tượng trưng hoặc thiết bị).",
}


def transport_message(err: Exception) -> str | None:
    """The Vietnamese message of a carrier refusal we know, else None (the caller's default)."""
    params = getattr(err, "params", {}) or {}
    code = params.get("remote_code") or getattr(err, "code", None)
    text = TRANSPORT.get(str(code))
    return text
