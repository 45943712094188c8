"""The fields a user fills in, named once: services raise errors naming a `Field`, and each entry
point shows the field's Vietnamese label from `cchc.texts.errors.FIELD_LABELS`."""

from __future__ import annotations

from enum import StrEnum


class Field(StrEnum):
    DATE = "date"
    DONE_ON = "done_on"
    DUE = "due"
    DOC_DATE = "doc_date"
    SOURCE_DATE = "source_date"
    SENT_ON = "sent_on"
    APPROVED_ON = "approved_on"
    REPORT_DATE = "report_date"
    DECISION_DATE = "decision_date"
    APPRAISED_ON = "appraised_on"
    SUBMITTED_ON = "submitted_on"
    CHECKED_ON = "checked_on"
