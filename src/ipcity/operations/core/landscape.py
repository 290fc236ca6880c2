"""Patent landscape analysis for a navigation project: the patents of a field (an IPC prefix set and/or keywords
in titles) broken down by filing year, applicant, IPC subclass, legal status, and local against outside holders.
Plain Python over the registry's records."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ipcity.stats.core import validity
from ipcity.stats.core.records import ENDING_EVENTS, LegalEvent, Patent


@dataclass
class Landscape:
    total: int = 0
    by_year: dict[int, int] = field(default_factory=dict)
    top_applicants: list[tuple[str, int]] = field(default_factory=list)
    ipc: list[tuple[str, int]] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)  # 有效 / 审中 / 失效
    local: dict[str, int] = field(default_factory=dict)  # 本区 / 区外 / 未知
    local_applicants: list[tuple[str, int]] = field(default_factory=list)


def in_scope(patent: Patent, ipc_prefixes: tuple[str, ...], keywords: tuple[str, ...]) -> bool:
    codes = [c.replace(" ", "").upper() for c in patent.ipc_codes]
    by_class = bool(ipc_prefixes) and any(c.startswith(p) for c in codes for p in ipc_prefixes)
    by_word = bool(keywords) and any(k in patent.title for k in keywords)
    return by_class or by_word


def analyse(patents: Iterable[Patent], events: Iterable[LegalEvent], *, as_of: dt.date, district: str,
            ipc_prefixes: tuple[str, ...] = (), keywords: tuple[str, ...] = (), top: int = 10) -> Landscape:
    prefixes = tuple(p.replace(" ", "").upper() for p in ipc_prefixes if p.strip())
    words = tuple(k.strip() for k in keywords if k.strip())
    chosen = [p for p in patents if p.filing_date <= as_of and in_scope(p, prefixes, words)]
    numbers = {p.application_number for p in chosen}
    by_patent: dict[str, list[LegalEvent]] = {}
    for event in events:
        if event.application_number in numbers:
            by_patent.setdefault(event.application_number, []).append(event)
    status: Counter = Counter()
    for patent in chosen:
        own = by_patent.get(patent.application_number, [])
        if validity.in_force(patent, own, as_of):
            status["有效"] += 1
        elif patent.grant_date is None and not any(e.event_type in ENDING_EVENTS and e.date <= as_of for e in own):
            status["审中"] += 1
        else:
            status["失效"] += 1
    applicants = Counter(p.patentee or "（未知）" for p in chosen)
    local = Counter("本区" if p.owner_district == district else "未知" if not p.owner_district else "区外" for p in chosen)
    subclasses = Counter(c.replace(" ", "").upper()[:4] for p in chosen for c in p.ipc_codes if c)
    return Landscape(
        total=len(chosen), by_year=dict(sorted(Counter(p.filing_date.year for p in chosen).items())),
        top_applicants=applicants.most_common(top), ipc=subclasses.most_common(top), status=dict(status),
        local=dict(local),
        local_applicants=Counter(p.patentee for p in chosen if p.owner_district == district).most_common(top))
