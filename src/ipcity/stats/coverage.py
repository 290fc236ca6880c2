"""Registry coverage: the office records, for each kind of records the indicator engine counts, from which date
those records are complete. The engine computes a value only for a period its records cover (and then counts 0
when there are none); for any other period the unit's reported value stands."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import day_problem, text_problem
from ipcity.stats import models as m
from ipcity.stats.core import engine

COVERAGE_FROM_MIN = dt.date(1985, 4, 1)  # the Patent Law's entry into force: no registry of the district starts earlier
REASON_MAX = 300


def coverage_kinds() -> dict[str, str]:
    """Every kind of records an engine definition needs, with its Chinese name, in the definitions' order."""
    kinds = {}
    for _, needs in engine.DEFINITIONS.values():
        kinds.setdefault(needs, f"{engine.COVERAGE_LABELS.get(needs, '其他')}记录")
    return kinds


def coverage_label(kind: str) -> str:
    return coverage_kinds().get(kind, "其他记录")


@dataclass(frozen=True)
class CoverageRow:
    kind: str
    label: str
    indicators: list[str]  # names of the plan indicators counted from these records
    current: m.RegistryCoverage | None  # the row that applies (None: not recorded)
    history: list[m.RegistryCoverage]  # every row of the kind, newest first


def coverage_list(*, user, plan=None) -> list[CoverageRow]:
    """Each kind with the coverage that applies and its history (the office's page and API)."""
    require_perm(user, Perm.REGISTRY_IMPORT)
    names: dict[str, list[str]] = {}
    indicator_names = dict(plan.indicators.values_list("code", "name")) if plan is not None else {}
    for code, (_, needs) in engine.DEFINITIONS.items():
        names.setdefault(needs, []).append(indicator_names.get(code, code) if plan is not None else code)
    by_kind: dict[str, list[m.RegistryCoverage]] = {}
    for row in m.RegistryCoverage.objects.select_related("set_by").order_by("-id"):
        by_kind.setdefault(row.kind, []).append(row)
    return [CoverageRow(kind, label, names.get(kind, []), (by_kind.get(kind) or [None])[0], by_kind.get(kind, []))
            for kind, label in coverage_kinds().items()]


@transaction.atomic
def coverage_set(*, actor, kind: str, complete_from: dt.date, reason: str = "") -> m.RegistryCoverage:
    """Record that the records of a kind are complete from a date on. The earlier row stays as history; the new one
    applies, and computed values follow at once (the write moves the registry version)."""
    require_perm(actor, Perm.REGISTRY_IMPORT)
    problems: dict[str, list[str]] = {}
    kinds = coverage_kinds()
    if kind not in kinds:
        problems["kind"] = ["未知的记录类别，请从列表中选择"]
    today = clock.today()
    if not isinstance(complete_from, dt.date) or isinstance(complete_from, dt.datetime):
        problems["complete_from"] = ["记录完整起始日应为有效日期（如 2024-01-01）"]
    elif day_problem(complete_from) or not COVERAGE_FROM_MIN <= complete_from <= today:
        problems["complete_from"] = [f"记录完整起始日应在 {COVERAGE_FROM_MIN.isoformat()} 至今天（{today.isoformat()}）之间"]
    reason = (reason or "").strip()
    if problem := text_problem(reason, multiline=False, max_length=REASON_MAX):
        problems["reason"] = [problem]
    if problems:
        raise ValidationError(problems)
    before = m.RegistryCoverage.objects.filter(kind=kind).order_by("-id").first()
    row = m.RegistryCoverage.objects.create(kind=kind, complete_from=complete_from, reason=reason, set_by=actor,
                                            set_at=clock.now())
    audit_record(actor=actor, action="stats.coverage.set", obj=row,
                 before={"complete_from": before.complete_from if before else None},
                 after={"kind": kind, "label": kinds[kind], "complete_from": complete_from, "reason": reason})
    return row
