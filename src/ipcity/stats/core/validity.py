"""Whether a patent is a valid patent of the district on a date.

Rules (documented in docs/indicators.md):
- granted on or before the date;
- within its term: invention 20 years, utility model 10 years, design 10 years (15 years when filed on or
  after 2021-06-01, the amended Patent Law); the term runs from the filing date and the right ends on the
  anniversary, so a patent is no longer valid *on* its expiry date;
- not ended by fee termination (unless restored later, on or before the date), full invalidation, a
  recorded expiry or abandonment; a restoration undoes only a fee termination (专利法实施细则第六条: a right lost
  by a missed time limit), never abandonment, full invalidation or expiry; a partial invalidation leaves it valid;
- its patentee on that date is in the district: the patentee at grant, then each transfer's new patentee.
"""

import datetime as dt
from collections.abc import Iterable

from ipcity.stats.core.records import (
    FINAL_ENDINGS,
    RESTORABLE_ENDINGS,
    EventType,
    LegalEvent,
    Patent,
    PatentType,
)

DESIGN_TERM_CHANGE = dt.date(2021, 6, 1)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def term_years(patent: Patent) -> int:
    if patent.patent_type == PatentType.INVENTION:
        return 20
    if patent.patent_type == PatentType.DESIGN and patent.filing_date >= DESIGN_TERM_CHANGE:
        return 15
    return 10


def term_end(patent: Patent) -> dt.date:
    """The first day the right no longer exists."""
    return add_years(patent.filing_date, term_years(patent))


def in_force(patent: Patent, events: Iterable[LegalEvent], as_of: dt.date) -> bool:
    """Granted, in term and not ended, regardless of where the patentee is. `events` are this patent's."""
    if patent.grant_date is None or patent.grant_date > as_of or as_of >= term_end(patent):
        return False
    ended = False
    for event in sorted((e for e in events if e.date <= as_of), key=lambda e: e.date):
        if event.event_type in FINAL_ENDINGS:
            return False  # for good: a restoration does not revive it
        if event.event_type in RESTORABLE_ENDINGS:
            ended = True
        elif event.event_type == EventType.RESTORATION:
            ended = False
    return not ended


def owner_district(patent: Patent, events: Iterable[LegalEvent], as_of: dt.date) -> str | None:
    district = patent.owner_district
    for event in sorted((e for e in events if e.date <= as_of and e.event_type == EventType.TRANSFER),
                        key=lambda e: e.date):
        district = event.new_owner_district
    return district
