"""Each patent's history reduced to the date ranges in which it is a valid patent of the district, and the date
from which it is high-value. Built once per registry, these answer "as of any date" by a comparison of
arrays, so a dashboard, a back-dated view and a monthly series cost little more than one evaluation."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ipcity.stats.core.records import ENDING_EVENTS, EventType, LegalEvent, Patent, PatentType, Registry
from ipcity.stats.core.validity import add_years, term_end

NEVER = dt.date.max.toordinal()
TYPE_CODES = {PatentType.INVENTION: 0, PatentType.UTILITY_MODEL: 1, PatentType.DESIGN: 2}


def valid_ranges(patent: Patent, events: list[LegalEvent], district: str) -> list[tuple[int, int]]:
    """[start, end) ordinal ranges in which the patent is in force and its patentee is in the district.
    `events` are this patent's, sorted by date. The rules are those of validity.py."""
    if patent.grant_date is None:
        return []
    end_of_term = term_end(patent).toordinal()
    ranges: list[tuple[int, int]] = []
    ended = False
    owner = patent.owner_district
    granted = False
    open_from: int | None = None
    changes = [(patent.grant_date, None)] + [(e.date, e) for e in events]
    changes.sort(key=lambda c: (c[0], c[1] is not None))
    for day, event in changes:
        if event is None:
            granted = True
        elif event.event_type in ENDING_EVENTS:
            ended = True
        elif event.event_type == EventType.RESTORATION:
            ended = False
        elif event.event_type == EventType.TRANSFER:
            owner = event.new_owner_district
        valid_now = granted and not ended and owner == district
        ordinal = day.toordinal()
        if valid_now and open_from is None:
            open_from = ordinal
        elif not valid_now and open_from is not None:
            if ordinal > open_from:
                ranges.append((open_from, ordinal))
            open_from = None
    if open_from is not None:
        ranges.append((open_from, end_of_term))
    return [(s, min(e, end_of_term)) for s, e in ranges if s < min(e, end_of_term)]


def high_value_from(patent: Patent, events: list[LegalEvent], registry: Registry,
                    largest_pledge: dict[str, tuple[Decimal, dt.date]]) -> int:
    """The first date an invention meets any of the five criteria (each, once met, stays met), or NEVER."""
    if patent.patent_type != PatentType.INVENTION:
        return NEVER
    candidates = [add_years(patent.filing_date, 10)]
    if registry.sei_table is not None and registry.sei_table.industry_of(patent.ipc_codes):
        candidates.append(patent.filing_date)
    candidates += [e.date for e in events if e.event_type in (EventType.FAMILY_ABROAD, EventType.AWARD)]
    pledge = largest_pledge.get(patent.application_number)
    if pledge is not None:
        candidates.append(pledge[1])
    return min(candidates).toordinal()


@dataclass
class PatentTimelines:
    numbers: list[str]  # application numbers, indexed by patent position
    kind: np.ndarray  # per patent: 0 invention, 1 utility model, 2 design
    owner: np.ndarray  # per range: patent position
    start: np.ndarray  # per range: first valid day (ordinal)
    end: np.ndarray  # per range: first day no longer valid (ordinal)
    high_value_from: np.ndarray  # per patent: ordinal, NEVER if never

    def valid_positions(self, as_of: dt.date, kinds: tuple[int, ...] | None = None, high_value: bool = False) -> np.ndarray:
        """Positions of the patents valid on the date. A patent's ranges never overlap, so each appears once."""
        day = as_of.toordinal()
        hit = self.owner[(self.start <= day) & (day < self.end)]
        if kinds is not None:
            hit = hit[np.isin(self.kind[hit], kinds)]
        if high_value:
            hit = hit[self.high_value_from[hit] <= day]
        return hit

    def counts(self, days: list[dt.date], kinds: tuple[int, ...] | None = None, high_value: bool = False) -> list[int]:
        return [len(self.valid_positions(d, kinds, high_value)) for d in days]


def build_timelines(registry: Registry, events_by_patent: dict[str, list[LegalEvent]]) -> PatentTimelines:
    threshold = registry.high_value_pledge_threshold
    largest: dict[str, tuple[Decimal, dt.date]] = {}
    for pledge in sorted(registry.pledges, key=lambda p: p.registered_on):
        if pledge.amount >= threshold:
            for number in pledge.patents:
                largest.setdefault(number, (pledge.amount, pledge.registered_on))
    owners, starts, ends, kinds, hv = [], [], [], [], []
    numbers = []
    for position, patent in enumerate(registry.patents):
        numbers.append(patent.application_number)
        events = events_by_patent.get(patent.application_number, [])
        kinds.append(TYPE_CODES[patent.patent_type])
        hv.append(high_value_from(patent, events, registry, largest))
        for start, end in valid_ranges(patent, events, registry.district):
            owners.append(position)
            starts.append(start)
            ends.append(end)
    return PatentTimelines(numbers, np.array(kinds, dtype=np.int8), np.array(owners, dtype=np.int64),
                           np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), np.array(hv, dtype=np.int64))
