"""Reads: the registry as the engine's plain records (cached per import), and the plan's indicators with
their computed values laid over the reported ones."""

import datetime as dt
import threading
from dataclasses import dataclass

from django.db.models import Max

from ipcity import clock
from ipcity.plan.core.schema import DataSource
from ipcity.plan.core.status import indicator_status
from ipcity.plan.selectors import reported_indicator_rows
from ipcity.stats import models as m
from ipcity.stats.core import engine
from ipcity.stats.core import records as r
from ipcity.stats.services import high_value_pledge_threshold

_cache_lock = threading.Lock()
_cache: dict = {}


def _registry_version() -> tuple:
    return (m.ImportBatch.objects.filter(state=m.ImportBatch.State.DONE).aggregate(last=Max("id"))["last"],
            m.Patent.objects.count(), m.LegalEvent.objects.count(), m.Trademark.objects.count(),
            m.Pledge.objects.count(), m.PopulationFigure.objects.count(), m.SeiIpcEntry.objects.count(),
            m.InsurancePolicy.objects.count(), m.SecuritizationProduct.objects.count(),
            m.EngineSetting.objects.aggregate(last=Max("id"))["last"])


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
                      high_value_pledge_threshold=high_value_pledge_threshold())


def registry_snapshot(*, district: str) -> r.Registry:
    """The registries as plain records; rebuilt only when an import or setting has changed them."""
    key = (district, _registry_version())
    with _cache_lock:
        cached = _cache.get("registry")
        if cached is not None and cached[0] == key:
            return cached[1]
    registry = _build_registry(district)
    with _cache_lock:
        _cache["registry"] = (key, registry)
    return registry


def computed_indicators(*, plan, as_of: dt.date) -> dict[str, engine.Result]:
    key = ("results", plan.region, _registry_version(), as_of)
    with _cache_lock:
        cached = _cache.get("results")
        if cached is not None and cached[0] == key:
            return cached[1]
    results = engine.evaluate(registry_snapshot(district=plan.region), as_of)
    with _cache_lock:
        _cache["results"] = (key, results)
    return results


def synthetic_registry() -> bool:
    return m.Patent.objects.filter(is_synthetic=True).exists()


@dataclass(frozen=True)
class ComputedValue:
    """Looks like a reported IndicatorValue to the templates, but comes from the engine."""

    value: object
    as_of: dt.date
    source: str
    is_synthetic: bool
    reporting_unit = None
    computed = True


def indicator_table(*, plan, as_of: dt.date | None = None) -> list[dict]:
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
        if result is None or indicator.data_source != DataSource.RECORDS:
            continue
        row["computed"] = result
        row["latest"] = None if result.value is None else ComputedValue(
            result.value, as_of, f"由登记记录计算：{result.note}" if result.note else "由登记记录计算", synthetic)
        row["status"] = indicator_status(comparison=indicator.comparison, target=indicator.target,
                                         value=result.value, previous_value=None, deadline=indicator.deadline,
                                         as_of=as_of)
    return rows
