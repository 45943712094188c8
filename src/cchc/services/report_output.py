"""A report as an official PDF and as a spreadsheet: builds the document data from the store and
hands it to `cchc.reports` for layout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cchc.domain.dates import format_vn_date, from_iso
from cchc.domain.errors import InvalidInput, NotFound
from cchc.domain.figures import FIGURE_FIELDS
from cchc.domain.numbers import format_number, format_percent
from cchc.reports import pdf, sheet
from cchc.reports.document import Block, OfficialReport, TaskRow
from cchc.reports.document import to_data as document_data
from cchc.services import provenance as prov_service
from cchc.services import targets as target_service
from cchc.services.letterhead import Letterhead, letterhead
from cchc.services.periods import parse_period, period_name
from cchc.services.plan import plan_in_force
from cchc.services.reports import ReportTaskLine, ReportView, get_report
from cchc.services.workspace import Workspace
from cchc.store import reports_repo as repo
from cchc.store import tasks_repo
from cchc.texts import reports as T
from cchc.texts.sync import flagged_text


def _number(value: float | int | None, percent: bool = False) -> str:
    """A figure or rate in the one Vietnamese format (cchc.domain.numbers): 1.234, 94,4%."""
    if value is None:
        return T.NOT_ENTERED
    return format_percent(value) if percent else format_number(value, decimals=2)


def _period_words(report: ReportView) -> str:
    per = parse_period(report.period)
    return T.period_title(per.kind.value, per.year, per.month)


def _task_line(line: ReportTaskLine) -> str:
    label = f"{line.stt}" if line.stt is not None else "*"
    values = {
        "stt": label,
        "content": line.content.rstrip(" ."),
        "state": T.TASK_STATES.get(line.state, line.state).lower(),
        "progress": line.progress,
        "note": line.note,
    }
    return (T.TASK_LINE_NOTE if line.note else T.TASK_LINE).format(**values)


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("\n\n") if p.strip())


def _figure_rows(report: ReportView, kind: str) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = [T.FIGURES_HEAD]
    figures = report.figures
    year = parse_period(report.period).year  # the year each score measures
    for name in FIGURE_FIELDS:
        rows.append((T.figure_label(name, kind, year), _number(figures.get(name))))
        if name == "received_postal":
            rows.append((T.TOTAL_LABELS["received"], _number(report.totals["received"])))
        if name == "carried_over":
            rows.append((T.TOTAL_LABELS["to_handle"], _number(report.totals["to_handle"])))
        if name == "resolved_late":
            rows.append((T.TOTAL_LABELS["resolved"], _number(report.totals["resolved"])))
        if name == "pending_overdue":
            rows.append((T.TOTAL_LABELS["pending"], _number(report.totals["pending"])))
    for key, value in report.rates.items():
        rows.append((T.RATE_LABELS[key], _number(value, percent=True)))
    return tuple(rows)


_COUNTS = {"inspections_held", "par_index"}


def _wanted(op: str, threshold: float | None, percent: bool, year: int | None) -> str:
    if op == "improved":
        return T.improved_text(year)
    if op == "minimal":
        return T.TARGET_MINIMAL
    return ("≥ " + _number(threshold, percent)) if threshold is not None else ""


def _targets(
    ws: Workspace, report: ReportView
) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The targets table (one row per measure: target f and e have two) and the paragraphs under
    it: how each target is read, where the tasks stand, and the cut-off remarks."""
    view = target_service.measure(
        ws,
        period=report.period,
        unit=report.unit,
        as_of=from_iso(report.as_of),
        lines={line.task_id: line.state for line in report.tasks},
    )
    rows: list[tuple[str, ...]] = [T.TARGETS_HEAD]
    notes: list[str] = []
    for t in view.targets:
        short = t.short or t.title
        for i, m in enumerate(t.measures):
            percent = m.key not in _COUNTS
            label = short if len(t.measures) == 1 else f"{short}: {m.label.lower()}"
            if len(t.measures) > 1 and i > 0:
                label = f"– {m.label}"
            rows.append(
                (
                    label,
                    _wanted(m.op, m.threshold, percent, t.year),
                    _number(m.actual, percent),
                    T.TARGET_STATUS[m.status],
                )
            )
        if t.tasks:
            counts: dict[str, int] = {}
            for line in t.tasks:
                counts[line.verdict_text] = counts.get(line.verdict_text, 0) + 1
            tally = "; ".join(f"{k.lower()}: {n}" for k, n in counts.items())
            notes.append(T.TARGET_TASKS_LINE.format(label=T.target_label(t.code), tally=tally))
        notes += t.notes
    notes += view.notes
    notes.append(T.TARGET_READINGS_HEAD)
    notes += [f"{T.target_label(t.code)}: {t.reading}" for t in view.targets if t.reading]
    return tuple(rows), tuple(dict.fromkeys(notes))


def _results(report: ReportView, areas: dict[str, str], heading: str, kind: str) -> list[Block]:
    # One date for every task line, here and in the appendix, and for the targets' verdicts.
    as_of = (T.TASKS_AS_OF.format(date=format_vn_date(from_iso(report.as_of))),)
    blocks: list[Block] = [Block(heading, as_of)]
    by_area: dict[str | None, list[ReportTaskLine]] = {}
    for line in report.tasks:
        by_area.setdefault(line.area, []).append(line)
    # the plan's areas, as many as it has, numbered in its order
    for number, (code, title) in enumerate(areas.items(), start=1):
        paragraphs = _paragraphs(report.sections.get(code, ""))
        paragraphs += tuple(_task_line(line) for line in by_area.get(code, []))
        if paragraphs:  # an area with neither text nor task of this report is left out
            blocks.append(Block(f"{number}. {title}", paragraphs, subheading=True))
    others = by_area.get(None, [])
    if others:
        blocks.append(
            Block(
                f"{len(areas) + 1}. {T.OTHER_TASKS.format(kind=kind)}",
                tuple(_task_line(o) for o in others),
                subheading=True,
            )
        )
    if len(blocks) == 1:
        blocks[0] = Block(heading, (*as_of, T.NO_TEXT))
    return blocks


def _issued_documents(conn: Any, task_id: str, day: dt.date) -> str:
    """The documents a task has issued by the report's reference date, cited by number and date
    ("Quyết định số 07/QĐ-UBND ngày 07/01/2026"); the appendix states what exists, not what the
    plan expects."""
    cited = [
        T.DOCUMENT_CITED.format(
            doc_type=d["doc_type"], number=d["number"], date=format_vn_date(from_iso(d["date"]))
        )
        for d in tasks_repo.documents_of(conn, task_id)
        if d["date"] <= day.isoformat()
    ]
    return ";\n".join(dict.fromkeys(cited)) if cited else T.NO_DOCUMENT


def _next_words(report: ReportView) -> str:
    per = parse_period(report.period)
    return T.NEXT_PERIOD[per.kind.value].format(next_year=per.year + 1)


def _outline(ws: Workspace, report: ReportView, areas: dict[str, str], kind: str) -> list[Block]:
    """The document's parts in the order of the outline (`T.OUTLINE`). The list of units that
    have not reported is an internal matter of the consolidation: it is shown on screen, never
    printed in the outgoing report."""
    blocks: list[Block] = []
    for i, (key, words) in enumerate(T.OUTLINE):
        heading = f"{T.ROMAN_NUMERALS[i]}. {words.format(next=_next_words(report))}"
        if key == "results":
            blocks += _results(report, areas, heading, kind)
        elif key == "figures":
            if any(v is not None for v in report.figures.values()):
                rows = _figure_rows(report, kind)
                blocks.append(Block(heading, table=rows, col_widths=(0.8, 0.2)))
            else:
                blocks.append(Block(heading, (T.NO_FIGURES,)))
        elif key == "targets":
            target_table, target_notes = _targets(ws, report)
            blocks.append(
                Block(
                    heading,
                    after=target_notes,
                    table=target_table,
                    col_widths=(0.5, 0.17, 0.13, 0.2),
                )
            )
        else:
            blocks.append(Block(heading, _paragraphs(report.sections.get(key, "")) or (T.NO_TEXT,)))
    return blocks


def official_document(ws: Workspace, ref: str) -> OfficialReport:
    """The report laid out as an official "Báo cáo" (Nghị định 30/2020/NĐ-CP). An issued report
    is laid out from its signed snapshot, never from the live data: every print of it is the same
    document, whatever changed since."""
    report = get_report(ws, ref)
    row = repo.report(ws.db.conn, report.id)
    issued = prov_service.issued_snapshot(row) if row is not None else None
    if issued is not None:
        return prov_service.issued_document(issued)
    return _live_document(ws, report)


def issue(ws: Workspace, report_id: str) -> str:
    """Fix a report being submitted: its document as laid out now, signed into its snapshot
    (`provenance.issue`). Returns the verification code."""
    report = get_report(ws, report_id)
    doc = _live_document(ws, report)
    return prov_service.issue(ws, report_id, document_data(doc))


def _live_document(ws: Workspace, report: ReportView) -> OfficialReport:
    conn = ws.db.conn
    year = plan_in_force(ws, parse_period(report.period).year)
    head = _letterhead(ws, year)
    areas = {a["code"]: a["title"] for a in tasks_repo.all_areas(conn, year)}
    period_words = _period_words(report)
    day = from_iso(report.report_date) or ws.today()
    zone = report.scope == "zone"
    if zone:
        suffix = head.doc_suffix
        parent, body = None, head.zone_header()
        who = head.body
        authority, title = T.SIGN_ZONE_AUTHORITY, head.signer_title.upper()
        signer = report.signer_name or head.signer_name
        recipients = head.recipients
    else:
        code = report.unit or ""
        suffix = head.unit_suffix(code)
        parent, body = head.unit_parent(), (report.unit_name or "").upper()
        who = report.unit_name or ""
        authority, title = None, head.unit_signer(code)
        signer = report.signer_name or ""
        recipients = head.unit_recipients()
    number_line = T.number_line(report.number, suffix)
    start = format_vn_date(dt.date.fromisoformat(report.period_start))
    end = format_vn_date(dt.date.fromisoformat(report.period_end))

    blocks = _outline(ws, report, areas, head.kind)
    if report.flagged:  # what an older copy let in outside its domain is read as empty: said so
        blocks.insert(
            0, Block(heading=T.FLAGGED_HEADING, paragraphs=(flagged_text(report.flagged),))
        )
    as_of = from_iso(report.as_of) or day  # the appendix cites what existed on that one day
    number_ref = number_line.removeprefix("Số: ")
    return OfficialReport(
        parent_body=parent,
        issuing_body=body,
        number_line=number_line,
        place_date=head.place_date(day),
        summary=T.report_summary(period_words),
        intro=head.intro(body=who, period=period_words, start=start, end=end),
        blocks=tuple(blocks),
        closing=T.CLOSING.format(period=period_words),
        recipients=recipients,
        signer_authority=authority,
        signer_title=title,
        signer_name=signer or T.SIGNER_BLANK,
        appendix_title=T.APPENDIX_TITLE.format(year=year),
        appendix_subtitle=T.APPENDIX_SUBTITLE.format(number=number_ref, date=format_vn_date(day)),
        tasks=tuple(
            TaskRow(
                stt=str(t.stt) if t.stt is not None else "*",
                content="\n".join([t.content, *(f"- {item.lstrip('- ')}" for item in t.subitems)]),
                lead=t.lead,
                deadline=t.timeframe,
                state=T.TASK_STATES.get(t.state, t.state),
                progress=f"{t.progress}%",
                product=_issued_documents(conn, t.task_id, as_of),
            )
            for t in report.tasks
        ),
        draft=report.status == "draft",
        # No code on a live document: only an issued snapshot carries one (`issued_document`),
        # so a code written into a draft's row is never printed as if it were its own.
        metadata={
            "title": f"{T.DOC_TYPE} {T.report_summary(period_words)}",
            "author": who,
            "subject": period_words,
        },
    )


def write_pdf(ws: Workspace, ref: str, out: Path) -> Path:
    """Render the report's official PDF to `out`."""
    doc = official_document(ws, ref)
    _check_out(out)
    try:
        return pdf.write(doc, out)
    except OSError as exc:
        raise InvalidInput("out_path", value=str(out), errno=exc.errno) from exc


def export_rows(ws: Workspace, ref: str) -> list[tuple[object, ...]]:
    """The report as spreadsheet rows: section, code, name, value."""
    report = get_report(ws, ref)
    rows: list[tuple[object, ...]] = [T.CSV_HEAD_REPORT]
    head = _letterhead(ws, parse_period(report.period).year)
    meta = {
        "unit": report.unit_name or head.body,
        "period": period_name(report.period),
        "start": format_vn_date(from_iso(report.period_start)),
        "end": format_vn_date(from_iso(report.period_end)),
        "status": T.REPORT_STATUS[report.status],
        "revision": report.revision,
    }
    for key, value in meta.items():
        rows.append((T.CSV_SECTION_META, key, T.CSV_META[key], value))
    year = parse_period(report.period).year
    for name in FIGURE_FIELDS:
        label = T.figure_label(name, head.kind, year)
        rows.append((T.CSV_SECTION_FIGURES, name, label, report.figures[name]))
    for key, value in report.totals.items():
        rows.append((T.CSV_SECTION_FIGURES, key, T.TOTAL_LABELS.get(key, key), value))
    for key, rate in report.rates.items():
        rows.append((T.CSV_SECTION_RATES, key, T.RATE_LABELS[key], rate))
    for key, text in report.sections.items():
        name = T.AREA_OTHER.get(key, key)
        rows.append((T.CSV_SECTION_TEXT, key, name, text))
    for line in report.tasks:
        rows.append(
            (
                T.CSV_SECTION_TASKS,
                line.stt if line.stt is not None else line.task_id,
                line.content,
                f"{T.TASK_STATES.get(line.state, line.state)}; {line.progress}%"
                + (" ⚠" if line.flagged else ""),
            )
        )
    if report.flagged:
        rows.append((T.CSV_SECTION_FLAGGED, "", "", flagged_text(report.flagged)))
    return rows


def write_export(ws: Workspace, ref: str, out: Path) -> Path:
    """The report as a spreadsheet at `out`: CSV (UTF-8 with BOM) or XLSX, by the file's suffix."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput("export_format", value=out.suffix or out.name)
    rows = export_rows(ws, ref)
    _check_out(out)
    try:
        if suffix == ".xlsx":
            return sheet.write_xlsx(rows, out, T.XLSX_SHEET)
        return sheet.write_csv(rows, out)
    except OSError as exc:
        raise InvalidInput("out_path", value=str(out), errno=exc.errno) from exc


def _letterhead(ws: Workspace, year: int) -> Letterhead:
    """The words of the plan of the report's year; a database without a plan has no report."""
    head = letterhead(ws.db.conn, year)
    if head is None:
        raise NotFound("plan_missing")
    return head


def _check_out(out: Path) -> None:
    if not out.parent.is_dir():
        raise InvalidInput("out_dir_missing", value=str(out))
