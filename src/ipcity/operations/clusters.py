"""Industry-chain patent clusters (产业链专利集群培育工程, key task 3) and industry–education agreements (产教融合).

A cluster is a set of enterprises and a patent scope (IPC prefixes and/or a strategic emerging industry of the SEI–IPC
reference table) with the strategic layout the office follows. Its patents are read from the registry: a patent in
the scope belongs to the cluster in a year when a member enterprise holds it at the year's end (stats.holders, the one
answer to who holds a patent); of those, the valid patents and the high-value invention patents are counted by the
indicator engine's own definitions (RegistryColumns.valid_positions, which applies the validity rules and the
high-value criteria, SEI–IPC table included), so a cluster's figures and the district's indicators never disagree.

The office records clusters and agreements; both lists are public, like the alliance's."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.inputs import object_or_404, text_problem
from ipcity.operations.models import IndustryEducationAgreement, PatentCluster
from ipcity.stats.core.columns import TYPE_CODES
from ipcity.stats.core.records import EventType, PatentType, SeiIpcTable
from ipcity.stats.holders import holdings
from ipcity.stats.models import Patent, SeiIpcEntry

EARLIEST = dt.date(2000, 1, 1)
INDUSTRIES = ("人工智能", "生物医药", "数字经济", "新一代信息技术", "新材料", "高端装备", "新能源", "节能环保")
IPC_PREFIX = re.compile(r"[A-H](\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?)?")
MAX_PREFIXES = 50
MAX_ENTERPRISES = 100  # a chain's core enterprises; a longer list is a paste of the registry, not a cluster
NOTES_MAX = 4000


# ---- reads (public) ----

def cluster_list() -> QuerySet[PatentCluster]:
    return PatentCluster.objects.prefetch_related("enterprises")


def cluster_get(*, pk) -> PatentCluster:
    return object_or_404(cluster_list(), "产业链专利集群不存在", pk=pk)


def agreement_list() -> QuerySet[IndustryEducationAgreement]:
    return IndustryEducationAgreement.objects.select_related("university", "enterprise", "cluster")


def sei_industries() -> list[str]:
    """The industries of the SEI–IPC reference table as imported (a cluster's scope may name one)."""
    return sorted(set(SeiIpcEntry.objects.values_list("industry", flat=True)))


# ---- writes (the office) ----

def _text(problems: dict, field: str, value: str, label: str, max_length: int, *, required: bool = True,
          multiline: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        problems[field] = [f"请填写{label}"]
    elif problem := text_problem(value, multiline=multiline, max_length=max_length):
        problems[field] = [f"{label}{problem}"]
    return value


def _day(problems: dict, field: str, value, label: str) -> None:
    today = clock.today()
    if not isinstance(value, dt.date) or not EARLIEST <= value <= today:
        problems[field] = [f"{label}应在 {EARLIEST.isoformat()} 至今天（{today.isoformat()}）之间"]


def _prefixes(problems: dict, values: list[str]) -> list[str]:
    cleaned, wrong = [], []
    for value in values:
        compact = re.sub(r"\s", "", str(value)).upper()
        if not compact:
            continue
        if not IPC_PREFIX.fullmatch(compact) or text_problem(compact, multiline=False, max_length=20):
            wrong.append(str(value)[:20])
        elif compact not in cleaned:
            cleaned.append(compact)
    if wrong:
        problems["ipc_prefixes"] = [f"IPC前缀格式不对：{'、'.join(wrong)}（应如 G06N、A61K31、G06F16/35）"]
    elif len(cleaned) > MAX_PREFIXES:
        problems["ipc_prefixes"] = [f"IPC前缀最多 {MAX_PREFIXES} 个"]
    return cleaned


def _members_problem(ids: Sequence[int]) -> str | None:
    """What is wrong with a cluster's member ids, from the list alone: it is decided before any query."""
    if not ids:
        return "请选择集群的成员企业"
    if len(ids) > MAX_ENTERPRISES:
        return f"成员企业最多 {MAX_ENTERPRISES} 家，收到 {len(ids)} 个"
    if repeated := sorted(pk for pk, times in Counter(ids).items() if times > 1):
        return f"成员企业重复：{'、'.join(map(str, repeated))}"
    return None


def cluster_enterprises(ids: Sequence[int]) -> list[Organization]:
    """The organizations a request names as members, in its order; one query, and none for a list refused on its
    length or repeats. Whether each is an enterprise is cluster_create's to say, naming them."""
    if problem := _members_problem(ids):
        raise ValidationError({"enterprises": [problem]})
    found = Organization.objects.in_bulk(ids)
    if unknown := [pk for pk in ids if pk not in found]:
        raise ValidationError({"enterprises": [f"成员企业不存在：{'、'.join(map(str, unknown))}"]})
    return [found[pk] for pk in ids]


@transaction.atomic
def cluster_create(*, actor, name: str, industry: str, enterprises: list[Organization], established_on: dt.date,
                   ipc_prefixes: list[str] = (), sei_industry: str = "", layout_notes: str = "") -> PatentCluster:
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    problems: dict[str, list[str]] = {}
    name = _text(problems, "name", name, "集群名称", 200)
    industry = _text(problems, "industry", industry, "重点产业", 100)
    layout_notes = _text(problems, "layout_notes", layout_notes, "战略布局", NOTES_MAX, required=False,
                         multiline=True)
    prefixes = _prefixes(problems, list(ipc_prefixes or ()))
    sei_industry = (sei_industry or "").strip()
    if sei_industry and sei_industry not in sei_industries():
        known = sei_industries()
        problems["sei_industry"] = [f"战略性新兴产业“{sei_industry[:50]}”不在已导入的战略性新兴产业对照表中"
                                    + (f"（可选：{'、'.join(known)}）" if known else "（尚未导入对照表）")]
    if not prefixes and not sei_industry and "ipc_prefixes" not in problems and "sei_industry" not in problems:
        problems["ipc_prefixes"] = ["请填写专利范围：IPC前缀或战略性新兴产业至少一项"]
    enterprises = list(enterprises or ())
    if problem := _members_problem([o.pk for o in enterprises]):
        problems["enterprises"] = [problem]
    elif others := [o.name for o in enterprises if o.org_type != OrgType.ENTERPRISE]:
        problems["enterprises"] = [f"成员企业应为企业：{'、'.join(others)}不是企业"]
    _day(problems, "established_on", established_on, "组建日期")
    if "name" not in problems and PatentCluster.objects.filter(name=name).exists():
        problems["name"] = [f"已有名为“{name}”的产业链专利集群"]
    if problems:
        raise ValidationError(problems)
    cluster = PatentCluster.objects.create(name=name, industry=industry, ipc_prefixes=prefixes,
                                           sei_industry=sei_industry, layout_notes=layout_notes,
                                           established_on=established_on, created_by=actor, created_at=clock.now(),
                                           updated_at=clock.now())
    cluster.enterprises.set(enterprises)
    audit_record(actor=actor, action="operations.cluster.create", obj=cluster,
                 after={"name": name, "industry": industry, "enterprises": [o.name for o in enterprises],
                        "ipc_prefixes": prefixes, "sei_industry": sei_industry})
    return cluster


@transaction.atomic
def agreement_record(*, actor, university: Organization, enterprise: Organization, subject: str,
                     signed_on: dt.date, term_until: dt.date | None = None,
                     cluster: PatentCluster | None = None) -> IndustryEducationAgreement:
    """Record an industry–education integration agreement a university and an enterprise signed."""
    require_perm(actor, Perm.OPERATIONS_MANAGE)
    problems: dict[str, list[str]] = {}
    if university is None or university.org_type != OrgType.UNIVERSITY:
        problems["university"] = ["高校院所一方应为高校或科研院所"]
    if enterprise is None or enterprise.org_type != OrgType.ENTERPRISE:
        problems["enterprise"] = ["企业一方应为企业"]
    subject = _text(problems, "subject", subject, "合作内容", 300)
    _day(problems, "signed_on", signed_on, "签订日期")
    if term_until is not None and isinstance(signed_on, dt.date) and term_until < signed_on:
        problems["term_until"] = ["合作期限不能早于签订日期"]
    if cluster is not None and enterprise is not None and "enterprise" not in problems \
            and not cluster.enterprises.filter(pk=enterprise.pk).exists():
        problems["cluster"] = [f"“{enterprise.name}”不是集群“{cluster.name}”的成员企业"]
    if problems:
        raise ValidationError(problems)
    agreement = IndustryEducationAgreement.objects.create(
        university=university, enterprise=enterprise, cluster=cluster, subject=subject, signed_on=signed_on,
        term_until=term_until, created_by=actor, created_at=clock.now())
    audit_record(actor=actor, action="operations.industry_education.record", obj=agreement,
                 after={"university": university.name, "enterprise": enterprise.name, "subject": subject,
                        "signed_on": signed_on, "term_until": term_until})
    return agreement


def agreement_counts(years: list[int]) -> dict[int, int]:
    """Agreements signed in each year: one query."""
    signed = IndustryEducationAgreement.objects.filter(signed_on__year__in=years).values_list("signed_on", flat=True)
    counts = dict.fromkeys(years, 0)
    for day in signed:
        counts[day.year] += 1
    return counts


# ---- a cluster's patents, from the registry ----

def _in_scope(patent: Patent, prefixes: list[str], sei: SeiIpcTable | None, industry: str) -> bool:
    codes = tuple(str(c) for c in (patent.ipc_codes or ())) + ((patent.main_ipc,) if patent.main_ipc else ())
    compact = [c.replace(" ", "").upper() for c in codes]
    if any(code.startswith(prefix) for code in compact for prefix in prefixes):
        return True
    return sei is not None and bool(industry) and sei.industry_of(codes) == industry


def cluster_patents(cluster: PatentCluster) -> list[Patent]:
    """The registry's patents in the cluster's scope that name a member as patentee or assignee at some time (who
    holds each on a given day is decided by stats.holders)."""
    names = [o.name.strip() for o in cluster.enterprises.all() if o.name.strip()]
    if not names:
        return []
    named = Q()
    for name in names:
        named |= Q(patentee__contains=name) | Q(events__event_type=EventType.TRANSFER, events__counterparty__contains=name)
    candidates = list(Patent.objects.filter(named).distinct())
    sei = None
    if cluster.sei_industry:
        rows = tuple(SeiIpcEntry.objects.values_list("ipc", "industry"))
        sei = SeiIpcTable("", tuple((ipc.replace(" ", "").upper(), industry) for ipc, industry in rows)) if rows else None
    return [p for p in candidates if _in_scope(p, cluster.ipc_prefixes or [], sei, cluster.sei_industry)]


def cluster_years(*, cluster: PatentCluster, plan, years: list[int]) -> list[dict]:
    """For each year up to today: the cluster's patents held by a member at the year's end (today, for this year),
    how many of them were granted that year, how many are valid patents of the district and how many of those are
    high-value invention patents, by the engine's definitions on that day. A fixed number of queries."""
    from ipcity.stats.selectors import engine_index

    today = clock.today()
    years = [y for y in sorted(set(years)) if y <= today.year]
    patents = cluster_patents(cluster)
    members = {o.name.strip() for o in cluster.enterprises.all()}
    index = None
    if patents and years:
        _, index = engine_index(plan)
        position = {number: i for i, number in enumerate(index.columns.numbers)}
    invention = (TYPE_CODES[PatentType.INVENTION],)
    out = []
    for year in years:
        day = min(dt.date(year, 12, 31), today)
        row = {"year": year, "as_of": day, "held": 0, "granted": 0, "valid": 0, "high_value": 0}
        if index is not None:
            held_by = holdings(patents, before=day + dt.timedelta(days=1))
            held = [p for p in patents if members & set(held_by[p.pk].names)]
            row["held"] = len(held)
            row["granted"] = sum(1 for p in held if p.grant_date and p.grant_date.year == year and p.grant_date <= day)
            positions = np.array([position[p.application_number] for p in held if p.application_number in position],
                                 dtype=np.int64)
            if len(positions):
                row["valid"] = int(np.isin(index.columns.valid_positions(day), positions).sum())
                row["high_value"] = int(np.isin(index.columns.valid_positions(day, invention, True), positions).sum())
        out.append(row)
    return out
