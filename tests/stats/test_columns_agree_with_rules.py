"""The column engine must say exactly what the plain validity rules say, for any history and date."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ipcity.stats.core.columns import RegistryColumns
from ipcity.stats.core.records import EventType, LegalEvent, Patent, PatentType, Registry
from ipcity.stats.core.validity import in_force, owner_district

HERE, THERE = "天津市南开区", "北京市海淀区"
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
event_kinds = st.sampled_from([EventType.FEE_TERMINATION, EventType.RESTORATION, EventType.INVALIDATION_FULL,
                               EventType.INVALIDATION_PARTIAL, EventType.TRANSFER, EventType.ABANDONMENT,
                               EventType.LICENCE, EventType.EXPIRY])


@st.composite
def patent_histories(draw):
    filed = draw(days)
    granted = draw(st.one_of(st.none(), st.integers(0, 2000).map(lambda n: filed + dt.timedelta(days=n))))
    patent = Patent("P", draw(st.sampled_from(list(PatentType))), filed, granted, (), draw(st.sampled_from([HERE, THERE, None])))
    events = [LegalEvent("P", kind, day, new_owner_district=draw(st.sampled_from([HERE, THERE, None])))
              for kind, day in draw(st.lists(st.tuples(event_kinds, days), max_size=6))]
    # one event of a kind per day, as the registry's uniqueness rule guarantees
    unique = {(e.event_type, e.date): e for e in events}
    return patent, sorted(unique.values(), key=lambda e: e.date)


@settings(max_examples=400, deadline=None)
@given(history=patent_histories(), as_of=days)
def test_the_columns_and_the_rules_agree(history, as_of):
    patent, events = history
    columns = RegistryColumns.of(Registry(district=HERE, patents=[patent], events=events))
    fast = len(columns.valid_positions(as_of)) == 1
    by_rules = in_force(patent, events, as_of) and owner_district(patent, events, as_of) == HERE
    assert fast == by_rules


@settings(max_examples=300, deadline=None)
@given(day=days, years=st.integers(1, 20))
def test_adding_years_to_arrays_matches_the_calendar(day, years):
    import numpy as np

    from ipcity.stats.core.columns import add_years as add_years_columns
    from ipcity.stats.core.validity import add_years

    assert add_years_columns(np.array([day.toordinal()]), years)[0] == add_years(day, years).toordinal()


def test_both_the_columns_and_the_rules_keep_an_abandoned_patent_ended_after_a_restoration():
    patent = Patent("P", PatentType.INVENTION, dt.date(2015, 1, 1), dt.date(2017, 1, 1), (), HERE)
    events = [LegalEvent("P", EventType.FEE_TERMINATION, dt.date(2025, 1, 1)),
              LegalEvent("P", EventType.ABANDONMENT, dt.date(2025, 2, 1)),
              LegalEvent("P", EventType.RESTORATION, dt.date(2025, 3, 1))]
    columns = RegistryColumns.of(Registry(district=HERE, patents=[patent], events=events))
    assert not in_force(patent, events, dt.date(2025, 6, 1))
    assert len(columns.valid_positions(dt.date(2025, 6, 1))) == 0
    assert in_force(patent, events[:1] + events[2:], dt.date(2025, 6, 1))
