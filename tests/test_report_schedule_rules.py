"""The report schedule as plain rules: periods, due dates, and each period's standing."""

import datetime as dt

import pytest

from ipcity.plan.core.schedule import (
    Frequency,
    Standing,
    parse_period,
    period_of,
    period_to_report,
    standings,
)

D = dt.date
MONTHLY, QUARTERLY = Frequency.MONTHLY, Frequency.QUARTERLY


def test_a_month_runs_to_its_last_day_and_its_report_is_due_days_later():
    period = period_of(D(2024, 2, 17), MONTHLY, 5)
    assert (period.label, period.start, period.end, period.due) == ("2024-02", D(2024, 2, 1), D(2024, 2, 29), D(2024, 3, 5))
    december = period_of(D(2025, 12, 31), MONTHLY, 5)
    assert (december.label, december.end, december.due) == ("2025-12", D(2025, 12, 31), D(2026, 1, 5))


def test_a_quarter_is_labelled_with_its_year_and_number():
    period = period_of(D(2026, 8, 1), QUARTERLY, 10)
    assert (period.label, period.start, period.end, period.due) == ("2026Q3", D(2026, 7, 1), D(2026, 9, 30), D(2026, 10, 10))


@pytest.mark.parametrize(("label", "frequency", "expected"), [
    ("2026-10", MONTHLY, "2026-10"), (" 2026-01 ", MONTHLY, "2026-01"), ("2026q4", QUARTERLY, "2026Q4")])
def test_a_period_the_unit_types_is_read_in_the_schedules_form(label, frequency, expected):
    assert parse_period(label, frequency, 5).label == expected


@pytest.mark.parametrize(("label", "frequency", "message"), [
    ("2026-13", MONTHLY, "应写作“2026-10”"), ("2026Q3", MONTHLY, "按月报送"), ("2026-10", QUARTERLY, "按季度报送"),
    ("2026Q5", QUARTERLY, "应写作“2026Q3”"), ("", MONTHLY, "无效")])
def test_a_period_in_the_wrong_form_is_refused_with_the_form_expected(label, frequency, message):
    with pytest.raises(ValueError, match=message):
        parse_period(label, frequency, 5)


def test_the_period_offered_is_the_one_just_ended_while_its_report_is_still_due():
    assert period_to_report(D(2026, 11, 3), MONTHLY, 5).label == "2026-10"
    assert period_to_report(D(2026, 11, 6), MONTHLY, 5).label == "2026-11"
    assert period_to_report(D(2026, 10, 8), QUARTERLY, 10).label == "2026Q3"


def test_each_period_from_assignment_is_on_time_late_missing_or_open():
    result = standings(assigned_on=D(2026, 7, 20), closed_on=None, today=D(2026, 11, 2), frequency=MONTHLY, due_days=5,
                       first_reports={"2026-07": D(2026, 8, 5), "2026-08": D(2026, 9, 6), "2026-10": D(2026, 11, 1)})
    assert [(s.period.label, s.standing) for s in result] == [
        ("2026-07", Standing.ON_TIME),  # filed on the due day itself
        ("2026-08", Standing.LATE),  # a day after
        ("2026-09", Standing.MISSING),  # due 10-05, nothing filed
        ("2026-10", Standing.ON_TIME),
        ("2026-11", Standing.OPEN),  # the current month
    ]


def test_a_closed_item_owes_nothing_for_the_period_it_closed_in_but_still_owes_earlier_ones():
    result = standings(assigned_on=D(2026, 7, 1), closed_on=D(2026, 9, 10), today=D(2026, 11, 2), frequency=MONTHLY,
                       due_days=5, first_reports={"2026-07": D(2026, 8, 1)})
    assert [(s.period.label, s.standing) for s in result] == [("2026-07", Standing.ON_TIME),
                                                             ("2026-08", Standing.MISSING)]


def test_a_report_for_a_period_outside_the_items_life_is_not_counted():
    result = standings(assigned_on=D(2026, 10, 15), closed_on=None, today=D(2026, 10, 20), frequency=QUARTERLY,
                       due_days=10, first_reports={"2026Q3": D(2026, 10, 16)})
    assert [(s.period.label, s.standing) for s in result] == [("2026Q4", Standing.OPEN)]
