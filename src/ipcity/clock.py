"""Injected time: everything that depends on "now" asks this module, so tests can move the clock."""

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())


def localdate(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@contextlib.contextmanager
def frozen_at(moment: dt.datetime):
    global _frozen
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


def on_day(day: dt.date, hour: int = 10):
    """Freeze the clock at a local hour of `day`: how demo data and tests act on a date in the past."""
    return frozen_at(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days: Monday to Friday, less the official public holidays (放假), plus the weekend days
    the State Council's yearly notice makes working days (调休上班)."""

    holidays: frozenset = frozenset()
    workdays: frozenset = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


WEEKENDS_ONLY = WorkingCalendar()


def official_calendar() -> WorkingCalendar:
    """The office's imported holiday calendar (plan.holidays: cached, keyed by the calendar's version). Imported when
    first needed, so this module stays free of the ORM."""
    from ipcity.plan.holidays import working_calendar

    return working_calendar()


def is_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar if calendar is not None else official_calendar()).is_working_day(day)


def add_working_days(day: dt.date, days: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """Statutory time limits count working days: weekends and the official public holidays are skipped, and an
    adjusted working Saturday or Sunday (调休上班) counts, as the imported calendar says; a year without an imported
    calendar skips weekends only."""
    calendar = calendar if calendar is not None else official_calendar()
    while days > 0:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    return day
