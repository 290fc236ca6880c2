"""Who holds a patent now, from the registry alone: the patentee recorded for it (its applicants when none is
recorded), then each recorded transfer's assignee, in order of date.

Every check that only the patentee may make (list a patent, license it, declare an open licence, pledge it, record a
product or build a portfolio on it) asks here, so a recorded transfer moves all of these rights at once and the same
patent cannot be sold twice. A transfer that does not name its assignee leaves the holder unknown: nobody may act as
the patentee until the registry says who it is."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ipcity.stats import models as m
from ipcity.stats.core.records import EventType

_SEPARATORS = re.compile(r"[;；]")


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in _SEPARATORS.split(text or "") if name.strip())


@dataclass(frozen=True)
class Holding:
    """The current patentee(s) of one patent; `names` is empty when the registry does not say."""

    number: str
    names: tuple[str, ...]
    transferred_on: dt.date | None  # the last recorded transfer, if any

    def held_by(self, organization) -> bool:
        return organization is not None and organization.name.strip() in self.names

    @property
    def label(self) -> str:
        return "、".join(self.names)

    def refusal(self, organization) -> str | None:
        """Why `organization` may not act as this patent's patentee, for the user; None when it may."""
        if self.held_by(organization):
            return None
        if not self.names:
            return (f"专利{self.number}在登记库中没有可确认的当前专利权人（最近一次登记的转让未写明受让人），"
                    "不能以专利权人身份办理")
        since = f"（{self.transferred_on:%Y-%m-%d}登记转让）" if self.transferred_on else ""
        return f"专利{self.number}的当前专利权人是“{self.label}”{since}，不是本机构"


def holdings(patents: Iterable[m.Patent], *, before: dt.date | None = None) -> dict[int, Holding]:
    """The holding of each patent (keyed by its id), in one query for the transfers of all of them; with `before`,
    the holding on the day before that date (transfers recorded from that day on left out)."""
    patents = list(patents)
    transfers: dict[int, list[tuple[dt.date, str]]] = {}
    recorded = m.LegalEvent.objects.filter(patent__in=patents, event_type=EventType.TRANSFER)
    if before is not None:
        recorded = recorded.filter(date__lt=before)
    for patent_id, day, assignee in recorded.order_by("date", "id").values_list("patent_id", "date", "counterparty"):
        transfers.setdefault(patent_id, []).append((day, assignee))
    result = {}
    for patent in patents:
        names = _names(patent.patentee) or tuple(str(a).strip() for a in patent.applicants or [] if str(a).strip())
        chain = transfers.get(patent.pk, [])
        if chain:
            names = _names(chain[-1][1])
        result[patent.pk] = Holding(patent.application_number, names, chain[-1][0] if chain else None)
    return result


def holding(patent: m.Patent, *, before: dt.date | None = None) -> Holding:
    """Who holds this patent now (with `before`: on the day before that date)."""
    return holdings([patent], before=before)[patent.pk]
