"""Compliance certification (贯标认证, GB/T 29490): certificates, their state and expiry reminders, and agencies'
guidance (贯标辅导) stage by stage."""

import datetime as dt

from ninja import Router, Schema, Status

from ipcity.accounts.models import Organization
from ipcity.bounds import Id
from ipcity.inputs import object_or_404
from ipcity.openapi import Rows, paginated
from ipcity.services.api.schemas import CertificationGuidanceOut, CertificationOut, CertificationRemindersOut
from ipcity.services.certification import (
    certification_get,
    certification_list,
    certification_record,
    certification_state,
    expiry_reminders_run,
    guidance_advance,
    guidance_list,
    guidance_start,
)
from ipcity.services.certification import status as certification_status

router = Router()


def _certification_out(c) -> dict:
    return {"id": c.pk, "enterprise": c.enterprise.name, "standard": c.standard, "certifier": c.certifier,
            "certificate_number": c.certificate_number, "scope": c.scope, "issued_on": c.issued_on,
            "valid_until": c.valid_until, "guiding_agency": c.guiding_agency.name if c.guiding_agency else None,
            "state": c.state, "status": certification_status(c)}


@router.get("/certifications", response=list[CertificationOut],
            summary="贯标认证证书（企业看本企业的，辅导机构看其辅导的，办公室看全部）")
@paginated
def certifications(request):
    return Rows(certification_list(user=request.user), _certification_out)


class CertificationIn(Schema):
    enterprise: Id
    certifier: str
    certificate_number: str
    scope: str
    issued_on: dt.date
    valid_until: dt.date
    guiding_agency: Id | None = None


@router.post("/certifications", response={201: CertificationOut}, summary="登记贯标认证证书（企业本身或其辅导机构）")
def certification_new(request, payload: CertificationIn):
    data = payload.dict()
    data["enterprise"] = object_or_404(Organization, pk=data["enterprise"])
    data["guiding_agency"] = object_or_404(Organization, pk=data["guiding_agency"]) if data["guiding_agency"] \
        else None
    return Status(201, _certification_out(certification_record(actor=request.user, **data)))


class CertificationStateIn(Schema):
    state: str


@router.post("/certifications/{certification_id}/state", response=CertificationOut,
             summary="变更证书状态：valid、suspended、withdrawn")
def certification_state_api(request, certification_id: int, payload: CertificationStateIn):
    found = certification_get(user=request.user, pk=certification_id)
    return _certification_out(certification_state(actor=request.user, certification=found, state=payload.state))


def _guidance_out(g) -> dict:
    return {"id": g.pk, "agency": g.agency.name, "enterprise": g.enterprise.name, "started_on": g.started_on,
            "stage": g.stage, "history": g.history}


@router.get("/certification-guidance", response=list[CertificationGuidanceOut],
            summary="贯标辅导（机构看本机构的，企业看本企业的，办公室看全部）")
@paginated
def guidance(request):
    return Rows(guidance_list(user=request.user), _guidance_out)


class GuidanceIn(Schema):
    enterprise: Id
    started_on: dt.date


@router.post("/certification-guidance", response={201: CertificationGuidanceOut}, summary="登记贯标辅导（服务机构）")
def guidance_new(request, payload: GuidanceIn):
    enterprise = object_or_404(Organization, pk=payload.enterprise)
    return Status(201, _guidance_out(guidance_start(actor=request.user, enterprise=enterprise,
                                                    started_on=payload.started_on)))


class AdvanceIn(Schema):
    note: str = ""


@router.post("/certification-guidance/{guidance_id}/advance", response=CertificationGuidanceOut,
             summary="辅导进入下一阶段（辅导机构）")
def guidance_next(request, guidance_id: int, payload: AdvanceIn):
    found = object_or_404(guidance_list(user=request.user), pk=guidance_id)
    return _guidance_out(guidance_advance(actor=request.user, guidance=found, note=payload.note))


@router.post("/certifications/reminders/run", response=CertificationRemindersOut,
             summary="发送贯标证书到期提醒（办公室；也可由 ipcity remind 定时执行）")
def certification_reminders(request):
    return {"sent": expiry_reminders_run(actor=request.user)}
