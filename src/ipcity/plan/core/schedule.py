"""The progress-report schedule: a unit reports on each open work item once a month or once a quarter, within a
number of days after the period ends. A period is owed from the item's assignment until it is closed; a report
filed after the due date is late (迟报), a period past its due date with no report is missing (逾期未报)."""

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


FREQUENCY_LABELS = {Frequency.MONTHLY: "每月", Frequency.QUARTERLY: "每季度"}


class Standing(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"  # reported after the due date
    MISSING = "missing"  # past the due date, not reported
    OPEN = "open"  # not yet due, not yet reported


STANDING_LABELS = {Standing.ON_TIME: "按时报送", Standing.LATE: "迟报", Standing.MISSING: "逾期未报",
                   Standing.OPEN: "待报送"}


@dataclass(frozen=True)
class Period:
    label: str  # 2026-10 (a month) or 2026Q3 (a quarter): the form units type and ProgressReport.period stores
    start: dt.date
    end: dt.date
    due: dt.date


@dataclass(frozen=True)
class PeriodStanding:
    period: Period
    standing: Standing
    reported_on: dt.date | None


_MONTH = re.compile(r"^(\d{4})-(\d{2})\Z")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])\Z")


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _period(year: int, first_month: int, months: int, label: str, due_days: int) -> Period:
    start = dt.date(year, first_month, 1)
    end = _month_end(year, first_month + months - 1)
    return Period(label, start, end, end + dt.timedelta(days=due_days))


def period_of(day: dt.date, frequency: Frequency, due_days: int) -> Period:
    if frequency == Frequency.MONTHLY:
        return _period(day.year, day.month, 1, f"{day.year}-{day.month:02d}", due_days)
    quarter = (day.month - 1) // 3 + 1
    return _period(day.year, 3 * quarter - 2, 3, f"{day.year}Q{quarter}", due_days)


def parse_period(label: str, frequency: Frequency, due_days: int) -> Period:
    """The period a unit names, in the form the schedule asks for; a clear Chinese error otherwise."""
    text = label.strip().upper()
    if frequency == Frequency.MONTHLY:
        match = _MONTH.match(text)
        if match and 1 <= int(match[2]) <= 12:
            return period_of(dt.date(int(match[1]), int(match[2]), 1), frequency, due_days)
        raise ValueError(f"报告期“{label}”无效：按月报送，应写作“2026-10”这样的年-月")
    match = _QUARTER.match(text)
    if match:
        return period_of(dt.date(int(match[1]), 3 * int(match[2]) - 2, 1), frequency, due_days)
    raise ValueError(f"报告期“{label}”无效：按季度报送，应写作“2026Q3”这样的年份加季度")


def period_to_report(today: dt.date, frequency: Frequency, due_days: int) -> Period:
    """The period a unit most likely reports for today: the one just ended while its report is still due, else
    the current one."""
    current = period_of(today, frequency, due_days)
    previous = period_of(current.start - dt.timedelta(days=1), frequency, due_days)
    return previous if today <= previous.due else current


def periods_between(first: dt.date, last: dt.date, frequency: Frequency, due_days: int) -> list[Period]:
    """Every period that overlaps the days from `first` to `last`, in order."""
    periods = []
    period = period_of(first, frequency, due_days)
    while period.start <= last:
        periods.append(period)
        period = period_of(period.end + dt.timedelta(days=1), frequency, due_days)
    return periods


def standings(*, assigned_on: dt.date, closed_on: dt.date | None, first_reports: dict[str, dt.date],
              today: dt.date, frequency: Frequency, due_days: int) -> list[PeriodStanding]:
    """The item's report record, period by period, from its assignment to its closure (or today).
    `first_reports` maps a period label to the day its first report was filed."""
    result = []
    for period in periods_between(assigned_on, closed_on or today, frequency, due_days):
        reported_on = first_reports.get(period.label)
        if reported_on is not None:
            standing = Standing.ON_TIME if reported_on <= period.due else Standing.LATE
        elif closed_on is not None and closed_on <= period.end:
            continue  # closed within this period: nothing more is owed for it
        elif today > period.due:
            standing = Standing.MISSING
        else:
            standing = Standing.OPEN
        result.append(PeriodStanding(period, standing, reported_on))
    return result
