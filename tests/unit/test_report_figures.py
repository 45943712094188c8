"""The figures table: formulas on hand-worked figures, and every validation refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.domain.figures import (
    FIGURE_FIELDS,
    PERCENT_FIELDS,
    Figures,
    FiguresInvalid,
    check,
    parse_value,
    problems,
    sum_parallel,
    sum_sequential,
    with_values,
)

# A month at the one-stop centre, worked by hand:
# received 40 + 25 + 10 + 5 = 80, carried over 20 → 100 to handle;
# resolved 30 early + 45 on time + 5 late = 80; pending 12 within + 3 overdue = 15; 3 returned,
# 2 withdrawn → 80 + 15 + 5 = 100 accounted for.
MONTH = Figures(
    received_direct=40,
    received_online_full=25,
    received_online_partial=10,
    received_postal=5,
    carried_over=20,
    resolved_early=30,
    resolved_on_time=45,
    resolved_late=5,
    pending_within_time=12,
    pending_overdue=3,
    returned=3,
    withdrawn=2,
    dossiers_tracked=95,
    payments_total=50,
    payments_online=41,
    survey_very_satisfied=30,
    survey_satisfied=15,
    survey_neutral=3,
    survey_dissatisfied=2,
    pakn_received=4,
    pakn_answered_on_time=3,
    inspections_held=1,
    legal_docs_reviewed=6,
)


def test_totals_add_up_as_worked_by_hand():
    assert (MONTH.received, MONTH.to_handle, MONTH.resolved, MONTH.pending) == (80, 100, 80, 15)
    assert MONTH.accounted == 100
    assert MONTH.survey_answers == 50


def test_on_time_rate_counts_early_and_on_time_over_resolved():
    assert MONTH.on_time_rate() == 93.75  # (30 + 45) / 80


def test_online_payment_share_is_online_over_total():
    assert MONTH.online_payment_share() == 82.0  # 41 / 50


def test_satisfaction_is_very_satisfied_and_satisfied_over_all_answers():
    assert MONTH.satisfaction() == 90.0  # (30 + 15) / 50


def test_dossiers_tracked_is_tracked_over_to_handle():
    assert MONTH.tracked_rate() == 95.0  # 95 / 100


def test_online_dossier_share_and_pakn_rate():
    assert MONTH.online_dossier_share() == 43.75  # 35 / 80
    assert MONTH.pakn_on_time_rate() == 75.0  # 3 / 4


def test_a_rate_with_nothing_to_divide_by_is_none():
    empty = Figures(resolved_early=0, resolved_on_time=0, resolved_late=0, payments_online=0)
    assert empty.on_time_rate() is None
    assert empty.online_payment_share() is None
    assert Figures().satisfaction() is None


def test_hand_worked_month_has_no_problem_even_when_complete():
    assert problems(MONTH, complete=True) == []


def _keys(fig: Figures, complete: bool = False) -> list[tuple[str, str]]:
    return [(p.key, p.field) for p in problems(fig, complete=complete)]


def test_a_negative_count_is_refused_quoting_the_value():
    found = problems(with_values(MONTH, {"received_postal": -1}))
    assert [(p.key, p.field, p.params) for p in found] == [
        ("figure_negative", "received_postal", {"value": -1})
    ]


def test_resolved_above_received_and_carried_over_is_refused():
    fig = with_values(MONTH, {"resolved_late": 26})  # 30 + 45 + 26 = 101 > 100
    found = problems(fig)
    assert found[0].key == "figure_resolved_exceeds"
    assert found[0].params == {"resolved": 101, "to_handle": 100}


def test_outcomes_above_what_was_to_handle_are_refused():
    assert _keys(with_values(MONTH, {"pending_within_time": 13})) == [
        ("figure_outcomes_exceed", "pending_within_time")
    ]


def test_outcomes_short_of_to_handle_are_refused_only_at_submission():
    fig = with_values(MONTH, {"pending_within_time": 11})
    assert _keys(fig) == []
    assert _keys(fig, complete=True) == [("figure_outcomes_unbalanced", "pending_within_time")]


def test_online_payments_above_total_are_refused():
    assert _keys(with_values(MONTH, {"payments_online": 51})) == [
        ("figure_online_exceeds_total", "payments_online")
    ]


def test_pakn_answered_above_received_is_refused():
    assert _keys(with_values(MONTH, {"pakn_answered_on_time": 5})) == [
        ("figure_pakn_exceeds", "pakn_answered_on_time")
    ]


def test_tracked_above_to_handle_is_refused():
    assert _keys(with_values(MONTH, {"dossiers_tracked": 101})) == [
        ("figure_tracked_exceeds", "dossiers_tracked")
    ]


@pytest.mark.parametrize("value", [-0.5, 100.5, 250.0])
def test_a_percentage_outside_0_to_100_is_refused(value):
    assert _keys(Figures(par_index=value)) in (
        [("figure_percent_range", "par_index")],
        [("figure_negative", "par_index")],
    )


def test_check_raises_with_every_problem():
    bad = with_values(MONTH, {"payments_online": 60, "pakn_answered_on_time": 9})
    with pytest.raises(FiguresInvalid) as info:
        check(bad)
    assert [p.key for p in info.value.problems] == [
        "figure_online_exceeds_total",
        "figure_pakn_exceeds",
    ]


@pytest.mark.parametrize(
    ("name", "raw", "key"),
    [
        ("received_direct", "12a", "figure_not_integer"),
        ("received_direct", "1.5", "figure_not_integer"),
        ("par_index", "abc", "figure_not_number"),
        ("received_by_fax", "3", "figure_unknown"),
    ],
)
def test_a_value_that_is_not_a_figure_is_refused(name, raw, key):
    with pytest.raises(FiguresInvalid) as info:
        parse_value(name, raw)
    assert info.value.problems[0].key == key


def test_parse_value_reads_counts_and_scores():
    assert parse_value("received_direct", " 12 ") == 12
    assert parse_value("par_index", "87,5") == 87.5


def test_units_of_one_period_are_summed_figure_by_figure():
    total = sum_parallel([MONTH, MONTH, Figures(received_direct=5)])
    assert total.received_direct == 85
    assert total.carried_over == 40
    assert total.payments_online == 82
    assert total.on_time_rate() == 93.75


def test_consecutive_months_keep_first_opening_and_last_closing_stock():
    second = with_values(
        MONTH, {"carried_over": 15, "pending_within_time": 10, "pending_overdue": 5}
    )
    both = sum_sequential([MONTH, second])
    assert both.carried_over == 20
    assert (both.pending_within_time, both.pending_overdue) == (10, 5)
    assert both.received == 160


_counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000))
_tables = st.fixed_dictionaries(
    {name: _counts for name in FIGURE_FIELDS if name not in PERCENT_FIELDS}
).map(Figures.model_validate)


@given(_tables)
def test_every_rate_of_an_accepted_table_is_a_percentage(fig):
    if problems(fig):
        return
    for rate in fig.rates().values():
        assert rate is None or 0 <= rate <= 100


@given(st.lists(_tables, min_size=1, max_size=5))
def test_accepted_unit_tables_sum_to_an_accepted_zone_table(tables):
    accepted = [t for t in tables if not problems(t, complete=True)]
    assert problems(sum_parallel(accepted), complete=True) == []
