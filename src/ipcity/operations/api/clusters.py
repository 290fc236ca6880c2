"""Industry-chain patent clusters (产业链专利集群) and industry–education agreements (产教融合): public reads; the
office records."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from ipcity.accounts.models import Organization
from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.bounds import Id, Limit, Offset
from ipcity.inputs import object_or_404
from ipcity.openapi import PAGE_MAX, PAGE_NOTE, Rows, one_page, paginated
from ipcity.operations.clusters import (
    MAX_ENTERPRISES,
    agreement_counts,
    agreement_list,
    agreement_record,
    cluster_create,
    cluster_enterprises,
    cluster_get,
    cluster_list,
    cluster_years,
)
from ipcity.plan.selectors import current_plan
from ipcity.plan.task_modules import pilot_years

router = Router()


class PatentClusterIn(Schema):
    name: str
    industry: str  # 人工智能、生物医药、数字经济…
    enterprises: list[Id] = Field(max_length=MAX_ENTERPRISES)  # organization ids, each once
    established_on: dt.date
    ipc_prefixes: list[str] = []  # e.g. G06N, A61K31
    sei_industry: str = ""  # an industry of the SEI–IPC reference table
    layout_notes: str = ""


class PatentClusterOut(Schema):
    id: int
    name: str
    industry: str
    enterprises: list[str]
    ipc_prefixes: list[str]
    sei_industry: str
    layout_notes: str
    established_on: dt.date


class PatentClusterYearOut(Schema):
    year: int
    as_of: dt.date  # the year's end, or today for this year
    held: int  # patents in the scope a member holds on that day
    granted: int  # of those, granted that year
    valid: int  # of those, valid patents of the district (the engine's rule)
    high_value: int  # of those, valid high-value invention patents (the engine's criteria)


class PatentClusterDetailOut(PatentClusterOut):
    years: list[PatentClusterYearOut]


def _cluster_out(cluster) -> dict:
    return {"id": cluster.pk, "name": cluster.name, "industry": cluster.industry,
            "enterprises": [o.name for o in cluster.enterprises.all()], "ipc_prefixes": cluster.ipc_prefixes,
            "sei_industry": cluster.sei_industry, "layout_notes": cluster.layout_notes,
            "established_on": cluster.established_on}


def _office(request) -> None:
    if not has_perm(request.user, Perm.OPERATIONS_MANAGE):
        raise PermissionDenied(missing(Perm.OPERATIONS_MANAGE))


@router.get("/clusters", auth=None, response=list[PatentClusterOut], summary="产业链专利集群（公开）")
@paginated
def cluster_api_list(request):
    return Rows(cluster_list(), _cluster_out)


@router.post("/clusters", response={201: PatentClusterOut}, summary="登记产业链专利集群（知识产权办公室）")
def cluster_api_create(request, payload: PatentClusterIn):
    _office(request)
    data = payload.dict()
    enterprises = cluster_enterprises(data.pop("enterprises"))
    return Status(201, _cluster_out(cluster_create(actor=request.user, enterprises=enterprises, **data)))


@router.get("/clusters/{cluster_id}", auth=None, response=PatentClusterDetailOut,
            summary="产业链专利集群及其专利按年度统计（来自专利登记库，公开）")
def cluster_api_detail(request, cluster_id: int):
    cluster = cluster_get(pk=cluster_id)
    plan = current_plan()
    years = cluster_years(cluster=cluster, plan=plan, years=pilot_years(plan)) if plan else []
    return {**_cluster_out(cluster), "years": years}


class IndustryEducationAgreementIn(Schema):
    university: Id
    enterprise: Id
    subject: str
    signed_on: dt.date
    term_until: dt.date | None = None
    cluster: Id | None = None


class IndustryEducationAgreementOut(Schema):
    id: int
    university: str
    enterprise: str
    subject: str
    signed_on: dt.date
    term_until: dt.date | None
    cluster: str | None


class AgreementYearCountOut(Schema):
    year: int
    count: int


class IndustryEducationAgreementsOut(Schema):
    agreements: list[IndustryEducationAgreementOut]
    by_year: list[AgreementYearCountOut]  # signed in each pilot year


def _agreement_out(a) -> dict:
    return {"id": a.pk, "university": a.university.name, "enterprise": a.enterprise.name, "subject": a.subject,
            "signed_on": a.signed_on, "term_until": a.term_until, "cluster": a.cluster.name if a.cluster else None}


@router.get("/industry-education-agreements", auth=None, response=IndustryEducationAgreementsOut,
            summary="产教融合协议（分页）及按年度计数（公开）", description=PAGE_NOTE)
def agreement_api_list(request, response: HttpResponse, offset: Offset = 0, limit: Limit = PAGE_MAX):
    plan = current_plan()
    years = pilot_years(plan) if plan else []
    counts = agreement_counts(years)
    return {"agreements": one_page(agreement_list(), offset=offset, limit=limit, response=response,
                                   out=_agreement_out),
            "by_year": [{"year": y, "count": counts[y]} for y in years]}


@router.post("/industry-education-agreements", response={201: IndustryEducationAgreementOut},
             summary="登记产教融合协议（知识产权办公室）")
def agreement_api_record(request, payload: IndustryEducationAgreementIn):
    _office(request)
    university = object_or_404(Organization.objects.all(), "高校院所：所选机构不存在", pk=payload.university)
    enterprise = object_or_404(Organization.objects.all(), "企业：所选机构不存在", pk=payload.enterprise)
    cluster = cluster_get(pk=payload.cluster) if payload.cluster is not None else None
    made = agreement_record(actor=request.user, university=university, enterprise=enterprise, subject=payload.subject,
                            signed_on=payload.signed_on, term_until=payload.term_until, cluster=cluster)
    return Status(201, _agreement_out(made))
