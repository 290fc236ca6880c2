"""Every record-based plan indicator as of a date, each with the records behind it (its lineage).

`evaluate(registry, as_of)` returns {indicator code: Result}. Codes are the plan's indicator codes; an
indicator not listed in `DEFINITIONS` is not computed from records (it is reported by its unit)."""

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
    """Indicators whose records are present; one whose record list is empty is left out, so that an empty
    registry never shows as a computed zero (the unit's reported value stands instead). Pass the `index`
    of an earlier call to evaluate the same registry on another date without rebuilding it."""
    index = index or _Index.of(registry)
    return {code: definition(registry, index, as_of)
            for code, (definition, needs) in DEFINITIONS.items() if has_records(registry, needs)}


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
