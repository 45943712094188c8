"""Reading a time frame as the plan writes it ("Quý I/2026", "Trước ngày 15/01/2026",
"Thường xuyên" …) into a structured `Deadline`.

Pure and total: any string gives a Deadline, never an exception. Matching ignores case, runs of
whitespace, a trailing full stop and the Unicode normal form; `Deadline.text` keeps the words as
given (in NFC). Words that fit none of the forms below are kept and flagged (kind UNPARSED):
never guessed.

Forms read:
- hard date:  "Trước ngày 15/01/2026" (due 14/01: "trước" excludes the day it names), "Trước
              30/06/2026", "Chậm nhất ngày 30/6/2026", "Đến hết ngày 30/6/2026", "Trong ngày
              30/6/2026" (due that day), and a date in words: "Trước ngày 15 tháng 01 năm 2026",
              "ngày 30 tháng 6 năm 2026"
- window:     "Quý I/2026", "Quý I năm 2026", "Quý 1/2026", "Quý III,IV/2026", "Quý I và II/2026",
              "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "Tháng 3/2026"
- year:       "Cả năm 2026", "Năm 2026"
- standing:   "Thường xuyên", "Hằng tháng"/"Hàng tháng", "Hằng quý"/"Hàng quý",
              "6 tháng một lần", "Hằng năm"/"Hàng năm", and the same named with "định kỳ":
              "Định kỳ hằng tháng", "định kỳ hàng quý", "Định kỳ 6 tháng", "Định kỳ hằng năm"
- on demand:  "Khi có yêu cầu", "Theo yêu cầu", "Đột xuất khi có yêu cầu của …" (its own kind:
              done each time it is asked for; no date, never overdue)
- set later:  "Theo hướng dẫn …", "Theo chỉ đạo …", "Theo kế hoạch …" (outside guidance sets it)

Any of these may be preceded by the verb officials put in front of a time frame ("Hoàn thành
trong Quý I/2026", "Thực hiện trước ngày 15/01/2026", "Báo cáo định kỳ hằng quý", "Triển khai
thường xuyên"): the verb is read past, the frame is read as above.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from cchc.domain.deadline import Cadence, Deadline, DeadlineKind

_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_WORD = r"(?:iv|iii|ii|i|[1-4])"
_YEAR_TAIL = r"\s*(?:/|,?\s*năm)\s*(?P<year>[0-9]{4})"

_NUMERIC_DATE = r"(?P<day>[0-9]{1,2})\s*/\s*(?P<month>[0-9]{1,2})\s*/\s*(?P<year>[0-9]{4})"
_WORDS_DATE = r"(?P<wday>[0-9]{1,2}) tháng (?P<wmonth>[0-9]{1,2}),? năm (?P<wyear>[0-9]{4})"
# "Trước ngày D" (and "trước D") is met by the day before D: D itself is already late. "Chậm nhất
# (là) ngày D", "hạn chót", "đến (hết) ngày D", "trong ngày D" and a bare "ngày D" are met on D.
_HARD_DATE = re.compile(
    r"(?:(?P<prep>trước|chậm nhất(?: là)?|hạn chót|đến(?: hết)?|trong)(?: ngày)?|ngày)\s+"
    rf"(?:{_NUMERIC_DATE}|{_WORDS_DATE})"
)
_EXCLUSIVE = frozenset({"trước"})  # the prepositions whose date is the first day too late
# The verb an official writes in front of a time frame; the frame after it is read as usual.
_VERB = re.compile(
    r"(?:hoàn thành|thực hiện|triển khai(?: thực hiện)?|tổ chức(?: thực hiện)?|ban hành|"
    r"báo cáo|trình|gửi|nộp|xong)\s+(?P<rest>.+)"
)
_PERIODIC = re.compile(
    r"định kỳ\s+(?:(?:hằng|hàng)\s+(?P<unit>tháng|quý|năm)|(?:6|sáu) tháng(?: một lần)?)"
)
_ON_DEMAND = re.compile(
    r"(?:đột xuất\s*(?:,|và|hoặc)?\s*)?(?:khi có|theo) yêu cầu(?:\s+(?:của|từ)\s+.+)?"
)
_QUARTERS_RE = re.compile(
    rf"(?:trong\s+)?quý\s+(?P<list>{_QUARTER_WORD}(?:\s*(?:,|;|và|&)\s*{_QUARTER_WORD})*)"
    + _YEAR_TAIL
)
_HALF = re.compile(r"(?:6|sáu) tháng (?P<half>đầu|cuối) năm\s*/?\s*(?P<year>[0-9]{4})")
_MONTH = re.compile(r"(?:trong\s+)?tháng\s+(?P<month>[0-9]{1,2})" + _YEAR_TAIL)
_YEAR = re.compile(r"(?:cả năm|trong năm|năm)\s+(?P<year>[0-9]{4})")
_SET_LATER = re.compile(r"theo (?:hướng dẫn|chỉ đạo|kế hoạch|yêu cầu|văn bản)\b.*")

# A standing duty is reported on at a cadence. "Thường xuyên" (continuous work, no end date) is
# reported monthly: the plan's CCHC reporting is monthly, as row 15's product says ("Báo cáo công
# tác cải cách TTHC hàng tháng, …").
_STANDING = {
    "thường xuyên": Cadence.MONTHLY,
    "hằng tháng": Cadence.MONTHLY,
    "hàng tháng": Cadence.MONTHLY,
    "hằng quý": Cadence.QUARTERLY,
    "hàng quý": Cadence.QUARTERLY,
    "6 tháng một lần": Cadence.HALF_YEARLY,
    "sáu tháng một lần": Cadence.HALF_YEARLY,
    "hằng năm": Cadence.YEARLY,
    "hàng năm": Cadence.YEARLY,
}


def _key(text: str) -> str:
    """The words reduced for matching: NFC, case-folded, single spaces, no trailing stop."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    folded = " ".join(folded.split()).rstrip(" .;")
    return folded.replace("qúy", "quý")  # the older tone placement of "quý"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _window(text: str, start: dt.date, end: dt.date) -> Deadline:
    return Deadline(text=text, kind=DeadlineKind.WINDOW, window_start=start, due=end)


def _quarters(text: str, listed: str, year: int) -> Deadline | None:
    words = [w.strip() for w in re.split(r",|;|và|&", listed)]
    numbers = [_QUARTERS[w] for w in words]
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        return None  # repeated or out-of-order quarters: not read, flagged
    # Non-contiguous quarters ("Quý I và III/2026") give one window from the first quarter's start
    # to the last quarter's end: the work may happen anywhere in it, the due date is the last end.
    start = dt.date(year, 3 * numbers[0] - 2, 1)
    return _window(text, start, _month_end(year, 3 * numbers[-1]))


_PERIODIC_CADENCE = {
    "tháng": Cadence.MONTHLY,
    "quý": Cadence.QUARTERLY,
    "năm": Cadence.YEARLY,
    None: Cadence.HALF_YEARLY,
}


def _read(text: str, key: str) -> Deadline | None:
    found = _read_frame(text, key)
    if found is None and (m := _VERB.fullmatch(key)):
        rest = m["rest"]
        found = _read_frame(text, rest)
        if found is None and rest.startswith("trong "):
            found = _read_frame(text, rest.removeprefix("trong "))
    return found


def _read_frame(text: str, key: str) -> Deadline | None:
    if key in _STANDING:
        return Deadline(text=text, kind=DeadlineKind.STANDING, cadence=_STANDING[key])
    if m := _PERIODIC.fullmatch(key):
        cadence = _PERIODIC_CADENCE[m["unit"]]
        return Deadline(text=text, kind=DeadlineKind.STANDING, cadence=cadence)
    if _ON_DEMAND.fullmatch(key):
        return Deadline(text=text, kind=DeadlineKind.ON_DEMAND)
    if _SET_LATER.fullmatch(key):
        return Deadline(text=text, kind=DeadlineKind.SET_LATER)
    if m := _HARD_DATE.fullmatch(key):
        if m["year"] is not None:
            due = _date(int(m["year"]), int(m["month"]), int(m["day"]))
        else:
            due = _date(int(m["wyear"]), int(m["wmonth"]), int(m["wday"]))
        if due is None:
            return None
        if m["prep"] in _EXCLUSIVE:
            due -= dt.timedelta(days=1)
        return Deadline(text=text, kind=DeadlineKind.HARD_DATE, due=due)
    if m := _QUARTERS_RE.fullmatch(key):
        return _quarters(text, m["list"], int(m["year"]))
    if m := _HALF.fullmatch(key):
        year = int(m["year"])
        if m["half"] == "đầu":
            return _window(text, dt.date(year, 1, 1), dt.date(year, 6, 30))
        return _window(text, dt.date(year, 7, 1), dt.date(year, 12, 31))
    if m := _MONTH.fullmatch(key):
        year, month = int(m["year"]), int(m["month"])
        if not 1 <= month <= 12:
            return None
        return _window(text, dt.date(year, month, 1), _month_end(year, month))
    if m := _YEAR.fullmatch(key):
        year = int(m["year"])
        return Deadline(
            text=text,
            kind=DeadlineKind.YEAR,
            window_start=dt.date(year, 1, 1),
            due=dt.date(year, 12, 31),
        )
    return None


def parse_timeframe(text: str) -> Deadline:
    """The structured reading of a time frame; UNPARSED and flagged when the words are not read."""
    nfc = unicodedata.normalize("NFC", text)
    key = _key(nfc)
    try:
        found = _read(nfc, key)
    except ValueError:  # a year the calendar cannot hold (e.g. 0000): not read
        found = None
    return found or Deadline(text=nfc, kind=DeadlineKind.UNPARSED, flagged=True)
