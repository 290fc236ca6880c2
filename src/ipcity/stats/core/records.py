"""Plain records the engine computes from. The Django layer builds them from the database or an import."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class PatentType(StrEnum):
    INVENTION = "invention"
    UTILITY_MODEL = "utility_model"
    DESIGN = "design"


class EventType(StrEnum):
    GRANT = "grant"
    FEE_TERMINATION = "fee_termination"  # 未缴年费专利权终止
    RESTORATION = "restoration"  # 专利权的恢复
    INVALIDATION_FULL = "invalidation_full"  # 宣告全部无效
    INVALIDATION_PARTIAL = "invalidation_partial"  # 宣告部分无效: stays valid
    EXPIRY = "expiry"  # 期限届满 (recorded; the term is also computed)
    ABANDONMENT = "abandonment"  # 放弃专利权
    TRANSFER = "transfer"  # 专利权的转移
    LICENCE = "licence"  # 专利实施许可合同备案
    PLEDGE = "pledge"  # 专利权质押合同登记
    PLEDGE_RELEASE = "pledge_release"  # 质押合同登记的注销
    OPEN_LICENCE = "open_licence"  # 开放许可声明
    OPEN_LICENCE_WITHDRAWN = "open_licence_withdrawn"
    FAMILY_ABROAD = "family_abroad"  # a family member published or granted abroad
    AWARD = "award"  # 国家科学技术奖 or 中国专利奖


PATENT_TYPE_LABELS = {PatentType.INVENTION: "发明", PatentType.UTILITY_MODEL: "实用新型", PatentType.DESIGN: "外观设计"}
EVENT_LABELS = {
    EventType.GRANT: "授权", EventType.FEE_TERMINATION: "未缴年费终止", EventType.RESTORATION: "权利恢复",
    EventType.INVALIDATION_FULL: "全部无效", EventType.INVALIDATION_PARTIAL: "部分无效", EventType.EXPIRY: "期限届满",
    EventType.ABANDONMENT: "放弃", EventType.TRANSFER: "转让", EventType.LICENCE: "许可备案", EventType.PLEDGE: "质押登记",
    EventType.PLEDGE_RELEASE: "质押注销", EventType.OPEN_LICENCE: "开放许可声明", EventType.OPEN_LICENCE_WITHDRAWN: "开放许可撤回",
    EventType.FAMILY_ABROAD: "境外同族", EventType.AWARD: "获奖",
}

# Events after which the right no longer exists (until a restoration, for fee termination).
ENDING_EVENTS = frozenset({EventType.FEE_TERMINATION, EventType.INVALIDATION_FULL, EventType.EXPIRY, EventType.ABANDONMENT})
# A restoration (专利法实施细则第六条) undoes only a loss by a missed time limit: the fee termination. A right ended by
# abandonment, full invalidation or expiry is ended for good, whatever restoration is recorded after it.
RESTORABLE_ENDINGS = frozenset({EventType.FEE_TERMINATION})
FINAL_ENDINGS = ENDING_EVENTS - RESTORABLE_ENDINGS


@dataclass(frozen=True)
class LegalEvent:
    application_number: str
    event_type: EventType
    date: dt.date
    amount: Decimal | None = None  # pledge amount (yuan)
    counterparty: str = ""  # transferee, licensee or pledgee
    new_owner_district: str | None = None  # for a transfer: where the new patentee is (None: unknown)


@dataclass(frozen=True)
class Patent:
    application_number: str
    patent_type: PatentType
    filing_date: dt.date
    grant_date: dt.date | None
    ipc_codes: tuple[str, ...]
    owner_district: str | None  # where the patentee is at grant (None: address could not be resolved)
    owner_street: str | None = None
    title: str = ""
    patentee: str = ""


@dataclass(frozen=True)
class Trademark:
    registration_number: str
    registration_date: dt.date | None
    valid_until: dt.date | None  # renewals move it on
    cancelled_on: dt.date | None
    owner_district: str | None
    madrid_filing_date: dt.date | None = None
    holder: str = ""


@dataclass(frozen=True)
class Pledge:
    """A pledge contract over one or more rights (the bundle); its amount counts once."""

    reference: str
    registered_on: dt.date
    released_on: dt.date | None
    amount: Decimal
    pledgor_district: str | None
    patents: tuple[str, ...] = ()


@dataclass(frozen=True)
class InsurancePolicy:
    policy_number: str
    kind: str  # "patent_insurance" or "protection_insurance"
    start_date: dt.date
    insured_district: str | None


@dataclass(frozen=True)
class Securitization:
    name: str
    issued_on: dt.date


@dataclass(frozen=True)
class PopulationFigure:
    year: int
    residents_10k: Decimal  # year-end resident population, in 10,000s
    source: str


@dataclass(frozen=True)
class SeiIpcTable:
    """Strategic emerging industries through IPC prefixes (the official SEI–IPC reference table, as loaded)."""

    version: str
    prefixes: tuple[tuple[str, str], ...]  # (IPC prefix, industry)

    def industry_of(self, ipc_codes: tuple[str, ...]) -> str | None:
        for code in ipc_codes:
            compact = code.replace(" ", "").upper()
            for prefix, industry in self.prefixes:
                if compact.startswith(prefix):
                    return industry
        return None


@dataclass(frozen=True)
class Activity:
    """Work recorded elsewhere on the platform that an indicator counts (a navigation project completed, a
    high-value portfolio established; later cases, mediations, trainings), as a kind, a key and its day."""

    kind: str
    key: str
    day: dt.date
    until: dt.date | None = None  # for a standing state (a valid certificate): the last day it holds


@dataclass
class Registry:
    district: str
    patents: list[Patent] = field(default_factory=list)
    events: list[LegalEvent] = field(default_factory=list)
    trademarks: list[Trademark] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)
    policies: list[InsurancePolicy] = field(default_factory=list)
    securitizations: list[Securitization] = field(default_factory=list)
    population: list[PopulationFigure] = field(default_factory=list)
    sei_table: SeiIpcTable | None = None
    activities: list[Activity] = field(default_factory=list)
    high_value_pledge_threshold: Decimal = Decimal("10000000")
    # The office's registry coverage: for a kind of records (an engine definition's `needs`: "patents", "events",
    # "activity:case_patent", …) the date from which its records are complete. A kind not listed is taken as complete
    # from 1 January of the year of its earliest record (engine.coverage_from).
    coverage: dict[str, dt.date] = field(default_factory=dict)
