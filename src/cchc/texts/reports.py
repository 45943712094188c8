"""Vietnamese texts of the reports area: figure names, states, PDF labels and error messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# ---- figures ----------------------------------------------------------------------------------
FIGURE_LABELS: dict[str, str] = {
    "received_direct": "Hồ sơ tiếp nhận trực tiếp",
    "received_online_full": "Hồ sơ tiếp nhận trực tuyến toàn trình",
    "received_online_partial": "Hồ sơ tiếp nhận trực tuyến một phần",
    "received_postal": "Hồ sơ tiếp nhận qua dịch vụ bưu chính công ích",
    "carried_over": "Hồ sơ kỳ trước chuyển sang",
    "resolved_early": "Hồ sơ giải quyết trước hạn",
    "resolved_on_time": "Hồ sơ giải quyết đúng hạn",
    "resolved_late": "Hồ sơ giải quyết quá hạn",
    "pending_within_time": "Hồ sơ đang giải quyết trong hạn",
    "pending_overdue": "Hồ sơ đang giải quyết quá hạn",
    "returned": "Hồ sơ trả lại",
    "withdrawn": "Hồ sơ rút",
    "dossiers_tracked": "Hồ sơ được theo dõi trạng thái trên Hệ thống của thành phố",
    "payments_total": "Giao dịch thanh toán dịch vụ công",
    "payments_online": "Giao dịch thanh toán trực tuyến",
    "survey_very_satisfied": "Phiếu đánh giá: rất hài lòng",
    "survey_satisfied": "Phiếu đánh giá: hài lòng",
    "survey_neutral": "Phiếu đánh giá: bình thường",
    "survey_dissatisfied": "Phiếu đánh giá: không hài lòng",
    "pakn_received": "Phản ánh, kiến nghị tiếp nhận",
    "pakn_answered_on_time": "Phản ánh, kiến nghị trả lời đúng hạn",
    "inspections_held": "Cuộc kiểm tra công tác cải cách hành chính",
    "legal_docs_reviewed": "Văn bản quy phạm pháp luật được rà soát, kiểm tra",
    "par_index": "Chỉ số cải cách hành chính (PAR Index) năm nay",
    "par_index_previous": "Chỉ số cải cách hành chính (PAR Index) năm trước",
    "tthc_to_publish": "Số thủ tục hành chính phải công khai trong kỳ",
    "tthc_published_on_time": "Số thủ tục hành chính đã công khai đầy đủ, đúng thời hạn",
    "tthc_in_force": "Số thủ tục hành chính đang có hiệu lực",
    "tthc_on_portal": "Số thủ tục hành chính đã công khai trên Cổng thông tin điện tử đặc khu",
    "service_satisfaction": (
        "Mức độ hài lòng về sự phục vụ của Ủy ban nhân dân đặc khu (%, kết quả đo lường "
        "cùng Sở Nội vụ)"
    ),
}
# The figures whose names say the zone's kind, as a document of a plan words them: "{kind}" is
# the kind of the zone of the report's plan ("xã", "đặc khu"); FIGURE_LABELS words them for
# screens and messages.
ZONE_FIGURE_LABELS: dict[str, str] = {
    "tthc_on_portal": "Số thủ tục hành chính đã công khai trên Cổng thông tin điện tử {kind}",
    "service_satisfaction": (
        "Mức độ hài lòng về sự phục vụ của Ủy ban nhân dân {kind} (%, kết quả đo lường "
        "cùng Sở Nội vụ)"
    ),
}
#: The scores carry the year they measure (issue 19): the report's year, and for the PAR Index
#: also the year it is compared with; "{kind}" as above.
SCORE_LABELS: dict[str, str] = {
    "par_index": "Chỉ số cải cách hành chính (PAR Index) năm {year}",
    "par_index_previous": "Chỉ số cải cách hành chính (PAR Index) năm {previous}",
    "service_satisfaction": (
        "Mức độ hài lòng về sự phục vụ của Ủy ban nhân dân {kind} năm {year} (%, kết quả đo "
        "lường cùng Sở Nội vụ)"
    ),
}
SCORE_MEASURES: dict[str, str] = {
    "par_index": "Chỉ số PAR Index năm {year} so với năm {previous}",
    "satisfaction_service": "Hài lòng về sự phục vụ của Ủy ban nhân dân {kind} năm {year}",
}
#: Targets on scores, by what they measure: the years they compare.
SCORE_TARGET_YEARS: dict[str, str] = {
    "par_index": "năm {year} so với năm {previous}",
    "satisfaction_rate": "năm {year}",
}
#: The one date a report states every task line at (its cut-off, or its date if earlier).
TASKS_AS_OF = (
    "Tình hình thực hiện nhiệm vụ nêu trong báo cáo này và tại Phụ lục được tính đến hết ngày "
    "{date}."
)
SCORE_IMPROVED = "Cao hơn năm {previous}"
SCORE_READINGS: dict[str, str] = {
    "par_index": "Đạt khi chỉ số năm {year} cao hơn chỉ số năm {previous}."
}


def _words(template: str, kind: str, year: int | None) -> str:
    """A template filled with the zone's kind and the years; no double space when no kind."""
    previous = year - 1 if year is not None else None
    return template.format(kind=kind, year=year, previous=previous).replace("  ", " ")


def improved_text(year: int | None = None) -> str:
    """What the PAR Index target asks, naming the year it is compared with when known."""
    return TARGET_IMPROVED if year is None else SCORE_IMPROVED.format(previous=year - 1)


def figure_label(name: str, kind: str = "", year: int | None = None) -> str:
    """A figure's name in a document of a zone of this kind; a score's names the year it
    measures when the year is known."""
    if year is not None and name in SCORE_LABELS:
        return _words(SCORE_LABELS[name], kind, year)
    template = ZONE_FIGURE_LABELS.get(name)
    if template is not None and kind:
        return template.format(kind=kind)
    return FIGURE_LABELS.get(name, name)


TOTAL_LABELS: dict[str, str] = {
    "received": "Tổng hồ sơ tiếp nhận mới",
    "to_handle": "Tổng hồ sơ phải giải quyết",
    "resolved": "Tổng hồ sơ đã giải quyết",
    "pending": "Tổng hồ sơ đang giải quyết",
}
RATE_LABELS: dict[str, str] = {
    "on_time_rate": "Tỷ lệ giải quyết trước hạn và đúng hạn",
    "online_payment_share": "Tỷ lệ thanh toán trực tuyến",
    "satisfaction": "Mức độ hài lòng",
    "tracked_rate": "Tỷ lệ hồ sơ được theo dõi trên Hệ thống",
    "online_dossier_share": "Tỷ lệ hồ sơ trực tuyến",
    "pakn_on_time_rate": "Tỷ lệ phản ánh, kiến nghị trả lời đúng hạn",
}

# ---- states and statuses ---------------------------------------------------------------------
TASK_STATES: dict[str, str] = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn",
    "done": "Hoàn thành",
    "dropped": "Bãi bỏ",
}
TARGET_STATUS: dict[str, str] = {
    "met": "Đạt",
    "on_track": "Đúng tiến độ",
    "at_risk": "Có nguy cơ không đạt",
    "not_met": "Không đạt",
    "no_data": "Chưa đủ số liệu",
    "not_started": "Chưa thực hiện",
}
TARGETS_YTD_LABEL = "năm {year} (lũy kế)"
TARGETS_FINAL_LABEL = "năm {year} (kết quả cuối cùng)"
# Where a task stands at a period's cut-off, for targets b and c.
TASK_VERDICTS: dict[str, str] = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "overdue": "Quá hạn, chưa hoàn thành",
    "not_yet_due": "Chưa đến hạn",
    "no_due_date": "Chưa có thời hạn cụ thể",
    "standing_kept": "Thường xuyên: đủ sản phẩm định kỳ trong kỳ",
    "on_event": "Thường xuyên, thực hiện khi phát sinh: chưa phát sinh trong kỳ",
    "by_figure": "Thường xuyên, đánh giá theo chỉ tiêu của nhiệm vụ",
    "standing_missing": "Thường xuyên: thiếu sản phẩm định kỳ",
    "dropped": "Đã bãi bỏ theo quyết định điều chỉnh (không tính)",
}
# Each measure of a target, as the report's table names it.
MEASURE_LABELS: dict[str, str] = {
    "par_index": "Chỉ số PAR Index so với năm trước",
    "city_tasks_on_time_rate": "Nhiệm vụ thành phố giao hoàn thành đúng hạn / tổng số",
    "plan_tasks_on_time_rate": "Nhiệm vụ của Kế hoạch hoàn thành đúng hạn / tổng số",
    "inspections_held": "Số cuộc kiểm tra đã thực hiện",
    "dossiers_tracked_rate": "Hồ sơ được theo dõi trên Hệ thống / hồ sơ phải giải quyết",
    "overdue_dossiers": "Hồ sơ quá hạn (giải quyết quá hạn + đang giải quyết quá hạn)",
    "satisfaction_tthc": "Hài lòng về giải quyết thủ tục hành chính",
    "satisfaction_service": "Hài lòng về sự phục vụ của Ủy ban nhân dân {kind}",
    "tthc_published_on_time_rate": "Thủ tục hành chính công khai đầy đủ, đúng hạn",
    "tthc_on_portal_rate": "Thủ tục hành chính công khai trên Cổng thông tin điện tử {kind}",
    "online_payment_rate": "Thanh toán trực tuyến / tổng giao dịch thanh toán",
}


def measure_label(key: str, kind: str, year: int | None = None) -> str:
    """A measure's name, "{kind}" the kind of the zone of the plan ("xã", "đặc khu"); a score's
    names the year it measures when the year is known."""
    if year is not None and key in SCORE_MEASURES:
        return _words(SCORE_MEASURES[key], kind, year)
    return MEASURE_LABELS.get(key, key).replace("{kind}", kind).replace("  ", " ")


# How each target is read, said once in the CLI and the report, by what it measures (the
# plan file's `metric`, cchc.domain.targets.METRICS): "{threshold}" is the plan's threshold,
# "{kind}" the zone's kind ("xã", "đặc khu").
TARGET_READING: dict[str, str] = {
    "par_index": "Đạt khi chỉ số năm nay cao hơn năm trước.",
    "city_tasks_on_time_rate": (
        "Tính trên toàn bộ nhiệm vụ Ủy ban nhân dân thành phố, Chủ tịch Ủy ban nhân dân thành "
        "phố giao; đạt khi mọi nhiệm vụ hoàn thành đúng hạn."
    ),
    "plan_tasks_on_time_rate": (
        "Tính trên toàn bộ nhiệm vụ của Kế hoạch (kể cả nhiệm vụ chưa đến hạn); nhiệm vụ thường "
        "xuyên được đánh giá theo sản phẩm định kỳ trong kỳ; đạt khi mọi nhiệm vụ hoàn thành "
        "đúng hạn."
    ),
    "inspections_held": (
        "Kế hoạch không nêu số lượng: hiểu là tổ chức ít nhất một cuộc kiểm tra các cơ quan "
        "chuyên môn về cải cách hành chính trong kỳ."
    ),
    "dossiers_tracked_rate": (
        "Hai nội dung: {threshold}% hồ sơ được theo dõi trên Hệ thống của thành phố; và hạn chế "
        "tối đa hồ sơ quá hạn (Kế hoạch không nêu ngưỡng: không có hồ sơ quá hạn là đạt, có hồ sơ "
        "quá hạn là có nguy cơ)."
    ),
    "satisfaction_rate": (
        "Hai chỉ số, mỗi chỉ số tối thiểu {threshold}%: hài lòng về giải quyết thủ tục hành "
        "chính (phiếu đánh giá) và hài lòng về sự phục vụ của Ủy ban nhân dân {kind} (kết quả đo "
        "lường cùng Sở Nội vụ)."
    ),
    "tthc_published_on_time_rate": (
        "Số thủ tục đã công khai đầy đủ, đúng thời hạn / số thủ tục phải công khai: {threshold}%."
    ),
    "tthc_on_portal_rate": (
        "Số thủ tục công khai trên Cổng thông tin điện tử {kind} / số thủ tục có hiệu lực: "
        "{threshold}%."
    ),
    "online_payment_rate": (
        "Giao dịch thanh toán trực tuyến / tổng giao dịch thanh toán: tối thiểu {threshold}%."
    ),
}


def _threshold_words(threshold: float | None) -> str:
    if threshold is None:
        return "…"
    return (
        str(int(threshold)) if float(threshold).is_integer() else str(threshold).replace(".", ",")
    )


def target_reading(metric: str, threshold: float | None, kind: str, year: int | None = None) -> str:
    """How a target that measures `metric` is read, with the plan's own threshold; a target on
    scores names the years it compares when the year is known."""
    if year is not None and metric in SCORE_READINGS:
        return _words(SCORE_READINGS[metric], kind, year)
    template = TARGET_READING.get(metric, "")
    return template.format(threshold=_threshold_words(threshold), kind=kind)


TARGET_NOTES: dict[str, str] = {
    "cumulative_differs": (
        "{field}: báo cáo {one} ghi {a}, cộng các kỳ {other} được {b}; cần đối chiếu lại."
    ),
    "stock_conflict": (
        "{field} do các đơn vị nhập khác nhau ({values}); không cộng dồn, lấy số của đơn vị "
        "quản lý: {kept}."
    ),
    "not_yet_due": (
        "{count} nhiệm vụ chưa đến hạn tại ngày chốt số liệu {end}: được tính vào tổng số, "
        "chưa được coi là hoàn thành."
    ),
    "no_city_tasks": "Chưa ghi nhận nhiệm vụ nào do Ủy ban nhân dân thành phố giao.",
    "no_plan_tasks": "Không có nhiệm vụ nào của Kế hoạch trong phạm vi này.",
    "annual_cutoff": (
        "Số liệu báo cáo năm chốt ngày {end}, trước thời hạn {deadline} của {count} nhiệm vụ: "
        "kết quả các nhiệm vụ này chưa phải kết quả cuối cùng của năm."
    ),
}
REPORT_STATUS: dict[str, str] = {"draft": "Dự thảo", "submitted": "Đã nộp"}
SUBMISSION_STATUS: dict[str, str] = {
    "missing": "Chưa có báo cáo",
    "draft": "Đang soạn (dự thảo)",
    "submitted": "Đã nộp",
}
AMENDMENT_ACTIONS: dict[str, str] = {"add": "Bổ sung", "change": "Điều chỉnh", "drop": "Bãi bỏ"}
#: What an amendment would change, in words (the card on Kinh phí, `cchc amendment` output).
AMENDMENT_CHANGE: dict[str, str] = {
    "timeframe": "Thời hạn",
    "lead": "Đơn vị chủ trì",
    "content": "Nội dung",
    "product": "Sản phẩm",
    "area": "Lĩnh vực",
    "was_new": "{label}: từ {old} sang {new}",  # no "→": the screen font has no arrow
    "only_new": "{label}: {new}",
    "drop": "Bỏ nhiệm vụ khỏi Kế hoạch",
    "add": "Thêm nhiệm vụ mới",
}
AMENDMENT_STATUS: dict[str, str] = {
    "proposed": "Đơn vị đề xuất",
    "forwarded": "Phòng Văn hóa - Xã hội đã tổng hợp, trình",
    "approved": "UBND đặc khu đã quyết định đồng ý",
    "rejected": "UBND đặc khu không đồng ý",
}


# ---- periods --------------------------------------------------------------------------------
_ROMAN = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV"}


def period_name(kind: str, year: int, month: int | None = None) -> str:
    """A period as officers name it on screens, on the command line and in files: "Quý IV/2026",
    "6 tháng đầu năm 2026", "9 tháng năm 2026", "Năm 2026", "Tháng 9/2026"."""
    if kind == "month":
        return f"Tháng {month}/{year}"
    if kind in _ROMAN:
        return f"Quý {_ROMAN[kind]}/{year}"
    return {"H1": f"6 tháng đầu năm {year}", "9M": f"9 tháng năm {year}"}.get(kind, f"Năm {year}")


def year_to_date_name(year: int) -> str:
    """The year so far, as the targets are judged before the year's report."""
    return f"Năm {year} (tính đến nay)"


def period_title(kind: str, year: int, month: int | None = None) -> str:
    """How a period is named in a report's summary line."""
    if kind == "month":
        return f"tháng {month:02d} năm {year}"
    return {
        "Q1": f"quý I năm {year}",
        "Q2": f"quý II năm {year}",
        "Q3": f"quý III năm {year}",
        "Q4": f"quý IV năm {year}",
        "H1": f"6 tháng đầu năm {year}",
        "9M": f"9 tháng năm {year}",
        "Y": f"năm {year}",
    }[kind]


# ---- the official document (Nghị định 30/2020/NĐ-CP, Phụ lục I) ------------------------------
MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_WORDS = "Độc lập - Tự do - Hạnh phúc"
# The zone's words come from the plan of the report's year (cchc.services.letterhead): "{zone}"
# is its kind and name ("xã Đông Hà"), in capitals where the layout asks for them.
ZONE_HEADER = "ỦY BAN NHÂN DÂN\n{zone}"  # the issuing body of the zone's own reports
ZONE_PARENT_SHORT = "UBND {zone}"  # the governing body above a unit's name
DOC_TYPE = "BÁO CÁO"
NUMBER_BLANK = "      "
RECIPIENTS_LABEL = "Nơi nhận:"
PAGE_ALT = "Trang"


def number_line(number: str | None, suffix: str) -> str:
    """ "Số: 12/BC-UBND", or with a blank to fill in by hand when the number is not yet given."""
    return f"Số: {number or NUMBER_BLANK}/{suffix}"


DATE_WORDS = "{day:02d} tháng {month:02d} năm {year}"


def place_date(place: str, day: int, month: int, year: int) -> str:
    """ "<place>, ngày 05 tháng 01 năm <year>" (Nghị định 30/2020: day and month below 10 get a
    leading zero); the place is the plan's."""
    return f"{place}, ngày " + DATE_WORDS.format(day=day, month=month, year=year)


def report_summary(period: str, body: str | None = None) -> str:
    """The summary line under "BÁO CÁO"."""
    who = f" của {body}" if body else ""
    return f"Kết quả thực hiện công tác cải cách hành chính {period}{who}"


SECTION_RESULTS = "I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
SECTION_FIGURES = "II. SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
SECTION_TARGETS = "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU"
SECTION_DIFFICULTIES = "IV. KHÓ KHĂN, VƯỚNG MẮC"
SECTION_PROPOSALS = "V. ĐỀ XUẤT, KIẾN NGHỊ"
SECTION_MISSING = "Đơn vị chưa gửi báo cáo kỳ này"
# The outline of the document, in the order the city asks for it (Roman numerals follow the
# order). "results", "figures" and "targets" are built from the data; the others are the texts
# the unit (or, in the zone's report, Phòng Văn hóa - Xã hội) writes. "{next}" names the period
# to come, by the kind of the report's period (`NEXT_PERIOD`).
OUTLINE: tuple[tuple[str, str], ...] = (
    ("results", "KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"),
    ("figures", "SỐ LIỆU GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
    ("targets", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU"),
    ("assessment", "ĐÁNH GIÁ CHUNG"),
    ("difficulties", "KHÓ KHĂN, VƯỚNG MẮC"),
    ("direction", "PHƯƠNG HƯỚNG, NHIỆM VỤ {next}"),
    ("proposals", "ĐỀ XUẤT, KIẾN NGHỊ"),
)
NEXT_PERIOD: dict[str, str] = {
    "month": "THÁNG TỚI",
    "Q1": "QUÝ II",
    "Q2": "QUÝ III",
    "Q3": "QUÝ IV",
    "Q4": "NĂM {next_year}",
    "H1": "6 THÁNG CUỐI NĂM",
    "9M": "QUÝ IV",
    "Y": "NĂM {next_year}",
}
DOCUMENT_CITED = "{doc_type} số {number} ngày {date}"
NO_DOCUMENT = "Chưa có văn bản"
ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# The plan's decision is cited from the plan data: "{zone}" its zone ("xã Đông Hà"), "{number}"
# and "{date}" (in words) the decision's, "{signer}" its signer's title, "{kind}" the zone's kind.
INTRO_UNIT = (
    "Thực hiện Kế hoạch cải cách hành chính nhà nước {zone} năm {year} ban hành kèm "
    "theo Quyết định số {number} ngày {date} của {signer} Ủy ban nhân dân {kind}, "
    "{body} báo cáo kết quả thực hiện {period} (số liệu từ ngày {start} đến ngày {end}) "
    "như sau:"
)
NO_TEXT = "Không có nội dung báo cáo."
ALL_SUBMITTED = "Tất cả các đơn vị đã gửi báo cáo."
TASK_LINE = "Nhiệm vụ {stt}: {content} — {state}, tiến độ {progress}%."
TASK_LINE_NOTE = "Nhiệm vụ {stt}: {content} — {state}, tiến độ {progress}%. {note}"
UNIT_TEXT = "{unit}: {text}"
FIGURES_HEAD = ("Chỉ tiêu", "Số liệu")
TARGETS_HEAD = ("Chỉ tiêu", "Yêu cầu", "Kết quả", "Đánh giá")
TARGET_IMPROVED = "Cải thiện so với năm trước"
TARGET_MINIMAL = "Hạn chế tối đa"
TARGET_TASKS_LINE = "{label}: {tally}."
TARGET_READINGS_HEAD = "Cách tính các chỉ tiêu:"
CLOSING = "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {period}./."
# The zone's recipients are the plan's (its [zone] recipients); a unit's report goes to the
# zone's body through the consolidating unit the plan names.
RECIPIENTS_UNIT: tuple[str, ...] = (
    "UBND {kind} (qua {through});",
    "Lưu: VT.",
)
RECIPIENTS_FALLBACK: tuple[str, ...] = ("Lưu: VT.",)
SIGN_ZONE_AUTHORITY = "TM. ỦY BAN NHÂN DÂN"
SIGN_UNIT_TITLE = "THỦ TRƯỞNG ĐƠN VỊ"
APPENDIX_LABEL = "Phụ lục"
APPENDIX_TITLE = (
    "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỤ THỂ\nCỦA KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}"
)
APPENDIX_SUBTITLE = "(Kèm theo Báo cáo số {number} ngày {date})"
APPENDIX_HEAD = (
    "Stt",
    "Nội dung công việc",
    "Cơ quan chủ trì",
    "Thời hạn",
    "Tình trạng",
    "Tiến độ",
    "Văn bản đã ban hành",
)
DRAFT_MARK = "DỰ THẢO"
OTHER_TASKS = "Nhiệm vụ khác được Ủy ban nhân dân thành phố, Ủy ban nhân dân {kind} giao"
SECTION_MISSING_PART = "VI. ĐƠN VỊ CHƯA GỬI BÁO CÁO"
NO_FIGURES = "Kỳ này không có số liệu."
NOT_ENTERED = "–"


def target_label(code: str) -> str:
    """A target named in the plan's own words: "Chỉ tiêu tại điểm a khoản 2 mục I" (section
    I.2 a–f of the Kế hoạch), "Chỉ tiêu tại dòng 18 Phụ lục" (a row of the Phụ lục)."""
    if code.startswith("t") and code[1:].isdigit():
        return f"Chỉ tiêu tại dòng {code[1:]} Phụ lục"
    return f"Chỉ tiêu tại điểm {code} khoản 2 mục I"


def target_mark(code: str) -> str:
    """How the plan names a target: "a." … "f." (section I.2), "Dòng 18." (a row of the
    Phụ lục) for the targets the app keys t12, t13, t18."""
    if code.startswith("t") and code[1:].isdigit():
        return f"Dòng {code[1:]}."
    return f"{code}."


# A target's short name in the report's table, by what it measures; "{row}" is " (dòng N)" for
# a target that is a row of the Phụ lục (code tN), "{kind}" the zone's kind.
TARGET_SHORT: dict[str, str] = {
    "par_index": "Chỉ số cải cách hành chính (PAR Index) được cải thiện",
    "city_tasks_on_time_rate": "Hoàn thành nhiệm vụ Ủy ban nhân dân thành phố giao đúng tiến độ",
    "plan_tasks_on_time_rate": "Hoàn thành nhiệm vụ của Kế hoạch đúng tiến độ",
    "inspections_held": "Kiểm tra các cơ quan chuyên môn về cải cách hành chính",
    "dossiers_tracked_rate": "Hồ sơ được theo dõi trạng thái trên Hệ thống của thành phố",
    "satisfaction_rate": "Mức độ hài lòng của người dân, tổ chức",
    "tthc_published_on_time_rate": "Công khai đầy đủ, đúng hạn thủ tục hành chính{row}",
    "tthc_on_portal_rate": "Công khai thủ tục hành chính trên Cổng thông tin điện tử {kind}{row}",
    "online_payment_rate": "Tỷ lệ thanh toán trực tuyến trên tổng giao dịch thanh toán{row}",
}
TARGET_ROW = " (dòng {row})"


def target_short(metric: str, code: str, title: str, kind: str, year: int | None = None) -> str:
    """A target's short name by what it measures (its own words when the app has none); a
    target on scores names the years it measures when the year is known."""
    template = TARGET_SHORT.get(metric)
    if template is None:
        return title
    row = TARGET_ROW.format(row=code[1:]) if code.startswith("t") and code[1:].isdigit() else ""
    short = template.format(row=row, kind=kind)
    if year is not None and metric in SCORE_TARGET_YEARS:
        return f"{short} ({_words(SCORE_TARGET_YEARS[metric], kind, year)})"
    return short


# A unit's report number suffix and signer come from the plan (its units' doc_suffix and
# signer_title); these stand in for a unit the plan gives none.
UNIT_DOC_SUFFIX_DEFAULT = "BC"
ZONE_DOC_SUFFIX_DEFAULT = "BC-UBND"
SIGNER_BLANK = "(Ký, ghi rõ họ tên)"

# ---- spreadsheet ------------------------------------------------------------------------------
XLSX_SHEET = "Báo cáo"
CSV_HEAD_REPORT = ("Mục", "Mã", "Tên", "Giá trị")
CSV_SECTION_META = "Thông tin"
CSV_SECTION_FIGURES = "Số liệu"
CSV_SECTION_RATES = "Tỷ lệ"
CSV_SECTION_TEXT = "Nội dung"
CSV_SECTION_TASKS = "Nhiệm vụ"
#: values an older copy let in outside their domain, read as empty (domain.value_domains)
CSV_SECTION_FLAGGED = "⚠ Giá trị không hợp lệ"
#: the same on the PDF, whose serif font has no ⚠ sign
FLAGGED_HEADING = "LƯU Ý VỀ DỮ LIỆU"
CSV_META = {
    "unit": "Đơn vị",
    "period": "Kỳ báo cáo",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "status": "Trạng thái",
    "revision": "Lần sửa",
}
AREA_OTHER = {"difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị"}

# ---- command-line output -----------------------------------------------------------------------
CLI: dict[str, str] = {
    "final_with_period": (
        "Kết quả cuối cùng là của cả năm, không của một kỳ báo cáo: chọn một trong hai."
    ),
    "report_line": "{id}  {who} · kỳ {period} · {status} · lần {revision}{late}",
    "late": " · trễ hạn (hạn {due})",
    "late_short": "trễ hạn",
    "missing": "Đơn vị chưa gửi báo cáo: {units}.",
    "written": "Đã ghi {path}.",
    "targets_head": "Chỉ tiêu của {who}, kỳ {period} (số liệu từ ngày {start} đến ngày {end}):",
    "reading": "Cách tính",
    "note": "Lưu ý",
    "budget_saved": "Đã ghi kinh phí nhiệm vụ {task}.",
    "by_area": "Theo lĩnh vực:",
    "estimate_late": "dự trù chưa gửi Phòng Tài chính trong quý I",
    "by_unit": "Theo đơn vị:",
    "amendment_state": "Đề xuất {id}: {status}.",
}
# ---- verification (cchc report verify, and the PDF's verification box) -----------------------
VERIFY_LABEL = "Mã xác thực"
VERIFY_PDF_LINES = (
    "Mã xác thực: {code}",
    "Kiểm tra nội dung báo cáo: dùng chức năng “Xác minh báo cáo” của phần mềm theo dõi CCHC, "
    "nhập mã xác thực trên (hoặc quét mã QR).",
)
VERIFY_OUTCOME: dict[str, str] = {
    "verified": "KHỚP: báo cáo mang mã {code} có nội dung đúng như khi ban hành.",
    "unknown_code": "KHÔNG KHỚP: máy này không giữ báo cáo nào có mã {code}.",
    "changed": (
        "KHÔNG KHỚP: báo cáo mang mã {code} đã bị thay đổi nội dung sau khi ban hành; "
        "không dùng số liệu của bản này."
    ),
    "source_changed": ("KHÔNG KHỚP: báo cáo của đơn vị đã bị thay đổi sau khi tổng hợp: {units}."),
    "document_differs": (
        "KHÔNG KHỚP: nội dung tệp PDF khác với báo cáo mang mã {code} như khi ban hành; không "
        "dùng số liệu của bản này. Những chỗ khác:"
    ),
    "embedded_differs": (
        "KHÔNG KHỚP: chữ in trong tệp PDF khác với bản dữ liệu có chữ ký số đính kèm trong chính "
        "tệp này (mã {code}): tệp đã bị sửa sau khi ban hành; không dùng số liệu của bản này. "
        "Những chỗ khác:"
    ),
    "signed_not_held": (
        "CHƯA XÁC MINH ĐƯỢC: máy này chưa giữ báo cáo mang mã {code}. Chữ in trong tệp PDF "
        "đúng với bản dữ liệu có chữ ký số đính kèm trong tệp, nhưng chỉ đối chiếu được số liệu "
        "khi đã nhận dữ liệu của nơi ban hành: nhập gói dữ liệu rồi xác minh lại."
    ),
    "embedded_invalid": (
        "KHÔNG KHỚP: bản dữ liệu đính kèm trong tệp PDF không mang chữ ký số hợp lệ hoặc không "
        "ứng với mã {code} in trên tệp: tệp đã bị sửa sau khi ban hành."
    ),
}
VERIFY_DIFFERENCE = "- Sau “{after}”: bản ban hành ghi “{issued}”, tệp này ghi “{presented}”."
VERIFY_NOTHING = "(không có)"
VERIFY_LINES: dict[str, str] = {
    "report": "Báo cáo {who}, kỳ {period}, lần {revision}, số {number}, ngày {date} (mã {id}).",
    "submitted": "Ban hành (gửi) bởi {by} lúc {at}, từ máy {laptop}.",
    "consolidated": "Tổng hợp bởi {by} lúc {at}, trên máy {laptop}.",
    "source": "- {unit}, báo cáo lần {revision} (mã {id}), gửi bởi {by} lúc {at}, từ máy {laptop}.",
    "figures_head": "Số liệu tổng hợp và số liệu của từng đơn vị:",
    "figure": "- {label}: {total} = {parts}",
    "stock": "- {label}: {total} (không cộng dồn, lấy số của đơn vị quản lý; các đơn vị ghi: {parts})",
    "sources_head": "Các báo cáo đơn vị được tổng hợp:",
}
LAPTOP_CERTIFIED = "{fingerprint} ({role}; phạm vi: {scope})"
LAPTOP_REVOKED = "{fingerprint} (chứng nhận đã bị thu hồi)"
LAPTOP_UNCERTIFIED = "chưa được chứng nhận (mã máy {site})"
LAPTOP_UNKNOWN = "không rõ"

BUDGET_TOTAL = "Tổng cộng"
BUDGET_HEAD = ("Stt", "Nhiệm vụ", "Đơn vị", "Dự trù", "Được duyệt", "Đã chi")
TARGETS_CLI_HEAD = ("Mã", "Chỉ tiêu", "Yêu cầu", "Thực tế", "Đánh giá")

# ---- errors (part of the one table, `cchc.texts.catalog`) ---------------------------------------
# In figure messages "{field}" is the figure's Vietnamese label (`problem_text`, and
# `cchc.texts.errors.describe` through the catalog's labels).
MESSAGES: dict[str, str] = {
    "report_empty": (
        "Báo cáo chưa có nội dung: chưa nhập số liệu nào và chưa viết kết quả ở mục nào."
    ),
    "period_invalid": (
        "Kỳ báo cáo “{value}” không hợp lệ: lịch báo cáo không có kỳ này. Các dạng hợp lệ: "
        "{form_01} … {form_12} (tháng), {form_q1}, {form_q2}, {form_q3}, {form_q4} (quý I–IV), "
        "{form_h1} (6 tháng), {form_9m} (9 tháng), {year} (năm). Thời gian chốt số liệu theo Nghị định số 09/2019/NĐ-CP, Điều 12."
    ),
    "period_calendar_invalid": "Tệp lịch kỳ báo cáo sai ở mục “{where}”.",
    "verify_code_invalid": (
        "“{value}” không phải mã xác thực (16 ký tự, dạng ABCD-EFGH-JKLM-NPQR) cũng không phải "
        "tệp PDF."
    ),
    "verify_file": "Không mở được tệp {value}: {cause}.",
    "verify_pdf_too_big": "Tệp {value} quá lớn để là một báo cáo (giới hạn {limit} MB).",
    "verify_pdf_unreadable": "Không đọc được tệp {value}: tệp không phải PDF hoặc đã hỏng.",
    "verify_pdf_no_code": "Tệp {value} không có mã xác thực của báo cáo.",
    "targets_final_early": (
        "Chưa có kết quả cuối cùng năm {value}: năm kết thúc ngày {date}; trước ngày đó chỉ có "
        "kết quả lũy kế."
    ),
    "figure_negative": "{field} không được âm: đã nhập {value}.",
    "figure_percent_range": "{field} phải từ 0 đến 100: đã nhập {value}.",
    "figure_not_integer": "{field} phải là số nguyên không âm: đã nhập “{value}”.",
    "figure_not_number": "{field} phải là một số từ 0 đến 100: đã nhập “{value}”.",
    "figure_unknown": "Không có số liệu tên “{value}”.",
    "figure_resolved_exceeds": (
        "Số hồ sơ đã giải quyết ({resolved}) vượt quá số hồ sơ phải giải quyết "
        "(tiếp nhận mới + kỳ trước chuyển sang = {to_handle})."
    ),
    "figure_outcomes_exceed": (
        "Đã giải quyết + đang giải quyết + trả lại + rút ({accounted}) vượt quá số hồ sơ phải "
        "giải quyết ({to_handle})."
    ),
    "figure_outcomes_unbalanced": (
        "Số liệu chưa khớp: đã giải quyết + đang giải quyết + trả lại + rút = {accounted}, "
        "nhưng số hồ sơ phải giải quyết (tiếp nhận mới + kỳ trước chuyển sang) là {to_handle}."
    ),
    "figure_tracked_exceeds": (
        "Số hồ sơ được theo dõi ({tracked}) vượt quá số hồ sơ phải giải quyết ({to_handle})."
    ),
    "figure_online_exceeds_total": (
        "Giao dịch thanh toán trực tuyến ({online}) vượt quá tổng giao dịch thanh toán ({total})."
    ),
    "figure_part_exceeds": "{field} ({part}) không được lớn hơn tổng số ({whole}).",
    "figure_pakn_exceeds": (
        "Phản ánh, kiến nghị trả lời đúng hạn ({answered}) vượt quá số tiếp nhận ({received})."
    ),
    "report_not_found": "Không tìm thấy báo cáo “{ref}”.",
    "plan_missing": "Máy này chưa có kế hoạch cải cách hành chính nào nên chưa lập được báo cáo.",
    "report_locked": (
        "Báo cáo {ref} đã gửi nên không sửa được nữa; hãy tạo bản sửa đổi của báo cáo này."
    ),
    "report_exists": (
        "{unit} đã có báo cáo kỳ {period} (mã {ref}); hãy sửa báo cáo đó hoặc tạo bản sửa đổi."
    ),
    "report_not_submitted": "Báo cáo {ref} chưa gửi nên cứ sửa trực tiếp, chưa cần bản sửa đổi.",
    "report_superseded": "Báo cáo {ref} đã có bản sửa đổi mới hơn ({newer}).",
    "report_consolidator": (
        "Chỉ Phòng Văn hóa - Xã hội tổng hợp báo cáo của đặc khu; máy này thuộc “{value}”."
    ),
    "report_zone_no_figures": (
        "Báo cáo tổng hợp {ref} lấy số liệu từ báo cáo của các đơn vị, không nhập tay."
    ),
    "unit_not_reporting": "“{value}” không phải cơ quan, đơn vị báo cáo của đặc khu.",
    "section_unknown": (
        "Mục “{value}” không hợp lệ: chọn một lĩnh vực {areas}, “Khó khăn, vướng mắc” hoặc "
        "“Đề xuất, kiến nghị”."
    ),
    "field_syntax": "Cần dạng TÊN=GIÁ_TRỊ, đã nhập “{value}”.",
    "report_progress_range": "Tiến độ nhiệm vụ {stt} phải từ 0 đến 100%: đã nhập “{value}”.",
    "report_status_unknown": (
        "Trạng thái “{value}” của nhiệm vụ {stt} không hợp lệ: chọn “chưa bắt đầu”, “đang thực "
        "hiện” hoặc “đã hoàn thành” (quá hạn do ứng dụng tự xác định theo thời hạn)."
    ),
    "task_not_in_report": "Nhiệm vụ “{value}” không có trong báo cáo này.",
    "report_done_after_cutoff": (
        "Nhiệm vụ {stt} hoàn thành ngày {done}, sau ngày {date} mà báo cáo này tính tình hình "
        "nhiệm vụ: kết quả này thuộc báo cáo kỳ sau."
    ),
    "draft_field_unknown": "Ô “{value}” không có trong báo cáo nên không giữ nháp được.",
    "draft_text_too_long": "Nội dung nháp dài quá {limit} ký tự.",
    "nothing_to_set": (
        "Chưa nêu gì để ghi: số liệu, nội dung một mục, trạng thái, tiến độ, ghi chú, số, ngày "
        "hoặc người ký báo cáo."
    ),
    "money_invalid": "Số tiền “{value}” không hợp lệ: nhập số đồng, không âm (ví dụ 15000000).",
    "money_too_large": "Số tiền “{value}” vượt mức tối đa ứng dụng nhận ({cap}).",
    "budget_spent_exceeds": (
        "Số đã chi ({spent}) vượt quá số được duyệt ({approved}) của nhiệm vụ {task}."
    ),
    "budget_nothing": "Chưa nêu số nào: dự toán, số được duyệt, số đã chi hoặc ngày gửi dự toán.",
    "amendment_not_found": "Không tìm thấy đề xuất điều chỉnh “{ref}”.",
    "amendment_action": "Loại đề xuất “{value}” không hợp lệ: chọn bổ sung, điều chỉnh hoặc bãi "
    "bỏ nhiệm vụ.",
    "amendment_needs_task": "Đề xuất điều chỉnh hoặc bãi bỏ phải nêu nhiệm vụ.",
    "amendment_add_fields": (
        "Đề xuất bổ sung nhiệm vụ cần đủ nội dung, lĩnh vực ({areas}) và thời gian thực hiện."
    ),
    "amendment_change_fields": (
        "Đề xuất điều chỉnh phải nêu điều gì thay đổi: nội dung, đơn vị chủ trì, thời gian thực "
        "hiện hoặc sản phẩm."
    ),
    "amendment_area": "Lĩnh vực “{value}” không hợp lệ: dùng {areas}.",
    "amendment_reason": "Đề xuất phải nêu lý do.",
    "amendment_state": "Đề xuất {ref} đang ở trạng thái “{status}”, không thể {action}.",
    "amendment_forwarder": (
        "Chỉ Phòng Văn hóa - Xã hội tổng hợp, trình đề xuất; máy này thuộc “{value}”."
    ),
    "amendment_task_dropped": "Nhiệm vụ {value} đã bị bãi bỏ theo quyết định trước đó.",
    "decision_number": "Số quyết định “{value}” không đúng dạng, ví dụ 45/QĐ-UBND.",
    "decision_future": "Ngày quyết định {value} chưa tới.",
    "decision_before_proposal": (
        "Ngày quyết định {value} trước ngày đề xuất {proposed}: quyết định không thể ban hành "
        "trước khi có đề xuất."
    ),
    "export_format": "Định dạng xuất “{value}” không hỗ trợ: chọn tệp CSV hoặc tệp bảng tính "
    "(XLSX).",
    "out_path": "Không ghi được tệp “{value}”: {cause}.",
    "out_dir_missing": "Không ghi được tệp “{value}”: thư mục chứa tệp không tồn tại.",
}


def area_range(codes: Sequence[str]) -> str:
    """The plan's areas in a message: "I–VII" (first to last), or the one there is."""
    if not codes:
        return ""
    return codes[0] if len(codes) == 1 else f"{codes[0]}–{codes[-1]}"


def area_choices(codes: Sequence[str]) -> str:
    """The plan's areas to choose from: "I, II hoặc III"."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} hoặc {codes[-1]}"


def label(field: str) -> str:
    return FIGURE_LABELS.get(field, field)


def problem_text(key: str, field: str, params: dict[str, Any], *, as_typed: bool = False) -> str:
    """One figure problem in Vietnamese, the figure named by its label; `as_typed` (the command
    line, where the officer typed the figure's name) adds that name after the label."""
    template = MESSAGES.get(key, "{field}")
    named = label(field)
    if as_typed and field in FIGURE_LABELS:
        named = f"{named} ({field})"
    try:
        return template.format(**{**params, "field": named})
    except (KeyError, IndexError):
        return template
