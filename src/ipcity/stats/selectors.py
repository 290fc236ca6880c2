"""Reads: the registry as the engine's plain records (cached per import), and the plan's indicators with
their computed values laid over the reported ones."""

import datetime as dt
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q

from ipcity import clock, versions
from ipcity.accounts.models import EnterpriseTag, Organization, OrgType, Street
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.plan.core.schema import Comparison, DataSource, PeriodType
from ipcity.plan.core.status import indicator_status
from ipcity.plan.models import IndicatorValue
from ipcity.plan.selectors import reported_indicator_rows
from ipcity.stats import activities
from ipcity.stats import models as m
from ipcity.stats.core import engine, forecast
from ipcity.stats.core import records as r
from ipcity.stats.services import high_value_pledge_threshold

_slot_lock = threading.Lock()
_slots: dict = {}  # this process's registry and index: one of each, too large to share or to keep several of


def clear_cache() -> None:
    with _slot_lock:
        _slots.clear()
    versions.forget_recent()


def _in_slot(slot: str, key, build):
    """This process's one value per slot, rebuilt when its key changes (keys carry the registry version)."""
    with _slot_lock:
        cached = _slots.get(slot)
        if cached is not None and cached[0] == key:
            return cached[1]
    value = build()
    with _slot_lock:
        _slots[slot] = (key, value)
    return value



def registry_version() -> str:
    """Changes, in the same transaction, with every write to what the engine reads (ipcity/versions.py)."""
    return versions.current("registry")


def _build_registry(district: str) -> r.Registry:
    patents = [r.Patent(a, r.PatentType(t), f, g, tuple(ipc), d or None, s or None, title, owner)
               for a, t, f, g, ipc, d, s, title, owner in m.Patent.objects.values_list(
                   "application_number", "patent_type", "filing_date", "grant_date", "ipc_codes", "owner_district",
                   "owner_street", "title", "patentee").iterator(chunk_size=5000)]
    events = [r.LegalEvent(a, r.EventType(t), day, amount, party, d or None)
              for a, t, day, amount, party, d in m.LegalEvent.objects.values_list(
                  "patent__application_number", "event_type", "date", "amount", "counterparty",
                  "new_owner_district").iterator(chunk_size=5000)]
    trademarks = [r.Trademark(n, reg, until, cancelled, d or None, madrid, holder)
                  for n, reg, until, cancelled, d, madrid, holder in m.Trademark.objects.values_list(
                      "registration_number", "registration_date", "valid_until", "cancelled_on", "owner_district",
                      "madrid_filing_date", "holder").iterator(chunk_size=5000)]
    pledges = [r.Pledge(p.reference, p.registered_on, p.released_on, p.amount, p.pledgor_district or None, tuple(p.patents))
               for p in m.Pledge.objects.all()]
    policies = [r.InsurancePolicy(p.policy_number, p.kind, p.start_date, p.insured_district or None)
                for p in m.InsurancePolicy.objects.all()]
    securitizations = [r.Securitization(s.name, s.issued_on) for s in m.SecuritizationProduct.objects.all()]
    population = [r.PopulationFigure(p.year, p.residents_10k, p.source) for p in m.PopulationFigure.objects.all()]
    sei_rows = list(m.SeiIpcEntry.objects.values_list("version", "ipc", "industry"))
    sei = r.SeiIpcTable(sei_rows[0][0], tuple((ipc, industry) for _, ipc, industry in sei_rows)) if sei_rows else None
    return r.Registry(district=district, patents=patents, events=events, trademarks=trademarks, pledges=pledges,
                      policies=policies, securitizations=securitizations, population=population, sei_table=sei,
                      activities=[a for source in activities.SOURCES for a in source.records()],
                      high_value_pledge_threshold=high_value_pledge_threshold(), coverage=registry_coverage())


def registry_coverage() -> dict[str, dt.date]:
    """The office's coverage of each kind of records: the latest row of each kind applies."""
    coverage: dict[str, dt.date] = {}
    for kind, complete_from in m.RegistryCoverage.objects.order_by("id").values_list("kind", "complete_from"):
        coverage[kind] = complete_from
    return coverage


def registry_snapshot(*, district: str) -> r.Registry:
    """The registries as plain records; rebuilt only when an import or setting has changed them."""
    return _in_slot("registry", (district, registry_version()), lambda: _build_registry(district))


def computed_indicators(*, plan, as_of: dt.date) -> dict[str, engine.Result]:
    def build():
        registry, index = engine_index(plan)
        return engine.evaluate(registry, as_of, index)

    return versions.cached("results", (plan.region, registry_version(), as_of), build)


def synthetic_registry() -> bool:
    return versions.cached("synthetic", registry_version(), m.Patent.objects.filter(is_synthetic=True).exists)


@dataclass(frozen=True)
class ComputedValue:
    """Looks like a reported IndicatorValue to the templates, but comes from the engine."""

    value: object
    as_of: dt.date
    source: str
    is_synthetic: bool
    reporting_unit = None
    computed = True


def indicator_table(*, plan, as_of: dt.date | None = None, with_forecast: bool = False) -> list[dict]:
    """Every indicator with its value as of a date: computed from records where the engine defines it and the
    plan counts it from records, otherwise the latest value reported by the responsible unit."""
    as_of = as_of or clock.today()
    rows = reported_indicator_rows(plan=plan, as_of=as_of)
    results = computed_indicators(plan=plan, as_of=as_of)
    synthetic = synthetic_registry()
    for row in rows:
        indicator = row["indicator"]
        result = results.get(indicator.code)
        row["computed"] = None
        row["coverage_note"] = ""
        if result is None or indicator.data_source != DataSource.RECORDS:
            continue
        if not result.covered:  # the registry does not cover the period: no computed value, the reported one stands
            row["coverage_note"] = result.note
            continue
        row["computed"] = result
        row["latest"] = None if result.value is None else ComputedValue(
            result.value, as_of, f"由登记记录计算：{result.note}" if result.note else "由登记记录计算", synthetic)
        row["status"] = indicator_status(comparison=indicator.comparison, target=indicator.target,
                                         value=result.value, previous_value=None, deadline=indicator.deadline,
                                         as_of=as_of)
    _mark_proposals(plan, rows)
    if with_forecast:
        reported = IndicatorValue.objects.filter(indicator__plan=plan).aggregate(last=Max("id"), n=Count("id"))
        targets = tuple((i.code, i.target, i.deadline, i.comparison, i.period_type)
                        for i in (row["indicator"] for row in rows))
        forecasts = versions.cached("forecasts", (plan.pk, registry_version(), tuple(reported.values()), targets, as_of),
                            lambda: indicator_forecasts(plan=plan, rows=rows, as_of=as_of))
        for row in rows:
            row["forecast"] = forecasts.get(row["indicator"].code)
    return rows


def _mark_proposals(plan, rows: list[dict]) -> None:
    """A unit's reported figure is a proposal until the office confirms it (issue 13): `proposal` marks a row whose
    value is a unit's report no confirmation adopted, `adopted` one the office confirmed as reported."""
    from ipcity.plan.models import IndicatorConfirmation

    adopted = set(IndicatorConfirmation.objects.filter(indicator__plan=plan, basis="reported")
                  .values_list("reported_value_id", flat=True))
    for row in rows:
        latest = row["latest"]
        reported = isinstance(latest, IndicatorValue)
        row["proposal"] = reported and latest.pk not in adopted
        row["adopted"] = reported and latest.pk in adopted


LINEAGE_COLUMNS = {
    "patents": ["申请号", "类型", "名称", "专利权人", "所在区", "申请日", "授权公告日"],
    "trademarks": ["注册号", "商标名称", "注册人", "所在区", "注册日", "专用权期限至", "马德里申请日"],
    "pledges": ["质押登记号", "出质人", "质权人", "金额（元）", "登记日", "注销日"],
    "events": ["申请号", "法律事件", "生效日", "相对方"],
    "policies": ["保单号", "险种", "投保人", "起保日"],
    "securitizations": ["产品名称", "发行日", "发行规模（元）"],
}


def lineage_columns(kind: str, *, unmasked: bool = False) -> list[str]:
    if kind.startswith("activity:"):
        source = activities.source_for(kind.removeprefix("activity:"))
        return list(source.unmasked_columns if unmasked else source.columns)
    return LINEAGE_COLUMNS[kind]


def lineage_masks(kind: str | None) -> bool:
    """Whether the public lineage of this kind of records hides names (an SME under custody, a case's party)."""
    if not kind or not kind.startswith("activity:"):
        return False
    activity = kind.removeprefix("activity:")
    return activity in activities.source_for(activity).unmasked_kinds


def lineage_unmasked_for(*, user, kind: str | None) -> bool:
    """The office (personal data and every attachment: ATTACHMENT_READ_ALL with PERSONAL_DATA_READ) sees the names
    the public lineage masks; the public and every other unit see it masked."""
    from ipcity.accounts.permissions import has_perm
    from ipcity.accounts.roles import Perm

    return (lineage_masks(kind) and user is not None and user.is_authenticated
            and has_perm(user, Perm.SUPERVISION_MANAGE) and has_perm(user, Perm.PERSONAL_DATA_READ))


def lineage_unmask_audit(*, user, indicator, kind: str, keys, channel_format: str = "page") -> None:
    """Every unmasked view of a lineage by the office leaves an audit row naming the records shown."""
    from ipcity.audit.services import audit_record

    keys = list(keys)
    audit_record(actor=user, action="lineage.unmask", obj=indicator,
                 after={"kind": kind, "format": channel_format, "count": len(keys), "records": keys[:1000]})


def lineage_kind(code: str) -> str | None:
    definition = engine.DEFINITIONS.get(code)
    return definition[1] if definition else None


def _label(model, field: str):
    labels = dict(model._meta.get_field(field).choices)
    return lambda value: labels.get(value, value)


# kind -> (model, key field, the row shown for one record)
_LINEAGE_ROWS = {
    "patents": (m.Patent, "application_number", lambda p: [
        p.application_number, _label(m.Patent, "patent_type")(p.patent_type), p.title, p.patentee,
        p.owner_district or "未知", p.filing_date, p.grant_date]),
    "trademarks": (m.Trademark, "registration_number", lambda t: [
        t.registration_number, t.name, t.holder, t.owner_district or "未知", t.registration_date, t.valid_until,
        t.madrid_filing_date]),
    "pledges": (m.Pledge, "reference", lambda p: [p.reference, p.pledgor, p.pledgee, p.amount, p.registered_on,
                                                  p.released_on]),
    "policies": (m.InsurancePolicy, "policy_number", lambda p: [
        p.policy_number, _label(m.InsurancePolicy, "kind")(p.kind), p.insured, p.start_date]),
    "securitizations": (m.SecuritizationProduct, "name", lambda s: [s.name, s.issued_on, s.amount]),
}


def lineage_rows(*, kind: str, keys, unmasked: bool = False):
    """The records behind a computed value, in the order the engine listed them, as table rows."""
    if kind.startswith("activity:"):
        source = activities.source_for(kind.removeprefix("activity:"))
        yield from (source.unmasked_rows if unmasked else source.rows)(list(keys))
        return
    if kind == "events":  # a dealing's key says all there is: number@date:kind
        event_label = _label(m.LegalEvent, "event_type")
        for key in keys:
            number, _, rest = key.partition("@")
            day, _, event_type = rest.partition(":")
            yield [number, event_label(event_type), day, ""]
        return
    model, key_field, row = _LINEAGE_ROWS[kind]
    for start in range(0, len(keys), 900):
        chunk = keys[start:start + 900]
        found = {getattr(r, key_field): r for r in model.objects.filter(**{f"{key_field}__in": chunk})}
        for key in chunk:
            yield row(found[key])


@dataclass(frozen=True)
class RegistryTable:
    label: str
    model: type
    columns: tuple[tuple[str, str], ...]  # (field, heading)
    search: tuple[str, ...]
    order: tuple[str, ...]


REGISTRY_TABLES = {
    "patents": RegistryTable("专利", m.Patent, (("application_number", "申请号"), ("patent_type", "类型"), ("title", "名称"),
                             ("patentee", "专利权人"), ("owner_district", "所在区"), ("filing_date", "申请日"),
                             ("grant_date", "授权公告日")), ("application_number", "title", "patentee"),
                             ("-filing_date", "application_number")),
    "trademarks": RegistryTable("商标", m.Trademark, (("registration_number", "注册号"), ("name", "商标名称"),
                                ("holder", "注册人"), ("owner_district", "所在区"), ("registration_date", "注册日"),
                                ("valid_until", "专用权期限至"), ("madrid_filing_date", "马德里申请日"),
                                ("time_honored", "老字号"), ("well_known", "驰名商标")),
                                ("registration_number", "name", "holder"), ("-registration_date", "registration_number")),
    "pledges": RegistryTable("质押登记", m.Pledge, (("reference", "质押登记号"), ("pledgor", "出质人"), ("pledgee", "质权人"),
                             ("amount", "金额（元）"), ("registered_on", "登记日"), ("released_on", "注销日"),
                             ("patents", "涉及专利")), ("reference", "pledgor", "pledgee"), ("-registered_on", "reference")),
    "policies": RegistryTable("专利保险保单", m.InsurancePolicy, (("policy_number", "保单号"), ("kind", "险种"),
                              ("insured", "投保人"), ("insurer", "保险公司"), ("start_date", "起保日")),
                              ("policy_number", "insured"), ("-start_date", "policy_number")),
    "securitizations": RegistryTable("证券化产品", m.SecuritizationProduct, (("name", "产品名称"), ("issued_on", "发行日"),
                                     ("amount", "发行规模（元）"), ("underlying", "基础资产")), ("name",), ("-issued_on",)),
    "copyrights": RegistryTable("著作权登记", m.CopyrightRegistration, (("registration_number", "登记号"), ("kind", "类别"),
                                ("title", "名称"), ("owner", "著作权人"), ("owner_district", "所在区"),
                                ("registered_on", "登记日")), ("registration_number", "title", "owner"),
                                ("-registered_on", "registration_number")),
    "gis": RegistryTable("地理标志", m.GeographicalIndication, (("name", "名称"), ("kind", "类别"), ("product", "产品"),
                         ("holder", "申请人或注册人"), ("registered_on", "登记或注册日")), ("name", "product", "holder"),
                         ("-registered_on",)),
}


def registry_list(*, user, kind: str, q: str = ""):
    require_perm(user, Perm.REGISTRY_READ)
    table = REGISTRY_TABLES[kind]
    records = table.model.objects.order_by(*table.order)
    if q:
        condition = Q()
        for field in table.search:
            condition |= Q(**{f"{field}__icontains": q})
        records = records.filter(condition)
    return records


def registry_row(table: RegistryTable, record) -> list:
    """A record's cells for display, with choice fields shown by their labels."""
    cells = []
    for field, _ in table.columns:
        display = getattr(record, f"get_{field}_display", None)
        value = display() if display else getattr(record, field)
        cells.append("是" if value is True else "" if value is False else "；".join(value) if isinstance(value, list) else value)
    return cells


def patent_list(*, user, q: str = ""):
    return registry_list(user=user, kind="patents", q=q)


def import_batch_list(*, user):
    require_perm(user, Perm.REGISTRY_IMPORT)
    return m.ImportBatch.objects.select_related("started_by")


def engine_index(plan):
    """The plan's district registry and the engine's columns over it, built once per registry version."""
    registry = registry_snapshot(district=plan.region)
    return registry, _in_slot("index", (plan.region, registry_version()), lambda: engine._Index.of(registry))


def _reported_forecast(indicator, as_of: dt.date) -> forecast.Forecast | None:
    history = list(indicator.values.filter(as_of__lte=as_of).order_by("as_of"))
    if not history:
        return None
    if indicator.period_type == PeriodType.PER_YEAR:
        latest = history[-1]
        return forecast.run_rate(float(latest.value), latest.as_of) if latest.as_of.year == indicator.deadline.year else None
    return forecast.linear([(v.as_of, float(v.value)) for v in history], indicator.deadline)


def indicator_forecasts(*, plan, rows: list[dict], as_of: dt.date) -> dict[str, dict]:
    """For each indicator still before its deadline: the projected value at the deadline, its band, the method,
    and a risk flag against the target."""
    registry, index = None, None
    out = {}
    for row in rows:
        indicator = row["indicator"]
        if as_of >= indicator.deadline or indicator.comparison == Comparison.INCREASE:
            continue
        result = row.get("computed")
        projection = None
        if result is None:
            projection = _reported_forecast(indicator, as_of)
        else:
            if registry is None:
                registry, index = engine_index(plan)
            projection = _computed_forecast(registry, index, indicator, result, as_of)
        if projection is not None:
            target = forecast.as_float(indicator.target)
            out[indicator.code] = {"forecast": projection, "risk": projection.risk(target),
                                   "risk_label": forecast.RISK_LABELS[projection.risk(target)]}
    return out


def _computed_forecast(registry, index, indicator, result, as_of: dt.date) -> forecast.Forecast | None:
    if indicator.period_type in (PeriodType.END_STATE, PeriodType.CUMULATIVE):
        days = forecast.month_ends(dt.date(as_of.year - 2, as_of.month, 1), as_of)
        values = engine.series(registry, index, indicator.code, days)
        points = [(d, float(v)) for d, v in zip(days, values, strict=True) if v is not None]
        return forecast.linear(points, indicator.deadline)
    if indicator.period_type == PeriodType.PER_YEAR and result.value is not None:
        return forecast.run_rate(float(result.value), as_of)
    if indicator.period_type == PeriodType.ANNUAL_AVERAGE and result.series:
        current = float(result.series.get(as_of.year, 0))
        year_end = forecast.run_rate(current, as_of)
        others = [float(v) for y, v in result.series.items() if y != as_of.year]
        count = len(others) + 1
        return forecast.Forecast("已完成年度实际值与当年按进度折算值的平均", (sum(others) + year_end.projected) / count,
                                 (sum(others) + year_end.low) / count, (sum(others) + year_end.high) / count,
                                 indicator.deadline, year_end.points)
    if indicator.period_type == PeriodType.AVERAGE_ANNUAL_GROWTH and result.series:
        base = result.series.get(engine.BASE_YEAR)
        year_to_date = _year_to_date_total(registry, index, indicator.code, as_of)
        if base in (None, 0) or year_to_date is None:
            return None
        year_end = forecast.run_rate(year_to_date, as_of)
        years = as_of.year - engine.BASE_YEAR

        def growth(total):
            return float(engine.compound_growth(Decimal(base), Decimal(str(max(total, 0.0))), years) or 0)

        return forecast.Forecast(f"当年按进度折算全年后，计算{engine.BASE_YEAR}年至{as_of.year}年复合年均增长率",
                                 growth(year_end.projected), growth(year_end.low), growth(year_end.high),
                                 indicator.deadline, year_end.points)
    return None


def _year_to_date_total(registry, index, code: str, as_of: dt.date) -> float | None:
    result = engine.DEFINITIONS[code][0](registry, index, as_of)
    return float(result.series.get(as_of.year, 0)) if result.series is not None else None


BREAKDOWNS = {"type": "按专利类型", "street": "按街道", "sei": "按战略性新兴产业", "tag": "按企业类别"}


def _group_labels(registry, by: str, numbers: list[str]) -> dict[str, list[str]]:
    """Group application numbers by a dimension; a patent in several enterprise categories counts in each."""
    patents = {p.application_number: p for p in registry.patents}
    streets = dict(Street.choices)
    groups: dict[str, list[str]] = {}
    if by == "tag":
        tags_by_name = {name: tags for name, tags in Organization.objects.filter(org_type=OrgType.ENTERPRISE)
                        .values_list("name", "tags")}
        labels = dict(EnterpriseTag.choices)
    for number in numbers:
        patent = patents[number]
        if by == "type":
            keys = [m.PATENT_TYPE_LABELS[patent.patent_type]]
        elif by == "street":
            keys = [streets.get(patent.owner_street or "", "街道未知")]
        elif by == "sei":
            industry = registry.sei_table.industry_of(patent.ipc_codes) if registry.sei_table else None
            keys = [industry or "非战略性新兴产业"]
        else:
            keys = [labels[t] for t in tags_by_name.get(patent.patentee, []) if t in labels] or ["未标注类别"]
        for key in keys:
            groups.setdefault(key, []).append(number)
    return dict(sorted(groups.items(), key=lambda item: -len(item[1])))


def valid_patent_breakdowns(*, plan, as_of: dt.date) -> dict[str, dict[str, list[str]]]:
    """The district's valid patents on the date, broken down four ways (type, street, SEI industry, tier)."""
    result = computed_indicators(plan=plan, as_of=as_of).get("valid_patents")
    if result is None or not result.covered:
        return {}

    def build():
        registry, _ = engine_index(plan)
        return {by: _group_labels(registry, by, list(result.records)) for by in BREAKDOWNS}

    return versions.cached("breakdowns", (plan.region, registry_version(), as_of), build)


def valid_patent_trend(*, plan, as_of: dt.date) -> dict | None:
    result = computed_indicators(plan=plan, as_of=as_of).get("valid_patents")
    if result is None or not result.covered:
        return None

    def build():
        registry, index = engine_index(plan)
        days = forecast.month_ends(dt.date(as_of.year - 3, as_of.month, 1), as_of)
        return {"days": [d.isoformat() for d in days],
                "valid_patents": [int(v) for v in engine.series(registry, index, "valid_patents", days)],
                "valid_invention_patents": [int(v) for v in engine.series(registry, index, "valid_invention_patents",
                                                                          days)]}

    return versions.cached("trend", (plan.region, registry_version(), as_of), build)


def warm(*, plan, as_of: dt.date) -> None:
    """Everything the indicator pages compute for a day, into the shared cache (stats.tasks.warm_indicators)."""
    from ipcity.stats.by_year import indicator_years

    indicator_table(plan=plan, as_of=as_of, with_forecast=True)
    valid_patent_breakdowns(plan=plan, as_of=as_of)
    valid_patent_trend(plan=plan, as_of=as_of)
    indicator_years(plan=plan)
