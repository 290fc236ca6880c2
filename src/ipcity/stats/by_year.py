"""Every indicator of the plan for each pilot year, as plain data for the by-year page, the API, the CLI and the
evaluation reports: the value as of 31 December (the year's count for 每年 indicators, the pilot-to-date figure
for cumulative ones, the compound growth to that year for growth rates), the target that applies that year, the
computed and the reported value side by side, the office's confirmation, and which of them is the official value.

The rules (issue 13):
- official = the office's confirmed value (the latest IndicatorConfirmation of the indicator and year) if any;
  else the computed value when the indicator is counted from records, the engine covers the period and no
  reported value differs from it; else none. A unit's reported figure is a proposal until the office confirms
  it: the year is then 待核定 (pending) and reports list it so.
- the target: every year for 每年 indicators; only the deadline's year for the others; none for 逐年增长.
- the status: for a year with a target 已达标 / 未达标 (推进中 only for the year still running); a year without a
  target of its own (end-state indicators before the deadline year) is 无年度目标, no judgment; 逐年增长 is met
  when the official value exceeds the previous year's. No value: 暂无数据, or 待核定 when a unit reported one.

Print `status_label` (Chinese) or use `status_code`: `status` (the plan's Status enum) cannot say 无年度目标 or
待核定 and maps them to IN_PROGRESS and NO_DATA.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ipcity import clock, versions
from ipcity.plan.core.schema import Comparison, DataSource, PeriodType
from ipcity.plan.core.status import Status
from ipcity.plan.models import Indicator, IndicatorConfirmation, IndicatorValue, WorkPlan
from ipcity.stats import selectors

SOURCE_LABELS = {
    "confirmed": "办公室核定",
    "computed": "由记录计算",
    "reported": "单位报送（待核定）",
    "none": "暂无数据",
}

# status_code -> (label, the plan's Status it maps to)
STATUS_CODES = {
    "met": ("已达标", Status.MET),
    "not_met": ("未达标", Status.NOT_MET),
    "in_progress": ("推进中", Status.IN_PROGRESS),  # only for the year still running
    "no_annual_target": ("无年度目标", Status.IN_PROGRESS),
    "no_baseline": ("无上年数据", Status.IN_PROGRESS),
    "pending": ("待核定", Status.NO_DATA),
    "no_data": ("暂无数据", Status.NO_DATA),
}


@dataclass(frozen=True)
class YearValue:
    year: int
    as_of: dt.date  # Y-12-31
    target: Decimal | None
    computed: Decimal | None
    computed_note: str
    covered: bool
    reported: IndicatorValue | None
    confirmed: IndicatorConfirmation | None
    official: Decimal | None
    source: str  # confirmed | computed | reported | none
    pending: bool
    difference: Decimal | None  # computed - reported
    status: Status
    status_label: str
    status_code: str = "no_data"

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[self.source]

    @property
    def shown(self) -> Decimal | None:
        """The value a page shows for the year: the official one, or the unit's proposal while it is pending."""
        if self.official is not None:
            return self.official
        return self.reported.value if self.reported is not None else None

    @property
    def differs(self) -> bool:
        return self.difference is not None and self.difference != 0

    @property
    def has_both(self) -> bool:
        return self.computed is not None and self.reported is not None

    # the numbers as a person reads them (26000, not 2.6E+4; 3.5, not 3.5000)
    @property
    def shown_text(self) -> str | None:
        return number_text(self.shown)

    @property
    def target_text(self) -> str | None:
        return number_text(self.target)

    @property
    def computed_text(self) -> str | None:
        return number_text(self.computed)

    @property
    def reported_text(self) -> str | None:
        return number_text(self.reported.value) if self.reported is not None else None

    @property
    def difference_text(self) -> str | None:
        if self.difference is None:
            return None
        return ("+" if self.difference > 0 else "") + number_text(self.difference)


def pilot_years(plan: WorkPlan) -> list[int]:
    return list(range(plan.period_start.year, plan.period_end.year + 1))


def year_target(indicator: Indicator, year: int) -> Decimal | None:
    if indicator.comparison == Comparison.INCREASE or indicator.target is None:
        return None
    if indicator.period_type == PeriodType.PER_YEAR:
        return indicator.target
    return indicator.target if year == indicator.deadline.year else None


def _computed_on(plan: WorkPlan, days: tuple[dt.date, ...]) -> dict[dt.date, dict]:
    """The engine's results on each day, kept together under one registry version so that a warm page costs the
    same few queries whatever the number of years (computed_indicators caches one date at a time)."""
    key = (plan.pk, plan.region, selectors.registry_version(), days)
    return versions.cached("by_year", key, lambda: {
        day: selectors.computed_indicators(plan=plan, as_of=day) for day in days})


def _status(indicator: Indicator, year: int, target, official, previous, pending: bool,
            year_over: bool) -> str:
    if official is None:
        return "pending" if pending else "no_data"
    if indicator.comparison == Comparison.INCREASE:
        if previous is None:
            return "no_baseline"
        return "met" if official > previous else ("not_met" if year_over else "in_progress")
    if target is None:
        return "no_annual_target"
    if official >= target:
        return "met"
    return "not_met" if year_over else "in_progress"


def indicator_years(*, plan: WorkPlan, years: list[int] | None = None,
                    indicators: list[Indicator] | None = None) -> list[dict]:
    """One row per indicator of the plan, in plan order: {"indicator": Indicator, "years": {Y: YearValue}}.
    `years` defaults to every pilot year; a year outside the pilot is left out. `indicators` narrows the rows
    (an indicator's own page) without changing any value."""
    all_years = pilot_years(plan)
    wanted = [y for y in all_years if years is None or y in set(years)]
    if indicators is None:
        indicators = list(plan.indicators.select_related("goal"))
    if not wanted or not indicators:
        return [{"indicator": i, "years": {}} for i in indicators]
    today = clock.today()
    # the year before the first wanted one as well: 逐年增长 compares with the previous year
    span = [y for y in range(wanted[0] - 1, wanted[-1] + 1) if y <= today.year]
    days = tuple(min(dt.date(y, 12, 31), today) for y in span)
    results = dict(zip(span, _computed_on(plan, days).values(), strict=True)) if span else {}

    ids = [i.pk for i in indicators]
    first, last = dt.date(span[0] if span else wanted[0], 1, 1), dt.date(wanted[-1], 12, 31)
    reported: dict[tuple[int, int], IndicatorValue] = {}
    for value in (IndicatorValue.objects.filter(indicator_id__in=ids, as_of__range=(first, last))
                  .select_related("reporting_unit", "attachment").order_by("as_of", "reported_at", "id")):
        reported[(value.indicator_id, value.as_of.year)] = value  # the latest of the year wins
    confirmed: dict[tuple[int, int], IndicatorConfirmation] = {}
    for c in (IndicatorConfirmation.objects.filter(indicator_id__in=ids, year__in=span or wanted)
              .select_related("confirmed_by", "confirmed_by__organization", "reported_value")
              .order_by("confirmed_at", "id")):
        confirmed[(c.indicator_id, c.year)] = c  # the latest confirmation applies

    rows = []
    for indicator in indicators:
        by_year: dict[int, YearValue] = {}
        previous_official = None
        for year in range(wanted[0] - 1, wanted[-1] + 1):
            result = results.get(year, {}).get(indicator.code)
            covered = bool(result is not None and result.covered)
            computed = result.value if covered and result.value is not None else None
            note = ""
            if result is not None:
                note = result.note or ("" if covered else "登记记录尚未完整覆盖该期间，不作计算")
            value = reported.get((indicator.pk, year))
            confirmation = confirmed.get((indicator.pk, year))
            if confirmation is not None:
                official, source, pending = confirmation.value, "confirmed", False
            elif (indicator.data_source == DataSource.RECORDS and computed is not None
                  and (value is None or value.value == computed)):
                official, source, pending = computed, "computed", False
            elif value is not None:
                official, source, pending = None, "reported", True
            else:
                official, source, pending = None, "none", False
            if year in wanted:
                target = year_target(indicator, year)
                code = _status(indicator, year, target, official, previous_official, pending,
                               year_over=dt.date(year, 12, 31) < today)
                label, status = STATUS_CODES[code]
                by_year[year] = YearValue(
                    year=year, as_of=dt.date(year, 12, 31), target=target, computed=computed, computed_note=note,
                    covered=covered, reported=value, confirmed=confirmation, official=official, source=source,
                    pending=pending,
                    difference=computed - value.value if computed is not None and value is not None else None,
                    status=status, status_label=label, status_code=code)
            previous_official = official
        rows.append({"indicator": indicator, "years": by_year})
    return rows


def indicator_year(*, plan: WorkPlan, indicator: Indicator, year: int) -> YearValue | None:
    """One indicator's one year (None when the year is outside the pilot)."""
    row = indicator_years(plan=plan, years=[year], indicators=[indicator])[0]
    return row["years"].get(year)


# ---------------------------------------------------------------- plain data: JSON and spreadsheet rows

def number_text(number: Decimal | None) -> str | None:
    if number is None:
        return None
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def year_json(v: YearValue) -> dict:
    reported = v.reported
    confirmed = v.confirmed
    return {
        "year": v.year, "as_of": v.as_of.isoformat(), "target": number_text(v.target),
        "official": number_text(v.official), "source": v.source, "source_label": v.source_label, "pending": v.pending,
        "status": v.status_code, "status_label": v.status_label,
        "computed": number_text(v.computed), "computed_note": v.computed_note, "covered": v.covered,
        "reported": None if reported is None else {
            "value": number_text(reported.value), "as_of": reported.as_of.isoformat(), "source": reported.source,
            "unit": reported.reporting_unit.name if reported.reporting_unit else None,
            "attachment": reported.attachment.original_name if reported.attachment else None},
        "difference": number_text(v.difference),
        "confirmed": None if confirmed is None else {
            "id": confirmed.pk, "value": number_text(confirmed.value), "basis": confirmed.basis,
            "basis_label": confirmed.get_basis_display(), "reason": confirmed.reason,
            "confirmed_at": confirmed.confirmed_at.isoformat(),
            "confirmed_by_unit": (confirmed.confirmed_by.organization.name
                                  if confirmed.confirmed_by.organization_id else None)},
    }


def as_json(*, plan: WorkPlan, rows: list[dict]) -> dict:
    years = sorted({y for row in rows for y in row["years"]})
    return {
        "plan": plan.code, "years": years,
        "indicators": [{
            "code": row["indicator"].code, "name": row["indicator"].name, "unit": row["indicator"].unit,
            "goal": row["indicator"].goal.name, "target_display": row["indicator"].target_display,
            "period_type": row["indicator"].period_type,
            "period_type_label": row["indicator"].get_period_type_display(),
            "data_source": row["indicator"].data_source,
            "data_source_label": row["indicator"].get_data_source_display(),
            "years": [year_json(row["years"][y]) for y in years if y in row["years"]],
        } for row in rows],
    }


SHEET_HEADERS = ["指标编码", "指标", "计量单位", "年度", "截至", "年度目标", "核定值", "数值来源", "状态", "计算值",
                 "计算说明", "报送值", "报送单位", "报送来源", "差额（计算−报送）", "核定依据", "核定理由"]


def sheet_rows(rows: list[dict]):
    for row in rows:
        indicator = row["indicator"]
        for year in sorted(row["years"]):
            v = row["years"][year]
            yield [indicator.code, indicator.name, indicator.unit, year, v.as_of, v.target, v.official,
                   v.source_label, v.status_label, v.computed, v.computed_note,
                   v.reported.value if v.reported else None,
                   v.reported.reporting_unit.name if v.reported and v.reported.reporting_unit else None,
                   v.reported.source if v.reported else None, v.difference,
                   v.confirmed.get_basis_display() if v.confirmed else None,
                   v.confirmed.reason if v.confirmed else None]


def xlsx(*, rows: list[dict]) -> bytes:
    from ipcity.web.spreadsheets import xlsx_bytes

    return xlsx_bytes([("逐年指标", SHEET_HEADERS, sheet_rows(rows))])
