"""Injected time: everything that depends on "now" asks this module, so tests can move the clock."""

import contextlib
import datetime as dt

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


def add_working_days(day: dt.date, days: int) -> dt.date:
    """Statutory time limits count working days; weekends are skipped (public holidays are not known here)."""
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
