"""The registry as numpy columns, and every as-of question answered by array operations.

Built once per registry (`RegistryColumns.of`), it answers "which patents are valid on D" for any D by
binary searches over the patents' sorted state events: a final ending (abandonment, full invalidation, recorded
expiry) on or before D ends the right for good; otherwise the last fee termination or restoration on or before D
says whether the right has ended; the last transfer on or before D says where the patentee is. The rules are
those of validity.py, which stays the readable reference (a property test holds the two together)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ipcity.stats.core.records import FINAL_ENDINGS, RESTORABLE_ENDINGS, EventType, PatentType, Registry
from ipcity.stats.core.validity import DESIGN_TERM_CHANGE

NEVER = np.iinfo(np.int64).max
SPAN = 1 << 22  # larger than any date ordinal, so patent * SPAN + ordinal sorts by patent, then date
TYPE_CODES = {PatentType.INVENTION: 0, PatentType.UTILITY_MODEL: 1, PatentType.DESIGN: 2}
EVENT_CODES = {e: i for i, e in enumerate(EventType)}
_RESTORABLE = np.array([EVENT_CODES[e] for e in RESTORABLE_ENDINGS])
_FINAL = np.array([EVENT_CODES[e] for e in FINAL_ENDINGS])
_RESTORATION = EVENT_CODES[EventType.RESTORATION]
_TRANSFER = EVENT_CODES[EventType.TRANSFER]
_LICENCE = EVENT_CODES[EventType.LICENCE]


def add_years(ordinals: np.ndarray, years: np.ndarray | int) -> np.ndarray:
    """Same calendar day `years` later (29 February becomes 28 February), on arrays of date ordinals."""
    days = (ordinals - dt.date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    year = days.astype("datetime64[Y]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    month_of_year = (month - year.astype("datetime64[M]")).astype(np.int64)
    target_month = (year + np.asarray(years)).astype("datetime64[M]") + month_of_year
    last_day = ((target_month + 1).astype("datetime64[D]") - target_month.astype("datetime64[D]")).astype(np.int64) - 1
    target = target_month.astype("datetime64[D]") + np.minimum(day_of_month, last_day)
    return target.astype(np.int64) + dt.date(1970, 1, 1).toordinal()


class Keys(Sequence):
    """Record keys picked out by positions, made into strings only when read (lineage can be large)."""

    def __init__(self, names: Sequence[str], positions: np.ndarray):
        self._names = names
        self._positions = positions

    def __len__(self):
        return len(self._positions)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return tuple(self._names[i] for i in self._positions[item])
        return self._names[self._positions[item]]

    def __eq__(self, other):
        return tuple(self) == tuple(other)

    def __hash__(self):
        return hash(tuple(self))

    def __repr__(self):
        return f"Keys({len(self)})"


@dataclass
class RawColumns:
    """The registry's fields as arrays, with no rule applied yet (the engine's loaded form)."""

    numbers: list[str]
    kind: np.ndarray
    filed: np.ndarray
    granted: np.ndarray  # ordinal, NEVER when not granted
    here: np.ndarray  # the patentee at grant is in the district
    sei: np.ndarray  # an IPC code falls in the SEI–IPC table
    e_patent: np.ndarray  # events: patent position, kind code, day, new patentee in the district (transfers)
    e_kind: np.ndarray
    e_day: np.ndarray
    e_here: np.ndarray
    pledge_patent: np.ndarray  # one row per pledged patent (pledges registry and pledge legal events with an amount):
    # position, amount in cents, day registered
    pledge_cents: np.ndarray
    pledge_day: np.ndarray
    high_value_pledge_cents: int
    mark_numbers: list[str]
    mark_here: np.ndarray
    mark_registered: np.ndarray
    mark_until: np.ndarray
    mark_cancelled: np.ndarray

    @classmethod
    def of(cls, registry: Registry) -> "RawColumns":
        district = registry.district
        patents = registry.patents
        numbers = [p.application_number for p in patents]
        position = {n: i for i, n in enumerate(numbers)}
        n = len(patents)
        events = [e for e in registry.events if e.application_number in position]
        m = len(events)
        pledged = [(position[number], int(pledge.amount * 100), pledge.registered_on.toordinal())
                   for pledge in registry.pledges for number in pledge.patents if number in position]
        # A pledge registration carried by the legal events (the events import's 金额) is the same financing seen
        # from the patent's side: it counts for high-value criterion 4 like a row of the pledges registry.
        pledged += [(position[e.application_number], int(e.amount * 100), e.date.toordinal())
                    for e in events if e.event_type == EventType.PLEDGE and e.amount is not None]
        pledge_rows = np.array(pledged, dtype=np.int64).reshape(-1, 3).T
        marks = registry.trademarks
        t = len(marks)

        def ordinal_or_never(value):
            return value.toordinal() if value is not None else NEVER

        return cls(
            numbers=numbers,
            kind=np.fromiter((TYPE_CODES[p.patent_type] for p in patents), np.int8, n),
            filed=np.fromiter((p.filing_date.toordinal() for p in patents), np.int64, n),
            granted=np.fromiter((ordinal_or_never(p.grant_date) for p in patents), np.int64, n),
            here=np.fromiter((p.owner_district == district for p in patents), bool, n),
            sei=np.fromiter((registry.sei_table is not None and registry.sei_table.industry_of(p.ipc_codes) is not None
                             for p in patents), bool, n),
            e_patent=np.fromiter((position[e.application_number] for e in events), np.int64, m),
            e_kind=np.fromiter((EVENT_CODES[e.event_type] for e in events), np.int64, m),
            e_day=np.fromiter((e.date.toordinal() for e in events), np.int64, m),
            e_here=np.fromiter((e.new_owner_district == district for e in events), bool, m),
            pledge_patent=pledge_rows[0], pledge_cents=pledge_rows[1], pledge_day=pledge_rows[2],
            high_value_pledge_cents=int(registry.high_value_pledge_threshold * 100),
            mark_numbers=[mk.registration_number for mk in marks],
            mark_here=np.fromiter((mk.owner_district == district for mk in marks), bool, t),
            mark_registered=np.fromiter((ordinal_or_never(mk.registration_date) for mk in marks), np.int64, t),
            mark_until=np.fromiter((ordinal_or_never(mk.valid_until) for mk in marks), np.int64, t),
            mark_cancelled=np.fromiter((ordinal_or_never(mk.cancelled_on) for mk in marks), np.int64, t),
        )


class DealingKeys(Sequence):
    """Lineage keys of transfers and licences ("number@date:kind"), made into strings only when read."""

    def __init__(self, numbers: list[str], patent: np.ndarray, day: np.ndarray, kind: np.ndarray):
        self._numbers, self._patent, self._day, self._kind = numbers, patent, day, kind

    def __len__(self):
        return len(self._patent)

    def _key(self, i: int) -> str:
        kind = "transfer" if self._kind[i] == _TRANSFER else "licence"
        return f"{self._numbers[self._patent[i]]}@{dt.date.fromordinal(int(self._day[i])).isoformat()}:{kind}"

    def __getitem__(self, item):
        if isinstance(item, slice):
            return tuple(self._key(i) for i in range(*item.indices(len(self))))
        return self._key(item)

    def __eq__(self, other):
        return tuple(self) == tuple(other)

    def __hash__(self):
        return hash(tuple(self))


@dataclass
class RegistryColumns:
    numbers: list[str]
    kind: np.ndarray
    granted: np.ndarray
    here_at_grant: np.ndarray
    high_value_from: np.ndarray  # ordinal, NEVER when never
    term_end: np.ndarray  # the first day the right no longer exists for good: term, abandonment, full invalidation
    state_keys: np.ndarray  # sorted patent * SPAN + day of fee terminations and restorations
    state_ended: np.ndarray  # per state event: a fee termination (False: a restoration)
    move_keys: np.ndarray  # sorted patent * SPAN + day of transfers
    move_here: np.ndarray  # per transfer: the new patentee is in the district
    dealing_patent: np.ndarray  # transfers and licences by the district's patentees, sorted by day
    dealing_day: np.ndarray
    dealing_kind: np.ndarray
    mark_numbers: list[str]
    mark_valid_from: np.ndarray  # a trademark of the district is valid on D when from <= D < to
    mark_valid_to: np.ndarray

    @classmethod
    def of(cls, registry: Registry) -> "RegistryColumns":
        return cls.build(RawColumns.of(registry))

    @classmethod
    def build(cls, raw: RawColumns) -> "RegistryColumns":
        """Apply the rules to the loaded arrays: terms, state-event order, high-value dates, dealings."""
        kind, filed = raw.kind, raw.filed
        years = np.where(kind == 0, 20, np.where((kind == 2) & (filed >= DESIGN_TERM_CHANGE.toordinal()), 15, 10))
        term_end = add_years(filed, years)

        order = np.lexsort((np.arange(len(raw.e_patent)), raw.e_day, raw.e_patent))  # patent, day, input order
        e_patent, e_kind, e_day, e_here = raw.e_patent[order], raw.e_kind[order], raw.e_day[order], raw.e_here[order]
        e_keys = e_patent * SPAN + e_day
        is_state = np.isin(e_kind, _RESTORABLE) | (e_kind == _RESTORATION)
        final_end = np.full(len(kind), NEVER, dtype=np.int64)  # first abandonment, full invalidation or expiry
        is_final = np.isin(e_kind, _FINAL)
        np.minimum.at(final_end, e_patent[is_final], e_day[is_final])
        is_move = e_kind == _TRANSFER
        move_keys, move_here = e_keys[is_move], e_here[is_move]

        # Criteria that, once met, stay met: the first date each is met, then the earliest of them.
        high_value_from = np.where(kind == 0, add_years(filed, 10), NEVER)
        high_value_from = np.where(raw.sei & (kind == 0), filed, high_value_from)
        honours = np.isin(e_kind, [EVENT_CODES[EventType.FAMILY_ABROAD], EVENT_CODES[EventType.AWARD]])
        honours &= kind[e_patent] == 0
        np.minimum.at(high_value_from, e_patent[honours], e_day[honours])
        big = (raw.pledge_cents >= raw.high_value_pledge_cents) & (kind[raw.pledge_patent] == 0)
        np.minimum.at(high_value_from, raw.pledge_patent[big], raw.pledge_day[big])

        # Where the patentee was the day before each transfer or licence.
        dealing = (e_kind == _TRANSFER) | (e_kind == _LICENCE)
        d_patent, d_day = e_patent[dealing], e_day[dealing]
        before = _last_at_or_before(move_keys, d_patent * SPAN + d_day - 1, d_patent)
        chosen = np.flatnonzero(dealing)[_take(move_here, before, raw.here[d_patent])]
        chosen = chosen[np.argsort(e_day[chosen], kind="stable")]

        valid_from = np.where(raw.mark_here, raw.mark_registered, NEVER)
        valid_to = np.minimum(np.where(raw.mark_until == NEVER, NEVER, raw.mark_until + 1), raw.mark_cancelled)
        return cls(
            numbers=raw.numbers, kind=kind, granted=raw.granted, term_end=np.minimum(term_end, final_end),
            here_at_grant=raw.here,
            high_value_from=high_value_from, state_keys=e_keys[is_state], state_ended=e_kind[is_state] != _RESTORATION,
            move_keys=move_keys, move_here=move_here, dealing_patent=e_patent[chosen], dealing_day=e_day[chosen],
            dealing_kind=e_kind[chosen], mark_numbers=raw.mark_numbers, mark_valid_from=valid_from,
            mark_valid_to=valid_to,
        )

    def valid_positions(self, as_of: dt.date, kinds: tuple[int, ...] | None = None, high_value: bool = False) -> np.ndarray:
        day = as_of.toordinal()
        candidates = np.flatnonzero((self.granted <= day) & (day < self.term_end))
        if kinds is not None:
            candidates = candidates[np.isin(self.kind[candidates], kinds)]
        if high_value:
            candidates = candidates[self.high_value_from[candidates] <= day]
        queries = candidates * SPAN + day
        last_state = _last_at_or_before(self.state_keys, queries, candidates)
        ended = _take(self.state_ended, last_state, False)
        last_move = _last_at_or_before(self.move_keys, queries, candidates)
        here = _take(self.move_here, last_move, self.here_at_grant[candidates])
        return candidates[~ended & here]

    def counts(self, days: list[dt.date], kinds: tuple[int, ...] | None = None, high_value: bool = False) -> list[int]:
        return [len(self.valid_positions(d, kinds, high_value)) for d in days]

    def patent_keys(self, positions: np.ndarray) -> Keys:
        return Keys(self.numbers, positions)

    def dealings_until(self, as_of: dt.date) -> tuple[dict[int, Decimal], DealingKeys]:
        count = int(np.searchsorted(self.dealing_day, as_of.toordinal(), side="right"))
        years = _years_of(self.dealing_day[:count])
        yearly = {int(y): Decimal(int(c)) for y, c in zip(*np.unique(years, return_counts=True), strict=True)}
        return yearly, DealingKeys(self.numbers, self.dealing_patent[:count], self.dealing_day[:count],
                                   self.dealing_kind[:count])

    def valid_marks(self, as_of: dt.date) -> Keys:
        day = as_of.toordinal()
        return Keys(self.mark_numbers, np.flatnonzero((self.mark_valid_from <= day) & (day < self.mark_valid_to)))


def _years_of(ordinals: np.ndarray) -> np.ndarray:
    days = (ordinals - dt.date(1970, 1, 1).toordinal()).astype("datetime64[D]")
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


def _take(values: np.ndarray, found: np.ndarray, default) -> np.ndarray:
    """values[found] where found >= 0, else the default (a scalar or an array shaped like found)."""
    if len(values) == 0:
        return np.broadcast_to(np.asarray(default), found.shape).copy()
    return np.where(found >= 0, values[np.maximum(found, 0)], default)


def _last_at_or_before(keys: np.ndarray, queries: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """For each query (owner * SPAN + day), the index of the last key of the same owner at or before that day,
    or -1 when the owner has none."""
    found = np.searchsorted(keys, queries, side="right") - 1
    same_owner = (found >= 0) & (keys[np.maximum(found, 0)] // SPAN == owners) if len(keys) else np.zeros(len(queries), bool)
    return np.where(same_owner, found, -1)
