"""The figures table of a CCHC report, its validation and the rates computed from it.

Every figure is a count (`None` until the unit enters it). The checks return problems keyed for
the Vietnamese texts in `cchc.texts.reports`; `FiguresInvalid` carries them to the user.

Formulas (each a percentage, `None` when its denominator is 0 or an input is missing):
- received = direct + fully online + partly online + postal; to handle = received + carried over
- resolved = early + on time + late; pending = within time + overdue
- on-time rate = (early + on time) / resolved. A dossier resolved *before* its due date was also
  resolved on time: the one-stop statistics (Thông tư 01/2018/TT-VPCP and the national public-
  service index) count "trước hạn" together with "đúng hạn", and leaving early ones out would
  punish a unit for being fast. Only "trễ hạn" counts against the rate.
- online-payment share = payments online / payments total (row 18, target ≥ 80%)
- satisfaction = (very satisfied + satisfied) / all survey answers (target f, ≥ 90%)
- dossiers tracked = dossiers followed on the city's system / dossiers to handle (target e)
- online-dossier share = (fully online + partly online) / received
- PAKN answered on time = answered on time / received
- procedures published on time = published fully and on time / to publish (row 12, 100%)
- procedures on the portal = published on the zone's portal / in force (row 13, 100%)
- service satisfaction: the score (0–100) of the survey of UBND đặc khu's service measured with
  Sở Nội vụ (row 2; target f's second measure)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from cchc.domain.errors import InvalidInput

# The figure names, in the order of the report's table (the CLI's --field NAME).
DOSSIER_RECEIVED = (
    "received_direct",
    "received_online_full",
    "received_online_partial",
    "received_postal",
)
DOSSIER_OUTCOMES = (
    "carried_over",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_within_time",
    "pending_overdue",
    "returned",
    "withdrawn",
    "dossiers_tracked",
)
DOSSIER_FIELDS = (*DOSSIER_RECEIVED, *DOSSIER_OUTCOMES)
PAYMENT_FIELDS = ("payments_total", "payments_online")
SURVEY_FIELDS = (
    "survey_very_satisfied",
    "survey_satisfied",
    "survey_neutral",
    "survey_dissatisfied",
)
PUBLICATION_FIELDS = (
    "tthc_to_publish",
    "tthc_published_on_time",
    "tthc_in_force",
    "tthc_on_portal",
)
OTHER_FIELDS = (
    "pakn_received",
    "pakn_answered_on_time",
    "inspections_held",
    "legal_docs_reviewed",
    "par_index",
    "par_index_previous",
    "service_satisfaction",
)
# The table's groups, as the entry form and the report show them.
FIGURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("group_received", DOSSIER_RECEIVED),
    ("group_outcomes", DOSSIER_OUTCOMES),
    ("group_payments", PAYMENT_FIELDS),
    ("group_survey", SURVEY_FIELDS),
    ("group_publication", PUBLICATION_FIELDS),
    ("group_other", OTHER_FIELDS),
)
FIGURE_FIELDS = tuple(name for _, names in FIGURE_GROUPS for name in names)
# Scores on a 0–100 scale (the PAR Index); every other figure is a count.
PERCENT_FIELDS = ("par_index", "par_index_previous", "service_satisfaction")
# Stocks measured at a moment, not flows over the period: summed across units, but over time the
# first month's carried-over and the last month's pending are kept.
OPENING_FIELDS = ("carried_over",)
CLOSING_FIELDS = ("pending_within_time", "pending_overdue", "tthc_in_force", "tthc_on_portal")


class Problem(BaseModel):
    """One thing wrong with a figures table: a message key and the values it quotes."""

    model_config = ConfigDict(frozen=True)

    key: str
    field: str
    params: dict[str, Any] = {}


class FiguresInvalid(InvalidInput):
    """Figures entered break a rule (negative count, resolved above what was to handle…)."""

    key = "figures_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.key, **{**first.params, "field": first.field})
        self.problems = problems


class Figures(BaseModel):
    """The figures table of one report; every value `None` until entered."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    received_direct: int | None = None
    received_online_full: int | None = None
    received_online_partial: int | None = None
    received_postal: int | None = None
    carried_over: int | None = None
    resolved_early: int | None = None
    resolved_on_time: int | None = None
    resolved_late: int | None = None
    pending_within_time: int | None = None
    pending_overdue: int | None = None
    returned: int | None = None
    withdrawn: int | None = None
    dossiers_tracked: int | None = None  # followed on the city's one-stop system (target e)
    payments_total: int | None = None
    payments_online: int | None = None
    survey_very_satisfied: int | None = None
    survey_satisfied: int | None = None
    survey_neutral: int | None = None
    survey_dissatisfied: int | None = None
    pakn_received: int | None = None
    pakn_answered_on_time: int | None = None
    inspections_held: int | None = None
    legal_docs_reviewed: int | None = None
    par_index: float | None = None  # the year's PAR Index score, 0–100 (target a)
    par_index_previous: float | None = None  # the year before's score, 0–100
    tthc_to_publish: int | None = None  # procedures to publish in the period (row 12)
    tthc_published_on_time: int | None = None  # … published fully and on time (row 12)
    tthc_in_force: int | None = None  # procedures in force at the period's end (row 13)
    tthc_on_portal: int | None = None  # … published on the zone's portal (row 13)
    service_satisfaction: float | None = None  # satisfaction with UBND's service, 0–100 (f)

    # ---- totals -------------------------------------------------------------------------
    def _sum(self, names: Iterable[str]) -> int | None:
        values = [getattr(self, n) for n in names]
        if all(v is None for v in values):
            return None
        return sum(v or 0 for v in values)

    @property
    def received(self) -> int | None:
        return self._sum(DOSSIER_RECEIVED)

    @property
    def to_handle(self) -> int | None:
        return self._sum((*DOSSIER_RECEIVED, "carried_over"))

    @property
    def resolved(self) -> int | None:
        return self._sum(("resolved_early", "resolved_on_time", "resolved_late"))

    @property
    def pending(self) -> int | None:
        return self._sum(("pending_within_time", "pending_overdue"))

    @property
    def survey_answers(self) -> int | None:
        return self._sum(
            ("survey_very_satisfied", "survey_satisfied", "survey_neutral", "survey_dissatisfied")
        )

    @property
    def accounted(self) -> int | None:
        """Dossiers whose outcome is known: resolved + pending + returned + withdrawn."""
        return self._sum(
            (
                "resolved_early",
                "resolved_on_time",
                "resolved_late",
                "pending_within_time",
                "pending_overdue",
                "returned",
                "withdrawn",
            )
        )

    def entered(self) -> dict[str, int | float]:
        """Only the figures that were entered."""
        return {k: v for k, v in self.model_dump().items() if v is not None}

    # ---- rates --------------------------------------------------------------------------
    def on_time_rate(self) -> float | None:
        early, on_time = self.resolved_early, self.resolved_on_time
        if early is None and on_time is None:
            return None
        return ratio((early or 0) + (on_time or 0), self.resolved)

    def online_payment_share(self) -> float | None:
        if self.payments_online is None:
            return None
        return ratio(self.payments_online, self.payments_total)

    def satisfaction(self) -> float | None:
        good = self._sum(("survey_very_satisfied", "survey_satisfied"))
        return None if good is None else ratio(good, self.survey_answers)

    def tracked_rate(self) -> float | None:
        if self.dossiers_tracked is None:
            return None
        return ratio(self.dossiers_tracked, self.to_handle)

    def online_dossier_share(self) -> float | None:
        online = self._sum(("received_online_full", "received_online_partial"))
        return None if online is None else ratio(online, self.received)

    def pakn_on_time_rate(self) -> float | None:
        if self.pakn_answered_on_time is None:
            return None
        return ratio(self.pakn_answered_on_time, self.pakn_received)

    def rates(self) -> dict[str, float | None]:
        """Every computed rate, keyed as in the report's table."""
        return {
            "on_time_rate": self.on_time_rate(),
            "online_payment_share": self.online_payment_share(),
            "satisfaction": self.satisfaction(),
            "tracked_rate": self.tracked_rate(),
            "online_dossier_share": self.online_dossier_share(),
            "pakn_on_time_rate": self.pakn_on_time_rate(),
        }


def ratio(part: int | float, whole: int | float | None) -> float | None:
    """`part / whole` as a percentage rounded to 2 decimals; `None` when `whole` is 0 or missing."""
    if not whole:
        return None
    return round(100.0 * part / whole, 2)


def problems(fig: Figures, *, complete: bool = False) -> list[Problem]:
    """What is wrong with `fig`. `complete=True` (at submission) also demands that every dossier
    to handle is accounted for: resolved + pending + returned + withdrawn = received + carried."""
    out: list[Problem] = []
    for name in FIGURE_FIELDS:
        value = getattr(fig, name)
        if value is None:
            continue
        if value < 0:
            out.append(Problem(key="figure_negative", field=name, params={"value": value}))
        elif name in PERCENT_FIELDS and value > 100:
            out.append(Problem(key="figure_percent_range", field=name, params={"value": value}))
    if out:
        return out
    to_handle = fig.to_handle or 0
    if fig.resolved is not None and fig.resolved > to_handle:
        out.append(
            Problem(
                key="figure_resolved_exceeds",
                field="resolved_on_time",
                params={"resolved": fig.resolved, "to_handle": to_handle},
            )
        )
    elif fig.accounted is not None and fig.accounted > to_handle:
        out.append(
            Problem(
                key="figure_outcomes_exceed",
                field="pending_within_time",
                params={"accounted": fig.accounted, "to_handle": to_handle},
            )
        )
    elif complete and fig.to_handle is not None and (fig.accounted or 0) != fig.to_handle:
        out.append(
            Problem(
                key="figure_outcomes_unbalanced",
                field="pending_within_time",
                params={"accounted": fig.accounted or 0, "to_handle": fig.to_handle},
            )
        )
    if fig.dossiers_tracked is not None and fig.dossiers_tracked > to_handle:
        out.append(
            Problem(
                key="figure_tracked_exceeds",
                field="dossiers_tracked",
                params={"tracked": fig.dossiers_tracked, "to_handle": to_handle},
            )
        )
    if fig.payments_online is not None and fig.payments_online > (fig.payments_total or 0):
        out.append(
            Problem(
                key="figure_online_exceeds_total",
                field="payments_online",
                params={"online": fig.payments_online, "total": fig.payments_total or 0},
            )
        )
    if fig.tthc_published_on_time is not None and fig.tthc_published_on_time > (
        fig.tthc_to_publish or 0
    ):
        out.append(
            Problem(
                key="figure_part_exceeds",
                field="tthc_published_on_time",
                params={"part": fig.tthc_published_on_time, "whole": fig.tthc_to_publish or 0},
            )
        )
    if fig.tthc_on_portal is not None and fig.tthc_on_portal > (fig.tthc_in_force or 0):
        out.append(
            Problem(
                key="figure_part_exceeds",
                field="tthc_on_portal",
                params={"part": fig.tthc_on_portal, "whole": fig.tthc_in_force or 0},
            )
        )
    if fig.pakn_answered_on_time is not None and fig.pakn_answered_on_time > (
        fig.pakn_received or 0
    ):
        out.append(
            Problem(
                key="figure_pakn_exceeds",
                field="pakn_answered_on_time",
                params={"answered": fig.pakn_answered_on_time, "received": fig.pakn_received or 0},
            )
        )
    return out


def check(fig: Figures, *, complete: bool = False) -> Figures:
    """`fig` if it has no problem; otherwise `FiguresInvalid` listing every problem."""
    found = problems(fig, complete=complete)
    if found:
        raise FiguresInvalid(found)
    return fig


def report_problems(fig: Figures, texts: Iterable[str]) -> list[Problem]:
    """Everything that stops a report from being submitted, listed together: nothing entered
    at all (no figure, no line of text), then every figure problem (``complete=True``)."""
    entered = any(getattr(fig, name) is not None for name in FIGURE_FIELDS)
    out: list[Problem] = []
    if not entered and not any(text.strip() for text in texts):
        out.append(Problem(key="report_empty", field="report"))
    return out + problems(fig, complete=True)


def parse_value(name: str, raw: str) -> int | float:
    """A figure's value from text: a whole count, or a 0–100 score for the PAR Index fields."""
    if name not in FIGURE_FIELDS:
        raise FiguresInvalid([Problem(key="figure_unknown", field=name, params={"value": name})])
    text = raw.strip().replace(",", ".") if name in PERCENT_FIELDS else raw.strip()
    try:
        value: int | float = float(text) if name in PERCENT_FIELDS else int(text)
    except ValueError:
        key = "figure_not_number" if name in PERCENT_FIELDS else "figure_not_integer"
        raise FiguresInvalid([Problem(key=key, field=name, params={"value": raw})]) from None
    return value


def with_values(fig: Figures, values: Mapping[str, int | float | None]) -> Figures:
    """`fig` with some figures replaced (None clears one)."""
    unknown = [n for n in values if n not in FIGURE_FIELDS]
    if unknown:
        raise FiguresInvalid(
            [Problem(key="figure_unknown", field=n, params={"value": n}) for n in unknown]
        )
    return Figures.model_validate({**fig.model_dump(), **values})


def sum_parallel(tables: Iterable[Figures]) -> Figures:
    """Figures of several units over the same period: every count is summed. The PAR Index is a
    zone-wide score, so the first value entered is kept."""
    tables = list(tables)
    out: dict[str, int | float | None] = {}
    for name in FIGURE_FIELDS:
        values = [getattr(t, name) for t in tables if getattr(t, name) is not None]
        if not values:
            out[name] = None
        elif name in PERCENT_FIELDS:
            out[name] = values[0]
        else:
            out[name] = sum(values)
    return Figures.model_validate(out)


def sum_sequential(tables: Iterable[Figures]) -> Figures:
    """Figures of consecutive periods of one unit (months in order) as one longer period: flows
    are summed, the carried-over stock is the first period's, pending stocks are the last one's."""
    tables = list(tables)
    if not tables:
        return Figures()
    summed = sum_parallel(tables).model_dump()
    for name in OPENING_FIELDS:
        summed[name] = getattr(tables[0], name)
    for name in CLOSING_FIELDS:
        summed[name] = getattr(tables[-1], name)
    for name in PERCENT_FIELDS:
        latest = [getattr(t, name) for t in tables if getattr(t, name) is not None]
        summed[name] = latest[-1] if latest else None
    return Figures.model_validate(summed)


# ---- stocks: owned by one unit, never summed ----------------------------------------------------
#: Figures that state a level rather than a flow: the procedures in force and those on the
#: portal, and the scores. Across units they are never added: the unit that owns the measure
#: gives it, and two units giving different values is a conflict shown, not resolved.
STOCK_FIELDS = (
    "tthc_in_force",
    "tthc_on_portal",
    "par_index",
    "par_index_previous",
    "service_satisfaction",
)


@dataclass(frozen=True)
class StockConflict:
    """Two or more units entered different values of one stock; `kept` is the owner's (or None
    when no owner's value settles it)."""

    field: str
    values: tuple[tuple[str, int | float], ...]  # (unit id, value), in the units' order
    kept: int | float | None


def combine_units(
    tables: Mapping[str, Figures], owners: Mapping[str, str | None]
) -> tuple[Figures, list[StockConflict]]:
    """Figures of several units over the same period: flows summed (`sum_parallel`), each stock
    taken from the unit that owns it (`owners`: field → unit id); without the owner's value, a
    value every unit agrees on; else none, and the disagreement is returned."""
    summed = sum_parallel(tables.values()).model_dump()
    conflicts: list[StockConflict] = []
    for name in STOCK_FIELDS:
        given = [(u, getattr(t, name)) for u, t in tables.items() if getattr(t, name) is not None]
        owner = owners.get(name)
        owned = next((v for u, v in given if u == owner), None)
        distinct = {v for _, v in given}
        kept = owned if owned is not None else (given[0][1] if len(distinct) == 1 else None)
        summed[name] = kept
        if len(distinct) > 1:
            conflicts.append(StockConflict(name, tuple(given), kept))
    return Figures.model_validate(summed), conflicts
