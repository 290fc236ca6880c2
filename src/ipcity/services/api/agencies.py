"""Service agencies (服务机构): the public directory, each agency's own entry, the service cluster, brand
designations, ratings, and custody contracts (托管) between an agency and an SME."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id, Limit, Offset, bounded_decimal, bounded_int
from ipcity.inputs import object_or_404
from ipcity.openapi import PAGE_MAX, PAGE_NOTE, Rows, one_page, paginated
from ipcity.services.agencies import (
    agency_get,
    agency_list,
    agency_rate,
    agency_rating,
    brand_designate,
    cluster_count,
    cluster_join,
    cluster_leave,
    custody_answer,
    custody_get,
    custody_list,
    custody_record,
    custody_terminate,
    profile_save,
)
from ipcity.services.api.schemas import AgencyDirectoryOut, AgencyOut, CustodyOut, ServiceRatingIn
from ipcity.services.models import AgencyProfile, CustodyContract

router = Router()


def _agency_out(a) -> dict:
    profile = getattr(a, "agency_profile", None)
    return {"id": a.pk, "name": a.name, "services": profile.services if profile else [],
            "qualifications": profile.qualifications if profile else [], "staff": profile.staff if profile else 0,
            "attorneys": profile.attorneys if profile else 0, "description": profile.description if profile else "",
            "contact_phone": profile.contact_phone if profile else "",
            "brand_years": [b.year for b in a.brand_designations.all()],
            "cluster": [{"place": m.place, "joined_on": m.joined_on, "left_on": m.left_on}
                        for m in a.cluster_memberships.all()],
            "rating": agency_rating(a)}


@router.get("/agencies", auth=None, response=AgencyDirectoryOut,
            summary="服务机构名录（公开）；service 按服务类型，cluster=true 仅看聚集区内",
            description=PAGE_NOTE)
def agencies(request, response: HttpResponse, q: str = "", service: str = "", cluster: bool = False,
             offset: Offset = 0, limit: Limit = PAGE_MAX):
    return {"in_cluster": cluster_count(),
            "agencies": one_page(agency_list(query=q, service=service, cluster_only=cluster), offset=offset,
                                 limit=limit, response=response, out=_agency_out)}


@router.get("/agencies/{agency_id}", auth=None, response=AgencyOut, summary="服务机构详情（公开）")
def agency(request, agency_id: int):
    return _agency_out(agency_get(user=request.user, pk=agency_id))


class ProfileIn(Schema):
    services: list[str]
    qualifications: list[dict] = []
    staff: bounded_int(AgencyProfile, "staff")
    attorneys: bounded_int(AgencyProfile, "attorneys")
    description: str = ""
    contact_phone: str = ""
    listed: bool = True


@router.put("/agency-profile", response=AgencyOut, summary="维护本机构名录信息（服务机构）")
def agency_profile(request, payload: ProfileIn):
    profile = profile_save(actor=request.user, **payload.dict())
    return _agency_out(agency_get(user=request.user, pk=profile.organization_id))


class ClusterIn(Schema):
    action: str  # join | leave
    day: dt.date
    place: str = ""


@router.post("/agencies/{agency_id}/cluster", response=AgencyOut, summary="登记入驻或迁出聚集区（办公室；计入指标）")
def agency_cluster(request, agency_id: int, payload: ClusterIn):
    found = agency_get(user=request.user, pk=agency_id)
    if payload.action == "join":
        cluster_join(actor=request.user, agency=found, place=payload.place, joined_on=payload.day)
    elif payload.action == "leave":
        cluster_leave(actor=request.user, agency=found, left_on=payload.day)
    else:
        raise ValidationError({"action": ["应为 join 或 leave"]})
    return _agency_out(agency_get(user=request.user, pk=agency_id))


class BrandIn(Schema):
    designated_on: dt.date
    reason: str


@router.post("/agencies/{agency_id}/brand", response={201: AgencyOut}, summary="认定知识产权服务品牌机构（办公室）")
def agency_brand(request, agency_id: int, payload: BrandIn):
    found = agency_get(user=request.user, pk=agency_id)
    brand_designate(actor=request.user, agency=found, year=payload.designated_on.year, **payload.dict())
    return Status(201, _agency_out(agency_get(user=request.user, pk=agency_id)))


@router.post("/agencies/{agency_id}/rating", response=AgencyOut, summary="评价托管服务机构（接受过其托管服务的企业）")
def agency_rating_api(request, agency_id: int, payload: ServiceRatingIn):
    found = agency_get(user=request.user, pk=agency_id)
    agency_rate(actor=request.user, agency=found, **payload.dict())
    return _agency_out(agency_get(user=request.user, pk=agency_id))


def _custody_out(c) -> dict:
    return {"id": c.pk, "agency": c.agency.name, "enterprise": c.enterprise.name, "enterprise_id": c.enterprise_id,
            "enterprise_size": c.enterprise_size, "scope": c.scope, "starts_on": c.starts_on, "ends_on": c.ends_on,
            "fee": c.fee, "renewal_of": c.renewal_of_id, "state": c.state, "confirmed_on": c.confirmed_on,
            "terminated_on": c.terminated_on, "note": c.note}


@router.get("/custody", response=list[CustodyOut], summary="托管合同（机构看本机构的，企业看本企业的，办公室看全部）")
@paginated
def custody(request):
    return Rows(custody_list(user=request.user), _custody_out)


class CustodyIn(Schema):
    enterprise: Id
    enterprise_size: str
    scope: list[str]
    starts_on: dt.date
    ends_on: dt.date
    fee: bounded_decimal(CustodyContract, "fee") | None = None
    renewal_of: Id | None = None
    note: str = ""


@router.post("/custody", response={201: CustodyOut}, summary="登记托管合同（服务机构；企业确认后计入）")
def custody_new(request, payload: CustodyIn):
    data = payload.dict()
    data["enterprise"] = object_or_404(Organization, pk=data["enterprise"])
    data["renewal_of"] = custody_get(user=request.user, pk=data["renewal_of"]) if data["renewal_of"] else None
    return Status(201, _custody_out(custody_record(actor=request.user, **data)))


class CustodyAnswerIn(Schema):
    confirm: bool
    note: str = ""


@router.post("/custody/{contract_id}/answer", response=CustodyOut, summary="企业确认或不认可托管合同")
def custody_answer_api(request, contract_id: int, payload: CustodyAnswerIn):
    found = custody_get(user=request.user, pk=contract_id)
    return _custody_out(custody_answer(actor=request.user, contract=found, **payload.dict()))


class TerminateIn(Schema):
    terminated_on: dt.date
    note: str


@router.post("/custody/{contract_id}/terminate", response=CustodyOut, summary="提前终止托管合同（合同双方）")
def custody_terminate_api(request, contract_id: int, payload: TerminateIn):
    found = custody_get(user=request.user, pk=contract_id)
    return _custody_out(custody_terminate(actor=request.user, contract=found, **payload.dict()))
