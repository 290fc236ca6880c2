"""Projections to the deadline: the method, the band and the risk flag."""

import datetime as dt

import pytest

from ipcity.stats.core.forecast import linear, month_ends, run_rate

D = dt.date


def test_month_ends_run_to_the_as_of_date():
    assert month_ends(D(2025, 11, 15), D(2026, 2, 10)) == [D(2025, 11, 30), D(2025, 12, 31), D(2026, 1, 31), D(2026, 2, 10)]


def test_a_perfect_line_projects_exactly_with_no_band():
    points = [(D(2025, 1, 1) + dt.timedelta(days=10 * i), 100.0 + 10 * i) for i in range(10)]
    result = linear(points, D(2025, 1, 1) + dt.timedelta(days=200))
    assert result.projected == pytest.approx(300.0)
    assert result.low == pytest.approx(300.0) and result.high == pytest.approx(300.0)
    assert result.risk(300.0) == "on_track" and result.risk(301.0) == "unlikely"


def test_noise_widens_the_band_and_a_target_inside_it_is_at_risk():
    points = [(D(2025, 1, 1) + dt.timedelta(days=30 * i), 100.0 + 10 * i + (5 if i % 2 else -5)) for i in range(12)]
    result = linear(points, D(2026, 12, 31))
    assert result.low < result.projected < result.high
    assert result.risk(result.projected + (result.high - result.projected) / 2) == "at_risk"


def test_too_little_history_gives_no_projection():
    assert linear([(D(2025, 1, 1), 1.0), (D(2025, 2, 1), 2.0)], D(2026, 12, 31)) is None


def test_a_yearly_count_is_projected_at_its_run_rate():
    result = run_rate(15.0, D(2026, 7, 2))  # day 183 of 365
    assert result.projected == pytest.approx(15 * 365 / 183)
    assert result.low >= 15.0 and result.high > result.projected
