"""Every record-based plan indicator as of a date, each with the records behind it (its lineage).

`evaluate(registry, as_of)` returns {indicator code: Result} for every definition. Codes are the plan's indicator
codes; an indicator not listed in `DEFINITIONS` is not computed from records (it is reported by its unit).

Coverage: each definition counts over a period for a date D (`period_start`): a stock on D itself, a yearly count
from 1 January of D's year, a cumulative count or annual average from the pilot's start, a growth rate from
1 January of the base year. A value is computed only when the records it needs are complete from that start on
(`coverage_from`); otherwise its Result has covered=False, no value and a note saying from when the records are
complete, so a registry that does not reach back far enough never shows as 0."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ipcity.stats.core.columns import TYPE_CODES, Keys, RawColumns, RegistryColumns
from ipcity.stats.core.records import PatentType, Registry

BASE_YEAR = 2023  # the year before the pilot: growth is measured from it
PILOT_START = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class Result:
    value: Decimal | None  # None: cannot be computed yet (e.g. no complete year for a growth rate)
    records: Sequence[str] = ()  # keys of the records behind the value
    note: str = ""  # how the value was obtained, shown with it
    series: dict = field(default_factory=dict)  # year -> value, for yearly and growth indicators
    covered: bool = True  # False: the registry's records are not complete for the period; value is None then


class _Index:
    """The registry as columns (see columns.py), built once and reused for every date."""

    def __init__(self, columns: RegistryColumns):
        self.columns = columns
        self.earliest: dict[str, dt.date | None] = {}  # needs -> day of its earliest record (memo across dates)

    @classmethod
    def of(cls, registry: Registry) -> "_Index":
        return cls(RegistryColumns.of(registry))

    @classmethod
    def from_raw(cls, raw: RawColumns) -> "_Index":
        return cls(RegistryColumns.build(raw))


def _quantize(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def valid_patents(registry: Registry, index: _Index, as_of: dt.date, types=None, high_value: bool = False) -> Keys:
    """Application numbers of the district's valid patents on the date."""
    kinds = tuple(TYPE_CODES[t] for t in types) if types is not None else None
    return index.columns.patent_keys(index.columns.valid_positions(as_of, kinds, high_value))


def _population(registry: Registry, as_of: dt.date):
    """The latest year-end figure that exists on the date (a year's figure applies from its 31 December)."""
    figures = sorted((p for p in registry.population if dt.date(p.year, 12, 31) <= as_of), key=lambda p: p.year)
    return figures[-1] if figures else None


def _per_10k(count: int, registry: Registry, as_of: dt.date) -> tuple[Decimal | None, str]:
    figure = _population(registry, as_of)
    if figure is None:
        return None, "缺少人口数据：请先导入常住人口表"
    return _quantize(Decimal(count) / figure.residents_10k), f"常住人口 {figure.residents_10k} 万人（{figure.year}年，{figure.source}）"


def _complete_years(as_of: dt.date) -> list[int]:
    """Pilot years that have ended on or before the date, after the base year."""
    last = as_of.year if as_of == dt.date(as_of.year, 12, 31) else as_of.year - 1
    return list(range(BASE_YEAR + 1, last + 1))


def compound_growth(base: Decimal, last: Decimal, years: int) -> Decimal | None:
    """Average annual (compound) growth in percent: (last / base) ** (1 / years) - 1."""
    if years <= 0 or base <= 0:
        return None
    ratio = float(last) / float(base)
    return _quantize(Decimal(str((ratio ** (1 / years) - 1) * 100)))


def _growth(yearly: dict[int, Decimal], as_of: dt.date) -> Result:
    """Growth over the complete years; the series also carries the current year's total so far."""
    years = _complete_years(as_of)
    series = {y: yearly.get(y, Decimal(0)) for y in range(BASE_YEAR, as_of.year + 1)}
    if not years:
        return Result(None, note="试点期尚无完整年度，无法计算年均增长率", series=series)
    growth = compound_growth(series[BASE_YEAR], series[years[-1]], len(years))
    if growth is None:
        return Result(None, note=f"{BASE_YEAR}年基数为0，无法计算增长率", series=series)
    return Result(growth, note=f"{BASE_YEAR}年至{years[-1]}年复合年均增长率", series=series)


def _pledges(registry: Registry, as_of: dt.date, amount: bool) -> tuple[dict[int, Decimal], list[str]]:
    yearly: dict[int, Decimal] = defaultdict(Decimal)
    keys = []
    for pledge in registry.pledges:
        if pledge.registered_on <= as_of and pledge.pledgor_district == registry.district:
            yearly[pledge.registered_on.year] += pledge.amount if amount else 1
            keys.append(pledge.reference)
    return yearly, keys


def _growth_result(yearly_and_keys, as_of: dt.date) -> Result:
    yearly, keys = yearly_and_keys
    result = _growth(yearly, as_of)
    return Result(result.value, keys, result.note, result.series)


def evaluate(registry: Registry, as_of: dt.date, index: "_Index | None" = None) -> dict[str, Result]:
    """Every definition as of the date: computed where its records cover the period it counts over (a covered
    kind with no records counts 0), otherwise covered=False with no value, so that a registry that does not reach
    back far enough never shows as a computed zero (the unit's reported value stands instead). Pass the `index`
    of an earlier call to evaluate the same registry on another date without rebuilding it."""
    index = index or _Index.of(registry)
    results = {}
    for code, (definition, needs) in DEFINITIONS.items():
        gap = coverage_gap(registry, index, code, needs, as_of)
        results[code] = Result(None, note=gap, covered=False) if gap else definition(registry, index, as_of)
    return results


def _count(items: list, key: Callable, note: str = "") -> Result:
    return Result(Decimal(len(items)), tuple(key(i) for i in items), note)


def d_valid_patents(registry, index, as_of):
    keys = valid_patents(registry, index, as_of)
    return Result(Decimal(len(keys)), keys)


def d_valid_inventions(registry, index, as_of):
    keys = valid_patents(registry, index, as_of, {PatentType.INVENTION})
    return Result(Decimal(len(keys)), keys)


def d_valid_inventions_per_10k(registry, index, as_of):
    keys = valid_patents(registry, index, as_of, {PatentType.INVENTION})
    value, note = _per_10k(len(keys), registry, as_of)
    return Result(value, keys, f"有效发明专利 {len(keys)} 件；{note}")


def d_high_value_per_10k(registry, index, as_of):
    keys = valid_patents(registry, index, as_of, {PatentType.INVENTION}, high_value=True)
    value, note = _per_10k(len(keys), registry, as_of)
    sei = f"；战略性新兴产业对照表 {registry.sei_table.version}" if registry.sei_table else "；未导入战略性新兴产业对照表"
    return Result(value, keys, f"高价值发明专利 {len(keys)} 件；{note}{sei}")


def d_valid_trademarks(registry, index, as_of):
    keys = index.columns.valid_marks(as_of)
    return Result(Decimal(len(keys)), keys)


def d_madrid_filings(registry, index, as_of):
    filings = [t for t in registry.trademarks if t.owner_district == registry.district and t.madrid_filing_date
               and PILOT_START <= t.madrid_filing_date <= as_of]
    series = {y: Decimal(sum(1 for t in filings if t.madrid_filing_date.year == y))
              for y in range(PILOT_START.year, as_of.year + 1)}
    average = _quantize(Decimal(len(filings)) / len(series)) if series else None
    return Result(average, tuple(t.registration_number for t in filings),
                  f"试点期 {len(series)} 个年度（含当年）年均", series)


def d_transfers_and_licences_growth(registry, index, as_of):
    """Transfers and recorded licences of patents whose patentee was in the district just before the event."""
    return _growth_result(index.columns.dealings_until(as_of), as_of)


def d_pledge_amount_growth(registry, index, as_of):
    return _growth_result(_pledges(registry, as_of, amount=True), as_of)


def d_pledge_count_growth(registry, index, as_of):
    return _growth_result(_pledges(registry, as_of, amount=False), as_of)


def d_patent_insurance_policies(registry, index, as_of):
    policies = [p for p in registry.policies if p.insured_district == registry.district and PILOT_START <= p.start_date <= as_of]
    return _count(policies, lambda p: p.policy_number, "试点期内累计投保")


def d_protection_insurance_annual(registry, index, as_of):
    policies = [p for p in registry.policies if p.insured_district == registry.district
                and p.kind == "protection_insurance" and p.start_date.year == as_of.year and p.start_date <= as_of]
    return _count(policies, lambda p: p.policy_number, f"{as_of.year}年")


def d_securitization_pilots(registry, index, as_of):
    products = [s for s in registry.securitizations if PILOT_START <= s.issued_on <= as_of]
    return _count(products, lambda s: s.name, "试点期内累计")


def _activities(kind: str, note: str, per_year: bool = False, standing: bool = False):
    """Count one kind of activity: over the pilot so far, in the as-of date's year (per_year), or those holding on
    the as-of date (standing: begun and not yet past their `until`)."""
    def definition(registry, index, as_of):
        if standing:
            done = [a for a in registry.activities if a.kind == kind and a.day <= as_of
                    and (a.until is None or a.until >= as_of)]
            return _count(done, lambda a: a.key, note)
        start = dt.date(as_of.year, 1, 1) if per_year else PILOT_START
        done = [a for a in registry.activities if a.kind == kind and start <= a.day <= as_of]
        return _count(done, lambda a: a.key, f"{as_of.year}年{note}" if per_year else note)
    return definition


# indicator code -> (definition, the records that must exist for the value to mean anything: a registry list, or
# "activity:<kind>" for activities of one kind)
DEFINITIONS: dict[str, tuple[Callable[[Registry, _Index, dt.date], Result], str]] = {
    "valid_patents": (d_valid_patents, "patents"),
    "valid_invention_patents": (d_valid_inventions, "patents"),
    "valid_invention_patents_per_10k": (d_valid_inventions_per_10k, "patents"),
    "high_value_invention_patents_per_10k": (d_high_value_per_10k, "patents"),
    "valid_trademarks": (d_valid_trademarks, "trademarks"),
    "madrid_filings": (d_madrid_filings, "trademarks"),
    "transfers_and_licences_growth": (d_transfers_and_licences_growth, "events"),
    "pledge_amount_growth": (d_pledge_amount_growth, "pledges"),
    "pledge_count_growth": (d_pledge_count_growth, "pledges"),
    "patent_insurance_policies": (d_patent_insurance_policies, "policies"),
    "protection_insurance_annual": (d_protection_insurance_annual, "policies"),
    "securitization_pilots": (d_securitization_pilots, "securitizations"),
    "navigation_projects_industry_planning": (_activities("navigation_industry_planning", "试点期内累计完成验收"),
                                              "activity:navigation_industry_planning"),
    "navigation_projects_enterprise_operation": (_activities("navigation_enterprise_operation", "试点期内累计完成验收"),
                                                 "activity:navigation_enterprise_operation"),
    "high_value_portfolios": (_activities("high_value_portfolio", "试点期内累计培育形成"), "activity:high_value_portfolio"),
    "operation_centers": (_activities("operation_center", "试点期内累计认定（按认定日期）"), "activity:operation_center"),
    "mediation_administrative_with_judicial_confirmation": (
        _activities("mediation_administrative", "经司法确认的行政调解", per_year=True), "activity:mediation_administrative"),
    "patent_enforcement_cases": (_activities("case_patent", "立案查处的专利案件", per_year=True), "activity:case_patent"),
    "trademark_enforcement_cases": (_activities("case_trademark", "立案查处的商标案件", per_year=True),
                                    "activity:case_trademark"),
    "copyright_enforcement_cases": (_activities("case_copyright", "立案查处的版权案件", per_year=True),
                                    "activity:case_copyright"),
    "certified_patent_enforcement_officers": (_activities("officer_certificate", "执法证件在有效期内的人员", standing=True),
                                              "activity:officer_certificate"),
    "city_standardized_markets": (_activities("market_city", "试点期内累计认定"), "activity:market_city"),
    "national_standardized_markets": (_activities("market_national", "试点期内累计认定"), "activity:market_national"),
    "mediation_people": (_activities("mediation_people", "人民调解委员会调解成功", per_year=True), "activity:mediation_people"),
    "mediation_association": (_activities("mediation_association", "保护协会调解成功", per_year=True),
                              "activity:mediation_association"),
    "mediation_workstation": (_activities("mediation_workstation", "维权工作站调解成功", per_year=True),
                              "activity:mediation_workstation"),
    "trainings": (_activities("training", "举办的知识产权培训", per_year=True), "activity:training"),
    "training_person_times": (_activities("training_attendance", "培训签到人次", per_year=True),
                              "activity:training_attendance"),
    "cluster_agencies": (_activities("cluster_agency", "在聚集区内的服务机构", standing=True), "activity:cluster_agency"),
    "custody_smes": (_activities("custody_sme", "托管服务累计覆盖的中小微企业"), "activity:custody_sme"),
}


# What each definition counts over for a date D, which decides from when its records must be complete.
STOCK, YEAR, PILOT, GROWTH = "stock", "year", "pilot", "growth"
PERIODS: dict[str, str] = {
    "valid_patents": STOCK, "valid_invention_patents": STOCK, "valid_invention_patents_per_10k": STOCK,
    "high_value_invention_patents_per_10k": STOCK, "valid_trademarks": STOCK, "madrid_filings": PILOT,
    "transfers_and_licences_growth": GROWTH, "pledge_amount_growth": GROWTH, "pledge_count_growth": GROWTH,
    "patent_insurance_policies": PILOT, "protection_insurance_annual": YEAR, "securitization_pilots": PILOT,
    "navigation_projects_industry_planning": PILOT, "navigation_projects_enterprise_operation": PILOT,
    "high_value_portfolios": PILOT, "operation_centers": PILOT,
    "mediation_administrative_with_judicial_confirmation": YEAR, "patent_enforcement_cases": YEAR,
    "trademark_enforcement_cases": YEAR, "copyright_enforcement_cases": YEAR,
    "certified_patent_enforcement_officers": STOCK, "city_standardized_markets": PILOT,
    "national_standardized_markets": PILOT, "mediation_people": YEAR, "mediation_association": YEAR,
    "mediation_workstation": YEAR, "trainings": YEAR, "training_person_times": YEAR, "cluster_agencies": STOCK,
    "custody_smes": PILOT,
}

# The kinds of records definitions need, as the office names them when it records their coverage.
COVERAGE_LABELS: dict[str, str] = {
    "patents": "专利著录", "events": "专利法律事件", "trademarks": "商标注册", "pledges": "专利质押登记",
    "policies": "专利保险保单", "securitizations": "知识产权证券化产品",
    "activity:navigation_industry_planning": "产业规划类专利导航项目验收",
    "activity:navigation_enterprise_operation": "企业运营类专利微导航项目验收",
    "activity:high_value_portfolio": "高价值专利组合认定", "activity:operation_center": "知识产权运营中心认定",
    "activity:mediation_administrative": "行政调解司法确认", "activity:case_patent": "专利行政查处案件",
    "activity:case_trademark": "商标行政查处案件", "activity:case_copyright": "版权行政查处案件",
    "activity:officer_certificate": "专利行政执法证件", "activity:market_city": "市级规范化市场认定",
    "activity:market_national": "国家级规范化市场认定", "activity:mediation_people": "人民调解委员会调解",
    "activity:mediation_association": "保护协会调解", "activity:mediation_workstation": "维权工作站调解",
    "activity:training": "知识产权培训", "activity:training_attendance": "培训签到",
    "activity:cluster_agency": "聚集区服务机构入驻", "activity:custody_sme": "知识产权托管服务",
}


def period_start(code: str, as_of: dt.date) -> dt.date:
    """The first day of what the indicator counts for the date: from then on its records must be complete."""
    period = PERIODS[code]
    if period == YEAR:
        return dt.date(as_of.year, 1, 1)
    if period == PILOT:
        return PILOT_START
    if period == GROWTH:
        return dt.date(BASE_YEAR, 1, 1)
    return as_of


def _record_days(registry: Registry, needs: str):
    if needs.startswith("activity:"):
        kind = needs.removeprefix("activity:")
        return (a.day for a in registry.activities if a.kind == kind)
    day_of = {"patents": lambda p: p.filing_date, "events": lambda e: e.date,
              "trademarks": lambda t: min((d for d in (t.registration_date, t.madrid_filing_date) if d), default=None),
              "pledges": lambda p: p.registered_on, "policies": lambda p: p.start_date,
              "securitizations": lambda s: s.issued_on}[needs]
    return (day for day in map(day_of, getattr(registry, needs)) if day is not None)


def coverage_from(registry: Registry, needs: str, index: "_Index | None" = None) -> tuple[dt.date | None, bool]:
    """From when the records of a kind are complete, and whether the office recorded it. Not recorded: from
    1 January of the year of the earliest record (a registry's first record seldom falls on 1 January, and its
    first year is taken as whole), None when there are no records at all (nothing is covered)."""
    if needs in registry.coverage:
        return registry.coverage[needs], True
    if index is not None and needs in index.earliest:
        earliest = index.earliest[needs]
    else:
        earliest = min(_record_days(registry, needs), default=None)
        if index is not None:
            index.earliest[needs] = earliest
    return (dt.date(earliest.year, 1, 1) if earliest else None), False


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def coverage_gap(registry: Registry, index: "_Index | None", code: str, needs: str, as_of: dt.date) -> str:
    """Why the records do not cover what the indicator counts on the date ("" when they do)."""
    complete_from, recorded = coverage_from(registry, needs, index)
    start = period_start(code, as_of)
    label = COVERAGE_LABELS.get(needs, "其他")
    if complete_from is None:
        return f"尚无{label}记录，也未登记其记录自何日起完整，不由记录计算，以填报值为准"
    if complete_from <= start:
        return ""
    how = "" if recorded else "（按最早一条记录推定）"
    return (f"{label}记录自{_day(complete_from)}起完整{how}，未覆盖该期间（自{_day(start)}起），"
            f"不由记录计算，以填报值为准")


def has_records(registry: Registry, needs: str) -> bool:
    if needs.startswith("activity:"):
        kind = needs.removeprefix("activity:")
        return any(a.kind == kind for a in registry.activities)
    return bool(getattr(registry, needs))


_PATENT_STOCKS = {
    "valid_patents": (None, False),
    "valid_invention_patents": ((TYPE_CODES[PatentType.INVENTION],), False),
    "valid_invention_patents_per_10k": ((TYPE_CODES[PatentType.INVENTION],), False),
    "high_value_invention_patents_per_10k": ((TYPE_CODES[PatentType.INVENTION],), True),
}


def series(registry: Registry, index: _Index, code: str, days: list[dt.date]) -> list[Decimal | None]:
    """An indicator's value on each of several dates; patent stocks are read straight off the timelines."""
    if code in _PATENT_STOCKS:
        kinds, high_value = _PATENT_STOCKS[code]
        counts = index.columns.counts(days, kinds, high_value)
        if not code.endswith("_per_10k"):
            return [Decimal(c) for c in counts]
        return [_per_10k(c, registry, day)[0] for c, day in zip(counts, days, strict=True)]
    definition, _ = DEFINITIONS[code]
    return [definition(registry, index, day).value for day in days]
